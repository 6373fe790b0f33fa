// The compact graph every metric runs on: compressed sparse rows over typed arrays.
//
// Conventions the whole engine keeps:
// - Node i is `ids[i]`; ids keep input order, which is also the tie-break order ("lowest index wins").
// - An undirected graph stores each edge as two arcs, so `offsets/targets` list all neighbours.
//   A directed graph stores out-arcs in `offsets/targets` and in-arcs in `inOffsets/inTargets`.
// - Parallel links are merged into one edge whose weight is the SUM of their strengths (two reports of
//   three calls each are six calls). Self-loops are dropped: no metric here gives them a meaning.
// - Weights are strengths (calls, meetings, grading-weighted counts). Path metrics use the distance
//   1 / weight, so a stronger tie is a shorter path; see `arcDistance`.
import type { Subgraph } from '../domain/model.ts';

export interface CSR {
  readonly n: number;
  /** Distinct edges (undirected pairs, or directed arcs). */
  readonly m: number;
  readonly directed: boolean;
  readonly ids: readonly string[];
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;
  /** Edge index (into edgeU/edgeV/edgeW) of each arc. */
  readonly arcEdge: Int32Array;
  readonly inOffsets: Int32Array;
  readonly inTargets: Int32Array;
  readonly inWeights: Float64Array;
  readonly edgeU: Int32Array;
  readonly edgeV: Int32Array;
  readonly edgeW: Float64Array;
  /**
   * Per edge, the grading weight in (0, 1] of the best report behind it (see server/domain/grading.ts),
   * 1 when unknown. Kept so an explanation can leave weak intelligence out.
   */
  readonly edgeQuality: Float64Array;
}

export interface PlainEdge {
  source: string;
  target: string;
  weight?: number;
  directed?: boolean;
  /** Grading weight in (0, 1]; defaults to 1. */
  quality?: number;
}

export interface PlainGraph {
  nodes: ReadonlyArray<{ id: string; label?: string }>;
  edges: ReadonlyArray<PlainEdge>;
}

export interface CSROptions {
  /** Directed graph? Default: directed only when every edge says so. */
  directed?: boolean;
  /** Ignore weights (every edge weight 1). Default false. */
  unweighted?: boolean;
  /** Allocate the arrays on SharedArrayBuffer so worker threads can read them without a copy. */
  shared?: boolean;
}

function int32(len: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, len) * 4)) : new Int32Array(len);
}
function float64(len: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(Math.max(1, len) * 8)) : new Float64Array(len);
}

export class CSRError extends Error {
  constructor(message: string) {
    super(`csr: ${message}`);
    this.name = 'CSRError';
  }
}

/**
 * Build from parallel arrays of node indices. Edges are merged (weights summed; quality is the max, as a
 * fact is as strong as the best report behind it) and self-loops dropped.
 */
export function buildCSR(
  ids: readonly string[],
  us: ArrayLike<number>,
  vs: ArrayLike<number>,
  ws: ArrayLike<number> | null,
  directed: boolean,
  opts: { shared?: boolean; quality?: ArrayLike<number> | null } = {},
): CSR {
  const n = ids.length;
  const shared = opts.shared ?? false;
  const len = us.length;
  // Distinct (u, v) pairs by open addressing over typed arrays: a Map of 5M keys cost twice the memory
  // and time. Edge e is the e-th distinct pair in input order.
  let cap = 16;
  while (cap < 2 * len) cap *= 2;
  const mask = cap - 1;
  const slots = new Int32Array(cap).fill(-1);
  const eu = new Int32Array(len);
  const ev = new Int32Array(len);
  const ew = new Float64Array(len);
  const eq = new Float64Array(len);
  let m = 0;
  for (let i = 0; i < len; i++) {
    let u = us[i];
    let v = vs[i];
    if (u < 0 || v < 0 || u >= n || v >= n)
      throw new CSRError(`edge ${i} has an endpoint outside 0..${n - 1}`);
    if (u === v) continue;
    const w = ws ? ws[i] : 1;
    if (!(w > 0) || !Number.isFinite(w))
      throw new CSRError(`edge ${i} has weight ${w}; strengths must be > 0`);
    if (!directed && u > v) [u, v] = [v, u];
    const q = opts.quality ? opts.quality[i] : 1;
    let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(v, 0x85ebca6b);
    h ^= h >>> 15;
    let at = h & mask;
    let e = slots[at];
    while (e >= 0 && (eu[e] !== u || ev[e] !== v)) {
      at = (at + 1) & mask;
      e = slots[at];
    }
    if (e < 0) {
      slots[at] = m;
      eu[m] = u;
      ev[m] = v;
      ew[m] = w;
      eq[m] = q;
      m++;
    } else {
      ew[e] += w;
      if (q > eq[e]) eq[e] = q;
    }
  }
  const edgeU = int32(m, shared);
  const edgeV = int32(m, shared);
  const edgeW = float64(m, shared);
  const edgeQuality = float64(m, shared);
  edgeU.set(eu.subarray(0, m));
  edgeV.set(ev.subarray(0, m));
  edgeW.set(ew.subarray(0, m));
  edgeQuality.set(eq.subarray(0, m));

  const arcs = directed ? m : 2 * m;
  const offsets = int32(n + 1, shared);
  for (let e = 0; e < m; e++) {
    offsets[edgeU[e] + 1]++;
    if (!directed) offsets[edgeV[e] + 1]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const targets = int32(arcs, shared);
  const weights = float64(arcs, shared);
  const arcEdge = int32(arcs, shared);
  const fill = offsets.slice(0, n);
  // Edges are visited in input order, so each node's neighbours keep the order they were first seen.
  for (let e = 0; e < m; e++) {
    const u = edgeU[e];
    const v = edgeV[e];
    let p = fill[u]++;
    targets[p] = v;
    weights[p] = edgeW[e];
    arcEdge[p] = e;
    if (!directed) {
      p = fill[v]++;
      targets[p] = u;
      weights[p] = edgeW[e];
      arcEdge[p] = e;
    }
  }
  if (!directed) {
    return {
      n,
      m,
      directed,
      ids,
      offsets,
      targets,
      weights,
      arcEdge,
      inOffsets: offsets,
      inTargets: targets,
      inWeights: weights,
      edgeU,
      edgeV,
      edgeW,
      edgeQuality,
    };
  }
  const inOffsets = int32(n + 1, shared);
  for (let e = 0; e < m; e++) inOffsets[edgeV[e] + 1]++;
  for (let i = 0; i < n; i++) inOffsets[i + 1] += inOffsets[i];
  const inTargets = int32(m, shared);
  const inWeights = float64(m, shared);
  const inFill = inOffsets.slice(0, n);
  for (let e = 0; e < m; e++) {
    const p = inFill[edgeV[e]]++;
    inTargets[p] = edgeU[e];
    inWeights[p] = edgeW[e];
  }
  return {
    n,
    m,
    directed,
    ids,
    offsets,
    targets,
    weights,
    arcEdge,
    inOffsets,
    inTargets,
    inWeights,
    edgeU,
    edgeV,
    edgeW,
    edgeQuality,
  };
}

/** Build from `{nodes, edges}` (the shape the network-file parsers return). Unknown endpoints are an error. */
export function fromPlainGraph(g: PlainGraph, opts: CSROptions = {}): CSR {
  const ids = g.nodes.map((x) => x.id);
  const pos = new Map<string, number>();
  ids.forEach((id, i) => {
    if (pos.has(id)) throw new CSRError(`node id ${JSON.stringify(id)} appears twice`);
    pos.set(id, i);
  });
  const directed = opts.directed ?? (g.edges.length > 0 && g.edges.every((e) => e.directed === true));
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  const qs: number[] = [];
  g.edges.forEach((e, i) => {
    const u = pos.get(e.source);
    const v = pos.get(e.target);
    if (u === undefined || v === undefined) {
      throw new CSRError(
        `edge ${i} names unknown node ${JSON.stringify(u === undefined ? e.source : e.target)}`,
      );
    }
    const w = opts.unweighted ? 1 : (e.weight ?? 1);
    const q = e.quality ?? 1;
    us.push(u);
    vs.push(v);
    ws.push(w);
    qs.push(q);
    // An undirected link inside a directed graph runs both ways.
    if (directed && e.directed === false) {
      us.push(v);
      vs.push(u);
      ws.push(w);
      qs.push(q);
    }
  });
  return buildCSR(ids, us, vs, ws, directed, { shared: opts.shared, quality: qs });
}

/** Build from a store Subgraph as it is: entities are nodes, links are edges (no projection or filtering). */
export function fromSubgraph(sg: Subgraph, opts: CSROptions = {}): CSR {
  return fromPlainGraph(
    {
      nodes: sg.nodes.map((e) => ({ id: e.id })),
      edges: sg.links.map((l) => ({ source: l.from, target: l.to, weight: l.weight, directed: l.directed })),
    },
    { directed: false, ...opts },
  );
}

/** The distance of an arc for path metrics: the reciprocal of its strength. */
export function arcDistance(weight: number): number {
  return 1 / weight;
}

/**
 * The graph without some nodes and/or edges. Node order (and so tie-breaking) is kept; `map[i]` is the
 * new index of old node i, or -1.
 */
export function inducedCSR(
  g: CSR,
  keepNode: Uint8Array | null,
  keepEdge: Uint8Array | null = null,
  shared = false,
): { csr: CSR; map: Int32Array; back: Int32Array } {
  const map = new Int32Array(g.n).fill(-1);
  const ids: string[] = [];
  const backList: number[] = [];
  for (let i = 0; i < g.n; i++) {
    if (keepNode && !keepNode[i]) continue;
    map[i] = ids.length;
    ids.push(g.ids[i]);
    backList.push(i);
  }
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  const qs: number[] = [];
  for (let e = 0; e < g.m; e++) {
    if (keepEdge && !keepEdge[e]) continue;
    const u = map[g.edgeU[e]];
    const v = map[g.edgeV[e]];
    if (u < 0 || v < 0) continue;
    us.push(u);
    vs.push(v);
    ws.push(g.edgeW[e]);
    qs.push(g.edgeQuality[e]);
  }
  return {
    csr: buildCSR(ids, us, vs, ws, g.directed, { shared, quality: qs }),
    map,
    back: Int32Array.from(backList),
  };
}

/** Same graph with every weight 1 (for metrics asked to ignore strength). */
export function unweightedCSR(g: CSR): CSR {
  const ones = new Float64Array(g.m).fill(1);
  return buildCSR(g.ids, g.edgeU, g.edgeV, ones, g.directed, { quality: g.edgeQuality });
}

/** Undirected copy of a directed graph (arc weights summed per pair); the graph itself when undirected. */
export function undirectedCSR(g: CSR): CSR {
  if (!g.directed) return g;
  return buildCSR(g.ids, g.edgeU, g.edgeV, g.edgeW, false, { quality: g.edgeQuality });
}

/** Copy onto SharedArrayBuffer (for worker threads). */
export function toShared(g: CSR): CSR {
  // A view built off the request thread arrives shared already: rebuilding it would put the work back there.
  if (isShared(g)) return g;
  return buildCSR(g.ids, g.edgeU, g.edgeV, g.edgeW, g.directed, { shared: true, quality: g.edgeQuality });
}

/** Whether every array of `g` lives on SharedArrayBuffer (worker threads can read it without a copy). */
export function isShared(g: CSR): boolean {
  const arrays = [g.offsets, g.targets, g.weights, g.arcEdge, g.inOffsets, g.inTargets, g.inWeights];
  arrays.push(g.edgeU, g.edgeV, g.edgeW, g.edgeQuality);
  return arrays.every((a) => a.buffer instanceof SharedArrayBuffer);
}

export function indexOfId(g: CSR, id: string): number {
  const i = g.ids.indexOf(id);
  if (i < 0) throw new CSRError(`no node ${JSON.stringify(id)} in this graph`);
  return i;
}
