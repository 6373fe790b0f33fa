// Key players (server/analysis/keyplayer.ts): the measures against networkx, and the search against an
// exact enumeration on every network in ../shared/datasets under 120 nodes (all but the 'Ndrangheta two-mode
// file, 203 nodes). Expected values: test/reference/expected/keyplayer.json (generate_expectations.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../../server/analysis/components.ts';
import { buildCSR, fromPlainGraph, undirectedCSR, type CSR } from '../../server/analysis/csr.ts';
import { cutStructure } from '../../server/analysis/cut.ts';
import {
  distanceFragmentation,
  distanceReach,
  fragmentation,
  keyPlayerNeg,
  keyPlayerPos,
  reach,
} from '../../server/analysis/keyplayer.ts';
import { parseNetworkFile } from '../../server/import/formats/network-files.ts';
import { DATASETS_DIR, EXPECTED_DIR, HAVE_DATASETS } from './reference-helpers.ts';

interface Case {
  set: string[];
  fragmentation: number;
  distanceFragmentation: number;
  reach1?: number;
  reach2?: number;
  distanceReach?: number;
}
interface Network {
  file: string;
  nodes: string[];
  cases: Case[];
  bestFragmentation: Record<string, number>;
}
const expected = JSON.parse(readFileSync(`${EXPECTED_DIR}keyplayer.json`, 'utf8')) as {
  networks: Record<string, Network>;
};

if (!HAVE_DATASETS)
  console.warn('key-player tests: ../shared/datasets is absent; skipping the real networks');
const run = HAVE_DATASETS ? it : it.skip;

/** The network as the importers read it; direction dropped once here, as the search drops it. */
function load(net: Network): CSR {
  return undirectedCSR(fromPlainGraph(parseNetworkFile(readFileSync(`${DATASETS_DIR}${net.file}`, 'utf8'))));
}

function mask(n: number, set: number[]): Uint8Array {
  const m = new Uint8Array(n);
  for (const v of set) m[v] = 1;
  return m;
}

/**
 * The best fragmentation over every k-set, written independently of the module: each (k-1)-set is removed and
 * one Tarjan pass (cut.ts, itself checked against networkx) gives the pairs every last member would cut.
 */
function exactBest(g: CSR, k: number): number {
  const n = g.n;
  const left = n - k;
  let best = -Infinity;
  const removed = new Uint8Array(n);
  const visit = (from: number, depth: number) => {
    if (depth === k - 1) {
      let pairs = 0;
      for (const s of connectedComponents(g, removed).sizes) pairs += (s * (s - 1)) / 2;
      const { pairsLost } = cutStructure(g, removed);
      for (let v = from; v < n; v++) {
        const f = left < 2 ? 1 : 1 - (2 * (pairs - pairsLost[v])) / (left * (left - 1));
        if (f > best) best = f;
      }
      return;
    }
    for (let v = from; v < n; v++) {
      removed[v] = 1;
      visit(v + 1, depth + 1);
      removed[v] = 0;
    }
  };
  visit(0, 0);
  return best;
}

describe.each(Object.entries(expected.networks))('key players on %s', (name, net) => {
  run('fragmentation, distance fragmentation, reach and distance reach match networkx', () => {
    const g = load(net);
    expect([...g.ids].sort()).toEqual([...net.nodes].sort());
    const index = new Map(g.ids.map((id, i) => [id, i]));
    for (const c of net.cases) {
      const set = c.set.map((id) => index.get(id)!);
      const what = `${name} without [${c.set.join(', ')}]`;
      expect(fragmentation(g, mask(g.n, set)), what).toBeCloseTo(c.fragmentation, 12);
      expect(distanceFragmentation(g, mask(g.n, set)), what).toBeCloseTo(c.distanceFragmentation, 12);
      if (set.length > 0) {
        expect(reach(g, set, 1), what).toBeCloseTo(c.reach1!, 12);
        expect(reach(g, set, 2), what).toBeCloseTo(c.reach2!, 12);
        expect(distanceReach(g, set), what).toBeCloseTo(c.distanceReach!, 12);
      }
    }
  });

  // The optimum: for k = 1..3 by the enumeration above (and for k = 1, 2 by networkx brute force); for k = 4
  // by the module's exact search (C(n, 4) sets), once it has agreed with the enumeration for k = 1..3.
  run(
    'KPP-Neg: greedy + swaps reach the optimum, or within 2% of it, for k = 1..4',
    { timeout: 120_000 },
    () => {
      const g = load(net);
      const hits: string[] = [];
      for (let k = 1; k <= 4; k++) {
        const e = keyPlayerNeg(g, { k, exactLimit: 1e7, timeBudgetMs: 600_000 });
        expect(e.method).toBe('exact');
        expect(e.optimal).toBe(true);
        expect(e.score).toBeCloseTo(fragmentation(g, mask(g.n, e.set)), 12);
        const optimum = e.score;
        if (k <= 3)
          expect(optimum, `${name} k=${k}: exact search vs enumeration`).toBeCloseTo(exactBest(g, k), 12);
        const py = net.bestFragmentation[String(k)];
        if (py !== undefined) expect(optimum, `${name} k=${k}: vs networkx brute force`).toBeCloseTo(py, 12);

        const r = keyPlayerNeg(g, { k, exactLimit: 0 });
        expect(r.method).toBe('greedy+swap');
        expect(r.set).toHaveLength(k);
        expect(new Set(r.set).size).toBe(k);
        expect(r.score).toBeCloseTo(fragmentation(g, mask(g.n, r.set)), 12);
        expect(r.score, `${name} k=${k}: ${r.score} against the optimum ${optimum}`).toBeGreaterThanOrEqual(
          optimum - 0.02 * optimum - 1e-12,
        );
        expect(r.score).toBeLessThanOrEqual(optimum + 1e-12);
        hits.push(
          Math.abs(r.score - optimum) <= 1e-9
            ? 'optimum'
            : `${((1 - r.score / optimum) * 100).toFixed(2)}% short`,
        );
      }
      console.log(`${name}: k = 1..4 ${hits.join(', ')}`);
    },
  );

  run('KPP-Pos: greedy + swaps within 2% of the exact search for k = 1..3', () => {
    const g = load(net);
    for (let k = 1; k <= 3; k++) {
      for (const measure of ['reach', 'distance-reach'] as const) {
        const h = keyPlayerPos(g, { k, measure, m: 2, exactLimit: 0 });
        const e = keyPlayerPos(g, { k, measure, m: 2, exactLimit: 1e6 });
        expect(e.optimal).toBe(true);
        const value = (s: number[]) => (measure === 'reach' ? reach(g, s, 2) : distanceReach(g, s));
        expect(h.score).toBeCloseTo(value(h.set), 12);
        expect(e.score).toBeCloseTo(value(e.set), 12);
        expect(h.score, `${name} ${measure} k=${k}`).toBeGreaterThanOrEqual(0.98 * e.score - 1e-12);
      }
    }
  });
});

describe('key players: distance-weighted fragmentation', () => {
  // Every evaluation is an all-pairs search, so the exact comparison stays on the smaller networks.
  const small = Object.entries(expected.networks).filter(([, net]) => net.nodes.length <= 70);
  run.each(small)('%s: greedy + swaps within 2% of the exact search for k = 1, 2', (name, net) => {
    const g = load(net);
    for (let k = 1; k <= 2; k++) {
      const h = keyPlayerNeg(g, { k, measure: 'distance-fragmentation', exactLimit: 0 });
      const e = keyPlayerNeg(g, { k, measure: 'distance-fragmentation', exactLimit: 1e6 });
      expect(e.optimal).toBe(true);
      expect(h.score).toBeCloseTo(distanceFragmentation(g, mask(g.n, h.set)), 12);
      expect(h.score, `${name} k=${k}`).toBeGreaterThanOrEqual(0.98 * e.score - 1e-12);
      expect(h.score).toBeLessThanOrEqual(e.score + 1e-12);
    }
  });
});

describe('key players: constraints', () => {
  const net = expected.networks.montagna_meetings;

  run('must-keep, must-remove and eligibility are respected, by the heuristic and the exact search', () => {
    const g = load(net);
    const free = keyPlayerNeg(g, { k: 3, exactLimit: 0 });
    const keep = free.set[0];
    const forced = free.set.includes(0) ? 1 : 0;
    const eligible = new Uint8Array(g.n);
    for (let v = 0; v < g.n; v += 2) eligible[v] = 1;
    for (const exactLimit of [0, 1e6]) {
      const r = keyPlayerNeg(g, { k: 3, exactLimit, mustKeep: [keep] });
      expect(r.set).not.toContain(keep);
      expect(r.score).toBeLessThanOrEqual(free.score + 1e-12);
      const f = keyPlayerNeg(g, { k: 3, exactLimit, mustRemove: [forced] });
      expect(f.set[0]).toBe(forced);
      expect(f.set).toHaveLength(3);
      const el = keyPlayerNeg(g, { k: 3, exactLimit, eligible, mustRemove: [1] });
      expect(el.set[0]).toBe(1);
      for (const v of el.set.slice(1)) expect(v % 2).toBe(0);
      const pos = keyPlayerPos(g, { k: 2, exactLimit, eligible, mustKeep: [0] });
      for (const v of pos.set) expect(v % 2 === 0 && v !== 0).toBe(true);
    }
    // Must-remove filling the whole set: the set is scored as given.
    const all = keyPlayerNeg(g, { k: 2, mustRemove: [5, 7] });
    expect(all.set).toEqual([5, 7]);
    expect(all.score).toBeCloseTo(fragmentation(g, mask(g.n, [5, 7])), 12);
  });

  run('a spent time budget still returns a full set, marked as stopped early and not optimal', () => {
    const g = load(net);
    for (const exactLimit of [0, 1e6]) {
      const r = keyPlayerNeg(g, { k: 3, exactLimit, timeBudgetMs: 0, measure: 'distance-fragmentation' });
      expect(r.stoppedEarly).toBe(true);
      expect(r.optimal).toBe(false);
      expect(r.set).toHaveLength(3);
    }
  });
});

describe('key players: empty and tiny networks', () => {
  const tiny = (n: number, edges: Array<[number, number]>) =>
    buildCSR(
      Array.from({ length: n }, (_, i) => `n${i}`),
      edges.map((e) => e[0]),
      edges.map((e) => e[1]),
      null,
      false,
    );

  it('gives clear errors for what cannot be searched', () => {
    const empty = tiny(0, []);
    expect(() => keyPlayerNeg(empty, { k: 1 })).toThrow(/key players: the network has no nodes/);
    const two = tiny(2, [[0, 1]]);
    expect(() => keyPlayerNeg(two, { k: 2 })).toThrow(/would take every node/);
    expect(() => keyPlayerNeg(two, { k: 0 })).toThrow(/k must be a whole number >= 1/);
    expect(() => keyPlayerNeg(two, { k: 1, mustKeep: [0], mustRemove: [0] })).toThrow(
      /both must-keep and must-remove/,
    );
    expect(() => keyPlayerNeg(two, { k: 1, mustKeep: [0, 1] })).toThrow(/only 0 nodes may be chosen/);
    expect(() => keyPlayerNeg(two, { k: 1, eligible: new Uint8Array(3) })).toThrow(/eligible has 3 entries/);
    expect(() => keyPlayerNeg(two, { k: 1, mustRemove: [4] })).toThrow(/must-remove node 4 is not a node/);
    expect(() => keyPlayerPos(two, { k: 1, m: 0 })).toThrow(/m must be a whole number/);
    expect(() => keyPlayerNeg(two, { k: 1, measure: 'bogus' as 'fragmentation' })).toThrow(/unknown measure/);
    expect(() => fragmentation(two, new Uint8Array(5))).toThrow(/removed has 5 entries/);
  });

  it('defines the measures where few nodes are left', () => {
    const two = tiny(2, [[0, 1]]);
    expect(fragmentation(two, new Uint8Array(2))).toBe(0);
    expect(fragmentation(two, mask(2, [0]))).toBe(1); // one node left: no pair is connected
    expect(fragmentation(two, mask(2, [0, 1]))).toBe(1);
    expect(distanceFragmentation(two, new Uint8Array(2))).toBe(0);
    expect(distanceFragmentation(two, mask(2, [1]))).toBe(1);
    expect(reach(two, [0], 1)).toBe(1);
    expect(reach(two, [0, 1], 1)).toBe(1); // no one left outside the set
    expect(distanceReach(tiny(3, [[0, 1]]), [0])).toBe(0.5); // n2 is out of reach
    const r = keyPlayerNeg(two, { k: 1 });
    expect(r).toMatchObject({ score: 1, method: 'exact', optimal: true });
    // An isolated graph is already in pieces: fragmentation 1 whatever is removed.
    expect(keyPlayerNeg(tiny(4, []), { k: 1 }).score).toBe(1);
  });

  it('a star is cut by its centre; a path by its middle', () => {
    const star = tiny(6, [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, 5],
    ]);
    expect(keyPlayerNeg(star, { k: 1, exactLimit: 0 }).set).toEqual([0]);
    expect(keyPlayerPos(star, { k: 1, exactLimit: 0 })).toMatchObject({ set: [0], score: 1 });
    const path = tiny(
      8,
      Array.from({ length: 7 }, (_, i) => [i, i + 1]),
    );
    const two = keyPlayerNeg(path, { k: 2, exactLimit: 0 });
    expect([...two.set].sort()).toEqual([2, 5]);
    expect(two.score).toBeCloseTo(1 - 6 / 30, 12); // three pieces of 2 among 6 nodes
  });
});
