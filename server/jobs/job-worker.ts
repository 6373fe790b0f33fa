// Worker thread body for one analysis job: the graph arrives in SharedArrayBuffers (no copy).
import { parentPort, workerData } from 'node:worker_threads';
import type { CSR } from '../analysis/csr.ts';
import type { JobRequest, WorkerMessage } from './job-types.ts';
import { runRequest } from './run-request.ts';

const { graph, labels, request } = workerData as { graph: CSR; labels: string[]; request: JobRequest };
const send = (m: WorkerMessage) => parentPort!.postMessage(m);
let last = -1;
try {
  const result = await runRequest(graph, labels, request, (progress, phase) => {
    if (progress !== last) {
      last = progress;
      send({ type: 'progress', progress, phase });
    }
  });
  send({ type: 'result', result });
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
