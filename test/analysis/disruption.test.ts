// The disruption lab against the same procedures run with networkx (generate_expectations.py).
import { describe, expect, it } from 'vitest';
import { disrupt, type DisruptionResult } from '../../server/analysis/disruption.ts';
import { fromPlainGraph } from '../../server/analysis/csr.ts';
import {
  BUILTIN,
  DATASETS,
  HAVE_DATASETS,
  TOL,
  graphFor,
  loadExpected,
  type NetworkState,
} from './reference-helpers.ts';

const cases = [
  ...BUILTIN.map((name) => ({ name, dataset: false })),
  ...Object.keys(DATASETS).map((name) => ({ name, dataset: true })),
].filter(({ name }) => loadExpected(name).disruption);

function expectState(actual: NetworkState, expected: NetworkState, where: string) {
  for (const k of ['lccShare', 'pairwiseConnectivity', 'efficiency'] as const) {
    if (Math.abs(actual[k] - expected[k]) > TOL)
      throw new Error(`${where}: ${k} ${actual[k]} vs networkx ${expected[k]}`);
  }
  expect(actual.components, `${where}: components`).toBe(expected.components);
}

describe.each(cases)('$name disruption matches networkx', ({ name, dataset }) => {
  const run = dataset && !HAVE_DATASETS ? it.skip : it;
  const exp = loadExpected(name);
  const d = exp.disruption!;

  run('sequential betweenness: same node removed at each step, same measures', () => {
    const g = graphFor(exp);
    const r = disrupt(g, {
      strategy: 'sequential',
      metric: 'betweenness',
      steps: d.sequentialBetweenness.length,
    });
    expect(r.steps.map((s) => s.removed[0])).toEqual(d.sequentialBetweenness.map((s) => s.removed));
    r.steps.forEach((s, i) => expectState(s, d.sequentialBetweenness[i], `step ${i + 1}`));
  });

  run('block top-k betweenness removed at once', () => {
    const g = graphFor(exp);
    const r = disrupt(g, { strategy: 'block', metric: 'betweenness', steps: 5 });
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0].removed).toEqual(d.blockBetweenness[0].removed);
    expectState(r.steps[0], d.blockBetweenness[0], 'block');
  });

  run('greedy key player: same picks and measures', () => {
    const g = graphFor(exp);
    const r = disrupt(g, { strategy: 'greedy', steps: d.greedyKeyPlayer.length });
    expect(r.steps.map((s) => s.removed[0])).toEqual(d.greedyKeyPlayer.map((s) => s.removed));
    r.steps.forEach((s, i) => expectState(s, d.greedyKeyPlayer[i], `step ${i + 1}`));
  });

  run('the key-player strategy leaves no more connected pairs than the greedy pass, for k = 2..5', () => {
    const g = graphFor(exp);
    for (let k = 2; k <= Math.min(5, g.n - 1); k++) {
      const greedy = disrupt(g, { strategy: 'greedy', steps: k });
      const kp = disrupt(g, { strategy: 'keyplayer', steps: k });
      expect(kp.steps).toHaveLength(1);
      expect(kp.steps[0].removed).toHaveLength(k);
      expect(kp.steps[0].pairwiseConnectivity).toBeLessThanOrEqual(
        greedy.steps[k - 1].pairwiseConnectivity + 1e-12,
      );
    }
  });

  run('the analyst set strategy reproduces the sequential removals', () => {
    const g = graphFor(exp);
    const targets = d.sequentialBetweenness.map((s) => g.ids.indexOf(s.removed));
    const r = disrupt(g, { strategy: 'set', targets });
    r.steps.forEach((s, i) => expectState(s, d.sequentialBetweenness[i], `set step ${i + 1}`));
  });
});

describe('disruption lab behaviour', () => {
  // A four-cycle a-b-d-c-a: b and c each carry half of the a-d shortest paths.
  const cycle = fromPlainGraph({
    nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id })),
    edges: [
      ['a', 'b'],
      ['b', 'd'],
      ['d', 'c'],
      ['c', 'a'],
    ].map(([source, target]) => ({ source, target })),
  });

  it('reports who inherits brokerage', () => {
    const r: DisruptionResult = disrupt(cycle, { strategy: 'set', targets: [1] });
    expect(r.steps[0].pairwiseConnectivity).toBeCloseTo(3 / 6, 12);
    expect(r.steps[0].lccShare).toBeCloseTo(3 / 4, 12);
    expect(r.inheritors).toEqual([{ id: 'c', before: 0.5, after: 1, rise: 0.5 }]);
  });

  it('rejects a bad target set with a message naming the problem', () => {
    expect(() => disrupt(cycle, { strategy: 'set', targets: [1, 1] })).toThrow(/listed twice/);
    expect(() => disrupt(cycle, { strategy: 'set', targets: [] })).toThrow(/needs targets/);
  });
});
