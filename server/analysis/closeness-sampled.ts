// Closeness for views too large for one search per node (Eppstein and Wang, "Fast approximation of
// centrality", 2004): BFS from `samples` seeded random sources (32 at a time, distance-sums.ts) gives each
// node the distances to it from a uniform sample of the others. The share of them that reach it and their
// mean distance estimate the two quantities networkx's closeness is made of (with Wasserman-Faust scaling,
// closeness = share^2 / mean distance over all n - 1 others), each within a Hoeffding margin; the stated
// bound is the widest closeness interval those margins allow, over all nodes. Unweighted links only.
import type { CSR } from './csr.ts';
import { vertexDiameterBound } from './betweenness-sampled.ts';
import { distanceSumsFromSources } from './distance-sums.ts';
import { mulberry32, samplePivots } from './random.ts';
import type { SweepHooks } from './sssp.ts';

/** Largest view ranked by exact closeness; past it the job samples. */
export const CLOSENESS_EXACT_LIMIT = 100_000;

export interface SampledClosenessOptions extends SweepHooks {
  /** Sources to search from. Default 1024. */
  samples?: number;
  /** Probability that the bound fails. Default 0.01. */
  delta?: number;
  wfImproved?: boolean;
  seed?: number;
}
export const SAMPLED_CLOSENESS_DEFAULTS = { samples: 1024, delta: 0.01, wfImproved: true, seed: 1 };

export interface ClosenessBound {
  /** Every score within +-epsilon of the exact one, with probability 1 - delta. */
  epsilon: number;
  delta: number;
  samples: number;
  explanation: string;
}

export function sampledCloseness(
  g: CSR,
  options: SampledClosenessOptions = {},
): { scores: Float64Array; bound: ClosenessBound } {
  const o = { ...SAMPLED_CLOSENESS_DEFAULTS, ...options };
  const n = g.n;
  const k = Math.min(o.samples, n);
  const sources = samplePivots(n, k, mulberry32(o.seed));
  const isSource = new Uint8Array(n);
  for (const s of sources) isSource[s] = 1;
  const d = distanceSumsFromSources(g, sources, { ...o, name: 'closeness' });
  // Hop distances lie in [0, longest shortest path]; both margins share delta over 2n two-sided bounds.
  const longest = Math.max(1, vertexDiameterBound(g, false) - 1);
  const scores = new Float64Array(n);
  let epsilon = 0;
  for (let v = 0; v < n; v++) {
    const kv = k - isSource[v];
    if (kv <= 0 || n < 2) continue;
    const share = d.reachedBy[v] / kv;
    const mean = d.total[v] / kv;
    const score = mean > 0 ? (o.wfImproved ? (share * share) / mean : share / mean) : 0;
    scores[v] = score;
    const m = Math.sqrt(Math.log((4 * n) / o.delta) / (2 * kv));
    const shareLo = Math.max(0, share - m);
    const shareHi = Math.min(1, share + m);
    // Each node that reaches v is at least one hop away, so the mean distance is at least the share.
    const meanLo = Math.max(mean - longest * m, shareLo);
    const meanHi = mean + longest * m;
    const lo = meanHi > 0 ? (o.wfImproved ? (shareLo * shareLo) / meanHi : shareLo / meanHi) : 0;
    const hi = meanLo > 0 ? Math.min(1, o.wfImproved ? (shareHi * shareHi) / meanLo : shareHi / meanLo) : 1;
    epsilon = Math.max(epsilon, hi - score, score - lo);
  }
  const pct = `${+(100 * (1 - o.delta)).toPrecision(4)}%`;
  return {
    scores,
    bound: {
      epsilon,
      delta: o.delta,
      samples: k,
      explanation: `Searched from ${k} sampled people of ${n}: every score is within ±${epsilon.toPrecision(3)} of the exact value with ${pct} confidence.`,
    },
  };
}
