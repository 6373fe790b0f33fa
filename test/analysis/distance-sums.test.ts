// The batched BFS behind unweighted closeness and harmonic centrality against one plain BFS per node, on
// graphs that cross batch boundaries (more than 32 sources), have several components, and are directed.
import { describe, expect, it } from 'vitest';
import { closeness } from '../../server/analysis/closeness.ts';
import { sampledCloseness } from '../../server/analysis/closeness-sampled.ts';
import { buildCSR, type CSR } from '../../server/analysis/csr.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { distanceSums } from '../../server/analysis/distance-sums.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { ShortestPaths } from '../../server/analysis/sssp.ts';

function randomGraph(n: number, m: number, directed: boolean, seed: number): CSR {
  const rng = mulberry32(seed);
  const us: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < m; i++) {
    // Nodes 0..n/2 and n/2..n never meet: two components at least.
    const half = rng() < 0.5 ? 0 : Math.floor(n / 2);
    const span = half === 0 ? Math.floor(n / 2) : n - half;
    us.push(half + Math.floor(rng() * span));
    vs.push(half + Math.floor(rng() * span));
  }
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  return buildCSR(ids, us, vs, null, directed);
}

describe('distanceSums (multi-source BFS)', () => {
  for (const [directed, seed] of [
    [false, 1],
    [true, 2],
    [true, 3],
  ] as const) {
    it(`equals one BFS per node (${directed ? 'directed' : 'undirected'}, seed ${seed})`, () => {
      const g = randomGraph(151, 260, directed, seed);
      for (const reverse of [false, true]) {
        const d = distanceSums(g, reverse);
        const sp = new ShortestPaths(g, false, reverse);
        for (let u = 0; u < g.n; u++) {
          const r = sp.run(u);
          let total = 0;
          let inverse = 0;
          for (let i = 1; i < r; i++) {
            total += sp.dist[sp.order[i]];
            inverse += 1 / sp.dist[sp.order[i]];
          }
          expect(d.reached[u]).toBe(r);
          expect(d.total[u]).toBe(total);
          expect(d.inverse[u]).toBeCloseTo(inverse, 12);
        }
      }
    });
  }

  it('sums for a chosen subset of sources only, in their order', () => {
    const g = randomGraph(90, 200, true, 4);
    const all = distanceSums(g, false);
    const some = Int32Array.from([77, 3, 40, 3 + 32, 89]);
    const d = distanceSums(g, false, {}, some);
    some.forEach((s, i) => {
      expect(d.reached[i]).toBe(all.reached[s]);
      expect(d.total[i]).toBe(all.total[s]);
    });
  });
});

describe('sampled closeness', () => {
  it('stays within its stated bound of exact closeness, for two seeds; with every source it is exact', () => {
    const e = communityGraph({ n: 3000, meanDegree: 8, seed: 5 });
    const g = buildCSR(
      Array.from({ length: e.n }, (_, i) => `n${i}`),
      e.us,
      e.vs,
      e.ws,
      false,
    );
    const exact = closeness(g);
    for (const seed of [1, 2]) {
      const r = sampledCloseness(g, { samples: 512, seed });
      expect(r.bound.samples).toBe(512);
      expect(r.bound.epsilon).toBeGreaterThan(0);
      expect(r.bound.epsilon).toBeLessThan(0.2);
      let worst = 0;
      for (let v = 0; v < g.n; v++) worst = Math.max(worst, Math.abs(r.scores[v] - exact[v]));
      expect(worst).toBeLessThanOrEqual(r.bound.epsilon);
    }
    // Every source sampled: the estimate is the exact value.
    const all = sampledCloseness(g, { samples: g.n });
    for (let v = 0; v < g.n; v++) expect(all.scores[v]).toBeCloseTo(exact[v], 12);
  });
});
