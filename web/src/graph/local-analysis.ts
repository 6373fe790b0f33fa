// Analysis of what is on the chart, in the browser: the same measures the server computes over a whole view,
// run here over the nodes the analyst can see (instant for a chart of a few thousand nodes). Runs over a
// simple undirected copy (parallel links folded, weights summed), as the measures are defined on one.
import Graph, { UndirectedGraph } from 'graphology';
import betweenness from 'graphology-metrics/centrality/betweenness';
import closeness from 'graphology-metrics/centrality/closeness';
import eigenvector from 'graphology-metrics/centrality/eigenvector';
import pagerank from 'graphology-metrics/centrality/pagerank';
import louvain from 'graphology-communities-louvain';
import { gradingWeight } from '@domain/grading.ts';
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

export function localMetric(g: UndirectedGraph, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  switch (name) {
    case 'degree':
      g.forEachNode((n) => (out[n] = g.degree(n)));
      return out;
    case 'weightedDegree':
      g.forEachNode((n) => {
        let s = 0;
        g.forEachEdge(n, (_e, a) => (s += a.weight as number));
        out[n] = s;
      });
      return out;
    case 'betweenness':
      return betweenness(g, { normalized: true });
    case 'closeness':
      return closeness(g, { wassermanFaust: true });
    case 'harmonic':
      g.forEachNode((n) => (out[n] = harmonicOf(g, n)));
      return out;
    case 'eigenvector':
      try {
        return eigenvector(g, { maxIterations: 500, tolerance: 1e-6 });
      } catch {
        return localMetric(g, 'pagerank');
      }
    case 'pagerank':
      return pagerank(g, { getEdgeWeight: 'weight' });
    case 'coreNumber':
      return coreNumbers(g);
    default:
      throw new Error(`unknown metric ${name}`);
  }
}

function harmonicOf(g: UndirectedGraph, src: string): number {
  const dist = new Map<string, number>([[src, 0]]);
  const q = [src];
  let h = 0;
  for (let i = 0; i < q.length; i++) {
    const u = q[i];
    const d = dist.get(u)!;
    g.forEachNeighbor(u, (v) => {
      if (dist.has(v)) return;
      dist.set(v, d + 1);
      h += 1 / (d + 1);
      q.push(v);
    });
  }
  return g.order > 1 ? h / (g.order - 1) : 0;
}

/** Core numbers by repeated peeling (Batagelj-Zaversnik would be linear; charts are small). */
export function coreNumbers(g: UndirectedGraph): Record<string, number> {
  const deg = new Map<string, number>();
  g.forEachNode((n) => deg.set(n, g.degree(n)));
  const core: Record<string, number> = {};
  const left = new Set(g.nodes());
  let k = 0;
  while (left.size) {
    let peeled = true;
    while (peeled) {
      peeled = false;
      for (const n of [...left]) {
        if (deg.get(n)! <= k) {
          core[n] = k;
          left.delete(n);
          peeled = true;
          g.forEachNeighbor(n, (m) => {
            if (left.has(m)) deg.set(m, deg.get(m)! - 1);
          });
        }
      }
    }
    k++;
  }
  return core;
}

export function localCommunities(g: UndirectedGraph, seed = 42): Record<string, number> {
  if (g.size === 0) {
    const out: Record<string, number> = {};
    g.forEachNode((n) => (out[n] = 0));
    return out;
  }
  // Seeded so the same chart gives the same communities.
  let s = seed >>> 0;
  const rng = (): number => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (s >>> 0) / 4294967296;
  };
  return louvain(g, { getEdgeWeight: 'weight', rng });
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

export interface LocalDisruptionStep {
  removed: string | null;
  lccShare: number;
  components: number;
}

/**
 * Removes nodes one at a time (in the given order, or each time the current top node by `metric` when
 * `recompute` is set) and records the largest component's share of the original nodes after each step.
 */
export function localDisruption(
  g: UndirectedGraph,
  opts: { targets?: string[]; metric?: string; k: number; recompute?: boolean },
): { steps: LocalDisruptionStep[]; fragments: Record<string, number>; removed: string[] } {
  const n0 = g.order;
  const removed = new Set<string>();
  const stat = (): { lccShare: number; components: number } => {
    const c = components(g, removed);
    const sizes = new Map<number, number>();
    for (const v of Object.values(c)) sizes.set(v, (sizes.get(v) ?? 0) + 1);
    return { lccShare: n0 ? (sizes.get(0) ?? 0) / n0 : 0, components: sizes.size };
  };
  const steps: LocalDisruptionStep[] = [{ removed: null, ...stat() }];
  let order = opts.targets?.slice(0, opts.k) ?? [];
  if (!opts.targets) {
    const m = localMetric(g, opts.metric ?? 'betweenness');
    order = Object.keys(m)
      .sort((a, b) => m[b] - m[a])
      .slice(0, opts.k);
  }
  for (let i = 0; i < order.length; i++) {
    let next = order[i];
    if (opts.recompute && !opts.targets && i > 0) {
      const sub = g.copy() as UndirectedGraph;
      for (const r of removed) sub.dropNode(r);
      const m = localMetric(sub, opts.metric ?? 'betweenness');
      next = Object.keys(m).sort((a, b) => m[b] - m[a])[0];
      if (!next) break;
    }
    removed.add(next);
    steps.push({ removed: next, ...stat() });
  }
  return { steps, fragments: components(g, removed), removed: [...removed] };
}

/**
 * How stable a node's rank is: recompute the metric on graphs where each link is kept with probability equal
 * to its grading weight (weak intelligence is the likeliest to be wrong), and report the 5th-95th percentile
 * of the node's rank over the samples.
 */
export function localRankStability(
  g: UndirectedGraph,
  node: string,
  metric: string,
  samples = 30,
  seed = 7,
): { rank: number; of: number; low: number; high: number; value: number } {
  const rankIn = (m: Record<string, number>): number => {
    const v = m[node] ?? 0;
    let r = 1;
    for (const x of Object.values(m)) if (x > v) r++;
    return r;
  };
  const base = localMetric(g, metric);
  let s = seed;
  const rng = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const ranks: number[] = [];
  for (let i = 0; i < samples; i++) {
    const h = new UndirectedGraph();
    g.forEachNode((n) => h.addNode(n));
    g.forEachEdge((_e, a, x, y) => {
      if (rng() < Math.max(0.5, gradingWeight(a.grading as Grading | null)))
        h.addEdge(x, y, { weight: a.weight });
    });
    ranks.push(rankIn(localMetric(h, metric)));
  }
  ranks.sort((a, b) => a - b);
  const pct = (p: number): number => ranks[Math.min(ranks.length - 1, Math.floor(p * ranks.length))];
  return { rank: rankIn(base), of: g.order, low: pct(0.05), high: pct(0.95), value: base[node] ?? 0 };
}
