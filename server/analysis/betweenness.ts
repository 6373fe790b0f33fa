// Betweenness centrality (Brandes 2001) over a CSR, with the same definition and scaling as networkx's
// `betweenness_centrality`: endpoints excluded; undirected scores halved; `normalized` divides by
// (n-1)(n-2); with k sampled pivots the sum is scaled by n/k.
//
// Unweighted: breadth-first search. Weighted: Dijkstra with a binary heap over the distance
// 1 / weight (weights are strengths, so strong ties are short). Path lengths are compared as igraph compares
// them (igraph_cmp_epsilon with IGRAPH_SHORTEST_PATH_EPSILON): lengths within a relative 1e-10 are the same
// length, so 1/3+1/3+1/3+1/2 and 1/3+1/3+1/2+1/3, which differ in the last bit, are two shortest paths.
// networkx compares exactly and counts one of them; on weighted real networks the two differ by up to 7e-4.
//
// The back-propagation walks successors (w with dist[w] = dist[v] + len(v, w)) rather than stored
// predecessor lists: no per-source allocation, and the arrays stay flat.
import type { CSR } from './csr.ts';
import { PATH_EPSILON, PathCountingDijkstra } from './sssp.ts';
import { mulberry32, samplePivots } from './random.ts';

export interface BetweennessOptions {
  /** Use link strengths (distance 1/weight). Default false: every link counts one hop. */
  weighted?: boolean;
  /** Divide by (n-1)(n-2) like networkx. Default true. */
  normalized?: boolean;
  /** Sample this many pivots instead of all n sources (sampled betweenness). Default null: exact. */
  k?: number | null;
  /** Seed for pivot sampling. Default 1. */
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  /** Polled every few sources; return true to stop (throws BetweennessCancelled). */
  isCancelled?: () => boolean;
}

export const BETWEENNESS_DEFAULTS = {
  weighted: false,
  normalized: true,
  k: null as number | null,
  seed: 1,
};

export class BetweennessCancelled extends Error {
  constructor() {
    super('betweenness: cancelled');
    this.name = 'BetweennessCancelled';
  }
}

/**
 * Add each source's dependencies to `out` (raw, unscaled). `sources[from..to)` are the sources processed.
 * This is the kernel the worker threads run on their pivot range.
 */
export function accumulateBetweenness(
  g: CSR,
  weighted: boolean,
  sources: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  hooks: Pick<BetweennessOptions, 'onProgress' | 'isCancelled'> = {},
): void {
  if (weighted) accumulateWeighted(g, sources, from, to, out, hooks);
  else accumulateUnweighted(g, sources, from, to, out, hooks);
}

function accumulateUnweighted(
  g: CSR,
  sources: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  hooks: Pick<BetweennessOptions, 'onProgress' | 'isCancelled'>,
): void {
  const { n, offsets, targets } = g;
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  // coeff[x] = (1 + delta[x]) / sigma[x]. It is published one BFS level at a time (after the whole level
  // is computed), so while level d is processed only levels > d carry a value; a neighbour of a level-d
  // node is at most one level deeper, so summing coeff over ALL neighbours sums exactly the successors,
  // without reading dist again.
  const coeff = new Float64Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const levelStart = new Int32Array(n + 1);
  for (let si = from; si < to; si++) {
    if ((si - from) % 32 === 0) {
      if (hooks.isCancelled?.()) throw new BetweennessCancelled();
      hooks.onProgress?.(si - from, to - from);
    }
    const s = sources[si];
    let head = 0;
    let tail = 0;
    let levels = 0;
    order[tail++] = s;
    dist[s] = 0;
    sigma[s] = 1;
    while (head < tail) {
      const v = order[head++];
      const dv = dist[v] + 1;
      if (dv > levels) levelStart[levels++] = head - 1;
      const sv = sigma[v];
      for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
        const w = targets[p];
        let dw = dist[w];
        if (dw < 0) {
          dist[w] = dw = dv;
          order[tail++] = w;
        }
        if (dw === dv) sigma[w] += sv;
      }
    }
    levelStart[levels] = tail;
    for (let l = levels - 1; l >= 1; l--) {
      const lo = levelStart[l];
      const hi = levelStart[l + 1];
      for (let i = lo; i < hi; i++) {
        const w = order[i];
        let sum = 0;
        for (let p = offsets[w], end = offsets[w + 1]; p < end; p++) sum += coeff[targets[p]];
        const d = sigma[w] * sum;
        delta[w] = d;
        out[w] += d;
      }
      for (let i = lo; i < hi; i++) {
        const w = order[i];
        coeff[w] = (1 + delta[w]) / sigma[w];
      }
    }
    for (let i = 0; i < tail; i++) {
      const v = order[i];
      dist[v] = -1;
      sigma[v] = 0;
      coeff[v] = 0;
    }
  }
  hooks.onProgress?.(to - from, to - from);
}

function accumulateWeighted(
  g: CSR,
  sources: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
  hooks: Pick<BetweennessOptions, 'onProgress' | 'isCancelled'>,
): void {
  const { offsets, targets } = g;
  // The forward pass is the kernel sampled betweenness shares (sssp.ts); this walks its order back.
  const sp = new PathCountingDijkstra(g);
  const { dist, sigma, order, len } = sp;
  const coeff = new Float64Array(g.n);
  for (let si = from; si < to; si++) {
    if ((si - from) % 16 === 0) {
      if (hooks.isCancelled?.()) throw new BetweennessCancelled();
      hooks.onProgress?.(si - from, to - from);
    }
    const count = sp.run(sources[si]);
    for (let i = count - 1; i > 0; i--) {
      const w = order[i];
      const dw = dist[w];
      let sum = 0;
      for (let p = offsets[w], end = offsets[w + 1]; p < end; p++) {
        const x = targets[p];
        // x follows w on a shortest path when its distance is w's plus the link, within the same tolerance
        // the forward pass used to count the path.
        const via = dw + len[p];
        const dx = dist[x];
        if (dx === via || Math.abs(dx - via) < PATH_EPSILON * (dx + via)) sum += coeff[x];
      }
      const delta = sigma[w] * sum;
      out[w] += delta;
      coeff[w] = (1 + delta) / sigma[w];
    }
    for (let i = 0; i < count; i++) coeff[order[i]] = 0;
    sp.reset();
  }
  hooks.onProgress?.(to - from, to - from);
}

/** networkx's `_rescale`. `k` is the number of pivots when sampled. */
export function rescaleBetweenness(
  raw: Float64Array,
  n: number,
  directed: boolean,
  normalized: boolean,
  k: number | null,
): Float64Array {
  let scale: number | null = null;
  if (normalized) {
    scale = n <= 2 ? null : 1 / ((n - 1) * (n - 2));
  } else if (!directed) {
    scale = 0.5;
  }
  if (scale !== null) {
    if (k !== null && k > 0) scale *= n / k;
    for (let i = 0; i < raw.length; i++) raw[i] *= scale;
  }
  return raw;
}

/** The sources to use: all nodes, or `k` seeded pivots. */
export function betweennessSources(n: number, k: number | null, seed: number): Int32Array {
  if (k === null || k >= n) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  if (!(k >= 1)) throw new RangeError(`betweenness: k must be at least 1, got ${k}`);
  return samplePivots(n, k, mulberry32(seed));
}

export function betweenness(g: CSR, options: BetweennessOptions = {}): Float64Array {
  const o = { ...BETWEENNESS_DEFAULTS, ...options };
  const sources = betweennessSources(g.n, o.k, o.seed);
  const raw = new Float64Array(g.n);
  accumulateBetweenness(g, o.weighted, sources, 0, sources.length, raw, o);
  const k = sources.length < g.n ? sources.length : null;
  return rescaleBetweenness(raw, g.n, g.directed, o.normalized, k);
}

export interface SamplingBound {
  /** The bound every ranking states (as BetweennessBound): all nodes at once, score units. */
  epsilon: number;
  samples: number;
  pivots: number;
  /** Probability that the bound fails. */
  delta: number;
  /** With probability 1 - delta, ONE given node's normalised score is within +-epsilonPerNode. */
  epsilonPerNode: number;
  /** With probability 1 - delta, EVERY node's normalised score is within +-epsilonAllNodes (union bound). */
  epsilonAllNodes: number;
  explanation: string;
}

/**
 * Error bound of sampled, normalised betweenness (Hoeffding). Each pivot s contributes
 * X_s = n * delta_s(v) / ((n-1)(n-2)), which lies in [0, R] with R = n / (n-1) because delta_s(v) <= n-2,
 * and whose mean over all s is the exact score. Sampling without replacement concentrates at least as well
 * (Hoeffding 1963, section 6), so P(|estimate - exact| >= eps) <= 2 exp(-2 k eps^2 / R^2).
 */
export function samplingErrorBound(n: number, k: number, delta = 0.05): SamplingBound {
  const R = n > 1 ? n / (n - 1) : 1;
  const perNode = R * Math.sqrt(Math.log(2 / delta) / (2 * k));
  const all = R * Math.sqrt(Math.log((2 * n) / delta) / (2 * k));
  return {
    epsilon: all,
    samples: k,
    pivots: k,
    delta,
    epsilonPerNode: perNode,
    epsilonAllNodes: all,
    explanation:
      `Hoeffding bound with ${k} pivots of ${n}: with probability ${1 - delta}, a node's normalised betweenness ` +
      `is within ±${perNode.toPrecision(3)} of the exact value (±${all.toPrecision(3)} for all nodes at once).`,
  };
}
