// Sampled betweenness (server/analysis/betweenness-sampled.ts) over worker threads: the CSR is shared, each
// worker draws its share of every round into its own row, and between rounds this thread sums the rows and
// applies the same stopping rule. Repeats exactly for the same seed and thread count.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { CSR } from '../analysis/csr.ts';
import { toShared } from '../analysis/csr.ts';
import {
  finishSampling,
  nextCheckpoint,
  planSampling,
  samplingProgress,
  sampledBetweenness,
  SAMPLED_BETWEENNESS_DEFAULTS,
  SAMPLED_RANKING_DEFAULTS,
  stopReason,
  type SampledBetweenness,
  type SampledBetweennessOptions,
} from '../analysis/betweenness-sampled.ts';
import { spawnTsWorker } from './spawn.ts';

export interface ParallelSampledOptions extends Omit<SampledBetweennessOptions, 'isCancelled'> {
  /** Worker threads; default min(available cores, 4). 1 runs in this thread. */
  threads?: number;
  signal?: AbortSignal;
}

/** The variable that sets a job's time budget for sampled betweenness (ms). */
export const SAMPLED_BUDGET_VARIABLE = 'LINKCHART_SAMPLED_BUDGET_MS';

/**
 * The time budget of a sampled betweenness job: LINKCHART_SAMPLED_BUDGET_MS, else the ranking's default
 * (SAMPLED_RANKING_DEFAULTS.budgetMs). A bad value throws naming the variable (config.ts checks it at start).
 */
export function sampledBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[SAMPLED_BUDGET_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return SAMPLED_RANKING_DEFAULTS.budgetMs;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100 || n > 86_400_000)
    throw new RangeError(
      `${SAMPLED_BUDGET_VARIABLE}=${JSON.stringify(raw)} is not a whole number of milliseconds from 100 to 86400000`,
    );
  return n;
}

const ENTRY = new URL('./sampled-betweenness-worker.ts', import.meta.url);

export async function parallelSampledBetweenness(
  g: CSR,
  options: ParallelSampledOptions = {},
): Promise<SampledBetweenness> {
  const o = { ...SAMPLED_BETWEENNESS_DEFAULTS, ...options };
  const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 4));
  const plan = planSampling(g, o);
  if (threads === 1 || plan.omega === 0 || g.n < 1000) {
    return sampledBetweenness(g, { ...options, isCancelled: () => options.signal?.aborted === true });
  }
  const shared = toShared(g);
  const graph: CSR = { ...shared, ids: [] };
  const rows = Array.from({ length: threads }, () => new Float64Array(new SharedArrayBuffer(g.n * 8)));
  const workers: Worker[] = rows.map((hits, t) =>
    spawnTsWorker(ENTRY, { graph, weighted: o.weighted, seed: (o.seed * 1_000_003 + t) >>> 0, hits }),
  );
  const round = (count: number) =>
    Promise.all(
      workers.map(
        (w, t) =>
          new Promise<void>((resolve, reject) => {
            const share = Math.floor((count * (t + 1)) / threads) - Math.floor((count * t) / threads);
            const onMessage = (m: { type: string; message?: string }) => {
              w.off('message', onMessage);
              w.off('error', reject);
              if (m.type === 'done') resolve();
              else reject(new Error(`betweenness: worker failed: ${m.message}`));
            };
            w.on('message', onMessage);
            w.on('error', reject);
            w.postMessage({ count: share });
          }),
      ),
    );
  try {
    const hits = new Float64Array(g.n);
    let tau = 0;
    for (;;) {
      const next = nextCheckpoint(plan, tau);
      await round(next - tau);
      tau = next;
      if (options.signal?.aborted) throw new Error('betweenness: cancelled');
      options.onProgress?.(Math.floor(samplingProgress(plan, tau) * plan.omega), plan.omega);
      hits.fill(0);
      let maxHits = 0;
      for (const row of rows) for (let v = 0; v < g.n; v++) hits[v] += row[v];
      for (let v = 0; v < g.n; v++) if (hits[v] > maxHits) maxHits = hits[v];
      const why = stopReason(plan, hits, tau, maxHits);
      if (why) return finishSampling(plan, hits, tau, why);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
