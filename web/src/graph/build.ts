// Turning API subgraphs into graph attributes. Writes are batched (one pass per call) and parallel links
// are indexed so each gets its own curve.
import type Graph from 'graphology';
import { DEFAULT_EDGE_CURVATURE } from '@sigma/edge-curve';
import type { Entity, Link, Subgraph } from '@domain/model.ts';
import { hash01 } from './hash.ts';
import { DEFAULT_NODE_SIZE, LINK_COLOURS, TYPE_COLOURS, edgeThickness, iconUrl } from './style.ts';

export interface NodeAttrs {
  [k: string]: unknown;
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  image: string;
  type: 'image';
  etype: Entity['type'];
  key: string;
  props: Entity['properties'];
  fixed?: boolean;
}

export interface EdgeAttrs {
  [k: string]: unknown;
  ltype: Link['type'];
  weight: number;
  directed: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  grading: Link['grading'];
  size: number;
  color: string;
  type: 'line' | 'arrow' | 'curved' | 'curvedArrow';
  curvature?: number;
}

export function nodeAttrs(e: Entity, x: number, y: number): NodeAttrs {
  return {
    x,
    y,
    size: DEFAULT_NODE_SIZE,
    color: TYPE_COLOURS[e.type],
    label: e.label,
    image: iconUrl(e.type),
    type: 'image',
    etype: e.type,
    key: e.key,
    props: e.properties,
  };
}

export function edgeAttrs(l: Link): EdgeAttrs {
  return {
    ltype: l.type,
    weight: l.weight,
    directed: l.directed,
    firstSeen: l.firstSeen,
    lastSeen: l.lastSeen,
    grading: l.grading,
    size: edgeThickness(l.weight),
    color: LINK_COLOURS[l.type] ?? '#999',
    type: l.directed ? 'arrow' : 'line',
  };
}

export { hash01 };

export interface MergeResult {
  addedNodes: string[];
  addedEdges: string[];
}

/**
 * Adds the subgraph's entities and links that are not on the chart yet. New nodes are placed around the
 * chart neighbour they link to (so an expansion grows out of the node expanded), or on a spiral when they
 * link to nothing already drawn.
 */
export function mergeSubgraph(graph: Graph, sub: Pick<Subgraph, 'nodes' | 'links'>): MergeResult {
  const addedNodes: string[] = [];
  const addedEdges: string[] = [];
  const existing = graph.order;
  const neighbourOf = new Map<string, string>();
  for (const l of sub.links) {
    const aIn = graph.hasNode(l.from);
    const bIn = graph.hasNode(l.to);
    if (aIn && !bIn && !neighbourOf.has(l.to)) neighbourOf.set(l.to, l.from);
    if (bIn && !aIn && !neighbourOf.has(l.from)) neighbourOf.set(l.from, l.to);
  }
  let spiral = existing;
  const spread = Math.max(10, Math.sqrt(existing + sub.nodes.length) * 8);
  for (const e of sub.nodes) {
    if (graph.hasNode(e.id)) continue;
    const anchor = neighbourOf.get(e.id);
    let x: number;
    let y: number;
    const a = hash01(e.id) * Math.PI * 2;
    if (anchor && graph.hasNode(anchor)) {
      const r = 6 + hash01(e.id + '#') * 10;
      x = graph.getNodeAttribute(anchor, 'x') + Math.cos(a) * r;
      y = graph.getNodeAttribute(anchor, 'y') + Math.sin(a) * r;
    } else {
      const r = spread * Math.sqrt((spiral + 0.5) / Math.max(1, existing + sub.nodes.length));
      const t = spiral * 2.399963; // golden angle: even fill without a random generator
      x = Math.cos(t) * r;
      y = Math.sin(t) * r;
      spiral++;
    }
    graph.addNode(e.id, nodeAttrs(e, x, y));
    addedNodes.push(e.id);
  }
  for (const l of sub.links) {
    if (graph.hasEdge(l.id) || !graph.hasNode(l.from) || !graph.hasNode(l.to)) continue;
    graph.addDirectedEdgeWithKey(l.id, l.from, l.to, edgeAttrs(l));
    addedEdges.push(l.id);
  }
  if (addedEdges.length) curveParallelEdges(graph);
  return { addedNodes, addedEdges };
}

function curvature(index: number, maxIndex: number): number {
  if (index < 0) return -curvature(-index, maxIndex);
  const amplitude = 3.5;
  const maxCurvature = amplitude * (1 - Math.exp(-maxIndex / amplitude)) * DEFAULT_EDGE_CURVATURE;
  return (maxCurvature * index) / Math.max(1, maxIndex);
}

/**
 * Single links are straight lines (cheaper); links sharing their two ends fan out as curves, numbered as
 * @sigma/edge-curve's indexParallelEdgesIndex numbers them. One pass over the links and one batched write:
 * that function writes each link's index with its own attribute event, and sigma answers every event (on a
 * 60,000-link view that was most of the time before the first frame).
 */
export function curveParallelEdges(graph: Graph): void {
  const nodeIndex = new Map<string, number>();
  graph.forEachNode((n) => nodeIndex.set(n, nodeIndex.size));
  const n = nodeIndex.size;
  // Pairs as numbers (source * n + target): ids are strings of any length, a number key is cheap.
  const directedKey = (s: string, t: string): number => nodeIndex.get(s)! * n + nodeIndex.get(t)!;
  const pairKey = (s: string, t: string): number => {
    const a = nodeIndex.get(s)!;
    const b = nodeIndex.get(t)!;
    return a < b ? a * n + b : b * n + a;
  };
  const directedCount = new Map<number, number>();
  const pairCount = new Map<number, number>();
  let parallel = false;
  graph.forEachEdge((_e, _a, s, t) => {
    const d = directedKey(s, t);
    const p = pairKey(s, t);
    const dc = (directedCount.get(d) ?? 0) + 1;
    const pc = (pairCount.get(p) ?? 0) + 1;
    directedCount.set(d, dc);
    pairCount.set(p, pc);
    if (pc > 1) parallel = true;
  });
  // Where each link stands among the links of its direction, in the graph's order (as the index numbers them).
  const seen = new Map<number, number>();
  graph.updateEachEdgeAttributes(
    (_e, attr, s, t) => {
      const directed = attr.directed as boolean;
      const straight = directed ? 'arrow' : 'line';
      const dk = parallel ? directedKey(s, t) : 0;
      const dc = parallel ? directedCount.get(dk)! : 1;
      const pc = parallel ? pairCount.get(pairKey(s, t))! : 1;
      if (pc === 1) {
        attr.type = straight;
        // A link left alone by a removal is straight again: its label sits on the line (controller.ts).
        if (attr.curvature) attr.curvature = 0;
        return attr;
      }
      const i = seen.get(dk) ?? 0;
      seen.set(dk, i + 1);
      let index: number;
      let max: number;
      let symmetric = false;
      if (dc === 1) {
        index = 1;
        max = 1;
      } else if (dc === pc) {
        // All one way: fanned symmetrically, the middle one (odd count) straight.
        max = (dc - 1) / 2;
        index = -max + i;
        symmetric = true;
      } else {
        index = i + 1;
        max = dc;
      }
      const isStraight = symmetric && index === 0;
      attr.type = isStraight ? straight : directed ? 'curvedArrow' : 'curved';
      attr.curvature = isStraight ? 0 : curvature(index, max);
      return attr;
    },
    { attributes: ['type', 'curvature'] },
  );
}
