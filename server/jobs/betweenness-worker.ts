// Worker side of parallel Brandes: accumulate one pivot range into this worker's shared output row.
import { parentPort, workerData } from 'node:worker_threads';
import type { CSR } from '../analysis/csr.ts';
import { accumulateBetweenness, BetweennessCancelled } from '../analysis/betweenness.ts';

interface Input {
  graph: CSR;
  weighted: boolean;
  sources: Int32Array;
  from: number;
  to: number;
  out: Float64Array;
  cancel: Int32Array;
}

const d = workerData as Input;
try {
  accumulateBetweenness(d.graph, d.weighted, d.sources, d.from, d.to, d.out, {
    isCancelled: () => Atomics.load(d.cancel, 0) === 1,
    onProgress: (done) => parentPort!.postMessage({ type: 'progress', done }),
  });
  parentPort!.postMessage({ type: 'done' });
} catch (e) {
  parentPort!.postMessage({
    type: e instanceof BetweennessCancelled ? 'cancelled' : 'error',
    message: String(e),
  });
}
