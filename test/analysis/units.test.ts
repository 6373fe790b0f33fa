// Parsers, views, explanations and sampled betweenness: behaviour the networkx comparison does not cover.
import { describe, expect, it } from 'vitest';
import { betweenness, samplingErrorBound } from '../../server/analysis/betweenness.ts';
import { buildCSR, fromPlainGraph } from '../../server/analysis/csr.ts';
import { explain } from '../../server/analysis/explain.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { buildView, ViewCache } from '../../server/analysis/view.ts';
import type { Entity, Link, Subgraph } from '../../server/domain/model.ts';
import {
  detectNetworkFormat,
  parseEdgeList,
  parseMatrix,
  parseTwoMode,
  projectTwoMode,
  NetworkFileError,
} from '../../server/import/formats/network-files.ts';
import { loadExpected, graphFor } from './reference-helpers.ts';

describe('network-file parsers', () => {
  it('reads a matrix with a BOM and an empty quoted first cell; symmetric means undirected', () => {
    const text = '\ufeff"",a,b,c\na,0,2,0\nb,2,0,1\nc,0,1,0\n';
    expect(detectNetworkFormat(text)).toBe('matrix');
    const g = parseMatrix(text);
    expect(g.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect(g.edges).toEqual([
      { source: 'a', target: 'b', weight: 2, directed: false },
      { source: 'b', target: 'c', weight: 1, directed: false },
    ]);
    expect(parseMatrix('"",a,b\na,0,3\nb,0,0\n').edges).toEqual([
      { source: 'a', target: 'b', weight: 3, directed: true },
    ]);
  });

  it('says which line and column is wrong', () => {
    expect(() => parseMatrix('"",a,b\na,0,x\nb,0,0\n')).toThrow(/line 2: column 3: "x" is not a number/);
    expect(() => parseMatrix('"",a,b\na,0\nb,0,0\n')).toThrow(NetworkFileError);
  });

  it('reads edge lists: comma with a header, whitespace, duplicates keep the largest weight, names trimmed', () => {
    const g = parseEdgeList('from,to,strength,confidence\nAnn ,Bob,5,1\nBob,Ann,3,1\nBob,Cy,1,2\n');
    expect(g.nodes.map((n) => n.id)).toEqual(['Ann', 'Bob', 'Cy']);
    expect(g.edges).toEqual([
      { source: 'Ann', target: 'Bob', weight: 5, directed: false },
      { source: 'Bob', target: 'Cy', weight: 1, directed: false },
    ]);
    const w = parseEdgeList('1\t2\t4\n2 1 9\n3 3 1\n');
    expect(w.edges).toEqual([{ source: '1', target: '2', weight: 9, directed: false }]);
    expect(w.nodes).toHaveLength(3);
    expect(detectNetworkFormat('1\t2\t4\n')).toBe('edgelist');
  });

  it('projects a two-mode file onto people by shared events', () => {
    const text = '"",e1,"e2, with a comma",e3\np,1,1,0\nq,1,1,1\nr,0,0,1\ns,0,0,0\n';
    expect(detectNetworkFormat(text)).toBe('two-mode');
    const tm = parseTwoMode(text);
    expect(tm.events[1]).toBe('e2, with a comma');
    const g = projectTwoMode(tm);
    expect(g.nodes).toHaveLength(4);
    expect(g.edges).toEqual([
      { source: 'p', target: 'q', weight: 2, directed: false },
      { source: 'q', target: 'r', weight: 1, directed: false },
    ]);
  });
});

const T = '2024-01-01T00:00:00.000Z';
const ent = (id: string, type: Entity['type']): Entity => ({
  id,
  type,
  label: id.toUpperCase(),
  key: id,
  properties: {},
  reviewDate: null,
  createdAt: T,
  updatedAt: T,
});
const link = (id: string, type: Link['type'], from: string, to: string, extra: Partial<Link> = {}): Link => ({
  id,
  type,
  from,
  to,
  directed: true,
  weight: 1,
  firstSeen: null,
  lastSeen: null,
  properties: {},
  grading: { source: 1, intel: 'A' },
  createdAt: T,
  updatedAt: T,
  ...extra,
});

describe('views', () => {
  const sg: Subgraph = {
    dataVersion: 7,
    truncated: false,
    nodes: [
      ent('ann', 'Person'),
      ent('bob', 'Person'),
      ent('cy', 'Person'),
      ent('p1', 'Phone'),
      ent('p2', 'Phone'),
      ent('ev', 'Event'),
    ],
    links: [
      link('l1', 'USES', 'ann', 'p1'),
      link('l2', 'USES', 'bob', 'p2'),
      link('l3', 'CALLED', 'p1', 'p2', { weight: 6, lastSeen: '2024-01-01' }),
      link('l4', 'INVOLVED_IN', 'bob', 'ev', { grading: { source: 3, intel: 'E' } }),
      link('l5', 'INVOLVED_IN', 'cy', 'ev'),
    ],
  };

  it('folds phones into their users and projects people through a shared event', () => {
    const v = buildView(sg, { projection: { foldPhones: true, personVia: ['Event'] } });
    expect([...v.csr.ids]).toEqual(['ann', 'bob', 'cy']);
    const pairs = Array.from({ length: v.csr.m }, (_, e) => [
      v.csr.ids[v.csr.edgeU[e]],
      v.csr.ids[v.csr.edgeV[e]],
      v.csr.edgeW[e],
    ]);
    expect(pairs).toEqual([
      ['ann', 'bob', 6],
      ['bob', 'cy', 1],
    ]);
    // The projected link is as weak as its weakest report (3E).
    expect(v.csr.edgeQuality[1]).toBeCloseTo(0.03, 12);
  });

  it('weights by grading and by recency half-life', () => {
    const v = buildView(sg, {
      grading: 'weight',
      halfLifeDays: 10,
      asOf: '2024-01-21',
      filter: { linkTypes: ['CALLED', 'USES'] },
    });
    const e = Array.from({ length: v.csr.m }, (_, i) => i).find((i) => v.csr.edgeW[i] !== 1)!;
    expect(v.csr.edgeW[e]).toBeCloseTo(6 * 0.25, 12); // 1A grading, two half-lives old
  });

  it('applies the minimum grading and caches by data version and options', async () => {
    const v = buildView(sg, { filter: { minGrading: { source: 2, intel: 'C' } } });
    expect(v.csr.m).toBe(4); // the 3E link is out
    const cache = new ViewCache(2);
    let loads = 0;
    const load = async () => {
      loads++;
      return sg;
    };
    await cache.getOrBuild(7, {}, load);
    await cache.getOrBuild(7, { grading: 'ignore' }, load); // same options after defaults
    await cache.getOrBuild(8, {}, load);
    expect(loads).toBe(2);
  });
});

describe('sampled betweenness', () => {
  it('stays within its stated error bound, and repeats for a seed', () => {
    const e = communityGraph({ n: 800, seed: 11 });
    const g = buildCSR(
      Array.from({ length: 800 }, (_, i) => String(i)),
      e.us,
      e.vs,
      e.ws,
      false,
    );
    const exact = betweenness(g);
    const k = 200;
    const a = betweenness(g, { k, seed: 4 });
    expect(betweenness(g, { k, seed: 4 })).toEqual(a);
    const bound = samplingErrorBound(g.n, k, 0.05);
    let worst = 0;
    for (let i = 0; i < g.n; i++) worst = Math.max(worst, Math.abs(a[i] - exact[i]));
    expect(worst).toBeLessThan(bound.epsilonAllNodes);
    expect(worst).toBeGreaterThan(0);
    expect(bound.explanation).toMatch(/with probability 0.95/);
  });
});

describe('explain', () => {
  const exp = loadExpected('krackhardt');
  const g = graphFor(exp);
  it('explains the kite: Heather bridges, with ranks, path share and a stability interval', () => {
    const heather = 7; // networkx's kite: node 7 links the kite body to its tail
    const x = explain(g, heather, { resamples: 30, seed: 2 });
    const b = x.scores.find((s) => s.metric === 'betweenness')!;
    expect(b.rank).toBe(1);
    expect(b.score).toBeCloseTo(exp.metrics.betweenness![heather], 12);
    expect(b.percentile).toBe(100);
    expect(x.communities.bridged.length).toBeGreaterThan(0);
    expect(x.communities.pathShare).toBeGreaterThan(0.5);
    expect(x.stability.interval[0]).toBeGreaterThanOrEqual(1);
    expect(x.stability.interval[0]).toBeLessThanOrEqual(x.stability.interval[1]);
    expect(x.weakLeftOut.linksDropped).toBe(0);
    expect(explain(g, heather, { resamples: 30, seed: 2 })).toEqual(x);
  });

  it('moves a rank when weak intelligence is left out', () => {
    // A path a-b-c-d where b-c rests on weak intelligence: without it, b and c broker nothing.
    const w = fromPlainGraph({
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id })),
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c', quality: 0.1 },
        { source: 'c', target: 'd' },
      ],
    });
    const x = explain(w, 1, { resamples: 5 });
    expect(x.weakLeftOut.linksDropped).toBe(1);
    expect(x.weakLeftOut.scoreWith).toBeGreaterThan(0);
    expect(x.weakLeftOut.scoreWithout).toBe(0);
  });
});
