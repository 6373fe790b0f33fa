// Analysis views built off the request thread. A view over 300k links took 1-2 s to decode and build, and
// the request thread then copied it again onto shared memory for the job: every other request waited. A
// store that reads in workers of its own builds the view there (SQLite's read pool); for any other store
// (Neo4j, whose driver decodes the answer on this thread anyway) the build runs in a worker started for it.
import { viewOptionsSchema, type PackedView, type ViewOptions } from '../analysis/view.ts';
import type { AnalysisView, GraphStore } from '../store/graph-store.ts';
import { spawnTsWorker } from './spawn.ts';

const ENTRY = new URL('./view-worker.ts', import.meta.url);

export interface ViewBuildOptions {
  /** Links the view may hold; past it nothing is built and the answer says truncated. */
  limit?: number;
  /** Heap bound of the building worker, in MB. */
  maxMemoryMb?: number;
  /** Only these entities and the links between them (a chart's view). */
  only?: string[];
}

export async function buildViewOffThread(
  graph: GraphStore,
  input: ViewOptions,
  opts: ViewBuildOptions = {},
): Promise<AnalysisView> {
  const options = viewOptionsSchema.parse(input);
  const read = opts.limit ? { limit: opts.limit } : {};
  if (graph.analysisView)
    return graph.analysisView(options, { ...read, ...(opts.only ? { only: opts.only } : {}) });
  const subgraph = await graph.subgraph(options.filter, read);
  if (subgraph.truncated) return { truncated: true };
  const view = await new Promise<PackedView>((resolve, reject) => {
    const worker = spawnTsWorker(
      ENTRY,
      { subgraph, options, only: opts.only ?? null },
      opts.maxMemoryMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.maxMemoryMb } } : {},
    );
    worker.once('message', (m: { view?: PackedView; error?: string }) => {
      if (m.view) resolve(m.view);
      else reject(new Error(`building the view failed: ${m.error ?? 'no answer'}`));
      void worker.terminate();
    });
    worker.once('error', (e) => reject(new Error(`building the view failed: ${e.message}`)));
    worker.once('exit', (code) => reject(new Error(`building the view stopped (worker exit ${code})`)));
  });
  return { truncated: false, view };
}
