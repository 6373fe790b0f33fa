// Harmonic centrality as networkx computes it (`harmonic_centrality`, not normalised): for node u, the sum
// of 1 / d(v, u) over every other node v that can reach u. Unreachable nodes add nothing, so it stays
// meaningful on disconnected graphs. Weighted: distance 1 / weight.
import type { CSR } from './csr.ts';
import { ShortestPaths } from './sssp.ts';

export interface HarmonicOptions {
  weighted?: boolean;
  /** Divide by n - 1 (networkx does not). Default false. */
  normalized?: boolean;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}
export const HARMONIC_DEFAULTS = { weighted: false, normalized: false };

export function harmonic(g: CSR, options: HarmonicOptions = {}): Float64Array {
  const o = { ...HARMONIC_DEFAULTS, ...options };
  const out = new Float64Array(g.n);
  const sp = new ShortestPaths(g, o.weighted, true);
  for (let u = 0; u < g.n; u++) {
    if (u % 64 === 0) {
      if (o.isCancelled?.()) throw new Error('harmonic: cancelled');
      o.onProgress?.(u, g.n);
    }
    const r = sp.run(u);
    let h = 0;
    for (let i = 1; i < r; i++) h += 1 / sp.dist[sp.order[i]];
    out[u] = o.normalized && g.n > 1 ? h / (g.n - 1) : h;
  }
  return out;
}
