// Harmonic centrality as networkx computes it (`harmonic_centrality`, not normalised): for node u, the sum
// of 1 / d(v, u) over every other node v that can reach u. Unreachable nodes add nothing, so it stays
// meaningful on disconnected graphs. Weighted: distance 1 / weight.
import type { CSR } from './csr.ts';
import { distanceSums } from './distance-sums.ts';
import { scoreByDistancesTo, type SweepHooks } from './sssp.ts';

export interface HarmonicOptions extends SweepHooks {
  weighted?: boolean;
  /** Divide by n - 1 (networkx does not). Default false. */
  normalized?: boolean;
}
export const HARMONIC_DEFAULTS = { weighted: false, normalized: false };

export function harmonic(g: CSR, options: HarmonicOptions = {}): Float64Array {
  const o = { ...HARMONIC_DEFAULTS, ...options };
  const scale = o.normalized && g.n > 1 ? 1 / (g.n - 1) : 1;
  if (!o.weighted) {
    const d = distanceSums(g, true, { ...o, name: 'harmonic' });
    return d.inverse.map((h) => (scale === 1 ? h : h / (g.n - 1)));
  }
  return scoreByDistancesTo(g, true, 'harmonic', o, (sp, r) => {
    let h = 0;
    for (let i = 1; i < r; i++) h += 1 / sp.dist[sp.order[i]];
    return scale === 1 ? h : h / (g.n - 1);
  });
}
