// Worker thread body for one analysis job. The graph arrives on SharedArrayBuffers and its ids, labels and
// types packed (no copy, and no string rebuilt on the request thread); they are decoded here. The result
// leaves encoded as its answer's JSON bytes, in transferred buffers (see result-encoding.ts). A windows job
// gets one such view per window.
import { parentPort, workerData } from 'node:worker_threads';
import { unpackStrings } from '../analysis/packed-strings.ts';
import type { JobInput, JobRequest, ViewInput, WorkerMessage } from './job-types.ts';
import { describeResult, encodeResult, resultTransferables } from './result-encoding.ts';
import { runRequest } from './run-request.ts';
import { runWindows } from './windows-request.ts';

const { input, request } = workerData as { input: JobInput; request: JobRequest };
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
let last = -1;
const progress = (p: number, phase: string) => {
  if (p !== last) {
    last = p;
    send({ type: 'progress', progress: p, phase });
  }
};
const decode = (v: ViewInput) => {
  const ids = unpackStrings(v.ids);
  const labels = unpackStrings(v.labels);
  const types = v.types.count === ids.length ? unpackStrings(v.types) : null;
  return { graph: { ...v.graph, ids }, labels, types, notes: v.notes };
};
try {
  let described: unknown;
  if ('series' in input) {
    if (request.kind !== 'windows') throw new Error(`a ${request.kind} job runs over one view`);
    const views = input.series.map((s) => ({ window: s.window, ...decode(s.view) }));
    const result = await runWindows(views, request, progress);
    described = describeResult(result, {
      nodes: views.reduce((a, v) => a + v.graph.n, 0),
      links: views.reduce((a, v) => a + v.graph.m, 0),
      notes: input.notes,
      ids: [],
      types: null,
    });
  } else {
    const { graph, labels, types } = decode(input);
    const result = await runRequest(graph, labels, request, progress);
    described = describeResult(result, {
      nodes: graph.n,
      links: graph.m,
      notes: input.notes,
      ids: graph.ids,
      types,
    });
  }
  const encoded = encodeResult(described);
  send({ type: 'result', result: encoded }, resultTransferables(encoded));
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
