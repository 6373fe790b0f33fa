// Brokers: nodes whose neighbours sit in several communities (Louvain by default), the people through
// whom one group reaches another. For each node:
// - communities: how many distinct communities its neighbours (and itself) span, minus one (0 = none bridged)
// - external: share of its link strength that goes to other communities
// - score: neighbour pairs that sit in DIFFERENT communities, (d^2 - sum_c d_c^2) / 2 where d_c counts
//   neighbours in community c: the brokerage opportunities between groups it is placed to mediate.
import type { CSR } from './csr.ts';
import { undirectedCSR } from './csr.ts';

export interface BrokerScores {
  communities: Int32Array;
  external: Float64Array;
  score: Float64Array;
}

export function brokers(graph: CSR, labels: ArrayLike<number>): BrokerScores {
  const g = undirectedCSR(graph);
  const n = g.n;
  let k = 0;
  for (let i = 0; i < n; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const count = new Float64Array(k);
  const touched: number[] = [];
  const communities = new Int32Array(n);
  const external = new Float64Array(n);
  const score = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    touched.length = 0;
    let d = 0;
    let ext = 0;
    let total = 0;
    const own = labels[v];
    for (let p = g.offsets[v]; p < g.offsets[v + 1]; p++) {
      const c = labels[g.targets[p]];
      if (count[c] === 0) touched.push(c);
      count[c]++;
      d++;
      total += g.weights[p];
      if (c !== own) ext += g.weights[p];
    }
    let sq = 0;
    let others = 0;
    for (const c of touched) {
      sq += count[c] * count[c];
      if (c !== own) others++;
      count[c] = 0;
    }
    communities[v] = others;
    external[v] = total > 0 ? ext / total : 0;
    score[v] = (d * d - sq) / 2;
  }
  return { communities, external, score };
}
