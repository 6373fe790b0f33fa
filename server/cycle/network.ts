// Network measures the intelligence cycle needs (components, pairwise connectivity, betweenness,
// communities, brokers) over a Subgraph. Pure: no I/O. The cycle treats every link as undirected and
// collapses parallel links, because "who can reach whom" is what disruption is about; the analysis
// engine's richer options (weights, grading) are for the analyst's own views.
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { buildView } from '../analysis/view.ts';
import { betweenness as engineBetweenness } from '../analysis/betweenness.ts';
import { fromPlainGraph, type CSR } from '../analysis/csr.ts';
import { mulberry32 } from '../analysis/random.ts';
import type { Subgraph } from '../domain/model.ts';

/** A simple undirected graph with integer node indices, built once per window. */
export interface SimpleGraph {
  ids: string[];
  index: Map<string, number>;
  /** Neighbour lists (no self-loops, no duplicates). */
  adj: number[][];
  edgeCount: number;
}

export interface BuildOptions {
  /** Leave out nodes with no links (the store may return isolated entities). Default true. */
  dropIsolated?: boolean;
  /** Only these node ids (e.g. everything but the removed targets). */
  exclude?: ReadonlySet<string>;
  /**
   * Fold each phone into the person who uses it (the analysis engine's view projection), so call data
   * links people directly. Default false.
   */
  foldPhones?: boolean;
}

export function buildSimpleGraph(
  input: Pick<Subgraph, 'nodes' | 'links'>,
  opts: BuildOptions = {},
): SimpleGraph {
  const dropIsolated = opts.dropIsolated ?? true;
  const exclude = opts.exclude ?? new Set<string>();
  const sub = opts.foldPhones ? foldPhones(input) : input;
  const known = new Set(sub.nodes.map((n) => n.id));
  const pairs = new Map<string, Set<string>>();
  const touch = (id: string): Set<string> => {
    let s = pairs.get(id);
    if (!s) pairs.set(id, (s = new Set()));
    return s;
  };
  if (!dropIsolated) for (const n of sub.nodes) if (!exclude.has(n.id)) touch(n.id);
  for (const l of sub.links) {
    if (l.from === l.to) continue;
    if (!known.has(l.from) || !known.has(l.to)) continue;
    if (exclude.has(l.from) || exclude.has(l.to)) continue;
    touch(l.from).add(l.to);
    touch(l.to).add(l.from);
  }
  // Sorted ids make every downstream result independent of the store's row order.
  const ids = [...pairs.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i] as const));
  let edgeCount = 0;
  const adj = ids.map((id) => {
    const list = [...(pairs.get(id) ?? [])].map((n) => index.get(n)!).sort((a, b) => a - b);
    edgeCount += list.length;
    return list;
  });
  return { ids, index, adj, edgeCount: edgeCount / 2 };
}

export interface ComponentSummary {
  nodes: number;
  components: number;
  /** Size of the largest connected component. */
  lccSize: number;
  /** lccSize / nodes (0 for an empty graph). */
  lccShare: number;
  /** Connected (unordered) pairs: sum over components of n(n-1)/2. */
  connectedPairs: number;
  /** connectedPairs / (nodes(nodes-1)/2): 1 when everyone can reach everyone. */
  pairwiseConnectivity: number;
}

export function componentLabels(g: SimpleGraph): Int32Array {
  const comp = new Int32Array(g.ids.length).fill(-1);
  let c = 0;
  const stack: number[] = [];
  for (let s = 0; s < comp.length; s++) {
    if (comp[s] !== -1) continue;
    comp[s] = c;
    stack.push(s);
    while (stack.length) {
      const v = stack.pop()!;
      for (const w of g.adj[v]) {
        if (comp[w] === -1) {
          comp[w] = c;
          stack.push(w);
        }
      }
    }
    c++;
  }
  return comp;
}

export function componentSummary(g: SimpleGraph): ComponentSummary {
  const n = g.ids.length;
  const comp = componentLabels(g);
  const sizes = new Map<number, number>();
  for (const c of comp) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  let lcc = 0;
  let pairs = 0;
  for (const s of sizes.values()) {
    lcc = Math.max(lcc, s);
    pairs += (s * (s - 1)) / 2;
  }
  const all = (n * (n - 1)) / 2;
  return {
    nodes: n,
    components: sizes.size,
    lccSize: lcc,
    lccShare: n === 0 ? 0 : lcc / n,
    connectedPairs: pairs,
    pairwiseConnectivity: all === 0 ? 0 : pairs / all,
  };
}

/** The simple graph as the analysis engine's compact graph (unweighted, undirected). */
export function toCsr(g: SimpleGraph): CSR {
  return fromPlainGraph(
    {
      nodes: g.ids.map((id) => ({ id })),
      edges: g.adj.flatMap((list, v) =>
        list.filter((w) => w > v).map((w) => ({ source: g.ids[v], target: g.ids[w] })),
      ),
    },
    { directed: false, unweighted: true },
  );
}

export interface BetweennessOptions {
  /** Exact up to this many nodes; above it, sampled from `pivots` seeded sources. */
  maxExact?: number;
  pivots?: number;
  seed?: number;
}
export const DEFAULT_BETWEENNESS = { maxExact: 4000, pivots: 1000, seed: 1 };

/** How many sources betweenness uses for a graph of n nodes: null when exact. */
export function betweennessPivots(n: number, opts: BetweennessOptions = {}): number | null {
  const o = { ...DEFAULT_BETWEENNESS, ...opts };
  return n > o.maxExact ? o.pivots : null;
}

/**
 * Betweenness on the undirected simple graph (the analysis engine's Brandes), normalised like networkx
 * ((n-1)(n-2)/2 pairs) so windows of different sizes compare: 1 means the node sits on every shortest
 * path between others. Large graphs are sampled (see betweennessPivots) so a review stays interactive.
 */
export function betweenness(g: SimpleGraph, opts: BetweennessOptions = {}): Float64Array {
  if (g.ids.length === 0) return new Float64Array(0);
  const o = { ...DEFAULT_BETWEENNESS, ...opts };
  return engineBetweenness(toCsr(g), {
    normalized: true,
    k: betweennessPivots(g.ids.length, o),
    seed: o.seed,
  });
}

/** Louvain communities (seeded); isolated nodes are their own community. */
export function communities(g: SimpleGraph, seed = 42): { labels: Int32Array; count: number } {
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (const id of g.ids) graph.addNode(id);
  g.adj.forEach((list, v) => {
    for (const w of list) if (w > v) graph.addUndirectedEdge(g.ids[v], g.ids[w]);
  });
  const labels = new Int32Array(g.ids.length);
  if (g.edgeCount === 0) {
    labels.forEach((_, i) => (labels[i] = i));
    return { labels, count: g.ids.length };
  }
  // Seeded so community detection repeats run to run.
  const mapping = louvain(graph, { rng: mulberry32(seed) });
  // Renumber by first appearance in sorted id order so labels are stable for the same input.
  const renumber = new Map<number, number>();
  g.ids.forEach((id, i) => {
    const raw = mapping[id];
    if (!renumber.has(raw)) renumber.set(raw, renumber.size);
    labels[i] = renumber.get(raw)!;
  });
  return { labels, count: renumber.size };
}

/**
 * A broker ties communities together: a node whose neighbours fall in at least `minCommunities`
 * communities (counting its own) and that lies on some shortest path (betweenness above 0).
 */
export function brokers(
  g: SimpleGraph,
  labels: Int32Array,
  bc: Float64Array,
  minCommunities = 2,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let v = 0; v < g.ids.length; v++) {
    if (bc[v] <= 0) continue;
    const seen = new Set<number>([labels[v]]);
    for (const w of g.adj[v]) seen.add(labels[w]);
    if (seen.size >= minCommunities)
      out.set(
        v,
        [...seen].sort((a, b) => a - b),
      );
  }
  return out;
}

/** The subgraph with phones folded into their users (server/analysis/view.ts), as plain nodes and links. */
export function foldPhones(sub: Pick<Subgraph, 'nodes' | 'links'>): Pick<Subgraph, 'nodes' | 'links'> {
  const view = buildView(
    { dataVersion: 0, nodes: sub.nodes, links: sub.links, truncated: false },
    {
      projection: { foldPhones: true },
    },
  );
  const keep = new Set(view.csr.ids);
  const nodes = sub.nodes.filter((n) => keep.has(n.id));
  const links: Subgraph['links'] = [];
  const g = view.csr;
  for (let e = 0; e < g.m; e++) {
    const from = g.ids[g.edgeU[e]];
    const to = g.ids[g.edgeV[e]];
    links.push({
      id: `${from}~${to}`,
      type: 'ASSOCIATE_OF',
      from,
      to,
      directed: false,
      weight: g.edgeW[e],
      firstSeen: null,
      lastSeen: null,
      properties: {},
      grading: null,
      createdAt: '',
      updatedAt: '',
    });
  }
  return { nodes, links };
}
