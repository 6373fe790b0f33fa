// What the chart needs to draw the disruption lab's fragments: a simple undirected copy of what is visible
// and its connected components. Scores (centralities, communities, disruption, rank stability) are never
// computed here: they come from the server's engine through the job API (web/src/analysis/run.ts), so a
// number on the chart is the number the server, the briefing and the exports show.
import Graph, { UndirectedGraph } from 'graphology';
import type { Grading } from '@domain/model.ts';

export function simpleCopy(
  graph: Graph,
  keepNode: (id: string) => boolean = () => true,
  keepEdge: (id: string) => boolean = () => true,
): UndirectedGraph {
  const g = new UndirectedGraph();
  graph.forEachNode((n) => {
    if (keepNode(n)) g.addNode(n);
  });
  graph.forEachEdge((e, a, s, t) => {
    if (s === t || !keepEdge(e) || !g.hasNode(s) || !g.hasNode(t)) return;
    const w = Number(a.weight) || 1;
    if (g.hasEdge(s, t)) g.updateEdgeAttribute(s, t, 'weight', (x) => (x as number) + w);
    else g.addEdge(s, t, { weight: w, grading: a.grading as Grading | null });
  });
  return g;
}

/** Connected components as node id -> component index (largest component is 0). */
export function components(
  g: UndirectedGraph,
  removed: ReadonlySet<string> = new Set(),
): Record<string, number> {
  const comp: Record<string, number> = {};
  const groups: string[][] = [];
  g.forEachNode((n) => {
    if (removed.has(n) || comp[n] !== undefined) return;
    const members = [n];
    comp[n] = -1;
    for (let i = 0; i < members.length; i++) {
      g.forEachNeighbor(members[i], (m) => {
        if (removed.has(m) || comp[m] !== undefined) return;
        comp[m] = -1;
        members.push(m);
      });
    }
    groups.push(members);
  });
  groups.sort((a, b) => b.length - a.length);
  groups.forEach((ms, i) => ms.forEach((m) => (comp[m] = i)));
  return comp;
}
