// Hop-distance sums for every node at once, by multi-source BFS (Then et al., "The More the Merrier",
// VLDB 2014): 32 sources travel together as the bits of one Int32 per node, so one sweep over a node's
// arcs advances all of them. On small-world networks (diameter ~6-10) a batch costs a few sweeps over the
// graph instead of 32, which is what puts unweighted closeness and harmonic centrality ahead of igraph's
// one-BFS-per-node C loop. The arithmetic is exact: distances are whole hops and their sums are integers.
import type { CSR } from './csr.ts';
import type { SweepHooks } from './sssp.ts';

export interface DistanceSums {
  /** Nodes reached from (or, with `reverse`, reaching) each node, itself included. */
  reached: Int32Array;
  /** Sum of hop distances over the nodes reached. */
  total: Float64Array;
  /** Sum of 1 / distance over the nodes reached (itself excluded). */
  inverse: Float64Array;
}

const BITS = 32;

/**
 * Runs the batched BFS from `sources` over out-arcs (or in-arcs with `reverse`). After each level,
 * `onLevel` sees the nodes first reached at that level (`list[0..count)`) and, per node, the batch's bits
 * that reached it (`mask`); bit i is sources[batch + i].
 */
function multiSourceBfs(
  g: CSR,
  reverse: boolean,
  sources: Int32Array | null,
  hooks: SweepHooks & { name?: string },
  onLevel: (list: Int32Array, count: number, mask: Int32Array, level: number, batch: number) => void,
): void {
  const n = g.n;
  const rev = reverse && g.directed;
  const offsets = rev ? g.inOffsets : g.offsets;
  const targets = rev ? g.inTargets : g.targets;
  const count = sources ? sources.length : n;
  // seen[v]: the batch's sources that have reached v; frontier/next: those that reached v at the current
  // and the next level. The lists hold the nodes whose frontier/next word is non-zero.
  const seen = new Int32Array(n);
  let frontier = new Int32Array(n);
  let next = new Int32Array(n);
  let frontierList = new Int32Array(n);
  let nextList = new Int32Array(n);
  const touchedList = new Int32Array(n);
  for (let b0 = 0; b0 < count; b0 += BITS) {
    if (hooks.isCancelled?.()) throw new Error(`${hooks.name ?? 'distances'}: cancelled`);
    hooks.onProgress?.(b0, count);
    const width = Math.min(BITS, count - b0);
    let nf = 0;
    let nTouched = 0;
    for (let i = 0; i < width; i++) {
      const s = sources ? sources[b0 + i] : b0 + i;
      const bit = 1 << i;
      if (seen[s] === 0) touchedList[nTouched++] = s;
      if (frontier[s] === 0) frontierList[nf++] = s;
      seen[s] |= bit;
      frontier[s] |= bit;
    }
    for (let level = 1; nf > 0; level++) {
      let nn = 0;
      for (let i = 0; i < nf; i++) {
        const v = frontierList[i];
        const f = frontier[v];
        frontier[v] = 0;
        for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
          const w = targets[p];
          const sw = seen[w];
          const nb = f & ~sw;
          if (nb !== 0) {
            // Every bit set here reaches w for the first time at this level, so `seen` can take it now.
            if (sw === 0) touchedList[nTouched++] = w;
            if (next[w] === 0) nextList[nn++] = w;
            next[w] |= nb;
            seen[w] = sw | nb;
          }
        }
      }
      onLevel(nextList, nn, next, level, b0);
      [frontier, next] = [next, frontier];
      [frontierList, nextList] = [nextList, frontierList];
      nf = nn;
    }
    for (let i = 0; i < nTouched; i++) seen[touchedList[i]] = 0;
  }
  hooks.onProgress?.(count, count);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * For each source u in `sources` (default all nodes), BFS sums over the graph's out-arcs, or its in-arcs
 * with `reverse` (distances TO u, which networkx's closeness uses on directed graphs). Entry i of each
 * result array belongs to sources[i].
 */
export function distanceSums(
  g: CSR,
  reverse: boolean,
  hooks: SweepHooks & { name?: string } = {},
  sources: Int32Array | null = null,
): DistanceSums {
  const count = sources ? sources.length : g.n;
  const reached = new Int32Array(count).fill(1);
  const total = new Float64Array(count);
  const inverse = new Float64Array(count);
  const levelCount = new Int32Array(BITS);
  multiSourceBfs(g, reverse, sources, hooks, (list, nn, mask, level, b0) => {
    for (let i = 0; i < nn; i++) {
      let bits = mask[list[i]];
      while (bits !== 0) {
        const low = bits & -bits;
        levelCount[31 - Math.clz32(low)]++;
        bits ^= low;
      }
    }
    for (let i = 0; i < BITS; i++) {
      const c = levelCount[i];
      if (c === 0) continue;
      reached[b0 + i] += c;
      total[b0 + i] += c * level;
      inverse[b0 + i] += c / level;
      levelCount[i] = 0;
    }
  });
  return { reached, total, inverse };
}

/**
 * The other way round: for every node v, how many of `sources` reach it (over out-arcs: the paths run
 * source to v) and the sum of those distances. Sampled closeness reads these.
 */
export function distanceSumsFromSources(
  g: CSR,
  sources: Int32Array,
  hooks: SweepHooks & { name?: string } = {},
): { reachedBy: Int32Array; total: Float64Array; farthest: number } {
  const reachedBy = new Int32Array(g.n);
  const total = new Float64Array(g.n);
  let farthest = 0;
  multiSourceBfs(g, false, sources, hooks, (list, nn, mask, level) => {
    if (nn > 0) farthest = level;
    for (let i = 0; i < nn; i++) {
      const v = list[i];
      const c = popcount(mask[v]);
      reachedBy[v] += c;
      total[v] += c * level;
    }
  });
  return { reachedBy, total, farthest };
}
