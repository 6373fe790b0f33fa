// Eigenvector centrality by power iteration on (A + I), exactly networkx's `eigenvector_centrality`
// scheme (the identity shift makes it converge on bipartite graphs too), normalised to unit Euclidean
// length. On directed graphs a node is central when central nodes point TO it (in-edges), as in networkx.
// Weighted: link strength multiplies the neighbour's contribution.
import type { CSR } from './csr.ts';

export interface EigenvectorOptions {
  weighted?: boolean;
  maxIterations?: number;
  /** Stop when the summed absolute change is below n * tolerance (networkx's rule). */
  tolerance?: number;
}
export const EIGENVECTOR_DEFAULTS = { weighted: false, maxIterations: 10_000, tolerance: 1e-12 };

export class EigenvectorConvergenceError extends Error {
  constructor(iterations: number) {
    super(`eigenvector: power iteration did not converge in ${iterations} iterations`);
    this.name = 'EigenvectorConvergenceError';
  }
}

export function eigenvector(g: CSR, options: EigenvectorOptions = {}): Float64Array {
  const o = { ...EIGENVECTOR_DEFAULTS, ...options };
  const n = g.n;
  // An empty graph has nothing to rank: an empty result, not a power iteration that cannot converge.
  if (n === 0) return new Float64Array(0);
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const { offsets, targets, weights } = g;
  for (let it = 0; it < o.maxIterations; it++) {
    next.set(x);
    for (let v = 0; v < n; v++) {
      const xv = x[v];
      if (xv === 0) continue;
      for (let p = offsets[v]; p < offsets[v + 1]; p++) next[targets[p]] += o.weighted ? xv * weights[p] : xv;
    }
    let norm = 0;
    for (let v = 0; v < n; v++) norm += next[v] * next[v];
    norm = Math.sqrt(norm) || 1;
    let change = 0;
    for (let v = 0; v < n; v++) {
      next[v] /= norm;
      change += Math.abs(next[v] - x[v]);
    }
    [x, next] = [next, x];
    if (change < n * o.tolerance) return x;
  }
  throw new EigenvectorConvergenceError(o.maxIterations);
}
