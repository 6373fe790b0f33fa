// Every metric against networkx (test/reference/expected, written by generate_expectations.py).
import { describe, expect, it } from 'vitest';
import { betweenness } from '../../server/analysis/betweenness.ts';
import { closeness } from '../../server/analysis/closeness.ts';
import { connectedComponents } from '../../server/analysis/components.ts';
import { cutStructure } from '../../server/analysis/cut.ts';
import { degree } from '../../server/analysis/degree.ts';
import { eigenvector } from '../../server/analysis/eigenvector.ts';
import { harmonic } from '../../server/analysis/harmonic.ts';
import { coreNumber } from '../../server/analysis/kcore.ts';
import { louvain } from '../../server/analysis/louvain.ts';
import { modularity } from '../../server/analysis/modularity.ts';
import { pagerank } from '../../server/analysis/pagerank.ts';
import {
  BUILTIN,
  DATASETS,
  HAVE_DATASETS,
  expectScores,
  graphFor,
  loadExpected,
} from './reference-helpers.ts';

const cases = [
  ...BUILTIN.map((name) => ({ name, dataset: false })),
  ...Object.keys(DATASETS).map((name) => ({ name, dataset: true })),
];

if (!HAVE_DATASETS) {
  console.warn('analysis reference tests: ../shared/datasets is absent; skipping the real-network cases');
}

describe.each(cases)('$name matches networkx', ({ name, dataset }) => {
  const run = dataset && !HAVE_DATASETS ? it.skip : it;
  const exp = loadExpected(name);
  const m = exp.metrics;

  run('has the same nodes and edges (parsers agree with the reference reader)', () => {
    const g = graphFor(exp);
    expect([...g.ids]).toEqual(exp.nodes);
    expect(g.m).toBe(exp.edges.length);
    expect(g.directed).toBe(exp.directed);
  });

  run('degree and weighted degree', () => {
    const g = graphFor(exp);
    expectScores(degree(g), m.degree!, 'degree');
    expectScores(degree(g, { weighted: true }), m.weightedDegree!, 'weighted degree');
  });

  run('betweenness: unweighted, weighted (1/weight), raw', () => {
    const g = graphFor(exp);
    expectScores(betweenness(g), m.betweenness!, 'betweenness');
    // Weighted: igraph's values (it counts paths whose lengths differ only by rounding as ties; so do we).
    const weighted = m.betweennessWeightedIgraph ?? m.betweennessWeighted!;
    expectScores(betweenness(g, { weighted: true }), weighted, 'weighted betweenness');
    expectScores(betweenness(g, { normalized: false }), m.betweennessRaw!, 'raw betweenness');
  });

  run('closeness (wf_improved and not, weighted) and harmonic', () => {
    const g = graphFor(exp);
    expectScores(closeness(g), m.closeness!, 'closeness');
    expectScores(closeness(g, { wfImproved: false }), m.closenessNoWf!, 'closeness without wf');
    expectScores(closeness(g, { weighted: true }), m.closenessWeighted!, 'weighted closeness');
    expectScores(harmonic(g), m.harmonic!, 'harmonic');
    expectScores(harmonic(g, { weighted: true }), m.harmonicWeighted!, 'weighted harmonic');
  });

  run('eigenvector and PageRank', () => {
    const g = graphFor(exp);
    if (m.eigenvector) expectScores(eigenvector(g), m.eigenvector, 'eigenvector');
    if (m.eigenvectorWeighted) {
      expectScores(eigenvector(g, { weighted: true }), m.eigenvectorWeighted, 'weighted eigenvector');
    }
    expectScores(pagerank(g), m.pagerank!, 'pagerank');
    expectScores(pagerank(g, { weighted: false }), m.pagerankUnweighted!, 'unweighted pagerank');
  });

  run('k-core, articulation points, bridges, components', () => {
    const g = graphFor(exp);
    expect(Array.from(coreNumber(g))).toEqual(m.coreNumber);
    const cut = cutStructure(g);
    const aps = g.ids.filter((_, i) => cut.articulation[i]);
    expect(aps).toEqual(exp.articulationPoints);
    expect(cut.bridges.map(([u, v]) => [g.ids[u], g.ids[v]])).toEqual(exp.bridges);
    const comps = connectedComponents(g);
    expect(Array.from(comps.sizes).sort((a, b) => b - a)).toEqual(exp.components);
  });

  run('modularity of a fixed partition, and Louvain close to networkx', () => {
    const g = graphFor(exp);
    const fixed = exp.modularityOfFixedPartition;
    expect(modularity(g, fixed.labels)).toBeCloseTo(fixed.weighted, 9);
    expect(modularity(g, fixed.labels, { weighted: false })).toBeCloseTo(fixed.unweighted, 9);
    const a = louvain(g, { seed: 3 });
    expect(louvain(g, { seed: 3 }).communities).toEqual(a.communities);
    expect(a.modularity).toBeCloseTo(modularity(g, a.communities), 12);
    // A sanity bound, not an equality: Louvain is a heuristic and the two use different random orders.
    expect(a.modularity).toBeGreaterThan(exp.louvainModularity - 0.03);
  });
});
