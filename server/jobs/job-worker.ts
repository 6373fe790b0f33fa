// Worker thread body for one analysis job. The graph arrives on SharedArrayBuffers and its ids, labels and
// types packed (no copy, and no string rebuilt on the request thread); they are decoded here. The result
// leaves encoded as its answer's JSON bytes, in transferred buffers (see result-encoding.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { unpackStrings } from '../analysis/packed-strings.ts';
import type { JobInput, JobRequest, WorkerMessage } from './job-types.ts';
import { describeResult, encodeResult, resultTransferables } from './result-encoding.ts';
import { runRequest } from './run-request.ts';

const { input, request } = workerData as { input: JobInput; request: JobRequest };
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
let last = -1;
try {
  const ids = unpackStrings(input.ids);
  const labels = unpackStrings(input.labels);
  const types = input.types.count === ids.length ? unpackStrings(input.types) : null;
  const graph = { ...input.graph, ids };
  const result = await runRequest(graph, labels, request, (progress, phase) => {
    if (progress !== last) {
      last = progress;
      send({ type: 'progress', progress, phase });
    }
  });
  const described = describeResult(result, {
    nodes: graph.n,
    links: graph.m,
    notes: input.notes,
    ids,
    types,
  });
  const encoded = encodeResult(described);
  send({ type: 'result', result: encoded }, resultTransferables(encoded));
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
