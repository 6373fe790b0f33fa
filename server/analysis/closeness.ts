// Closeness centrality with networkx's definition (`closeness_centrality`): for node u,
// (r - 1) / (sum of distances from the r - 1 other nodes that can reach u), and with the Wasserman-Faust
// improvement (default, as in networkx) multiplied by (r - 1) / (n - 1) so that nodes in small components
// do not score as if they were central. Directed graphs use distances TO u (incoming paths).
// Weighted: distance 1 / weight per link.
import type { CSR } from './csr.ts';
import { ShortestPaths } from './sssp.ts';

export interface ClosenessOptions {
  weighted?: boolean;
  /** Wasserman and Faust's scaling for disconnected graphs. Default true (networkx's default). */
  wfImproved?: boolean;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}
export const CLOSENESS_DEFAULTS = { weighted: false, wfImproved: true };

export function closeness(g: CSR, options: ClosenessOptions = {}): Float64Array {
  const o = { ...CLOSENESS_DEFAULTS, ...options };
  const out = new Float64Array(g.n);
  const sp = new ShortestPaths(g, o.weighted, true);
  for (let u = 0; u < g.n; u++) {
    if (u % 64 === 0) {
      if (o.isCancelled?.()) throw new Error('closeness: cancelled');
      o.onProgress?.(u, g.n);
    }
    const r = sp.run(u);
    let total = 0;
    for (let i = 0; i < r; i++) total += sp.dist[sp.order[i]];
    if (total > 0 && g.n > 1) {
      let c = (r - 1) / total;
      if (o.wfImproved) c *= (r - 1) / (g.n - 1);
      out[u] = c;
    }
  }
  return out;
}
