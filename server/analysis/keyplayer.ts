// Key players (Borgatti 2006, "Identifying sets of key players in a social network").
//
// KPP-Neg: the k nodes whose removal most fragments the network, scored by fragmentation F or by
// distance-weighted fragmentation DF. KPP-Pos: the k nodes that reach most of the network, by m-reach or
// distance-weighted reach. Both searches start from a greedy pick, improve it by Borgatti's swaps (replace a
// member with a non-member whenever that improves the score, until no swap helps) and repeat from seeded
// random starts; the best local optimum is then tried with pair swaps (two members replaced at once, which
// finds pairs of nodes that only cut the network together). When the number of possible sets is small, an
// exact search replaces the heuristic and the result says it is optimal. Every search has a time budget and
// returns its best set so far, saying so, when the budget runs out.
//
// Conventions
// - Direction is ignored (a directed graph is searched as its undirected copy), as components.ts does:
//   "is there any chain between these two people".
// - Distances are hops; link strengths play no part (Borgatti's measures are defined on the binary graph).
// - Ties: the lowest node index wins among scores within 1e-9, so a search repeats exactly for a seed.
import { connectedComponents } from './components.ts';
import { undirectedCSR, type CSR } from './csr.ts';
import { cutStructure } from './cut.ts';
import { mulberry32 } from './random.ts';

export interface KeyPlayerCommonOptions {
  k: number;
  /** 1 = may be chosen; null = all nodes. (entity-type restriction is done by the caller) */
  eligible?: Uint8Array | null;
  /** Always in the set (count toward k). */
  mustRemove?: number[];
  /** Never in the set. */
  mustKeep?: number[];
  /** Seeded random restarts besides the greedy start. */
  restarts?: number;
  seed?: number;
  /** Exact search when C(eligible, k - mustRemove) <= exactLimit. */
  exactLimit?: number;
  /** Stop and return the best so far after this many ms (bounded request work). */
  timeBudgetMs?: number;
  /**
   * Most candidates the heuristic considers, or null for every eligible node. Default null, except for
   * distance-fragmentation, whose every evaluation is an all-pairs search: there the default keeps the
   * DISTANCE_FRAGMENTATION_POOL most promising candidates (see candidatePool below). Exact search always
   * uses every eligible node.
   */
  candidatePool?: number | null;
  /** Pair swaps try at most this many first replacements (default KEY_PLAYER_DEFAULTS.pairPool). */
  pairPool?: number | null;
}
export interface KeyPlayerNegOptions extends KeyPlayerCommonOptions {
  measure?: 'fragmentation' | 'distance-fragmentation';
}
export interface KeyPlayerPosOptions extends KeyPlayerCommonOptions {
  measure?: 'reach' | 'distance-reach';
  m?: number;
}
export interface KeyPlayerResult {
  /** Node indices, in the order greedy picked them (then swaps). */
  set: number[];
  /** The measure for `set`. */
  score: number;
  measure: string;
  method: 'exact' | 'greedy+swap';
  /** Random restarts run. */
  restarts: number;
  /**
   * How many of the random restarts reached `score` (within 1e-9) by single swaps: confidence in words for
   * the UI ("7 of 8 restarts found this set"). 0 when only the pair swaps on the best set found it.
   */
  restartsAtBest: number;
  /** True only when exact (and not stopped early). */
  optimal: boolean;
  /** Sets scored. */
  evaluations: number;
  /** Time budget hit. */
  stoppedEarly: boolean;
  /** The greedy start, improved by swaps, reached `score`. */
  greedyAtBest?: boolean;
  /** Candidates the search chose among (eligible nodes, or the pool when the pool is smaller). */
  candidates?: number;
  /** The score of the greedy pick before any swap. */
  greedyScore?: number;
  /** Improvements made by pair swaps after the single swaps (see improvePairs). */
  pairSwaps?: number;
  /** First replacements pair swaps tried per pair of members. */
  pairCandidates?: number;
  /** Steps of m-reach. */
  m?: number;
}

export const KEY_PLAYER_DEFAULTS = {
  restarts: 8,
  seed: 1,
  exactLimit: 20_000,
  timeBudgetMs: 20_000,
  candidatePool: null as number | null,
  /**
   * Pair swaps try at most this many first replacements (the highest-degree candidates); null = 150 on
   * networks up to 2,000 nodes, 20 above (each try is a bulk scoring of the whole network).
   */
  pairPool: null as number | null,
};
export const KEY_PLAYER_NEG_DEFAULTS = { ...KEY_PLAYER_DEFAULTS, measure: 'fragmentation' as const };
export const KEY_PLAYER_POS_DEFAULTS = { ...KEY_PLAYER_DEFAULTS, measure: 'reach' as const, m: 1 };
/** Candidates kept for distance-fragmentation on a large network unless candidatePool says otherwise. */
export const DISTANCE_FRAGMENTATION_POOL = 60;

export class KeyPlayerError extends Error {
  constructor(message: string) {
    super(`key players: ${message}`);
    this.name = 'KeyPlayerError';
  }
}

const TIE = 1e-9;
/** A swap must gain more than this: float noise must not make the search cycle. */
const GAIN = 1e-12;

// ---------------------------------------------------------------------------------------------------------
// Measures

/**
 * Fragmentation F = 1 - sum_k s_k (s_k - 1) / (n (n - 1)) over the components left after removal, where n is
 * the number of nodes NOT removed: the share of pairs of remaining nodes that can no longer reach each
 * other. 0 = still one connected piece, 1 = every remaining node isolated. With fewer than 2 nodes left there
 * are no pairs and F = 1 (nothing is connected). Direction ignored.
 */
export function fragmentation(g: CSR, removed: Uint8Array): number {
  checkMask(g, removed, 'removed');
  const comps = connectedComponents(g, removed);
  let n = 0;
  let connected = 0;
  for (const s of comps.sizes) {
    n += s;
    connected += s * (s - 1);
  }
  return n < 2 ? 1 : 1 - connected / (n * (n - 1));
}

/**
 * Distance-weighted fragmentation DF = 1 - (sum over ordered pairs i != j of 1 / d_ij) / (n (n - 1)), with
 * d_ij the hop distance in the graph left after removal (1/d = 0 when unreachable) and n the nodes left.
 * It also counts how far apart the still-connected nodes have drifted. Fewer than 2 nodes left: 1.
 */
export function distanceFragmentation(g: CSR, removed: Uint8Array): number {
  checkMask(g, removed, 'removed');
  return new Bfs(undirectedCSR(g)).distanceFragmentation(removed);
}

/**
 * m-reach: the share of nodes outside the set that lie within m hops of some member (paths may pass
 * through anyone). When every node is in the set there is no one left to reach and the value is 1.
 */
export function reach(g: CSR, set: ArrayLike<number>, m: number): number {
  const mask = setMask(g, set);
  if (!(Number.isInteger(m) && m >= 1))
    throw new KeyPlayerError(`m must be a whole number of steps >= 1, got ${m}`);
  return new Bfs(undirectedCSR(g)).reach(mask, m);
}

/**
 * Distance-weighted reach: the mean over nodes outside the set of 1 / (hop distance to the nearest member),
 * 0 for nodes the set cannot reach. 1 when every outside node is a neighbour of the set (or none is left).
 */
export function distanceReach(g: CSR, set: ArrayLike<number>): number {
  const mask = setMask(g, set);
  return new Bfs(undirectedCSR(g)).distanceReach(mask);
}

function checkMask(g: CSR, mask: Uint8Array, what: string): void {
  if (mask.length !== g.n) {
    throw new KeyPlayerError(`${what} has ${mask.length} entries for a network of ${g.n} nodes`);
  }
}

function setMask(g: CSR, set: ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(g.n);
  for (let i = 0; i < set.length; i++) {
    const v = set[i];
    if (!(Number.isInteger(v) && v >= 0 && v < g.n)) {
      throw new KeyPlayerError(`set member ${i} (${v}) is not a node of this network`);
    }
    mask[v] = 1;
  }
  return mask;
}

/** Breadth-first searches over reused typed arrays. */
class Bfs {
  readonly dist: Int32Array;
  readonly queue: Int32Array;
  readonly mark: Int32Array;
  stamp = 0;
  constructor(readonly g: CSR) {
    this.dist = new Int32Array(g.n);
    this.queue = new Int32Array(g.n);
    this.mark = new Int32Array(g.n);
  }

  /** Sum over reachable w != s of 1 / d(s, w), avoiding removed nodes. */
  private harmonicFrom(s: number, removed: Uint8Array): number {
    const { offsets, targets } = this.g;
    const { dist, queue, mark } = this;
    const stamp = ++this.stamp;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    mark[s] = stamp;
    dist[s] = 0;
    let sum = 0;
    while (head < tail) {
      const v = queue[head++];
      const dv = dist[v] + 1;
      for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
        const w = targets[p];
        if (mark[w] === stamp || removed[w]) continue;
        mark[w] = stamp;
        dist[w] = dv;
        sum += 1 / dv;
        queue[tail++] = w;
      }
    }
    return sum;
  }

  distanceFragmentation(removed: Uint8Array): number {
    let n = 0;
    let sum = 0;
    for (let s = 0; s < this.g.n; s++) {
      if (removed[s]) continue;
      n++;
      sum += this.harmonicFrom(s, removed);
    }
    return n < 2 ? 1 : 1 - sum / (n * (n - 1));
  }

  /** Multi-source BFS from the set; fills dist (hops to the nearest member) for marked nodes. */
  private fromSet(inSet: Uint8Array, maxDepth: number): { stamp: number; outside: number } {
    const { offsets, targets, n } = this.g;
    const { dist, queue, mark } = this;
    const stamp = ++this.stamp;
    let tail = 0;
    let outside = 0;
    for (let v = 0; v < n; v++) {
      if (inSet[v]) {
        mark[v] = stamp;
        dist[v] = 0;
        queue[tail++] = v;
      } else outside++;
    }
    let head = 0;
    while (head < tail) {
      const v = queue[head++];
      const dv = dist[v] + 1;
      if (dv > maxDepth) break;
      for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
        const w = targets[p];
        if (mark[w] === stamp) continue;
        mark[w] = stamp;
        dist[w] = dv;
        queue[tail++] = w;
      }
    }
    return { stamp, outside };
  }

  reach(inSet: Uint8Array, m: number): number {
    const { stamp, outside } = this.fromSet(inSet, m);
    if (outside === 0) return 1;
    let reached = 0;
    for (let v = 0; v < this.g.n; v++) if (!inSet[v] && this.mark[v] === stamp) reached++;
    return reached / outside;
  }

  distanceReach(inSet: Uint8Array): number {
    const { stamp, outside } = this.fromSet(inSet, Infinity);
    if (outside === 0) return 1;
    let sum = 0;
    for (let v = 0; v < this.g.n; v++) {
      if (!inSet[v] && this.mark[v] === stamp) sum += 1 / this.dist[v];
    }
    return sum / outside;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Objectives: each scores a set, and scores "the set plus v" for many candidates v at once, which is where
// the measures differ in cost.

interface Objective {
  score(inSet: Uint8Array, size: number): number;
  /** out[i] = score of the set plus cands[i] (none of which is in the set); returns sets scored. */
  withEach(
    inSet: Uint8Array,
    size: number,
    cands: ArrayLike<number>,
    out: Float64Array,
    over: () => boolean,
  ): number;
}

/**
 * Fragmentation, every candidate at once: one Tarjan pass over the graph without the set gives, for each
 * node, exactly how many connected pairs its removal would cost, so "set + v" is scored for ALL v in
 * O(n + m) instead of one component search per v. Nothing is estimated. This is cut.ts's pairsLost over
 * arrays kept between passes (the search makes hundreds of thousands of passes; cut.ts also sorts bridges);
 * the tests check the search against an enumeration built on cut.ts itself.
 */
function fragmentationObjective(g: CSR): Objective {
  const cut = new PairsLost(g);
  const score = (inSet: Uint8Array): number => fragmentation(g, inSet);
  return {
    score,
    withEach(inSet, size, cands, out) {
      const pairs = cut.run(inSet);
      const lost = cut.pairsLost;
      const left = g.n - size - 1;
      for (let i = 0; i < cands.length; i++) {
        out[i] = left < 2 ? 1 : 1 - (2 * (pairs - lost[cands[i]])) / (left * (left - 1));
      }
      return cands.length;
    },
  };
}

/** Iterative Tarjan (no recursion: deep chains do not overflow) over reused arrays; undirected graphs. */
class PairsLost {
  readonly pairsLost: Float64Array;
  private readonly disc: Int32Array;
  private readonly low: Int32Array;
  private readonly size: Float64Array;
  private readonly parent: Int32Array;
  private readonly arcPtr: Int32Array;
  private readonly stack: Int32Array;
  private readonly cutSizes: Float64Array;
  private readonly cutPairs: Float64Array;
  private readonly order: Int32Array;

  constructor(private readonly g: CSR) {
    const n = g.n;
    this.pairsLost = new Float64Array(n);
    this.disc = new Int32Array(n);
    this.low = new Int32Array(n);
    this.size = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.arcPtr = new Int32Array(n);
    this.stack = new Int32Array(n);
    this.cutSizes = new Float64Array(n);
    this.cutPairs = new Float64Array(n);
    this.order = new Int32Array(n);
  }

  /** Fills pairsLost for every node not removed; returns the connected pairs of the graph as it is. */
  run(removed: Uint8Array): number {
    const { g, disc, low, size, parent, arcPtr, stack, cutSizes, cutPairs, order, pairsLost } = this;
    const { offsets, targets, n } = g;
    disc.fill(-1);
    cutSizes.fill(0);
    cutPairs.fill(0);
    const pairs = (s: number) => (s * (s - 1)) / 2;
    let time = 0;
    let total = 0;
    for (let root = 0; root < n; root++) {
      if (disc[root] >= 0 || removed[root]) continue;
      let count = 0;
      let top = 0;
      stack[top++] = root;
      disc[root] = low[root] = time++;
      parent[root] = -1;
      arcPtr[root] = offsets[root];
      size[root] = 1;
      order[count++] = root;
      while (top > 0) {
        const v = stack[top - 1];
        if (arcPtr[v] < offsets[v + 1]) {
          const w = targets[arcPtr[v]++];
          if (removed[w]) continue;
          if (disc[w] < 0) {
            disc[w] = low[w] = time++;
            parent[w] = v;
            arcPtr[w] = offsets[w];
            size[w] = 1;
            stack[top++] = w;
            order[count++] = w;
          } else if (w !== parent[v] && disc[w] < low[v]) {
            // Merged parallel links mean one arc per neighbour, so skipping the parent skips only the tree arc.
            low[v] = disc[w];
          }
        } else {
          top--;
          if (top > 0) {
            const u = stack[top - 1];
            size[u] += size[v];
            if (low[v] < low[u]) low[u] = low[v];
            if (low[v] >= disc[u]) {
              cutSizes[u] += size[v];
              cutPairs[u] += pairs(size[v]);
            }
          }
        }
      }
      const compSize = size[root];
      total += pairs(compSize);
      for (let i = 0; i < count; i++) {
        const v = order[i];
        pairsLost[v] = pairs(compSize) - cutPairs[v] - pairs(compSize - 1 - cutSizes[v]);
      }
    }
    return total;
  }
}

/**
 * Scores "set + v" by a full evaluation per candidate, polling the time budget between candidates. The first
 * candidate is always scored, so even a spent budget leaves a complete set to return.
 */
function plainObjective(score: (inSet: Uint8Array, size: number) => number): Objective {
  return {
    score,
    withEach(inSet, size, cands, out, over) {
      let done = 0;
      for (let i = 0; i < cands.length; i++) {
        if (i > 0 && over()) {
          out.fill(-Infinity, i, cands.length);
          break;
        }
        const v = cands[i];
        inSet[v] = 1;
        out[i] = score(inSet, size + 1);
        inSet[v] = 0;
        done++;
      }
      return done;
    },
  };
}

/**
 * m-reach, incrementally: with the nodes the set already reaches marked, "set + v" reaches those plus the
 * unmarked nodes within m hops of v. Exact (one bounded search from v instead of one from the whole set).
 */
function reachObjective(g: CSR, m: number): Objective {
  const bfs = new Bfs(g);
  const reached = new Uint8Array(g.n);
  const seen = new Int32Array(g.n);
  const depth = new Int32Array(g.n);
  const queue = new Int32Array(g.n);
  let stamp = 0;
  return {
    score: (inSet) => bfs.reach(inSet, m),
    withEach(inSet, size, cands, out, over) {
      // Mark what the set reaches now.
      reached.fill(0);
      const { offsets, targets } = g;
      let base = 0;
      {
        let tail = 0;
        for (let v = 0; v < g.n; v++) {
          if (!inSet[v]) continue;
          depth[v] = 0;
          queue[tail++] = v;
          reached[v] = 1;
        }
        let head = 0;
        while (head < tail) {
          const v = queue[head++];
          if (depth[v] >= m) continue;
          for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
            const w = targets[p];
            if (reached[w]) continue;
            reached[w] = 1;
            depth[w] = depth[v] + 1;
            base++;
            queue[tail++] = w;
          }
        }
      }
      const outside = g.n - size - 1;
      let done = 0;
      for (let i = 0; i < cands.length; i++) {
        if (i > 0 && (i & 255) === 0 && over()) {
          out.fill(-Infinity, i, cands.length);
          break;
        }
        const s = cands[i];
        // v joins the set: it stops counting as reached (if it was); every node it reaches is new or not.
        let count = base - (reached[s] ? 1 : 0);
        const st = ++stamp;
        seen[s] = st;
        depth[s] = 0;
        let head = 0;
        let tail = 0;
        queue[tail++] = s;
        while (head < tail) {
          const v = queue[head++];
          if (depth[v] >= m) continue;
          for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
            const w = targets[p];
            if (seen[w] === st) continue;
            seen[w] = st;
            depth[w] = depth[v] + 1;
            if (!reached[w]) count++;
            queue[tail++] = w;
          }
        }
        out[i] = outside <= 0 ? 1 : count / outside;
        done++;
      }
      return done;
    },
  };
}

/**
 * Distance-weighted reach, incrementally: with D = distances to the set, "set + v" has min(D, d_v). The search
 * from v stops at any node x with d_v(x) >= D(x): every node behind x is then at least as close to the set
 * as to v (D(y) <= D(x) + d(x, y) <= d_v(y)), so pruning there skips only nodes v cannot bring closer.
 */
function distanceReachObjective(g: CSR): Objective {
  const bfs = new Bfs(g);
  const D = new Float64Array(g.n);
  const dv = new Int32Array(g.n);
  const seen = new Int32Array(g.n);
  const queue = new Int32Array(g.n);
  let stamp = 0;
  return {
    score: (inSet) => bfs.distanceReach(inSet),
    withEach(inSet, size, cands, out, over) {
      const { offsets, targets } = g;
      D.fill(Infinity);
      let tail = 0;
      for (let v = 0; v < g.n; v++) {
        if (!inSet[v]) continue;
        D[v] = 0;
        queue[tail++] = v;
      }
      let head = 0;
      while (head < tail) {
        const v = queue[head++];
        for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
          const w = targets[p];
          if (D[w] !== Infinity) continue;
          D[w] = D[v] + 1;
          queue[tail++] = w;
        }
      }
      let base = 0;
      for (let v = 0; v < g.n; v++) if (!inSet[v] && D[v] !== Infinity) base += 1 / D[v];
      const outside = g.n - size - 1;
      let done = 0;
      for (let i = 0; i < cands.length; i++) {
        if (i > 0 && (i & 255) === 0 && over()) {
          out.fill(-Infinity, i, cands.length);
          break;
        }
        const s = cands[i];
        let sum = base - (D[s] !== Infinity ? 1 / D[s] : 0);
        const st = ++stamp;
        seen[s] = st;
        dv[s] = 0;
        head = 0;
        tail = 0;
        queue[tail++] = s;
        while (head < tail) {
          const v = queue[head++];
          const d = dv[v] + 1;
          for (let p = offsets[v], end = offsets[v + 1]; p < end; p++) {
            const w = targets[p];
            if (seen[w] === st) continue;
            seen[w] = st;
            if (d >= D[w]) continue;
            dv[w] = d;
            sum += 1 / d - (D[w] !== Infinity ? 1 / D[w] : 0);
            queue[tail++] = w;
          }
        }
        out[i] = outside <= 0 ? 1 : sum / outside;
        done++;
      }
      return done;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Search

interface Prepared {
  k: number;
  fixed: number[];
  eligibleList: Int32Array;
  o: typeof KEY_PLAYER_DEFAULTS;
}

function prepare(g: CSR, options: KeyPlayerCommonOptions): Prepared {
  if (!options || typeof options !== 'object') throw new KeyPlayerError('options with k are required');
  const o = { ...KEY_PLAYER_DEFAULTS, ...options };
  for (const key of ['restarts', 'seed', 'exactLimit', 'timeBudgetMs'] as const) {
    const v = o[key];
    if (!(Number.isFinite(v) && v >= 0)) throw new KeyPlayerError(`${key} must be a number >= 0, got ${v}`);
  }
  if (o.pairPool !== null && !(Number.isInteger(o.pairPool) && o.pairPool >= 0)) {
    throw new KeyPlayerError(`pairPool must be a whole number >= 0 or null, got ${o.pairPool}`);
  }
  if (o.candidatePool !== null && !(Number.isInteger(o.candidatePool) && o.candidatePool >= 1)) {
    throw new KeyPlayerError(`candidatePool must be a whole number >= 1 or null, got ${o.candidatePool}`);
  }
  const n = g.n;
  if (n === 0) throw new KeyPlayerError('the network has no nodes');
  const k = options.k;
  if (!(Number.isInteger(k) && k >= 1)) throw new KeyPlayerError(`k must be a whole number >= 1, got ${k}`);
  if (k >= n) {
    throw new KeyPlayerError(
      `k = ${k} would take every node of a ${n}-node network; choose at most ${n - 1}`,
    );
  }
  const eligible = options.eligible ?? null;
  if (eligible && eligible.length !== n) {
    throw new KeyPlayerError(`eligible has ${eligible.length} entries for a network of ${n} nodes`);
  }
  const node = (v: number, what: string) => {
    if (!(Number.isInteger(v) && v >= 0 && v < n))
      throw new KeyPlayerError(`${what} ${v} is not a node of this network`);
  };
  const keep = new Uint8Array(n);
  for (const v of options.mustKeep ?? []) {
    node(v, 'must-keep node');
    keep[v] = 1;
  }
  const fixed: number[] = [];
  const inFixed = new Uint8Array(n);
  for (const v of options.mustRemove ?? []) {
    node(v, 'must-remove node');
    if (keep[v])
      throw new KeyPlayerError(`node ${JSON.stringify(g.ids[v])} is both must-keep and must-remove`);
    if (inFixed[v])
      throw new KeyPlayerError(`node ${JSON.stringify(g.ids[v])} is listed twice in must-remove`);
    inFixed[v] = 1;
    fixed.push(v);
  }
  if (fixed.length > k) {
    throw new KeyPlayerError(`${fixed.length} must-remove nodes do not fit in a set of k = ${k}`);
  }
  const list: number[] = [];
  for (let v = 0; v < n; v++) if ((!eligible || eligible[v]) && !keep[v] && !inFixed[v]) list.push(v);
  if (list.length < k - fixed.length) {
    throw new KeyPlayerError(
      `only ${list.length} nodes may be chosen besides the must-remove ones, fewer than the ${k - fixed.length} needed`,
    );
  }
  return { k, fixed, eligibleList: Int32Array.from(list), o };
}

function binomialAtMost(n: number, r: number, limit: number): boolean {
  let c = 1;
  for (let i = 1; i <= r; i++) {
    c = (c * (n - r + i)) / i;
    if (c > limit) return false;
  }
  return c <= limit;
}

interface SearchContext {
  g: CSR;
  obj: Objective;
  pool: Int32Array;
  prep: Prepared;
  deadline: number;
  evaluations: number;
  stopped: boolean;
  out: Float64Array;
  cands: Int32Array;
}

function over(ctx: SearchContext): boolean {
  if (!ctx.stopped && performance.now() > ctx.deadline) ctx.stopped = true;
  return ctx.stopped;
}

/** Best (score, candidate) among `cands` by the tie rule: highest score, then lowest index. */
function bestOf(ctx: SearchContext, count: number): [number, number] {
  let best = -1;
  let bestScore = -Infinity;
  for (let i = 0; i < count; i++) {
    const s = ctx.out[i];
    const v = ctx.cands[i];
    if (best < 0 || s > bestScore + TIE || (Math.abs(s - bestScore) <= TIE && v < best)) {
      best = v;
      bestScore = s;
    }
  }
  return [bestScore, best];
}

/** Pool members not in the set, into ctx.cands; returns how many. */
function candidatesOutside(ctx: SearchContext, inSet: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < ctx.pool.length; i++) if (!inSet[ctx.pool[i]]) ctx.cands[c++] = ctx.pool[i];
  return c;
}

function scoreAll(ctx: SearchContext, inSet: Uint8Array, size: number, count: number): number {
  const cands = ctx.cands.subarray(0, count);
  const done = ctx.obj.withEach(inSet, size, cands, ctx.out, () => over(ctx));
  ctx.evaluations += done;
  over(ctx); // bulk scorings do not poll: look at the clock after each
  return done;
}

function greedy(ctx: SearchContext, inSet: Uint8Array, set: number[]): void {
  while (set.length < ctx.prep.k) {
    const count = candidatesOutside(ctx, inSet);
    scoreAll(ctx, inSet, set.length, count);
    const [, v] = bestOf(ctx, count);
    set.push(v);
    inSet[v] = 1;
  }
}

/**
 * Borgatti's swap improvement. For each free member u in turn: take u out, score every outside candidate as
 * its replacement (u itself included, which is the current set), and make the best swap if it gains. Repeat
 * passes until one whole pass changes nothing, i.e. no single swap of a member for a candidate helps: a local
 * optimum under swaps, the stopping rule of the paper. Each accepted swap strictly raises the score, so the
 * loop ends.
 */
function improve(ctx: SearchContext, inSet: Uint8Array, set: number[], score: number): number {
  const nFixed = ctx.prep.fixed.length;
  let changed = true;
  while (changed && !over(ctx)) {
    changed = false;
    for (let pos = nFixed; pos < set.length; pos++) {
      const u = set[pos];
      inSet[u] = 0;
      const count = candidatesOutside(ctx, inSet);
      const done = scoreAll(ctx, inSet, set.length - 1, count);
      const [s, v] = bestOf(ctx, done);
      if (v >= 0 && v !== u && s > score + GAIN) {
        set[pos] = v;
        inSet[v] = 1;
        score = s;
        changed = true;
      } else inSet[u] = 1;
      if (ctx.stopped) break;
    }
  }
  return score;
}

/**
 * Pair swaps: replace TWO members at once. Single swaps cannot find two nodes that only matter together (on
 * the Montagna meetings network the best pair cuts it in two while neither is a good single choice, and
 * every single swap from the greedy pair loses). For each pair of free members, each first replacement from
 * `firsts` is tried and the best second replacement over the whole pool is found in one bulk scoring. The
 * first replacement comes from a smaller list on large networks (the pool ranked by degree), which is stated
 * in the result; every improvement found is real, only the neighbourhood is narrowed.
 */
function improvePairs(
  ctx: SearchContext,
  inSet: Uint8Array,
  set: number[],
  score: number,
  firsts: Int32Array,
): { score: number; moves: number } {
  const nFixed = ctx.prep.fixed.length;
  let moves = 0;
  let changed = true;
  while (changed && !over(ctx)) {
    changed = false;
    for (let a = nFixed; a < set.length && !ctx.stopped; a++) {
      for (let b = a + 1; b < set.length && !ctx.stopped; b++) {
        const u1 = set[a];
        const u2 = set[b];
        inSet[u1] = 0;
        inSet[u2] = 0;
        let best = score;
        let b1 = -1;
        let b2 = -1;
        for (let i = 0; i < firsts.length; i++) {
          const v1 = firsts[i];
          if (inSet[v1]) continue;
          inSet[v1] = 1;
          const count = candidatesOutside(ctx, inSet);
          const done = scoreAll(ctx, inSet, set.length - 1, count);
          const [sc, v2] = bestOf(ctx, done);
          inSet[v1] = 0;
          if (v2 >= 0 && sc > best + GAIN) {
            best = sc;
            b1 = v1;
            b2 = v2;
          }
          if (ctx.stopped) break;
        }
        if (b1 >= 0) {
          set[a] = b1;
          set[b] = b2;
          inSet[b1] = 1;
          inSet[b2] = 1;
          score = best;
          moves++;
          changed = true;
          score = improve(ctx, inSet, set, score);
        } else {
          inSet[u1] = 1;
          inSet[u2] = 1;
        }
      }
    }
  }
  return { score, moves };
}

/** Every set of the required size from the eligible nodes; the last member is scored in bulk by withEach. */
function exact(ctx: SearchContext): { set: number[]; score: number } {
  const { fixed, k } = ctx.prep;
  const pool = ctx.pool;
  const r = k - fixed.length;
  const inSet = new Uint8Array(ctx.g.n);
  for (const v of fixed) inSet[v] = 1;
  if (r === 0) {
    ctx.evaluations++;
    return { set: [...fixed], score: ctx.obj.score(inSet, k) };
  }
  let best: { set: number[]; score: number } = { set: [], score: -Infinity };
  const idx = Array.from({ length: r - 1 }, (_, i) => i);
  for (;;) {
    for (const i of idx) inSet[pool[i]] = 1;
    const from = r === 1 ? 0 : idx[r - 2] + 1;
    let c = 0;
    for (let i = from; i < pool.length; i++) ctx.cands[c++] = pool[i];
    const done = scoreAll(ctx, inSet, k - 1, c);
    const [s, v] = bestOf(ctx, done);
    if (v >= 0 && s > best.score + TIE) best = { set: [...fixed, ...idx.map((i) => pool[i]), v], score: s };
    for (const i of idx) inSet[pool[i]] = 0;
    if (over(ctx)) break;
    // Next (r-1)-combination in lexicographic order, leaving room for the last member.
    let j = r - 2;
    while (j >= 0 && idx[j] === pool.length - 1 - (r - 1 - j)) j--;
    if (j < 0) break;
    idx[j]++;
    for (let t = j + 1; t < r - 1; t++) idx[t] = idx[t - 1] + 1;
  }
  return best;
}

/** First replacements for pair swaps: the whole pool when small, else its highest-degree nodes. */
function pairCandidates(g: CSR, pool: Int32Array, size: number): Int32Array {
  if (pool.length <= size) return pool;
  const deg = (v: number) => g.offsets[v + 1] - g.offsets[v];
  return Int32Array.from(
    Array.from(pool)
      .sort((a, b) => deg(b) - deg(a) || a - b)
      .slice(0, size),
  );
}

/**
 * The candidates the heuristic chooses among. Only distance-fragmentation narrows them by default: each of
 * its evaluations is an all-pairs search, so it keeps the nodes whose removal costs the most connected pairs
 * (articulation points first, exact from one Tarjan pass), then the highest degree. A node outside such a pool
 * can still be optimal, which is why `candidates` is reported and the exact search ignores the pool.
 */
function candidatePool(g: CSR, eligible: Int32Array, size: number | null, rankByCut: boolean): Int32Array {
  if (size === null || size >= eligible.length) return eligible;
  const lost = rankByCut ? cutStructure(g).pairsLost : null;
  const deg = (v: number) => g.offsets[v + 1] - g.offsets[v];
  const order = Array.from(eligible).sort((a, b) => {
    if (lost && lost[a] !== lost[b]) return lost[b] - lost[a];
    return deg(b) - deg(a) || a - b;
  });
  return Int32Array.from(order.slice(0, size)).sort();
}

function search(
  g: CSR,
  obj: Objective,
  prep: Prepared,
  measure: string,
  poolSize: number | null,
): KeyPlayerResult {
  const t0 = performance.now();
  const { k, fixed, eligibleList, o } = prep;
  const isExact = binomialAtMost(eligibleList.length, k - fixed.length, o.exactLimit);
  const pool = isExact
    ? eligibleList
    : candidatePool(g, eligibleList, poolSize, measure === 'distance-fragmentation');
  const ctx: SearchContext = {
    g,
    obj,
    pool,
    prep,
    deadline: t0 + o.timeBudgetMs,
    evaluations: 0,
    stopped: false,
    out: new Float64Array(pool.length),
    cands: new Int32Array(pool.length),
  };
  if (isExact) {
    const best = exact(ctx);
    return {
      set: best.set,
      score: best.score,
      measure,
      method: 'exact',
      restarts: 0,
      restartsAtBest: 0,
      optimal: !ctx.stopped,
      evaluations: ctx.evaluations,
      stoppedEarly: ctx.stopped,
      candidates: pool.length,
    };
  }
  const inSet = new Uint8Array(g.n);
  const set = [...fixed];
  for (const v of fixed) inSet[v] = 1;
  greedy(ctx, inSet, set);
  const greedyScore = obj.score(inSet, k);
  ctx.evaluations++;
  const greedyLocal = improve(ctx, inSet, set, greedyScore);
  let bestScore = greedyLocal;
  let bestSet = [...set];
  const local: number[] = [];
  const rng = mulberry32(o.seed);
  const free = pool.length;
  let restarts = 0;
  for (let r = 0; r < o.restarts && !over(ctx); r++) {
    // A random start: the fixed members plus distinct pool members drawn by partial Fisher-Yates.
    const start = new Uint8Array(g.n);
    const s = [...fixed];
    for (const v of fixed) start[v] = 1;
    const draw = Array.from(pool);
    for (let i = 0; s.length < k && i < free; i++) {
      const j = i + Math.floor(rng() * (free - i));
      [draw[i], draw[j]] = [draw[j], draw[i]];
      if (start[draw[i]]) continue;
      s.push(draw[i]);
      start[draw[i]] = 1;
    }
    ctx.evaluations++;
    const score = improve(ctx, start, s, obj.score(start, k));
    if (ctx.stopped) break; // a restart cut short is not a local optimum: it does not count
    restarts++;
    local.push(score);
    if (score > bestScore + TIE) {
      bestScore = score;
      bestSet = s;
    }
  }
  // Pair swaps polish the best local optimum only: they cost a bulk scoring per (pair, first replacement).
  const firsts = pairCandidates(g, pool, o.pairPool ?? (g.n <= 2000 ? 150 : 20));
  const polishSet = new Uint8Array(g.n);
  for (const v of bestSet) polishSet[v] = 1;
  const polished = improvePairs(ctx, polishSet, bestSet, bestScore, firsts);
  bestScore = polished.score;
  return {
    set: bestSet,
    score: bestScore,
    measure,
    method: 'greedy+swap',
    pairSwaps: polished.moves,
    pairCandidates: firsts.length,
    restarts,
    restartsAtBest: local.filter((s) => Math.abs(s - bestScore) <= TIE).length,
    optimal: false,
    evaluations: ctx.evaluations,
    stoppedEarly: ctx.stopped,
    greedyAtBest: Math.abs(greedyLocal - bestScore) <= TIE,
    candidates: pool.length,
    greedyScore,
  };
}

/** KPP-Neg: the k nodes whose removal leaves the network most fragmented. */
export function keyPlayerNeg(g: CSR, options: KeyPlayerNegOptions): KeyPlayerResult {
  const prep = prepare(g, options);
  const measure = options.measure ?? KEY_PLAYER_NEG_DEFAULTS.measure;
  const u = undirectedCSR(g);
  if (measure === 'fragmentation')
    return search(u, fragmentationObjective(u), prep, measure, prep.o.candidatePool);
  if (measure === 'distance-fragmentation') {
    const bfs = new Bfs(u);
    const pool = options.candidatePool === undefined ? DISTANCE_FRAGMENTATION_POOL : prep.o.candidatePool;
    return search(
      u,
      plainObjective((inSet) => bfs.distanceFragmentation(inSet)),
      prep,
      measure,
      pool,
    );
  }
  throw new KeyPlayerError(
    `unknown measure ${JSON.stringify(measure)}: use fragmentation or distance-fragmentation`,
  );
}

/** KPP-Pos: the k nodes that together reach most of the network. */
export function keyPlayerPos(g: CSR, options: KeyPlayerPosOptions): KeyPlayerResult {
  const prep = prepare(g, options);
  const measure = options.measure ?? KEY_PLAYER_POS_DEFAULTS.measure;
  const u = undirectedCSR(g);
  if (measure === 'reach') {
    const m = options.m ?? KEY_PLAYER_POS_DEFAULTS.m;
    if (!(Number.isInteger(m) && m >= 1))
      throw new KeyPlayerError(`m must be a whole number of steps >= 1, got ${m}`);
    return { ...search(u, reachObjective(u, m), prep, measure, prep.o.candidatePool), m };
  }
  if (measure === 'distance-reach')
    return search(u, distanceReachObjective(u), prep, measure, prep.o.candidatePool);
  throw new KeyPlayerError(`unknown measure ${JSON.stringify(measure)}: use reach or distance-reach`);
}
