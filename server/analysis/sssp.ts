// Single-source shortest paths over a CSR, reusing its arrays between sources. Unweighted: BFS in hops.
// Weighted: Dijkstra over the distance 1 / weight. `reverse` follows in-arcs, i.e. distances TO the
// source, which is what networkx's closeness and harmonic centrality use on directed graphs.
//
// Weighted path lengths are compared with igraph's tolerance (see PATH_EPSILON): a path only replaces the
// best known one when it is shorter by more than rounding, so every metric here agrees on which paths tie.
import type { CSR } from './csr.ts';
import { MinHeap } from './heap.ts';

/**
 * Relative tolerance under which two path lengths are equal: igraph's IGRAPH_SHORTEST_PATH_EPSILON, used as
 * igraph_cmp_epsilon does (|a - b| / (|a| + |b|) < 1e-10). Sums of reciprocal strengths in a different order
 * differ in the last bits; they are the same length.
 */
export const PATH_EPSILON = 1e-10;

export class ShortestPaths {
  readonly dist: Float64Array;
  /** Nodes reached by the last run, in order of distance; the first `count` entries are valid. */
  readonly order: Int32Array;
  count = 0;
  private readonly heap: MinHeap | null;
  private readonly done: Uint8Array;
  private readonly len: Float64Array | null;
  private readonly offsets: Int32Array;
  private readonly targets: Int32Array;

  constructor(
    readonly g: CSR,
    readonly weighted: boolean,
    readonly reverse = false,
  ) {
    this.dist = new Float64Array(g.n).fill(Infinity);
    this.order = new Int32Array(g.n);
    this.done = new Uint8Array(g.n);
    const rev = reverse && g.directed;
    this.offsets = rev ? g.inOffsets : g.offsets;
    this.targets = rev ? g.inTargets : g.targets;
    const ws = rev ? g.inWeights : g.weights;
    this.heap = weighted ? new MinHeap(this.targets.length + 1) : null;
    this.len = weighted ? ws.map((w) => 1 / w) : null;
  }

  /** Runs from `s`; returns the number of nodes reached (including s). `dist` is Infinity elsewhere. */
  run(s: number): number {
    const { dist, order, offsets, targets } = this;
    for (let i = 0; i < this.count; i++) dist[order[i]] = Infinity;
    let count = 0;
    dist[s] = 0;
    if (!this.heap || !this.len) {
      order[count++] = s;
      let head = 0;
      while (head < count) {
        const v = order[head++];
        const dv = dist[v] + 1;
        for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
          const w = targets[p];
          if (dist[w] === Infinity) {
            dist[w] = dv;
            order[count++] = w;
          }
        }
      }
    } else {
      const heap = this.heap;
      const len = this.len;
      heap.clear();
      heap.push(0, s);
      // Every node reached is eventually popped, so `order` lists all nodes whose state needs resetting.
      const done = this.done;
      while (heap.size > 0) {
        const v = heap.pop();
        if (done[v]) continue;
        done[v] = 1;
        order[count++] = v;
        const dv = dist[v];
        for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
          const w = targets[p];
          const nd = dv + len[p];
          const dw = dist[w];
          if (nd < dw && (dw === Infinity || dw - nd >= PATH_EPSILON * (nd + dw))) {
            dist[w] = nd;
            heap.push(nd, w);
          }
        }
      }
    }
    this.count = count;
    if (this.heap) for (let i = 0; i < count; i++) this.done[order[i]] = 0;
    return count;
  }
}

/** Progress and cancellation of a metric that runs one search per node. */
export interface SweepHooks {
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

/**
 * Scores every node u from the shortest paths that reach it (distances TO u, as networkx's closeness and
 * harmonic centrality use on directed graphs): `score` sees `sp.dist` and the first `reached` entries of
 * `sp.order`, u itself first at distance 0. Closeness and harmonic centrality differ only in the score.
 */
export function scoreByDistancesTo(
  g: CSR,
  weighted: boolean,
  name: string,
  hooks: SweepHooks,
  score: (sp: ShortestPaths, reached: number) => number,
): Float64Array {
  const out = new Float64Array(g.n);
  const sp = new ShortestPaths(g, weighted, true);
  for (let u = 0; u < g.n; u++) {
    if (u % 64 === 0) {
      if (hooks.isCancelled?.()) throw new Error(`${name}: cancelled`);
      hooks.onProgress?.(u, g.n);
    }
    out[u] = score(sp, sp.run(u));
  }
  return out;
}

/**
 * Dijkstra from one source that also counts shortest paths (sigma), under the PATH_EPSILON tie rule: the
 * forward pass of weighted betweenness. Exact betweenness (Brandes) runs it to the end and walks `order`
 * back; sampled betweenness (KADABRA) stops it once its target is settled (the stop hook `stopAt`) and walks
 * one path back. One kernel, so both count the same shortest paths. `reset` clears what the run touched.
 */
export class PathCountingDijkstra {
  readonly dist: Float64Array;
  readonly sigma: Float64Array;
  /** 1 for settled nodes. */
  readonly done: Uint8Array;
  /** Settled nodes in order of distance; the first `count` are valid. */
  readonly order: Int32Array;
  count = 0;
  /** Per arc, its distance 1 / weight. */
  readonly len: Float64Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  private readonly heap: MinHeap;

  constructor(readonly g: CSR) {
    const n = g.n;
    this.dist = new Float64Array(n).fill(Infinity);
    this.sigma = new Float64Array(n);
    this.done = new Uint8Array(n);
    this.order = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.heap = new MinHeap(g.targets.length + 1);
    this.len = new Float64Array(g.targets.length);
    for (let p = 0; p < this.len.length; p++) this.len[p] = 1 / g.weights[p];
  }

  /** Searches from `s` (state must be reset); stops after settling `stopAt` when it is >= 0. */
  run(s: number, stopAt = -1): number {
    const { dist, sigma, done, order, touched, heap, len } = this;
    const { offsets, targets } = this.g;
    let count = 0;
    let nTouched = 0;
    heap.clear();
    dist[s] = 0;
    sigma[s] = 1;
    touched[nTouched++] = s;
    heap.push(0, s);
    while (heap.size > 0) {
      const v = heap.pop();
      if (done[v]) continue;
      done[v] = 1;
      order[count++] = v;
      if (v === stopAt) break;
      const dv = dist[v];
      const sv = sigma[v];
      for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
        const w = targets[p];
        if (done[w]) continue;
        const vw = dv + len[p];
        const dw = dist[w];
        // igraph's rule: shorter only when shorter by a relative PATH_EPSILON; within it, a tie.
        if (dw === Infinity) {
          touched[nTouched++] = w;
          dist[w] = vw;
          sigma[w] = sv;
          heap.push(vw, w);
        } else if (Math.abs(vw - dw) < PATH_EPSILON * (vw + dw)) {
          sigma[w] += sv;
        } else if (vw < dw) {
          dist[w] = vw;
          sigma[w] = sv;
          heap.push(vw, w);
        }
      }
    }
    this.count = count;
    this.nTouched = nTouched;
    return count;
  }

  /** Clears every node the last run touched. */
  reset(): void {
    const { dist, sigma, done, touched } = this;
    for (let i = 0; i < this.nTouched; i++) {
      const v = touched[i];
      dist[v] = Infinity;
      sigma[v] = 0;
      done[v] = 0;
    }
    this.nTouched = 0;
    this.count = 0;
  }
}
