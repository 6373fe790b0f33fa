// What the request thread pays to hand a whole-store view (139k entities, the 300k-link seed store's size) to
// an analysis job and to answer its result, the way it was (string arrays and result objects structured-
// cloned, the result decorated and serialised here) and the way it is (packed on shared memory; the result
// encoded by the worker, sliced here). Structured clone is what postMessage and workerData do; it is timed
// here on one thread (serialise + deserialise), the request thread paid at least the half of it.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BenchSuite } from '../run.ts';
import { buildCSR } from '../../server/analysis/csr.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { packView, type View } from '../../server/analysis/view.ts';
import { describeResult, encodeResult, resultChunks } from '../../server/jobs/result-encoding.ts';

const N = 139_000;

function median(f: () => void, runs = 5): number {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  return xs.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const suite: BenchSuite = {
  title: 'Request-thread cost of handing a 139k-entity view to a job and answering its result',
  async run() {
    const e = communityGraph({ n: N, seed: 1 });
    const ids = Array.from({ length: N }, () => randomUUID());
    const csr = buildCSR(ids, e.us, e.vs, e.ws, false, { shared: true });
    const labels = ids.map((_, i) => `Person number ${i}`);
    const types = ids.map((_, i) => (i % 3 ? 'Person' : 'Phone')) as View['types'];
    const view: View = { csr, labels, types, dataVersion: 1, options: {} as View['options'], notes: [] };
    const packed = packView(view);

    // The view: received from the read worker, then sent on to the job worker (ids copied, labels cloned).
    const oldView = median(() => {
      const got = structuredClone({ csr, labels, types });
      structuredClone({ graph: { ...got.csr, ids: [...got.csr.ids] }, labels: got.labels });
    });
    const newView = median(() => {
      const got = structuredClone(packed);
      structuredClone({ graph: got.graph, ids: got.ids, labels: got.labels, types: got.types });
    });

    // The result of a whole-store ranking: 139k entries.
    const scores = ids.map((id, i) => ({ id, label: labels[i], score: i / N, rank: i + 1 }));
    const raw = { metric: 'degree', errorBound: null, scores };
    const index = new Map(ids.map((id, i) => [id, i]));
    const oldResult = median(() => {
      const got = structuredClone(raw);
      const typed = got.scores.map((x) => ({ ...x, type: types[index.get(x.id) ?? -1] ?? null }));
      JSON.stringify({ status: {}, result: { ...got, scores: typed, view: { nodes: N, links: csr.m } } });
    });
    // In the worker: described and encoded once; here: received (transferred, so not copied) and sliced.
    const encoded = encodeResult(describeResult(raw, { nodes: N, links: csr.m, notes: [], ids, types }));
    // Streamed as they are (the route sends the chunks without joining them).
    const newWhole = median(() => {
      Readable.from([Buffer.from('{"status":{},"result":'), ...resultChunks(encoded), Buffer.from('}')]);
    });
    const newPage = median(() => {
      Buffer.concat([
        Buffer.from('{"status":{},"result":'),
        ...resultChunks(encoded, { offset: 1000, limit: 1000 }),
        Buffer.from('}'),
      ]);
    });
    const row = (what: string, ms: number) =>
      console.log(`${what.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms`);
    console.log(`${N} entities, ${csr.m} links; medians of 5`);
    row('view to the job, before (string arrays cloned twice)', oldView);
    row('view to the job, now (packed on shared memory)', newView);
    row('result answered whole, before (cloned, typed, stringified)', oldResult);
    row("result answered whole, now (the worker's bytes streamed)", newWhole);
    row('result page of 1000, now (sliced)', newPage);
  },
};
export default suite;
