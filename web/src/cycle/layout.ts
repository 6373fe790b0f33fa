// One layout for both review windows, so a node sits in the same place before and after and the eye
// sees what changed. ForceAtlas2 on the union of the two windows, from a seeded start.
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { Subgraph } from '@domain/model.ts';
import { mulberry32 } from '../../../server/analysis/random.ts';

export type Positions = Map<string, { x: number; y: number }>;

export function sharedLayout(windows: Subgraph[], iterations = 200): Positions {
  const g = new Graph({ type: 'undirected', multi: false });
  const r = mulberry32(7);
  const linked = new Set<string>();
  for (const w of windows) for (const l of w.links) linked.add(l.from).add(l.to);
  for (const w of windows)
    for (const n of w.nodes)
      if (linked.has(n.id) && !g.hasNode(n.id)) g.addNode(n.id, { x: r() * 100, y: r() * 100 });
  for (const w of windows)
    for (const l of w.links) {
      if (l.from === l.to || !g.hasNode(l.from) || !g.hasNode(l.to) || g.hasEdge(l.from, l.to)) continue;
      g.addEdge(l.from, l.to);
    }
  if (g.order > 0) {
    forceAtlas2.assign(g, {
      iterations: g.order > 2000 ? 60 : iterations,
      settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 500, gravity: 1 },
    });
  }
  const out: Positions = new Map();
  g.forEachNode((id, a) => out.set(id, { x: a.x as number, y: a.y as number }));
  return out;
}
