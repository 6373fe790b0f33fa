// Worker side of sampled betweenness: draws the pairs it is asked for into its own shared row of hits,
// with its own seeded stream, and waits for the next request (the parent decides when to stop).
import { parentPort, workerData } from 'node:worker_threads';
import type { CSR } from '../analysis/csr.ts';
import { drawSamples, pathSampler } from '../analysis/betweenness-sampled.ts';
import { mulberry32 } from '../analysis/random.ts';

interface Input {
  graph: CSR;
  weighted: boolean;
  seed: number;
  hits: Float64Array;
}

const d = workerData as Input;
const sampler = pathSampler(d.graph, d.weighted);
const rng = mulberry32(d.seed);
parentPort!.on('message', (m: { count: number }) => {
  try {
    drawSamples(sampler, d.graph.n, rng, d.hits, m.count);
    parentPort!.postMessage({ type: 'done' });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: String(e) });
  }
});
