// Closeness centrality with networkx's definition (`closeness_centrality`): for node u,
// (r - 1) / (sum of distances from the r - 1 other nodes that can reach u), and with the Wasserman-Faust
// improvement (default, as in networkx) multiplied by (r - 1) / (n - 1) so that nodes in small components
// do not score as if they were central. Directed graphs use distances TO u (incoming paths).
// Weighted: distance 1 / weight per link.
import type { CSR } from './csr.ts';
import { distanceSums } from './distance-sums.ts';
import { scoreByDistancesTo, type SweepHooks } from './sssp.ts';

export interface ClosenessOptions extends SweepHooks {
  weighted?: boolean;
  /** Wasserman and Faust's scaling for disconnected graphs. Default true (networkx's default). */
  wfImproved?: boolean;
}
export const CLOSENESS_DEFAULTS = { weighted: false, wfImproved: true };

export function closeness(g: CSR, options: ClosenessOptions = {}): Float64Array {
  const o = { ...CLOSENESS_DEFAULTS, ...options };
  const score = (r: number, total: number): number => {
    if (!(total > 0 && g.n > 1)) return 0;
    const c = (r - 1) / total;
    return o.wfImproved ? c * ((r - 1) / (g.n - 1)) : c;
  };
  if (!o.weighted) {
    const d = distanceSums(g, true, { ...o, name: 'closeness' });
    const out = new Float64Array(g.n);
    for (let u = 0; u < g.n; u++) out[u] = score(d.reached[u], d.total[u]);
    return out;
  }
  return scoreByDistancesTo(g, true, 'closeness', o, (sp, r) => {
    let total = 0;
    for (let i = 0; i < r; i++) total += sp.dist[sp.order[i]];
    return score(r, total);
  });
}
