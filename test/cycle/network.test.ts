// The cycle's network measures against networkx (an independent implementation) and hand cases.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  betweenness,
  betweennessPivots,
  buildSimpleGraph,
  componentSummary,
} from '../../server/cycle/network.ts';
import { midRankPercentiles } from '../../server/cycle/priority-matrix.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { people } from './fixtures.ts';

describe('cycle network measures', () => {
  it('match networkx betweenness (normalised) and components on a random graph', () => {
    const rng = mulberry32(7);
    const n = 60;
    const edges: [number, number][] = [];
    for (let i = 0; i < 75; i++) edges.push([Math.floor(rng() * n), Math.floor(rng() * n)]);
    const sub = people(n, edges);
    const g = buildSimpleGraph(sub);
    const bc = betweenness(g);
    const cs = componentSummary(g);
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import json,sys,networkx as nx
d=json.load(sys.stdin); G=nx.Graph(); G.add_nodes_from(d['nodes']); G.add_edges_from(e for e in d['edges'] if e[0]!=e[1])
G.remove_nodes_from([v for v in list(G) if G.degree(v)==0])
b=nx.betweenness_centrality(G, normalized=True); cc=list(nx.connected_components(G)); n=G.number_of_nodes()
print(json.dumps({'bc':b,'components':len(cc),'lcc':max(len(c) for c in cc),'pairs':sum(len(c)*(len(c)-1)//2 for c in cc)}))`,
      ],
      {
        input: JSON.stringify({
          nodes: sub.nodes.map((x) => x.id),
          edges: sub.links.map((l) => [l.from, l.to]),
        }),
        encoding: 'utf8',
      },
    );
    expect(py.status, py.stderr).toBe(0);
    const ref = JSON.parse(py.stdout) as {
      bc: Record<string, number>;
      components: number;
      lcc: number;
      pairs: number;
    };
    expect(Object.keys(ref.bc).sort()).toEqual(g.ids);
    g.ids.forEach((id, i) => expect(bc[i]).toBeCloseTo(ref.bc[id], 10));
    expect(cs.components).toBe(ref.components);
    expect(cs.lccSize).toBe(ref.lcc);
    expect(cs.connectedPairs).toBe(ref.pairs);
  });

  it('computes component shares by hand', () => {
    // 0-1-2 and 3-4: 5 nodes, LCC 3 (60%), pairs 3 + 1 = 4 of 10
    const cs = componentSummary(
      buildSimpleGraph(
        people(5, [
          [0, 1],
          [1, 2],
          [3, 4],
          [3, 4],
        ]),
      ),
    );
    expect(cs).toEqual({
      nodes: 5,
      components: 2,
      lccSize: 3,
      lccShare: 0.6,
      connectedPairs: 4,
      pairwiseConnectivity: 0.4,
    });
  });

  it('ranks mid-rank percentiles', () => {
    // zeros share the lower half: (0 + 3/2)/5 = 30th; 1 -> (3 + 0.5)/5 = 70th; 5 -> 90th
    expect(midRankPercentiles([0, 0, 0, 1, 5])).toEqual([30, 30, 30, 70, 90]);
  });

  it('samples betweenness on large graphs and stays close to exact', () => {
    expect(betweennessPivots(4000)).toBeNull();
    expect(betweennessPivots(4001)).toBe(1000);
    // 30 cliques of 10, each tied to the hub (node 300) through its first member: the hub dominates.
    const edges: [number, number][] = [];
    for (let c = 0; c < 30; c++) {
      for (let i = 0; i < 10; i++) for (let j = i + 1; j < 10; j++) edges.push([c * 10 + i, c * 10 + j]);
      edges.push([c * 10, 300]);
    }
    const g = buildSimpleGraph(people(301, edges));
    const exact = betweenness(g);
    const sampled = betweenness(g, { maxExact: 100, pivots: 150 });
    const top = (x: Float64Array) => [...x.keys()].sort((a, b) => x[b] - x[a])[0];
    expect(g.ids[top(exact)]).toBe('p300');
    expect(g.ids[top(sampled)]).toBe('p300');
    let worst = 0;
    for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(sampled[i] - exact[i]));
    expect(worst).toBeLessThan(0.1);
    expect(sampled).not.toEqual(exact);
  });
});
