// Worker side of buildViewOffThread: one view built from a subgraph, its arrays shared with the caller.
import { parentPort, workerData } from 'node:worker_threads';
import { buildView, type ViewOptions } from '../analysis/view.ts';
import type { Subgraph } from '../domain/model.ts';

const { subgraph, options } = workerData as { subgraph: Subgraph; options: ViewOptions };
try {
  parentPort!.postMessage({ view: buildView(subgraph, options, { shared: true }) });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
