// Articulation points, bridges and the connectivity each node's removal would cost, from one iterative
// Tarjan depth-first search (no recursion, so deep chains do not overflow the stack). Direction is ignored.
import type { CSR } from './csr.ts';
import { undirectedCSR } from './csr.ts';

export interface CutStructure {
  /** 1 where the node is an articulation point (its removal disconnects its component). */
  articulation: Uint8Array;
  /** Bridges as [u, v] node-index pairs with u < v, sorted. */
  bridges: Array<[number, number]>;
  /**
   * Per node: connected (unordered) pairs of OTHER nodes that its removal disconnects, plus the pairs it was
   * itself part of. Pairwise connectivity after removing v = before - pairsLost[v].
   */
  pairsLost: Float64Array;
}

const pairs = (s: number) => (s * (s - 1)) / 2;

export function cutStructure(graph: CSR, removed: Uint8Array | null = null): CutStructure {
  const g = undirectedCSR(graph);
  const n = g.n;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const size = new Int32Array(n);
  const parentArc = new Int32Array(n).fill(-1);
  const arcPtr = new Int32Array(n);
  const stack = new Int32Array(n);
  const articulation = new Uint8Array(n);
  const bridges: Array<[number, number]> = [];
  const pairsLost = new Float64Array(n);
  // Per node, the sum of sizes of child subtrees cut off by removing it, and sum of their pairs.
  const cutSizes = new Float64Array(n);
  const cutPairs = new Float64Array(n);
  let time = 0;
  const order: number[] = [];
  for (let root = 0; root < n; root++) {
    if (disc[root] >= 0 || (removed && removed[root])) continue;
    order.length = 0;
    let top = 0;
    stack[top++] = root;
    disc[root] = low[root] = time++;
    arcPtr[root] = g.offsets[root];
    size[root] = 1;
    let rootChildren = 0;
    order.push(root);
    while (top > 0) {
      const v = stack[top - 1];
      if (arcPtr[v] < g.offsets[v + 1]) {
        const p = arcPtr[v]++;
        const w = g.targets[p];
        if (removed && removed[w]) continue;
        if (disc[w] < 0) {
          disc[w] = low[w] = time++;
          parentArc[w] = p;
          arcPtr[w] = g.offsets[w];
          size[w] = 1;
          stack[top++] = w;
          order.push(w);
          if (v === root) rootChildren++;
        } else if (g.arcEdge[p] !== (parentArc[v] >= 0 ? g.arcEdge[parentArc[v]] : -1)) {
          if (disc[w] < low[v]) low[v] = disc[w];
        }
      } else {
        top--;
        if (top > 0) {
          const u = stack[top - 1];
          size[u] += size[v];
          if (low[v] < low[u]) low[u] = low[v];
          if (low[v] >= disc[u]) {
            if (u !== root) articulation[u] = 1;
            cutSizes[u] += size[v];
            cutPairs[u] += pairs(size[v]);
          }
          if (low[v] > disc[u]) bridges.push(u < v ? [u, v] : [v, u]);
        }
      }
    }
    if (rootChildren > 1) articulation[root] = 1;
    const compSize = size[root];
    for (const v of order) {
      const rest = compSize - 1 - cutSizes[v];
      pairsLost[v] = pairs(compSize) - cutPairs[v] - pairs(rest);
    }
  }
  bridges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { articulation, bridges, pairsLost };
}

export function articulationPoints(g: CSR): number[] {
  const { articulation } = cutStructure(g);
  const out: number[] = [];
  for (let v = 0; v < g.n; v++) if (articulation[v]) out.push(v);
  return out;
}

export function bridges(g: CSR): Array<[number, number]> {
  return cutStructure(g).bridges;
}
