// Newman-Girvan modularity of a partition, networkx's definition (`community.modularity`) for undirected
// graphs: Q = sum over communities c of [ L_c / m - resolution * (d_c / 2m)^2 ], where L_c is the weight
// inside c, d_c the summed strength of its nodes and m the total weight. Direction is ignored.
import type { CSR } from './csr.ts';
import { undirectedCSR } from './csr.ts';

export interface ModularityOptions {
  weighted?: boolean;
  resolution?: number;
}
export const MODULARITY_DEFAULTS = { weighted: true, resolution: 1 };

export function modularity(graph: CSR, labels: ArrayLike<number>, options: ModularityOptions = {}): number {
  const o = { ...MODULARITY_DEFAULTS, ...options };
  const g = undirectedCSR(graph);
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const inside = new Float64Array(k);
  const tot = new Float64Array(k);
  let m = 0;
  for (let e = 0; e < g.m; e++) {
    const w = o.weighted ? g.edgeW[e] : 1;
    m += w;
    const a = labels[g.edgeU[e]];
    const b = labels[g.edgeV[e]];
    tot[a] += w;
    tot[b] += w;
    if (a === b) inside[a] += w;
  }
  if (m === 0) return 0;
  let q = 0;
  for (let c = 0; c < k; c++) q += inside[c] / m - o.resolution * (tot[c] / (2 * m)) ** 2;
  return q;
}
