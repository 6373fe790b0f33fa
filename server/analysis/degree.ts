// Degree and weighted degree (strength). On directed graphs `mode` picks in-, out- or total degree
// (networkx's `G.degree` is in + out). `normalized` divides plain degree by n - 1 (networkx's
// degree_centrality); it is ignored for weighted degree, which is a sum of strengths.
import type { CSR } from './csr.ts';

export interface DegreeOptions {
  weighted?: boolean;
  mode?: 'all' | 'in' | 'out';
  normalized?: boolean;
}
export const DEGREE_DEFAULTS = { weighted: false, mode: 'all' as 'all' | 'in' | 'out', normalized: false };

export function degree(g: CSR, options: DegreeOptions = {}): Float64Array {
  const o = { ...DEGREE_DEFAULTS, ...options };
  const out = new Float64Array(g.n);
  const n = g.n;
  // Two plain loops rather than one with a branch per node: at a million nodes this is memory-bound.
  const add = (offsets: Int32Array, weights: Float64Array) => {
    if (!o.weighted) {
      for (let v = 0; v < n; v++) out[v] += offsets[v + 1] - offsets[v];
      return;
    }
    for (let v = 0; v < n; v++) {
      let s = 0;
      for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) s += weights[p];
      out[v] += s;
    }
  };
  if (!g.directed) add(g.offsets, g.weights);
  else {
    if (o.mode !== 'in') add(g.offsets, g.weights);
    if (o.mode !== 'out') add(g.inOffsets, g.inWeights);
  }
  if (o.normalized && !o.weighted && g.n > 1) for (let v = 0; v < g.n; v++) out[v] /= g.n - 1;
  return out;
}
