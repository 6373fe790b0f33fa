// The disruption lab (strategies compared, recovery, robustness) against networkx
// (test/reference/lab_expectations.py) and against the properties its numbers must have.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCSR, type CSR } from '../../server/analysis/csr.ts';
import { simulateRecovery } from '../../server/analysis/recovery.ts';
import { betweenness as reviewBetweenness } from '../../server/cycle/network.ts';
import { planRobustness } from '../../server/analysis/robustness.ts';
import { LabError, comparePlans, type CurvePoint } from '../../server/analysis/strategies.ts';
import { runLab, type LabRequest } from '../../server/jobs/lab-request.ts';
import {
  DATASETS,
  DATASETS_DIR,
  EXPECTED_DIR,
  HAVE_DATASETS,
  TOL,
  graphFor,
  loadExpected,
} from './reference-helpers.ts';

interface RefPoint {
  removed: string | null;
  lccShare: number;
  components: number;
  pairwiseConnectivity: number;
  efficiency: number;
  fragmentation: number;
}
interface LabRef {
  name: string;
  k: number;
  topk: RefPoint[];
  sequential: RefPoint[];
  own: RefPoint[];
  betweenness: number[];
}
const LAB_DIR = `${EXPECTED_DIR}lab/`;
const refs = readdirSync(LAB_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(LAB_DIR + f, 'utf8')) as LabRef);

function expectCurve(g: CSR, actual: CurvePoint[], expected: RefPoint[], where: string): void {
  expect(actual.length, `${where}: steps`).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(a.removed === null ? null : g.ids[a.removed], `${where} step ${i}: removed`).toBe(e.removed);
    expect(a.components, `${where} step ${i}: components`).toBe(e.components);
    for (const m of ['lccShare', 'pairwiseConnectivity', 'efficiency', 'fragmentation'] as const)
      if (Math.abs(a[m] - e[m]) > TOL)
        throw new Error(`${where} step ${i}: ${m} ${a[m]} vs networkx ${e[m]}`);
  });
}

describe.each(refs)('$name: strategies compared match networkx', (ref) => {
  const run = DATASETS[ref.name] && !HAVE_DATASETS ? it.skip : it;
  run('top-k, sequential and own-set curves: same removals and measures, fragmentation included', () => {
    const g = graphFor(loadExpected(ref.name));
    const own = [g.n - 1, 0, Math.floor(g.n / 2)];
    const c = comparePlans(g, {
      k: ref.k,
      plans: [
        { kind: 'topk', metric: 'betweenness' },
        { kind: 'sequential', metric: 'betweenness' },
        { kind: 'own', targets: own },
      ],
    });
    expectCurve(g, c.plans[0].curve, ref.topk, 'top-k');
    expectCurve(g, c.plans[1].curve, ref.sequential, 'sequential');
    expectCurve(g, c.plans[2].curve, ref.own, 'own');
  });

  run("successors are scored from the operational review's betweenness (networkx's normalised)", () => {
    const g = graphFor(loadExpected(ref.name));
    const r = simulateRecovery(g, [0], {
      runs: 10,
      successorRuns: 10,
      successors: 50,
      brokerage: reviewBetweenness,
    });
    for (const s of r.successors)
      expect(Math.abs(s.before - ref.betweenness[s.index]), `node ${s.index}`).toBeLessThan(TOL);
  });
});

const karate = (): CSR => graphFor(loadExpected('karate'));

describe('key player plan', () => {
  it('fragments at least as much as top-k and sequential betweenness on karate, k = 4', () => {
    const g = karate();
    const c = comparePlans(g, {
      k: 4,
      plans: [
        { kind: 'topk', metric: 'betweenness' },
        { kind: 'sequential', metric: 'betweenness' },
        { kind: 'keyPlayer' },
      ],
    });
    const final = c.plans.map((p) => p.curve[p.curve.length - 1].fragmentation);
    expect(final[2]).toBeGreaterThanOrEqual(final[0] - 1e-12);
    expect(final[2]).toBeGreaterThanOrEqual(final[1] - 1e-12);
    expect(c.plans[2].keyPlayer!.score).toBeCloseTo(final[2], 12);
  });

  it('keeps must-keep, removes must-remove first and draws only from the eligible', () => {
    const g = karate();
    const eligible = new Uint8Array(g.n);
    for (let v = 0; v < g.n; v += 2) eligible[v] = 1; // even nodes only
    const c = comparePlans(g, {
      k: 4,
      eligible,
      mustKeep: [0, 32],
      mustRemove: [5],
      plans: [
        { kind: 'topk', metric: 'betweenness' },
        { kind: 'sequential', metric: 'degree' },
        { kind: 'keyPlayer' },
      ],
    });
    for (const p of c.plans) {
      expect(p.removed).toHaveLength(4);
      expect(p.removed).toContain(5);
      expect(p.removed).not.toContain(0);
      expect(p.removed).not.toContain(32);
      for (const v of p.removed) if (v !== 5) expect(v % 2, `${p.name} removed ${v}`).toBe(0);
    }
    expect(c.plans[0].removed[0]).toBe(5);
    expect(c.plans[1].removed[0]).toBe(5);
  });
});

describe('bounds: oversize requests are refused with what was wrong', () => {
  const path = (n: number) =>
    buildCSR(
      Array.from({ length: n }, (_, i) => `n${i}`),
      Array.from({ length: n - 1 }, (_, i) => i),
      Array.from({ length: n - 1 }, (_, i) => i + 1),
      null,
      false,
    );
  it.each([
    [{ k: 51 }, /k must be a whole number from 1 to 50/],
    [{ k: 34 }, /would remove the whole network/],
    [{ k: 3, mustKeep: [1], mustRemove: [1] }, /both must-keep and must-remove/],
    [{ k: 1, mustRemove: [1, 2] }, /do not fit in k = 1/],
    [{ k: 2, plans: [] }, /at least one strategy/],
    [{ k: 2, restarts: 0 }, /restarts must be from 1 to 50/],
  ])('%o', (extra, message) => {
    expect(() =>
      comparePlans(karate(), { plans: [{ kind: 'topk', metric: 'degree' }], ...extra } as Parameters<
        typeof comparePlans
      >[1]),
    ).toThrow(message);
  });
  it('refuses sequential recomputation too big for one run, naming the sizes', () => {
    expect(() =>
      comparePlans(path(20_000), { k: 10, plans: [{ kind: 'sequential', metric: 'betweenness' }] }),
    ).toThrow(/recompute 10 times on 20000 nodes and 19999 links/);
  });
  it('refuses too many recovery runs and resamples', () => {
    expect(() => simulateRecovery(karate(), [0], { runs: 1001 })).toThrow(LabError);
    expect(() => planRobustness(karate(), [{ name: 'a', removed: [0] }], { resamples: 1001 })).toThrow(
      /resamples/,
    );
    expect(() => planRobustness(karate(), [{ name: 'a', removed: [0] }], { dropShare: 0.95 })).toThrow(
      /dropShare/,
    );
  });
});

describe('recovery simulation', () => {
  it('is deterministic for a seed, differs for another, and its intervals hold their point estimates', () => {
    const g = karate();
    const o = { runs: 60, brokerage: reviewBetweenness };
    const a = simulateRecovery(g, [0, 33], { ...o, seed: 3 });
    const b = simulateRecovery(g, [0, 33], { ...o, seed: 3 });
    const c = simulateRecovery(g, [0, 33], { ...o, seed: 4 });
    expect(a).toEqual(b);
    expect(c.pairwiseConnectivity.recovered).not.toEqual(a.pairwiseConnectivity.recovered);
    for (const i of [a.damageSurviving!, a.pairwiseConnectivity.recovered, a.lccShare.recovered, a.newTies]) {
      expect(i.low).toBeLessThanOrEqual(i.point);
      expect(i.point).toBeLessThanOrEqual(i.high);
    }
    expect(a.newTies.high).toBeLessThanOrEqual(a.tiesBroken);
    // Recovery only adds ties: connectivity can only come back, and never beyond one.
    expect(a.pairwiseConnectivity.recovered.low).toBeGreaterThanOrEqual(a.pairwiseConnectivity.afterRemoval);
    expect(a.successors.length).toBeGreaterThan(0);
    for (const s of a.successors) expect(s.share).toBeGreaterThan(0);
  });

  it('without recovery all the damage survives; with certain recovery less of it does', () => {
    const g = karate();
    const none = simulateRecovery(g, [0, 33], { runs: 20, pRecover: 0 });
    expect(none.damageSurviving).toEqual({ point: 1, low: 1, high: 1 });
    expect(none.newTies.high).toBe(0);
    const full = simulateRecovery(g, [0, 33], { runs: 20, pRecover: 1 });
    expect(full.damageSurviving!.high).toBeLessThan(1);
  });

  it('prefers partners who shared the removed contact (triadic closure around the gap)', () => {
    // A star: the hub's removal leaves only isolated leaves, who all shared the hub. With no random or
    // community weight, every new tie joins two former leaves of the hub.
    const n = 12;
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const star = buildCSR(
      ids,
      Array(n - 1).fill(0),
      Array.from({ length: n - 1 }, (_, i) => i + 1),
      null,
      false,
    );
    const r = simulateRecovery(star, [0], { runs: 30, pRecover: 1, baseWeight: 0, communityWeight: 0 });
    expect(r.newTies.point).toBeGreaterThan(0);
    expect(r.pairwiseConnectivity.recovered.point).toBeGreaterThan(r.pairwiseConnectivity.afterRemoval);
  });
});

describe('robustness on resampled networks', () => {
  it('with nothing dropped or added, every resample is the network itself', () => {
    const g = karate();
    const plans = [
      { name: 'hubs', removed: [0, 33] },
      { name: 'leaves', removed: [11, 12] },
    ];
    const r = planRobustness(g, plans, { resamples: 5, dropShare: 0, addShare: 0 });
    expect(r.plans[0].bestShare).toBe(1);
    expect(r.plans[1].bestShare).toBe(0);
    for (const p of r.plans)
      expect(p.score).toEqual({ point: p.observed, low: p.observed, high: p.observed });
  });
  it('is deterministic for a seed and its intervals hold their medians', () => {
    const g = karate();
    const plans = [
      { name: 'hubs', removed: [0, 33] },
      { name: 'leaves', removed: [11, 12] },
    ];
    const a = planRobustness(g, plans, { resamples: 40, seed: 9 });
    expect(planRobustness(g, plans, { resamples: 40, seed: 9 })).toEqual(a);
    for (const p of a.plans) {
      expect(p.score.low).toBeLessThanOrEqual(p.score.point);
      expect(p.score.point).toBeLessThanOrEqual(p.score.high);
    }
    expect(a.plans[0].bestShare).toBeGreaterThan(a.plans[1].bestShare);
  });
});

describe('the lab request (job and CLI)', () => {
  const labelled = () => {
    const g = karate();
    return { g, labels: g.ids.map((id) => `Person ${id}`) };
  };
  const req = (over: Partial<LabRequest> = {}): LabRequest => ({
    k: 3,
    plans: [
      { kind: 'topk', metric: 'betweenness' },
      { kind: 'keyPlayer' },
      { kind: 'own', targets: ['0', '33'] },
    ],
    mustKeep: [],
    mustRemove: [],
    restarts: 4,
    recoveryRuns: 20,
    pRecover: 0.5,
    resamples: 20,
    dropShare: 0.1,
    addShare: 0.1,
    seed: 1,
    ...over,
  });
  it('names every removed node, curve step and successor by id and label, with fragments by size', () => {
    const { g, labels } = labelled();
    const phases: string[] = [];
    const r = runLab(g, labels, req(), (_p, phase) => phases.push(phase));
    expect(r.plans.map((p) => p.name)).toEqual(['top-k betweenness', 'key player (KPP-Neg)', 'own set']);
    const own = r.plans[2];
    expect(own.removed).toEqual([
      { id: '0', label: 'Person 0' },
      { id: '33', label: 'Person 33' },
    ]);
    expect(own.curve[1].removed).toEqual({ id: '0', label: 'Person 0' });
    for (const p of r.plans) {
      for (const s of p.recovery!.successors) expect(s.label).toBe(`Person ${s.id}`);
      for (const id of Object.keys(p.fragments)) expect(p.removed.map((x) => x.id)).not.toContain(id);
      expect(Math.min(...Object.values(p.fragments))).toBeGreaterThanOrEqual(1);
    }
    expect(r.robustness!.plans).toHaveLength(3);
    expect(phases).toContain('resampled networks');
  });
  it('refuses an own-set target that is not in the view', () => {
    const { g, labels } = labelled();
    expect(() => runLab(g, labels, req({ plans: [{ kind: 'own', targets: ['nobody'] }] }), () => {})).toThrow(
      /own-set target "nobody" is not in this view/,
    );
  });

  it.skipIf(!HAVE_DATASETS || !existsSync(`${DATASETS_DIR}${DATASETS.siren}`))(
    'npm run disrupt -- --compare --json carries every curve, the key-player search and the recovery',
    () => {
      const out = execFileSync(
        'node_modules/.bin/tsx',
        [
          'server/cli/disrupt.ts',
          `${DATASETS_DIR}${DATASETS.siren}`,
          '--compare',
          '--k',
          '4',
          '--runs',
          '20',
          '--resamples',
          '20',
          '--json',
        ],
        { encoding: 'utf8' },
      );
      const r = JSON.parse(out) as ReturnType<typeof runLab>;
      expect(r.plans).toHaveLength(3);
      for (const p of r.plans) {
        expect(p.curve).toHaveLength(5);
        expect(p.recovery!.damageSurviving).not.toBeNull();
      }
      expect(r.plans[2].keyPlayer!.restarts).toBeGreaterThan(0);
    },
  );
});
