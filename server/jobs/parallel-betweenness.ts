// Brandes betweenness spread over worker threads: the CSR sits in SharedArrayBuffers (no copy), each worker
// takes a contiguous range of pivots and accumulates into its own shared row, and the rows are summed and
// scaled exactly as the single-threaded version does (server/analysis/betweenness.ts).
import { availableParallelism } from 'node:os';
import type { CSR } from '../analysis/csr.ts';
import { toShared } from '../analysis/csr.ts';
import {
  BETWEENNESS_DEFAULTS,
  betweenness,
  betweennessSources,
  rescaleBetweenness,
  type BetweennessOptions,
} from '../analysis/betweenness.ts';
import { spawnTsWorker } from './spawn.ts';

export interface ParallelOptions extends Omit<BetweennessOptions, 'isCancelled'> {
  /** Worker threads; default min(available cores, 4). 1 runs in this thread. */
  threads?: number;
  signal?: AbortSignal;
}

const ENTRY = new URL('./betweenness-worker.ts', import.meta.url);

export async function parallelBetweenness(g: CSR, options: ParallelOptions = {}): Promise<Float64Array> {
  const o = { ...BETWEENNESS_DEFAULTS, ...options };
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 4), g.n));
  // Small graphs are done before a worker could start; an explicit thread count is obeyed.
  if (threads === 1 || (options.threads === undefined && g.n < 200)) {
    return betweenness(g, { ...options, isCancelled: () => options.signal?.aborted === true });
  }
  const shared = toShared(g);
  // Workers only need the arrays; the ids would be copied per worker for nothing.
  const graph: CSR = { ...shared, ids: [] };
  const local = betweennessSources(g.n, o.k, o.seed);
  const sources = new Int32Array(new SharedArrayBuffer(local.length * 4));
  sources.set(local);
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const rows: Float64Array[] = [];
  const done = new Array<number>(threads).fill(0);
  const total = sources.length;
  const onAbort = () => Atomics.store(cancel, 0, 1);
  options.signal?.addEventListener('abort', onAbort);
  try {
    await Promise.all(
      Array.from({ length: threads }, (_, t) => {
        const from = Math.floor((t * total) / threads);
        const to = Math.floor(((t + 1) * total) / threads);
        const out = new Float64Array(new SharedArrayBuffer(g.n * 8));
        rows.push(out);
        return new Promise<void>((resolve, reject) => {
          const w = spawnTsWorker(ENTRY, { graph, weighted: o.weighted, sources, from, to, out, cancel });
          w.on('message', (m: { type: string; done?: number; message?: string }) => {
            if (m.type === 'progress') {
              done[t] = m.done ?? 0;
              options.onProgress?.(
                done.reduce((a, b) => a + b, 0),
                total,
              );
            } else if (m.type === 'done') resolve();
            else if (m.type === 'cancelled') reject(new Error('betweenness: cancelled'));
            else reject(new Error(`betweenness: worker failed: ${m.message}`));
          });
          w.on('error', reject);
          w.on('exit', (code) => {
            if (code !== 0) reject(new Error(`betweenness: worker exited with code ${code}`));
          });
        });
      }),
    );
  } catch (e) {
    Atomics.store(cancel, 0, 1);
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const raw = new Float64Array(g.n);
  for (const row of rows) for (let i = 0; i < g.n; i++) raw[i] += row[i];
  return rescaleBetweenness(raw, g.n, g.directed, o.normalized, sources.length < g.n ? sources.length : null);
}
