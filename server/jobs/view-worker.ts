// Worker side of buildViewOffThread: one view built from a subgraph, packed on shared memory for the caller.
import { parentPort, workerData } from 'node:worker_threads';
import { buildView, packView, restrictToEntities, type ViewOptions } from '../analysis/view.ts';
import type { Subgraph } from '../domain/model.ts';

const { subgraph, options, only } = workerData as {
  subgraph: Subgraph;
  options: ViewOptions;
  only: string[] | null;
};
try {
  const sub = only ? restrictToEntities(subgraph, only) : subgraph;
  parentPort!.postMessage({ view: packView(buildView(sub, options, { shared: true })) });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
