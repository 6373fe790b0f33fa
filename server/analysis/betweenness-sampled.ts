// Betweenness with a stated error, for views too large for the exact pass (Brandes, betweenness.ts).
//
// KADABRA (Borassi and Natale, "KADABRA is an ADaptive Algorithm for Betweenness via Random
// Approximation", ESA 2016): sample a random pair (s, t), find the shortest paths between them with a
// balanced bidirectional BFS (a few thousand arcs on a small-world network, where a full search would read
// all of them), pick one of those paths uniformly and credit its inner nodes. The share of samples that
// credit v estimates v's betweenness. The run stops as soon as every node's estimate is within epsilon
// with probability 1 - delta (the adaptive bound, KADABRA's Theorem 2 with the per-node failure
// probabilities fixed in advance), and never later than Riondato and Kornaropoulos' sample count from
// the vertex diameter (their 2016 bound), which holds on its own. The top-k variant stops as soon as the
// k best are separated from the rest by their confidence intervals.
//
// Weighted betweenness (distance 1 / strength) samples with a Dijkstra search from s that stops at t,
// under the exact kernel's tie rule (PATH_EPSILON), so it counts the same shortest paths.
//
// Scores come out in the exact kernel's units (networkx's: normalised by (n-1)(n-2) by default), and so
// does epsilon. Seeded: the same seed gives the same ranking.
import type { CSR } from './csr.ts';
import { connectedComponents } from './components.ts';
import { mulberry32 } from './random.ts';
import { PATH_EPSILON, PathCountingDijkstra } from './sssp.ts';

/**
 * Largest view (nodes) ranked by exact betweenness; past it the job samples with a bound. The exact pass
 * costs one search per node: 50k nodes with 250k links is about a minute on two cores.
 */
export const BETWEENNESS_EXACT_LIMIT = 50_000;

/**
 * What a job asks for past the exact limit: a ranking of the top 100. At a million nodes no score reaches
 * 0.001 (the largest on the 1M-node bench graph is 0.00033), so an absolute bound alone cannot rank; the run
 * stops when the top 100 are set apart, or each is within ±10% of its own score, or every score is within
 * ±0.0001, or after 100,000 sampled paths, or when its time budget is spent, and states the bound it reached
 * in each of those terms. Measured (bench 31 --betweenness-only, 1M nodes / 5M links, two workers): 100,000
 * paths took 124 s on the two shared cores and certified none of the top 100, so the budget (45 s, the jobs
 * read LINKCHART_SAMPLED_BUDGET_MS) is what ends such a run, within 50 s with the planning and the threads'
 * start.
 */
export const SAMPLED_RANKING_DEFAULTS = {
  topK: 100,
  topKRelative: 0.1,
  epsilon: 0.0001,
  maxSamples: 100_000,
  budgetMs: 45_000,
};

export interface SampledBetweennessOptions {
  /** Largest error of any node's score, in the score's units. Default 0.001. */
  epsilon?: number;
  /** Probability that the bound fails. Default 0.01 (99% confidence). */
  delta?: number;
  /** Stop once the k best are separated from the rest (or epsilon is reached). Default null. */
  topK?: number | null;
  /**
   * With topK: also stop once each of the k best is within this share of its own score (0.1 = ±10%).
   * Default null.
   */
  topKRelative?: number | null;
  /**
   * Most pairs to sample. KADABRA's bounds tighten as the samples drawn near this cap, so a cap a run can
   * reach is what makes a ranking of a million nodes possible in a minute. At the cap the run stops with
   * the bound it reached. Default null: the Riondato-Kornaropoulos count for epsilon.
   */
  maxSamples?: number | null;
  /**
   * Longest the run may take, in ms from its start (planning included). When spent, sampling stops with the
   * bound reached so far, which holds at any stopping time (KADABRA's adaptive bound). A run stopped by its
   * budget depends on the machine's speed, so it repeats only as far as the samples drawn. Default null.
   */
  budgetMs?: number | null;
  weighted?: boolean;
  normalized?: boolean;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}
export const SAMPLED_BETWEENNESS_DEFAULTS = {
  epsilon: 0.001,
  delta: 0.01,
  topK: null as number | null,
  topKRelative: null as number | null,
  maxSamples: null as number | null,
  budgetMs: null as number | null,
  weighted: false,
  normalized: true,
  seed: 1,
};

export interface BetweennessBound {
  /** Every score is within +-epsilon of the exact one (score units), with probability 1 - delta. */
  epsilon: number;
  delta: number;
  /** Pairs sampled. */
  samples: number;
  /** Why sampling stopped. */
  stoppedBy:
    'adaptive' | 'vertexDiameter' | 'topKSeparated' | 'topKRelative' | 'sampleCap' | 'timeBudget' | 'trivial';
  /** The time budget the run had (ms), or null. */
  budgetMs?: number | null;
  /** The k of a top-k ranking, or null. */
  topK: number | null;
  /**
   * With topK: how many of the k best are certainly among the k best (their lower bound is above every
   * other node's upper bound), with probability 1 - delta; k when the top k are separated.
   */
  topKCertain: number | null;
  /** With topK: each of the k best is within ± this share of its own score, with probability 1 - delta. */
  topKRelative: number | null;
  explanation: string;
}

export interface SampledBetweenness {
  scores: Float64Array;
  bound: BetweennessBound;
}

/**
 * Upper bound on the vertex diameter (most nodes on one shortest path). Unweighted and undirected: a BFS
 * from one node per component reaches all of it within e hops, so no shortest path there has more than 2e
 * hops. Otherwise (weighted or directed paths can wind): the largest component's size.
 */
export function vertexDiameterBound(g: CSR, weighted: boolean): number {
  const cc = connectedComponents(g);
  if (cc.largest < 0) return 0;
  const largest = cc.sizes[cc.largest];
  if (weighted || g.directed) return largest;
  const dist = new Int32Array(g.n).fill(-1);
  const queue = new Int32Array(g.n);
  const started = new Uint8Array(cc.count);
  let best = 1;
  for (let s = 0; s < g.n; s++) {
    const c = cc.labels[s];
    if (started[c]) continue;
    started[c] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    dist[s] = 0;
    let ecc = 0;
    while (head < tail) {
      const v = queue[head++];
      const dv = dist[v];
      if (dv > ecc) ecc = dv;
      for (let p = g.offsets[v], end = g.offsets[v + 1]; p < end; p++) {
        const w = g.targets[p];
        if (dist[w] < 0) {
          dist[w] = dv + 1;
          queue[tail++] = w;
        }
      }
    }
    best = Math.max(best, Math.min(2 * ecc + 1, cc.sizes[c]));
  }
  return best;
}

/** Riondato and Kornaropoulos' sample count: enough for +-eps everywhere with probability 1 - delta. */
export function vertexDiameterSamples(vd: number, eps: number, delta: number): number {
  if (vd < 3) return 0;
  const c = 0.5;
  return Math.ceil((c / (eps * eps)) * (Math.floor(Math.log2(vd - 2)) + 1 + Math.log(1 / delta)));
}

// KADABRA's lower and upper deviations (NetworKit's computeF / computeG): with `tau` samples out of at most
// `omega`, an estimate `b` is above the truth by at most f and below it by at most g, except with
// probability delta each.
function lowerError(b: number, tau: number, omega: number, logInv: number): number {
  const t = omega / tau - 1 / 3;
  return Math.min(b, (logInv / tau) * (-t + Math.sqrt(t * t + (2 * b * omega) / logInv)));
}
function upperError(b: number, tau: number, omega: number, logInv: number): number {
  const t = omega / tau + 1 / 3;
  return Math.min(1 - b, (logInv / tau) * (t + Math.sqrt(t * t + (2 * b * omega) / logInv)));
}

/** One random shortest path between two nodes; writes its inner nodes into `path`. */
interface PathSampler {
  readonly path: Int32Array;
  /** Number of inner nodes of a uniformly chosen shortest s-t path (0 when there is none). */
  sample(s: number, t: number, rng: () => number): number;
}

/**
 * Balanced bidirectional BFS. Both searches label nodes in one array, `mark`: d + 1 for a node at distance d
 * from s, -(d + 1) for one at distance d from t, 0 unseen; and one array of path counts, as a node belongs to
 * one side only. Each arc then costs one random read of `mark` (two arrays, one per side, cost two cache
 * misses an arc at a million nodes), and nothing needs clearing but the marks of the nodes touched.
 */
class BfsPairSampler implements PathSampler {
  readonly path: Int32Array;
  private readonly mark: Int32Array;
  private readonly sigma: Float64Array;
  private readonly touched: Int32Array;
  private frontS: Int32Array;
  private frontT: Int32Array;
  private next: Int32Array;
  private bridgeV: Int32Array;
  private bridgeW: Int32Array;

  constructor(private readonly g: CSR) {
    const n = g.n;
    this.path = new Int32Array(n);
    this.mark = new Int32Array(n);
    this.sigma = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.frontS = new Int32Array(n);
    this.frontT = new Int32Array(n);
    this.next = new Int32Array(n);
    this.bridgeV = new Int32Array(64);
    this.bridgeW = new Int32Array(64);
  }

  sample(s: number, t: number, rng: () => number): number {
    const { g, mark, sigma, touched } = this;
    // S searches along out-arcs from s, T along in-arcs towards t (the same arrays when undirected).
    const outOff = g.offsets;
    const outTgt = g.targets;
    const inOff = g.inOffsets;
    const inTgt = g.inTargets;
    let nTouched = 0;
    mark[s] = 1;
    sigma[s] = 1;
    mark[t] = -1;
    sigma[t] = 1;
    touched[nTouched++] = s;
    touched[nTouched++] = t;
    let nS = 1;
    let nT = 1;
    this.frontS[0] = s;
    this.frontT[0] = t;
    let workS = outOff[s + 1] - outOff[s];
    let workT = inOff[t + 1] - inOff[t];
    let bridges = 0;
    let total = 0;
    while (nS > 0 && nT > 0 && bridges === 0) {
      // Expand the side whose next level reads fewer arcs: this is what keeps each sample small.
      const sideS = workS <= workT;
      const step = sideS ? 1 : -1;
      const front = sideS ? this.frontS : this.frontT;
      const nF = sideS ? nS : nT;
      const off = sideS ? outOff : inOff;
      const tgt = sideS ? outTgt : inTgt;
      const next = this.next;
      let nn = 0;
      let work = 0;
      for (let i = 0; i < nF; i++) {
        const v = front[i];
        const dn = mark[v] + step;
        const sv = sigma[v];
        for (let p = off[v], end = off[v + 1]; p < end; p++) {
          const w = tgt[p];
          const mw = mark[w];
          if (mw === 0) {
            mark[w] = dn;
            sigma[w] = sv;
            touched[nTouched++] = w;
            next[nn++] = w;
            work += off[w + 1] - off[w];
          } else if (mw === dn) sigma[w] += sv;
          else if (mw * step < 0) {
            // Labels never overlap before the searches meet, so every w seen from the other side here lies
            // on its last level: each such arc closes a shortest path.
            if (bridges === this.bridgeV.length) this.growBridges();
            this.bridgeV[bridges] = v;
            this.bridgeW[bridges] = w;
            bridges++;
            total += sv * sigma[w];
          }
        }
      }
      this.next = front;
      if (sideS) {
        this.frontS = next;
        nS = nn;
        workS = work;
      } else {
        this.frontT = next;
        nT = nn;
        workT = work;
      }
      if (bridges > 0 && !sideS) {
        // Found from T's side: arcs run (T-node v, S-node w); store them S-side first.
        const tmp = this.bridgeV;
        this.bridgeV = this.bridgeW;
        this.bridgeW = tmp;
      }
    }
    let len = 0;
    if (bridges > 0) {
      // Pick the meeting arc in proportion to the shortest paths through it, then walk back each way,
      // choosing each predecessor in proportion to its path count: a uniform shortest path.
      let r = rng() * total;
      let b = 0;
      for (; b < bridges - 1; b++) {
        r -= sigma[this.bridgeV[b]] * sigma[this.bridgeW[b]];
        if (r < 0) break;
      }
      len = this.walk(this.bridgeV[b], s, 1, inOff, inTgt, rng, len);
      len = this.walk(this.bridgeW[b], t, -1, outOff, outTgt, rng, len);
    }
    // Path counts are written when a node is first reached, so only the marks need clearing.
    for (let i = 0; i < nTouched; i++) mark[touched[i]] = 0;
    return len;
  }

  /** Back from `from` to `end` on its side (`step` 1: s's, -1: t's), one predecessor at a time. */
  private walk(
    from: number,
    end: number,
    step: number,
    off: Int32Array,
    tgt: Int32Array,
    rng: () => number,
    len: number,
  ): number {
    const { mark, sigma } = this;
    let cur = from;
    while (cur !== end) {
      this.path[len++] = cur;
      const want = mark[cur] - step;
      let r = rng() * sigma[cur];
      let pick = -1;
      for (let p = off[cur], e = off[cur + 1]; p < e; p++) {
        const u = tgt[p];
        if (mark[u] !== want) continue;
        pick = u;
        r -= sigma[u];
        if (r < 0) break;
      }
      cur = pick;
    }
    return len;
  }

  private growBridges(): void {
    const v = new Int32Array(this.bridgeV.length * 2);
    const w = new Int32Array(this.bridgeW.length * 2);
    v.set(this.bridgeV);
    w.set(this.bridgeW);
    this.bridgeV = v;
    this.bridgeW = w;
  }
}

class DijkstraPairSampler implements PathSampler {
  readonly path: Int32Array;
  private readonly sp: PathCountingDijkstra;
  private readonly lenIn: Float64Array;

  constructor(private readonly g: CSR) {
    this.path = new Int32Array(g.n);
    // Brandes' forward pass (sssp.ts), stopped once t is settled.
    this.sp = new PathCountingDijkstra(g);
    this.lenIn = g.directed ? g.inWeights.map((w) => 1 / w) : this.sp.len;
  }

  sample(s: number, t: number, rng: () => number): number {
    const { g, sp, lenIn } = this;
    const { dist, sigma, done } = sp;
    sp.run(s, t);
    let len = 0;
    if (done[t]) {
      // Walk back from t over settled predecessors on a shortest path (same tie rule), each chosen in
      // proportion to its path count.
      let cur = t;
      while (cur !== s) {
        if (cur !== t) this.path[len++] = cur;
        const dc = dist[cur];
        let r = rng() * sigma[cur];
        let pick = -1;
        for (let p = g.inOffsets[cur], e = g.inOffsets[cur + 1]; p < e; p++) {
          const u = g.inTargets[p];
          if (!done[u] || u === cur) continue;
          const via = dist[u] + lenIn[p];
          if (!(via === dc || Math.abs(dc - via) < PATH_EPSILON * (dc + via))) continue;
          pick = u;
          r -= sigma[u];
          if (r < 0) break;
        }
        // Rounding can leave no predecessor within the tolerance; the path so far is still a shortest one.
        if (pick < 0) break;
        cur = pick;
      }
    }
    sp.reset();
    return len;
  }
}

/** The factor from KADABRA's scale (share of ordered pairs) to the exact kernel's (networkx's) units. */
function outputScale(n: number, directed: boolean, normalized: boolean): number {
  if (normalized) return n > 2 ? n / (n - 2) : 0;
  return directed ? n * (n - 1) : (n * (n - 1)) / 2;
}

export class SampledBetweennessCancelled extends Error {
  constructor() {
    super('betweenness: cancelled');
    this.name = 'SampledBetweennessCancelled';
  }
}

/** What a run has to reach, fixed before the first sample (the bound's failure budget is split here). */
export interface SamplingPlan {
  n: number;
  /** Asked epsilon and delta, in score units. */
  epsilon: number;
  delta: number;
  /** From KADABRA's scale (share of ordered pairs) to score units. */
  scale: number;
  /** Epsilon on KADABRA's scale. */
  eps: number;
  /**
   * Most samples: Riondato and Kornaropoulos' count for eps (with delta / 2), or maxSamples when fewer;
   * 0 when every score is exactly 0.
   */
  omega: number;
  /** Whether omega is the maxSamples cap (below the Riondato-Kornaropoulos count). */
  capped: boolean;
  /** The vertex diameter bound the counts rest on. */
  vd: number;
  /** log(1 / per-node failure probability): delta / 2 shared by 2n one-sided bounds. */
  logInv: number;
  topK: number | null;
  topKRelative: number | null;
  /** Time budget (ms) and when the run started (performance.now()); null: no budget. */
  budgetMs: number | null;
  startedAt: number;
}

export function planSampling(g: CSR, options: SampledBetweennessOptions = {}): SamplingPlan {
  const o = { ...SAMPLED_BETWEENNESS_DEFAULTS, ...options };
  const startedAt = performance.now();
  if (o.budgetMs !== null && !(o.budgetMs > 0))
    throw new RangeError(`betweenness: budgetMs must be above 0, got ${o.budgetMs}`);
  if (!(o.epsilon > 0)) throw new RangeError(`betweenness: epsilon must be above 0, got ${o.epsilon}`);
  if (!(o.delta > 0 && o.delta < 1))
    throw new RangeError(`betweenness: delta must be between 0 and 1, got ${o.delta}`);
  const n = g.n;
  const scale = outputScale(n, g.directed, o.normalized);
  const vd = n > 2 ? vertexDiameterBound(g, o.weighted) : 0;
  const eps = o.epsilon / scale;
  if (o.maxSamples !== null && !(Number.isInteger(o.maxSamples) && o.maxSamples >= 1))
    throw new RangeError(`betweenness: maxSamples must be a whole number of at least 1, got ${o.maxSamples}`);
  const rk = vertexDiameterSamples(vd, eps, o.delta / 2);
  const capped = o.maxSamples !== null && rk > o.maxSamples;
  const topK = o.topK !== null && o.topK > 0 && o.topK < n ? o.topK : null;
  return {
    n,
    epsilon: o.epsilon,
    delta: o.delta,
    scale,
    eps,
    omega: capped ? o.maxSamples! : rk,
    capped,
    vd,
    logInv: Math.log((4 * n) / o.delta),
    topK,
    topKRelative: topK !== null ? o.topKRelative : null,
    budgetMs: o.budgetMs,
    startedAt,
  };
}

/** The searches one thread reuses from sample to sample. */
export function pathSampler(g: CSR, weighted: boolean): PathSampler {
  return weighted ? new DijkstraPairSampler(g) : new BfsPairSampler(g);
}

/** Draws `count` random pairs and credits the inner nodes of one shortest path of each in `hits`. */
export function drawSamples(
  sampler: PathSampler,
  n: number,
  rng: () => number,
  hits: Float64Array,
  count: number,
): void {
  const path = sampler.path;
  for (let c = 0; c < count; c++) {
    const s = Math.floor(rng() * n);
    let t = Math.floor(rng() * (n - 1));
    if (t >= s) t++;
    const len = sampler.sample(s, t, rng);
    for (let i = 0; i < len; i++) hits[path[i]]++;
  }
}

/**
 * When to look again: checks grow geometrically so they cost little beside the sampling; with a time budget,
 * no further than the samples the rate so far fits in the time left (so the run ends close to its budget).
 */
export function nextCheckpoint(plan: SamplingPlan, tau: number, now = performance.now()): number {
  let next = Math.min(plan.omega, tau === 0 ? 1000 : Math.ceil(tau * 1.1) + 100);
  if (plan.budgetMs !== null && tau > 0) {
    const spent = now - plan.startedAt;
    const rate = tau / Math.max(1, spent);
    next = Math.min(next, tau + Math.max(100, Math.floor(rate * (plan.budgetMs - spent))));
  }
  return next;
}

/** Progress for a job's bar: the share of the samples, or of the time budget when that is further on. */
export function samplingProgress(plan: SamplingPlan, tau: number, now = performance.now()): number {
  const bySamples = plan.omega > 0 ? tau / plan.omega : 1;
  const byTime = plan.budgetMs !== null ? (now - plan.startedAt) / plan.budgetMs : 0;
  return Math.min(1, Math.max(bySamples, byTime));
}

/** Why to stop after `tau` samples, or null to go on. */
export function stopReason(
  plan: SamplingPlan,
  hits: Float64Array,
  tau: number,
  maxHits: number,
  now = performance.now(),
): BetweennessBound['stoppedBy'] | null {
  if (tau >= plan.omega) return plan.capped ? 'sampleCap' : 'vertexDiameter';
  // Both deviations grow with the estimate, so the node with the most hits decides for everyone.
  if (reachedError(plan, tau, maxHits) <= plan.eps) return 'adaptive';
  if (plan.topK !== null) {
    const st = topKStatus(hits, plan.topK, tau, plan.omega, plan.logInv);
    if (st.certain === plan.topK) return 'topKSeparated';
    if (plan.topKRelative !== null && st.relative <= plan.topKRelative) return 'topKRelative';
  }
  if (plan.budgetMs !== null && now - plan.startedAt >= plan.budgetMs) return 'timeBudget';
  return null;
}

/** Riondato and Kornaropoulos' epsilon (KADABRA's scale) for `omega` samples: vertexDiameterSamples inverted. */
function vertexDiameterEpsilon(vd: number, omega: number, delta: number): number {
  if (vd < 3) return 0;
  return Math.sqrt((0.5 / omega) * (Math.floor(Math.log2(vd - 2)) + 1 + Math.log(1 / delta)));
}

function reachedError(plan: SamplingPlan, tau: number, maxHits: number): number {
  const top = maxHits / tau;
  return Math.max(
    upperError(top, tau, plan.omega, plan.logInv),
    lowerError(top, tau, plan.omega, plan.logInv),
  );
}

/** Scores in score units and the bound they carry. `hits` becomes the scores. */
export function finishSampling(
  plan: SamplingPlan,
  hits: Float64Array,
  tau: number,
  stoppedBy: BetweennessBound['stoppedBy'],
): SampledBetweenness {
  let maxHits = 0;
  for (let v = 0; v < hits.length; v++) if (hits[v] > maxHits) maxHits = hits[v];
  const scores = hits;
  if (plan.omega === 0 || tau === 0) {
    scores.fill(0);
    return {
      scores,
      bound: {
        epsilon: 0,
        delta: plan.delta,
        samples: 0,
        stoppedBy: 'trivial',
        topK: plan.topK,
        topKCertain: plan.topK,
        topKRelative: plan.topK !== null ? 0 : null,
        budgetMs: plan.budgetMs,
        explanation: 'No shortest path here has a node in the middle: every score is exactly 0.',
      },
    };
  }
  // The top k's standing, read from the hit counts before they become scores.
  const st = plan.topK !== null ? topKStatus(hits, plan.topK, tau, plan.omega, plan.logInv) : null;
  for (let v = 0; v < scores.length; v++) scores[v] = (scores[v] / tau) * plan.scale;
  // The adaptive bound holds at any stop; the Riondato-Kornaropoulos one once omega samples are drawn.
  const reached = reachedError(plan, tau, maxHits) * plan.scale;
  const epsilon =
    tau >= plan.omega
      ? Math.min(reached, vertexDiameterEpsilon(plan.vd, plan.omega, plan.delta / 2) * plan.scale)
      : reached;
  const pct = `${+(100 * (1 - plan.delta)).toPrecision(4)}%`;
  const within = `every score is within ±${epsilon.toPrecision(2)} of the exact value`;
  let explanation: string;
  if (st && plan.topK !== null) {
    const k = plan.topK;
    const rel = Number.isFinite(st.relative) ? `±${Math.ceil(100 * st.relative)}%` : 'no bound';
    const certain =
      st.certain === k
        ? `the top ${k} are certain to ${pct}`
        : `${st.certain} of the top ${k} are certain to be in it (${pct} confidence)`;
    explanation =
      `Top ${k} from ${tau} sampled shortest paths: ${certain}; each of the top ${k} is within ${rel} of ` +
      `its own score, and ${within}.`;
  } else explanation = `Sampled ${tau} shortest paths: ${within} with ${pct} confidence.`;
  if (stoppedBy === 'timeBudget')
    explanation += ` Sampling stopped at its time budget of ${+(plan.budgetMs! / 1000).toPrecision(2)} s; a longer budget tightens the bound.`;
  return {
    scores,
    bound: {
      epsilon,
      delta: plan.delta,
      samples: tau,
      stoppedBy,
      topK: plan.topK,
      topKCertain: st ? st.certain : null,
      topKRelative: st && Number.isFinite(st.relative) ? st.relative : null,
      budgetMs: plan.budgetMs,
      explanation,
    },
  };
}

/** One thread. Deterministic for a seed. */
export function sampledBetweenness(g: CSR, options: SampledBetweennessOptions = {}): SampledBetweenness {
  const o = { ...SAMPLED_BETWEENNESS_DEFAULTS, ...options };
  const plan = planSampling(g, o);
  const hits = new Float64Array(g.n);
  if (plan.omega === 0) return finishSampling(plan, hits, 0, 'trivial');
  const sampler = pathSampler(g, o.weighted);
  const rng = mulberry32(o.seed);
  let tau = 0;
  for (;;) {
    const next = nextCheckpoint(plan, tau);
    drawSamples(sampler, g.n, rng, hits, next - tau);
    tau = next;
    if (o.isCancelled?.()) throw new SampledBetweennessCancelled();
    o.onProgress?.(Math.floor(samplingProgress(plan, tau) * plan.omega), plan.omega);
    let maxHits = 0;
    for (let v = 0; v < hits.length; v++) if (hits[v] > maxHits) maxHits = hits[v];
    const why = stopReason(plan, hits, tau, maxHits);
    if (why) return finishSampling(plan, hits, tau, why);
  }
}

/**
 * The top k's standing after `tau` samples: how many of the k highest estimates have a lower bound above
 * the (k+1)-th's upper bound (as both deviations grow with the estimate, above every other node's), and the
 * largest deviation among the k relative to its estimate (the k-th's, the smallest, decides).
 */
export function topKStatus(
  hits: Float64Array,
  k: number,
  tau: number,
  omega: number,
  logInv: number,
): { certain: number; relative: number } {
  // The k + 1 largest hit counts (a small min-heap over the node scan).
  const heap = new Float64Array(k + 1);
  let size = 0;
  for (let v = 0; v < hits.length; v++) {
    const h = hits[v];
    if (size === k + 1 && h <= heap[0]) continue;
    if (size < k + 1) {
      let i = size++;
      heap[i] = h;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p] <= heap[i]) break;
        [heap[p], heap[i]] = [heap[i], heap[p]];
        i = p;
      }
    } else {
      heap[0] = h;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < size && heap[l] < heap[m]) m = l;
        if (r < size && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
  }
  const sorted = Array.from(heap.subarray(0, size)).sort((a, b) => b - a);
  const rest = size > k ? sorted[k] / tau : 0;
  const restUpper = rest + upperError(rest, tau, omega, logInv);
  let certain = 0;
  let relative = 0;
  for (let i = 0; i < Math.min(k, size); i++) {
    const b = sorted[i] / tau;
    const lo = lowerError(b, tau, omega, logInv);
    if (b - lo > restUpper) certain++;
    const dev = Math.max(lo, upperError(b, tau, omega, logInv));
    relative = Math.max(relative, b > 0 ? dev / b : Infinity);
  }
  return { certain, relative };
}
