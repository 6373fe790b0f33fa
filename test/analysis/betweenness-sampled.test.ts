// Bounded-error betweenness (KADABRA) against the exact kernel, which matches networkx (reference.test.ts):
// on 10k-node generated networks every sampled score, and so the top 100, must lie within the bound the
// result states, for several seeds; weighted and directed graphs too; and the top-k variant stops early.
import { describe, expect, it } from 'vitest';
import { betweenness } from '../../server/analysis/betweenness.ts';
import {
  SAMPLED_RANKING_DEFAULTS,
  sampledBetweenness,
  vertexDiameterBound,
  vertexDiameterSamples,
} from '../../server/analysis/betweenness-sampled.ts';
import { buildCSR, type CSR } from '../../server/analysis/csr.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { parallelBetweenness } from '../../server/jobs/parallel-betweenness.ts';
import { parallelSampledBetweenness } from '../../server/jobs/parallel-sampled-betweenness.ts';

function generated(n: number, meanDegree: number, seed: number, directed = false): CSR {
  const e = communityGraph({ n, meanDegree, seed });
  return buildCSR(
    Array.from({ length: n }, (_, i) => `n${i}`),
    e.us,
    e.vs,
    e.ws,
    directed,
  );
}

function top(scores: Float64Array, k: number): number[] {
  return Array.from(scores.keys())
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

/** Every score within epsilon, and each top-k list only holds nodes the other ranks near its own top k. */
function expectWithinBound(exact: Float64Array, approx: Float64Array, epsilon: number, k = 100): void {
  let worst = 0;
  for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(exact[i] - approx[i]));
  expect(worst).toBeLessThanOrEqual(epsilon);
  const exactTop = top(exact, k);
  const approxTop = top(approx, k);
  const exactKth = exact[exactTop[k - 1]];
  const approxKth = approx[approxTop[k - 1]];
  for (const v of approxTop) expect(exact[v]).toBeGreaterThanOrEqual(exactKth - 2 * epsilon);
  for (const v of exactTop) expect(approx[v]).toBeGreaterThanOrEqual(approxKth - 2 * epsilon);
}

/** The 10k-node network and its exact betweenness, computed once for the tests that need them. */
let tenK: Promise<{ g: CSR; exact: Float64Array }> | null = null;
function tenThousand(): Promise<{ g: CSR; exact: Float64Array }> {
  const g = generated(10_000, 4, 7);
  tenK ??= parallelBetweenness(g, { threads: 2 }).then((exact) => ({ g, exact }));
  return tenK;
}

describe('sampled betweenness with a stated bound', () => {
  it('on a 10k-node network agrees with exact betweenness within its bound, for several seeds', async () => {
    const { g, exact } = await tenThousand();
    const seen = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const r = sampledBetweenness(g, { epsilon: 0.004, delta: 0.01, seed });
      expect(r.bound.epsilon).toBeLessThanOrEqual(0.004);
      expect(r.bound.delta).toBe(0.01);
      expect(r.bound.stoppedBy).toBe('adaptive');
      expect(r.bound.samples).toBeGreaterThan(0);
      expect(r.bound.samples).toBeLessThan(
        vertexDiameterSamples(vertexDiameterBound(g, false), 0.004, 0.005),
      );
      expectWithinBound(exact, r.scores, r.bound.epsilon);
      seen.add(top(r.scores, 100).join());
    }
    // Over two worker threads (what the job runs): the same rule, within its bound, repeatable.
    const par = await parallelSampledBetweenness(g, { epsilon: 0.004, delta: 0.01, seed: 1, threads: 2 });
    expect(par.bound.epsilon).toBeLessThanOrEqual(0.004);
    expectWithinBound(exact, par.scores, par.bound.epsilon);
    seen.add(top(par.scores, 100).join());
    const parAgain = await parallelSampledBetweenness(g, {
      epsilon: 0.004,
      delta: 0.01,
      seed: 1,
      threads: 2,
    });
    expect(Array.from(parAgain.scores)).toEqual(Array.from(par.scores));
    // Different seeds sample differently (the test is not comparing one run four times).
    expect(seen.size).toBe(4);
    // The same seed repeats exactly.
    const again = sampledBetweenness(g, { epsilon: 0.004, delta: 0.01, seed: 2 });
    expect(top(again.scores, 100).join()).toBe(
      top(sampledBetweenness(g, { epsilon: 0.004, delta: 0.01, seed: 2 }).scores, 100).join(),
    );
  }, 600_000);

  it('the ranking past the exact limit (top 100): the set agrees with exact betweenness within the bound it states, for several seeds', async () => {
    const { g, exact } = await tenThousand();
    const seen = new Set<string>();
    for (const [seed, maxSamples] of [
      [1, SAMPLED_RANKING_DEFAULTS.maxSamples],
      [2, SAMPLED_RANKING_DEFAULTS.maxSamples],
      [3, SAMPLED_RANKING_DEFAULTS.maxSamples],
      // A cap the run reaches: it stops there and states the bound it reached.
      [4, 4000],
    ]) {
      // Without the time budget, so the run is the same whatever the machine's load.
      const r = sampledBetweenness(g, { ...SAMPLED_RANKING_DEFAULTS, budgetMs: null, maxSamples, seed });
      const b = r.bound;
      expect(b.topK).toBe(100);
      expect(b.samples).toBeLessThanOrEqual(maxSamples);
      if (maxSamples === 4000) expect(b.stoppedBy).toBe('sampleCap');
      else expect(['topKSeparated', 'topKRelative', 'adaptive', 'sampleCap']).toContain(b.stoppedBy);
      expect(b.explanation).toMatch(/^Top 100 from \d+ sampled shortest paths: /);
      // Every score within the absolute bound.
      let worst = 0;
      for (let i = 0; i < g.n; i++) worst = Math.max(worst, Math.abs(exact[i] - r.scores[i]));
      expect(worst).toBeLessThanOrEqual(b.epsilon);
      const k = 100;
      const approxTop = top(r.scores, k);
      const inTop = new Set(approxTop);
      const kth = r.scores[approxTop[k - 1]];
      const rho = b.topKRelative!;
      expect(rho).toBeGreaterThan(0);
      if (b.stoppedBy === 'topKRelative') expect(rho).toBeLessThanOrEqual(0.1);
      // Each of the top k within ±rho of its own score.
      for (const v of approxTop)
        expect(Math.abs(exact[v] - r.scores[v])).toBeLessThanOrEqual(rho * r.scores[v]);
      // The set: nothing left out scores above the k-th's upper bound, nothing kept below its lower bound.
      for (let v = 0; v < g.n; v++) {
        if (inTop.has(v)) expect(exact[v]).toBeGreaterThanOrEqual((1 - rho) * kth);
        else expect(exact[v]).toBeLessThanOrEqual((1 + rho) * kth);
      }
      // The ones it calls certain are in the exact top k.
      const exactTop = new Set(top(exact, k));
      for (const v of approxTop.slice(0, b.topKCertain!)) expect(exactTop.has(v)).toBe(true);
      seen.add(approxTop.join());
    }
    expect(seen.size).toBe(4);
  }, 600_000);

  it('a time budget ends the run with the bound it reached, which holds (one thread and two workers)', async () => {
    const { g, exact } = await tenThousand();
    for (const [seed, threads] of [
      [5, 1],
      [6, 2],
    ]) {
      const budgetMs = 400;
      const r = await parallelSampledBetweenness(g, {
        ...SAMPLED_RANKING_DEFAULTS,
        maxSamples: 10_000_000,
        budgetMs,
        seed,
        threads,
      });
      const b = r.bound;
      expect(b.stoppedBy).toBe('timeBudget');
      expect(b.budgetMs).toBe(budgetMs);
      expect(b.samples).toBeGreaterThan(0);
      expect(b.explanation).toMatch(/stopped at its time budget of 0.4 s/);
      expect(b.explanation).toMatch(/of the top 100 are certain|the top 100 are certain/);
      // The bound it states is the one reached: every score within it, the certain ones in the exact top 100.
      let worst = 0;
      for (let i = 0; i < g.n; i++) worst = Math.max(worst, Math.abs(exact[i] - r.scores[i]));
      expect(worst).toBeLessThanOrEqual(b.epsilon);
      const exactTop = new Set(top(exact, 100));
      for (const v of top(r.scores, 100).slice(0, b.topKCertain!)) expect(exactTop.has(v)).toBe(true);
    }
    expect(() => sampledBetweenness(generated(50, 3, 1), { budgetMs: 0 })).toThrow(/budgetMs/);
  }, 600_000);

  it('top-k: stops once the best k are set apart, with fewer samples, and they are the exact best k', () => {
    // A star of stars: ten hubs carry nearly every path, so the top 10 separate early.
    const us: number[] = [];
    const vs: number[] = [];
    const hubs = 10;
    const leaves = 300;
    for (let h = 0; h < hubs; h++) {
      if (h > 0) {
        us.push(0);
        vs.push(h);
      }
      for (let l = 0; l < leaves; l++) {
        us.push(h);
        vs.push(hubs + h * leaves + l);
      }
    }
    const n = hubs + hubs * leaves;
    const g = buildCSR(
      Array.from({ length: n }, (_, i) => `n${i}`),
      us,
      vs,
      null,
      false,
    );
    const full = sampledBetweenness(g, { epsilon: 0.01, seed: 5 });
    const topK = sampledBetweenness(g, { epsilon: 0.01, seed: 5, topK: 10 });
    expect(topK.bound.stoppedBy).toBe('topKSeparated');
    expect(topK.bound.samples).toBeLessThan(full.bound.samples);
    const exact = betweenness(g);
    expect(new Set(top(topK.scores, 10))).toEqual(new Set(top(exact, 10)));
    expectWithinBound(exact, topK.scores, topK.bound.epsilon, 10);
  });

  it('weighted (distance 1/strength, the exact kernel tie rule) and directed graphs stay within the bound', () => {
    const w = generated(800, 6, 11);
    const rw = sampledBetweenness(w, { weighted: true, epsilon: 0.02, seed: 4 });
    expectWithinBound(betweenness(w, { weighted: true }), rw.scores, rw.bound.epsilon, 50);
    const rng = mulberry32(9);
    const us: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < 6000; i++) {
      us.push(Math.floor(rng() * 1500));
      vs.push(Math.floor(rng() * 1500));
    }
    const d = buildCSR(
      Array.from({ length: 1500 }, (_, i) => `n${i}`),
      us,
      vs,
      null,
      true,
    );
    const rd = sampledBetweenness(d, { epsilon: 0.01, seed: 8 });
    expectWithinBound(betweenness(d), rd.scores, rd.bound.epsilon, 50);
  }, 300_000);

  it('states an exact zero when no path has a middle, and refuses a meaningless bound', () => {
    const g = buildCSR(['a', 'b', 'c', 'd'], [0, 2], [1, 3], null, false);
    const r = sampledBetweenness(g);
    expect(r.bound).toMatchObject({ epsilon: 0, samples: 0, stoppedBy: 'trivial' });
    expect(Array.from(r.scores)).toEqual([0, 0, 0, 0]);
    expect(() => sampledBetweenness(g, { epsilon: 0 })).toThrow(/epsilon/);
    expect(() => sampledBetweenness(g, { delta: 1 })).toThrow(/delta/);
  });

  it('bounds the vertex diameter from above', () => {
    // A path of 7 nodes: 7 nodes on its longest shortest path.
    const path = buildCSR(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      [0, 1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5, 6],
      null,
      false,
    );
    expect(vertexDiameterBound(path, false)).toBeGreaterThanOrEqual(7);
    expect(vertexDiameterBound(path, false)).toBeLessThanOrEqual(7);
  });
});
