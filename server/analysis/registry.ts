// Metric names the API, jobs and CLIs accept, each mapped to the function that computes it over a CSR.
// Every metric returns one score per node (node-index order). Higher means more central.
import type { CSR } from './csr.ts';
import { betweenness } from './betweenness.ts';
import { brokers } from './brokers.ts';
import { closeness } from './closeness.ts';
import { degree } from './degree.ts';
import { eigenvector } from './eigenvector.ts';
import { harmonic } from './harmonic.ts';
import { coreNumber } from './kcore.ts';
import { louvain } from './louvain.ts';
import { pagerank } from './pagerank.ts';

export const METRIC_NAMES = [
  'degree',
  'weightedDegree',
  'inDegree',
  'outDegree',
  'betweenness',
  'betweennessWeighted',
  'closeness',
  'closenessWeighted',
  'harmonic',
  'harmonicWeighted',
  'eigenvector',
  'eigenvectorWeighted',
  'pagerank',
  'coreNumber',
  'brokerage',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricRunOptions {
  /** Sampled betweenness: number of pivots (null = exact). */
  k?: number | null;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

export function isMetricName(s: string): s is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(s);
}

export function computeMetric(g: CSR, name: MetricName, o: MetricRunOptions = {}): Float64Array {
  const hooks = { onProgress: o.onProgress, isCancelled: o.isCancelled };
  switch (name) {
    case 'degree':
      return degree(g);
    case 'weightedDegree':
      return degree(g, { weighted: true });
    case 'inDegree':
      return degree(g, { mode: 'in' });
    case 'outDegree':
      return degree(g, { mode: 'out' });
    case 'betweenness':
      return betweenness(g, { ...hooks, k: o.k ?? null, seed: o.seed ?? 1 });
    case 'betweennessWeighted':
      return betweenness(g, { ...hooks, weighted: true, k: o.k ?? null, seed: o.seed ?? 1 });
    case 'closeness':
      return closeness(g, hooks);
    case 'closenessWeighted':
      return closeness(g, { ...hooks, weighted: true });
    case 'harmonic':
      return harmonic(g, hooks);
    case 'harmonicWeighted':
      return harmonic(g, { ...hooks, weighted: true });
    case 'eigenvector':
      return eigenvector(g);
    case 'eigenvectorWeighted':
      return eigenvector(g, { weighted: true });
    case 'pagerank':
      return pagerank(g);
    case 'coreNumber':
      return Float64Array.from(coreNumber(g));
    case 'brokerage':
      return brokers(g, louvain(g, { seed: o.seed ?? 1 }).communities).score;
  }
}

export interface RankedNode {
  id: string;
  index: number;
  score: number;
  rank: number;
}

/**
 * Scores sorted best first; equal scores (within 1e-9) share the best rank; ties go to the lower index.
 * The one ranking rule of every engine: the server's over a CSR (rankScores) and GDS's rows
 * (jobs/gds-analysis.ts), which it hands over in the view's order.
 */
export function rankByScore(ids: readonly string[], scores: ArrayLike<number>): RankedNode[] {
  const idx = Array.from({ length: ids.length }, (_, i) => i);
  idx.sort((a, b) => (Math.abs(scores[b] - scores[a]) <= 1e-9 ? a - b : scores[b] - scores[a]));
  const out: RankedNode[] = [];
  idx.forEach((i, pos) => {
    const prev = out[pos - 1];
    const tied = prev && Math.abs(prev.score - scores[i]) <= 1e-9;
    out.push({ id: ids[i], index: i, score: scores[i], rank: tied ? prev.rank : pos + 1 });
  });
  return out;
}

/** A CSR's scores ranked (rankByScore): ties go to the earlier node of the view. */
export function rankScores(g: CSR, scores: ArrayLike<number>): RankedNode[] {
  return rankByScore(g.ids, scores);
}
