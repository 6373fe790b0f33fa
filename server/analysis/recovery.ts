// Resilience: after the removals, how much of the damage survives the network's own repair?
//
// The model follows Duijn, Kashirin & Sloot 2014 ("The relative ineffectiveness of criminal network
// disruption", Sci. Rep. 4:4238): members who lose a contact try to replace it, and they replace it
// through those they already know about, so the network closes around the gap.
//   For every tie u-r broken by removing r (u survives), with probability `pRecover` u forms ONE new tie
//   to a surviving v (v != u, not already linked to u), chosen with weight
//     baseWeight + sharedNeighbourWeight x (common neighbours of u and v in the INTACT network)
//                + communityWeight x [u and v in the same Louvain community of the intact network]
//   Common neighbours include the removed node itself, so the removed node's other contacts are the
//   likeliest replacements (triadic closure around the gap).
// Each run is seeded (seed, run); `runs` runs give a distribution. The damage is the fall in pairwise
// connectivity (connected pairs / n0(n0-1)/2, n0 = the intact network's nodes); the share that survives
// recovery is (PC0 - PC recovered) / (PC0 - PC after removal), reported as the median over runs with the
// 5th-95th percentile interval (the median always lies inside it).
//
// Successors: who is likely to take over the removed nodes' brokerage, by the measure the operational
// review uses for risers after the fact, passed in as `brokerage` (server/jobs/lab-request.ts passes
// server/cycle/network.ts `betweenness`: normalised by (n-1)(n-2)/2, sampled above 4000 nodes; this module
// stays free of the cycle's code), here BEFORE the fact: the rise from the intact network to each recovered
// network, over the first `successorRuns` runs. Reported: the share of those runs in which the node is
// among the top risers, and its median rise.
import type { CSR } from './csr.ts';
import { connectedComponents } from './components.ts';
import { louvain } from './louvain.ts';
import { mulberry32 } from './random.ts';
import { LabError } from './strategies.ts';

/** The operational review's simple graph (server/cycle/network.ts SimpleGraph), the shape `brokerage` reads. */
export interface SimpleGraph {
  ids: string[];
  index: Map<string, number>;
  adj: number[][];
  edgeCount: number;
}

export interface RecoveryOptions {
  /** Brokerage score per node of a simple graph; successors are not scored without it. */
  brokerage?: (g: SimpleGraph) => Float64Array;
  /** What `brokerage` measures, in words, for the result. */
  brokerageName?: string;
  runs?: number;
  seed?: number;
  pRecover?: number;
  baseWeight?: number;
  sharedNeighbourWeight?: number;
  communityWeight?: number;
  /** How many successors to name. */
  successors?: number;
  /** Runs whose recovered network is scored for successors (betweenness per run is the costly part). */
  successorRuns?: number;
  /** 1 where a node may be named a successor (e.g. people only); null = every node. */
  eligible?: Uint8Array | null;
  onProgress?: (done: number, total: number) => void;
}
export const RECOVERY_DEFAULTS = {
  runs: 100,
  seed: 1,
  pRecover: 0.5,
  baseWeight: 0.05,
  sharedNeighbourWeight: 1,
  communityWeight: 0.5,
  successors: 5,
  successorRuns: 20,
};
export const RECOVERY_LIMITS = {
  maxRuns: 1000,
  maxSuccessorRuns: 50,
  maxSuccessorNodes: 20_000,
  /**
   * Successor runs are cut so that runs x n x (n + m) (exact betweenness per run) stays under this; the
   * result's parameters.successorRuns says how many were scored.
   */
  maxSuccessorWork: 4e9,
};

export const RECOVERY_MODEL =
  'Duijn, Kashirin & Sloot 2014: each tie broken by a removal is replaced with probability pRecover by one new tie from the survivor to someone it does not yet know, chosen with weight baseWeight + sharedNeighbourWeight x common neighbours (intact network) + communityWeight x same community';

export interface Interval {
  /** Median over runs. */
  point: number;
  low: number;
  high: number;
}

export interface Successor {
  index: number;
  /** Share of scored runs in which the node is among the top risers. */
  share: number;
  /** Median rise in normalised betweenness over the scored runs. */
  rise: number;
  before: number;
  /** Linked to a removed node in the intact network. */
  targetNeighbour: boolean;
}

export interface RecoveryResult {
  model: string;
  parameters: Omit<typeof RECOVERY_DEFAULTS, 'successors'> & { interval: string };
  removed: number[];
  tiesBroken: number;
  newTies: Interval;
  pairwiseConnectivity: { intact: number; afterRemoval: number; recovered: Interval };
  lccShare: { intact: number; afterRemoval: number; recovered: Interval };
  /** Share of the pairwise-connectivity damage still there after recovery; null when nothing was damaged. */
  damageSurviving: Interval | null;
  successors: Successor[];
  successorMeasure: string;
}

/** The p-th quantile (0..1) of sorted values, linear between order statistics (numpy's default). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function interval(values: number[]): Interval {
  const s = [...values].sort((a, b) => a - b);
  return { point: quantile(s, 0.5), low: quantile(s, 0.05), high: quantile(s, 0.95) };
}

interface Shape {
  connected: number;
  lcc: number;
}
/** Connected pairs and largest component of the alive nodes joined by original and extra edges. */
function shape(g: CSR, removed: Uint8Array, extra: Array<[number, number]>): Shape {
  const parent = Int32Array.from({ length: g.n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[ra] = rb;
  };
  for (let e = 0; e < g.m; e++) {
    const u = g.edgeU[e];
    const v = g.edgeV[e];
    if (!removed[u] && !removed[v]) join(u, v);
  }
  for (const [u, v] of extra) join(u, v);
  const size = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) if (!removed[v]) size[find(v)]++;
  let connected = 0;
  let lcc = 0;
  for (const s of size) {
    connected += (s * (s - 1)) / 2;
    if (s > lcc) lcc = s;
  }
  return { connected, lcc };
}

/** The alive part of g plus extra edges, as the review's simple graph (ids keep g's order). */
function simpleGraph(
  g: CSR,
  removed: Uint8Array,
  extra: Array<[number, number]>,
): { sg: SimpleGraph; back: number[] } {
  const back: number[] = [];
  const map = new Int32Array(g.n).fill(-1);
  for (let v = 0; v < g.n; v++)
    if (!removed[v]) {
      map[v] = back.length;
      back.push(v);
    }
  const sets = back.map(() => new Set<number>());
  const add = (u: number, v: number) => {
    if (map[u] < 0 || map[v] < 0 || u === v) return;
    sets[map[u]].add(map[v]);
    sets[map[v]].add(map[u]);
  };
  for (let e = 0; e < g.m; e++) add(g.edgeU[e], g.edgeV[e]);
  for (const [u, v] of extra) add(u, v);
  let edges = 0;
  const adj = sets.map((s) => {
    edges += s.size;
    return [...s].sort((a, b) => a - b);
  });
  const ids = back.map((v) => g.ids[v]);
  return {
    sg: { ids, index: new Map(ids.map((id, i) => [id, i] as const)), adj, edgeCount: edges / 2 },
    back,
  };
}

export function simulateRecovery(
  g: CSR,
  removedList: number[],
  options: RecoveryOptions = {},
): RecoveryResult {
  const o = {
    ...RECOVERY_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof RECOVERY_DEFAULTS & RecoveryOptions;
  if (!Number.isInteger(o.runs) || o.runs < 1 || o.runs > RECOVERY_LIMITS.maxRuns)
    throw new LabError(`recovery runs must be from 1 to ${RECOVERY_LIMITS.maxRuns}, got ${o.runs}`);
  if (
    !Number.isInteger(o.successorRuns) ||
    o.successorRuns < 0 ||
    o.successorRuns > RECOVERY_LIMITS.maxSuccessorRuns
  )
    throw new LabError(`successor runs must be from 0 to ${RECOVERY_LIMITS.maxSuccessorRuns}`);
  if (!(o.pRecover >= 0 && o.pRecover <= 1)) throw new LabError('pRecover is a probability from 0 to 1');
  for (const [name, w] of [
    ['baseWeight', o.baseWeight],
    ['sharedNeighbourWeight', o.sharedNeighbourWeight],
    ['communityWeight', o.communityWeight],
  ] as const)
    if (!(w >= 0 && Number.isFinite(w))) throw new LabError(`${name} must be 0 or more`);
  if (o.baseWeight + o.sharedNeighbourWeight + o.communityWeight <= 0)
    throw new LabError('at least one recovery weight must be above 0');
  const n = g.n;
  const removed = new Uint8Array(n);
  for (const v of removedList) {
    if (!(v >= 0 && v < n)) throw new LabError(`removed node ${v} is not in this network`);
    removed[v] = 1;
  }
  const alive: number[] = [];
  for (let v = 0; v < n; v++) if (!removed[v]) alive.push(v);
  const pairs0 = (n * (n - 1)) / 2;
  const base = connectedComponents(g);
  const lcc0 = base.largest >= 0 ? base.sizes[base.largest] : 0;
  const intact = shape(g, new Uint8Array(n), []);
  const after = shape(g, removed, []);
  const pc = (s: Shape) => (pairs0 > 0 ? s.connected / pairs0 : 0);
  const ls = (s: Shape) => (lcc0 > 0 ? s.lcc / lcc0 : 0);

  // Ties broken by the removals, and what the choice of new partner needs.
  // In node order, not removal order: the same set gets the same simulated recovery whatever the plan.
  const broken: number[] = [];
  for (const r of [...new Set(removedList)].sort((a, b) => a - b))
    for (let p = g.offsets[r]; p < g.offsets[r + 1]; p++)
      if (!removed[g.targets[p]]) broken.push(g.targets[p]);
  const community = louvain(g, { seed: o.seed }).communities;
  const members = new Map<number, number[]>();
  for (const v of alive) {
    const c = community[v];
    let list = members.get(c);
    if (!list) members.set(c, (list = []));
    list.push(v);
  }
  const edgeKey = (u: number, v: number) => (u < v ? u * n + v : v * n + u);
  const known = new Set<number>();
  for (let e = 0; e < g.m; e++) known.add(edgeKey(g.edgeU[e], g.edgeV[e]));
  const deg = (v: number) => g.offsets[v + 1] - g.offsets[v];

  const runOnce = (run: number): Array<[number, number]> => {
    const rng = mulberry32((Math.imul(o.seed, 0x9e3779b1) + run * 7919 + 1) >>> 0);
    const added = new Set<number>();
    const extra: Array<[number, number]> = [];
    for (const u of broken) {
      if (rng() >= o.pRecover) continue;
      // Two-step neighbours of u, weighted by how many neighbours they share with u: pick a neighbour x
      // with weight deg(x) - 1, then one of x's other neighbours uniformly.
      let twoStep = 0;
      for (let p = g.offsets[u]; p < g.offsets[u + 1]; p++) twoStep += deg(g.targets[p]) - 1;
      const comm = members.get(community[u]) ?? [];
      const wBase = o.baseWeight * alive.length;
      const wShared = o.sharedNeighbourWeight * twoStep;
      const wComm = o.communityWeight * comm.length;
      const total = wBase + wShared + wComm;
      if (total <= 0) continue;
      // Rejection keeps the weights exact over the valid partners (alive, not u, not already linked).
      for (let tries = 0; tries < 50; tries++) {
        let x = rng() * total;
        let v: number;
        if (x < wBase) v = alive[Math.floor(rng() * alive.length)];
        else if ((x -= wBase) < wShared) {
          let y = rng() * twoStep;
          let mid = -1;
          for (let p = g.offsets[u]; p < g.offsets[u + 1]; p++) {
            y -= deg(g.targets[p]) - 1;
            if (y < 0) {
              mid = g.targets[p];
              break;
            }
          }
          if (mid < 0) continue;
          v = g.targets[g.offsets[mid] + Math.floor(rng() * deg(mid))];
        } else v = comm[Math.floor(rng() * comm.length)];
        if (v === u || removed[v]) continue;
        const key = edgeKey(u, v);
        if (known.has(key) || added.has(key)) continue;
        added.add(key);
        extra.push([u, v]);
        break;
      }
    }
    return extra;
  };

  const brokerage = options.brokerage;
  const scoreSuccessors =
    brokerage !== undefined && o.successorRuns > 0 && alive.length <= RECOVERY_LIMITS.maxSuccessorNodes;
  const intactSg = scoreSuccessors ? simpleGraph(g, new Uint8Array(n), []) : null;
  const before = intactSg && brokerage ? brokerage(intactSg.sg) : null;
  const rises = new Map<number, number[]>();
  const topCount = new Map<number, number>();
  const perRun = Math.max(1, alive.length * (alive.length + g.m));
  const successorRuns = scoreSuccessors
    ? Math.max(1, Math.min(o.runs, o.successorRuns, Math.floor(RECOVERY_LIMITS.maxSuccessorWork / perRun)))
    : 0;

  const recoveredPc: number[] = [];
  const recoveredLcc: number[] = [];
  const surviving: number[] = [];
  const newTies: number[] = [];
  const damage = pc(intact) - pc(after);
  for (let run = 0; run < o.runs; run++) {
    o.onProgress?.(run, o.runs);
    const extra = runOnce(run);
    const s = shape(g, removed, extra);
    newTies.push(extra.length);
    recoveredPc.push(pc(s));
    recoveredLcc.push(ls(s));
    if (damage > 1e-12) surviving.push((pc(intact) - pc(s)) / damage);
    if (before && brokerage && run < successorRuns) {
      const { sg, back } = simpleGraph(g, removed, extra);
      const bc = brokerage(sg);
      const ranked: Array<[number, number]> = [];
      back.forEach((v, i) => {
        if (options.eligible && !options.eligible[v]) return;
        const rise = bc[i] - before[v];
        let list = rises.get(v);
        if (!list) rises.set(v, (list = []));
        list.push(rise);
        if (rise > 1e-12) ranked.push([v, rise]);
      });
      ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [v] of ranked.slice(0, o.successors)) topCount.set(v, (topCount.get(v) ?? 0) + 1);
    }
  }
  o.onProgress?.(o.runs, o.runs);
  const neighbourOfRemoved = new Uint8Array(n);
  for (const r of removedList)
    for (let p = g.offsets[r]; p < g.offsets[r + 1]; p++) neighbourOfRemoved[g.targets[p]] = 1;
  const successors: Successor[] = [...topCount.entries()]
    .map(([v, c]) => ({
      index: v,
      share: c / successorRuns,
      rise: interval(rises.get(v) ?? [0]).point,
      before: before ? before[v] : 0,
      targetNeighbour: neighbourOfRemoved[v] === 1,
    }))
    .sort((a, b) => b.share - a.share || b.rise - a.rise || a.index - b.index)
    .slice(0, o.successors);
  const { successors: _omit, ...params } = o;
  void _omit;
  return {
    model: RECOVERY_MODEL,
    parameters: {
      runs: params.runs,
      seed: params.seed,
      pRecover: params.pRecover,
      baseWeight: params.baseWeight,
      sharedNeighbourWeight: params.sharedNeighbourWeight,
      communityWeight: params.communityWeight,
      successorRuns,
      interval: 'median over runs, 5th-95th percentile',
    },
    removed: [...removedList],
    tiesBroken: broken.length,
    newTies: interval(newTies),
    pairwiseConnectivity: { intact: pc(intact), afterRemoval: pc(after), recovered: interval(recoveredPc) },
    lccShare: { intact: ls(intact), afterRemoval: ls(after), recovered: interval(recoveredLcc) },
    damageSurviving: surviving.length ? interval(surviving) : null,
    successors,
    successorMeasure: scoreSuccessors
      ? (options.brokerageName ?? 'rise in the brokerage measure given')
      : `not scored: ${!brokerage ? 'no brokerage measure given' : alive.length > RECOVERY_LIMITS.maxSuccessorNodes ? `more than ${RECOVERY_LIMITS.maxSuccessorNodes} nodes remain` : 'no successor runs asked for'}`,
  };
}
