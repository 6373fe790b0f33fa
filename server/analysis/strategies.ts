// Strategies compared: for one budget k, several ways of choosing whom to remove, side by side, each with
// its curve of what is left after every removal (Cavallaro et al. 2020 and Bright et al. 2017 compare
// strategies this way on criminal networks).
//
// Plans
// - topk:       the k highest scorers by a metric on the INTACT network, removed in score order
// - sequential: one at a time, the top scorer by the metric RECOMPUTED on what is left
// - keyPlayer:  Borgatti's KPP-Neg set by fragmentation (keyplayer.ts: greedy start, swap improvement,
//               seeded restarts, exact search when the sets are few);
//               its members are then removed in the order that fragments most at each step
// - own:        the analyst's own set, removed in the order given
// Every plan except `own` draws only from the eligible nodes (e.g. people only), never from must-keep,
// and removes the must-remove nodes first (they count against k). `own` is taken as given.
//
// Measures after each removal (n0 = nodes in the intact network; see disruption.ts `measure`)
// - lccShare, components, pairwiseConnectivity (connected pairs / n0(n0-1)/2), efficiency (/ n0(n0-1))
// - fragmentation: Borgatti 2006 F = 1 - sum_k s_k (s_k - 1) / (n (n - 1)) over the n REMAINING nodes
//   (the share of remaining pairs that can no longer reach each other); 1 when fewer than 2 remain.
import type { CSR } from './csr.ts';
import { inducedCSR } from './csr.ts';
import { connectedComponents } from './components.ts';
import { KEY_PLAYER_DEFAULTS, fragmentation, keyPlayerNeg } from './keyplayer.ts';
import { TIE_RULE, measure, pickBest, type NetworkState } from './disruption.ts';
import { computeMetric, type MetricName } from './registry.ts';

export const PLAN_KINDS = ['topk', 'sequential', 'keyPlayer', 'own'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export type PlanSpec =
  | { kind: 'topk'; metric: MetricName }
  | { kind: 'sequential'; metric: MetricName }
  | { kind: 'keyPlayer' }
  | { kind: 'own'; targets: number[] };

/** The most any comparison may ask for; a request beyond them is refused (LabError), never truncated. */
export const LAB_LIMITS = {
  maxK: 50,
  maxPlans: 6,
  maxRestarts: 50,
  maxNodes: 50_000,
  /**
   * Sequential recomputation costs about k x n x (n + m) for path metrics; beyond this the comparison would
   * run for many minutes, so it is refused with the sizes that made it too big.
   */
  maxSequentialWork: 5e9,
  maxTimeBudgetMs: 10 * 60_000,
};

export class LabError extends Error {
  constructor(message: string) {
    super(`disruption lab: ${message}`);
    this.name = 'LabError';
  }
}

export interface CurvePoint extends NetworkState {
  /** 0 = the intact network. */
  step: number;
  /** Node index removed at this step (null at step 0). */
  removed: number | null;
  fragmentation: number;
}

export interface KeyPlayerSummary {
  method: string;
  /** Fragmentation the search reached (Borgatti's F, over the remaining nodes). */
  score: number;
  measure: string;
  restarts: number;
  restartsAtBest: number;
  /** True when an exact search proved the set optimal. */
  optimal: boolean;
  evaluations: number;
  stoppedEarly: boolean;
}

export interface PlanOutcome {
  name: string;
  spec: PlanSpec;
  /** Node indices in removal order. */
  removed: number[];
  /** Steps 0..removed.length. */
  curve: CurvePoint[];
  keyPlayer: KeyPlayerSummary | null;
}

export interface CompareOptions {
  k: number;
  plans: PlanSpec[];
  /** 1 where a node may be chosen by topk / sequential / keyPlayer; null = every node. */
  eligible?: Uint8Array | null;
  mustKeep?: number[];
  mustRemove?: number[];
  seed?: number;
  /** Key-player restarts. */
  restarts?: number;
  timeBudgetMs?: number;
  efficiencyExactLimit?: number;
  efficiencySamples?: number;
  onProgress?: (done: number, total: number, phase: string) => void;
}
export const COMPARE_DEFAULTS = {
  seed: 1,
  restarts: 10,
  timeBudgetMs: 120_000,
  efficiencyExactLimit: 5000,
  efficiencySamples: 500,
};

export interface Comparison {
  k: number;
  nodes: number;
  links: number;
  eligible: number;
  mustKeep: number[];
  mustRemove: number[];
  tieRule: string;
  fragmentationDefinition: string;
  plans: PlanOutcome[];
}

export const FRAGMENTATION_DEFINITION =
  'Borgatti (2006) F = 1 - sum s(s-1) / (n(n-1)) over the fragments of the n remaining nodes: the share of remaining pairs that can no longer reach each other';

/** Borgatti's fragmentation of the network without `removed` (keyplayer.ts). */
export const fragmentationAfter = fragmentation;

export function planName(p: PlanSpec): string {
  switch (p.kind) {
    case 'topk':
      return `top-k ${p.metric}`;
    case 'sequential':
      return `sequential ${p.metric}`;
    case 'keyPlayer':
      return 'key player (KPP-Neg)';
    case 'own':
      return 'own set';
  }
}

interface Ctx {
  g: CSR;
  k: number;
  candidate: Uint8Array;
  mustRemove: number[];
  o: typeof COMPARE_DEFAULTS;
  deadline: number;
}

function checkTime(c: Ctx): void {
  if (Date.now() > c.deadline)
    throw new LabError(
      `the comparison took longer than its time budget of ${Math.round(c.o.timeBudgetMs / 1000)} s; ask for a smaller k or fewer plans`,
    );
}

function topk(c: Ctx, metric: MetricName): number[] {
  const scores = computeMetric(c.g, metric, { seed: c.o.seed });
  const order = Array.from({ length: c.g.n }, (_, i) => i)
    .filter((v) => c.candidate[v])
    .sort((a, b) => (Math.abs(scores[b] - scores[a]) <= 1e-9 ? a - b : scores[b] - scores[a]));
  const out = [...c.mustRemove];
  for (const v of order) {
    if (out.length >= c.k) break;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function sequential(c: Ctx, metric: MetricName): number[] {
  const removed = new Uint8Array(c.g.n);
  const out = [...c.mustRemove];
  for (const v of out) removed[v] = 1;
  while (out.length < c.k) {
    checkTime(c);
    const keep = Uint8Array.from(removed, (r) => (r ? 0 : 1));
    const { csr, back } = inducedCSR(c.g, keep);
    const scores = computeMetric(csr, metric, { seed: c.o.seed });
    const cand: number[] = [];
    for (let i = 0; i < csr.n; i++) if (c.candidate[back[i]]) cand.push(i);
    if (cand.length === 0) break;
    const v = back[pickBest(scores, cand)];
    removed[v] = 1;
    out.push(v);
  }
  return out;
}

/** Borgatti's KPP-Neg search (keyplayer.ts) within the time left to the comparison. */
function keyPlayer(c: Ctx): { set: number[]; summary: KeyPlayerSummary } {
  const r = keyPlayerNeg(c.g, {
    k: c.k,
    eligible: c.candidate,
    mustRemove: c.mustRemove,
    restarts: c.o.restarts,
    seed: c.o.seed,
    timeBudgetMs: Math.max(1, Math.min(KEY_PLAYER_DEFAULTS.timeBudgetMs, c.deadline - Date.now())),
    measure: 'fragmentation',
  });
  return {
    set: r.set,
    summary: {
      method: r.method === 'exact' ? 'exact search over every set' : 'greedy start + swaps, seeded restarts',
      score: r.score,
      measure: r.measure,
      restarts: r.restarts,
      restartsAtBest: r.restartsAtBest,
      optimal: r.optimal,
      evaluations: r.evaluations,
      stoppedEarly: r.stoppedEarly,
    },
  };
}

/** A set's members in the order that fragments most at each step (ties: lowest index); must-remove first. */
function orderForCurve(g: CSR, set: number[], first: number[]): number[] {
  const removed = new Uint8Array(g.n);
  const out: number[] = [];
  for (const v of first) {
    removed[v] = 1;
    out.push(v);
  }
  const rest = set.filter((v) => !first.includes(v));
  while (rest.length) {
    let best = -1;
    let bestF = -Infinity;
    for (const v of rest) {
      removed[v] = 1;
      const f = fragmentationAfter(g, removed);
      removed[v] = 0;
      if (f > bestF + 1e-12 || (Math.abs(f - bestF) <= 1e-12 && v < best)) {
        best = v;
        bestF = f;
      }
    }
    removed[best] = 1;
    out.push(best);
    rest.splice(rest.indexOf(best), 1);
  }
  return out;
}

function curveOf(g: CSR, order: number[], o: typeof COMPARE_DEFAULTS): CurvePoint[] {
  const base = connectedComponents(g);
  const lcc0 = base.largest >= 0 ? base.sizes[base.largest] : 0;
  const removed = new Uint8Array(g.n);
  const point = (step: number, v: number | null): CurvePoint => ({
    step,
    removed: v,
    ...measure(g, removed, g.n, lcc0, o),
    fragmentation: fragmentationAfter(g, removed),
  });
  const out = [point(0, null)];
  order.forEach((v, i) => {
    removed[v] = 1;
    out.push(point(i + 1, v));
  });
  return out;
}

function indexList(name: string, list: number[] | undefined, n: number): number[] {
  const out: number[] = [];
  for (const [i, v] of (list ?? []).entries()) {
    if (!(Number.isInteger(v) && v >= 0 && v < n))
      throw new LabError(`${name} ${i} is not a node of this network`);
    if (out.includes(v)) throw new LabError(`${name} lists node ${v} twice`);
    out.push(v);
  }
  return out;
}

/** Checks a request against the graph and LAB_LIMITS; throws LabError saying what is wrong. */
export function validateComparison(g: CSR, options: CompareOptions): void {
  const { k, plans } = options;
  if (!Number.isInteger(k) || k < 1 || k > LAB_LIMITS.maxK)
    throw new LabError(`k must be a whole number from 1 to ${LAB_LIMITS.maxK}, got ${k}`);
  if (g.n > LAB_LIMITS.maxNodes)
    throw new LabError(
      `the network has ${g.n} nodes; the lab compares plans on at most ${LAB_LIMITS.maxNodes} (narrow the view)`,
    );
  if (plans.length === 0) throw new LabError('choose at least one strategy');
  if (plans.length > LAB_LIMITS.maxPlans)
    throw new LabError(`at most ${LAB_LIMITS.maxPlans} strategies at once, got ${plans.length}`);
  const restarts = options.restarts ?? COMPARE_DEFAULTS.restarts;
  if (!Number.isInteger(restarts) || restarts < 1 || restarts > LAB_LIMITS.maxRestarts)
    throw new LabError(`restarts must be from 1 to ${LAB_LIMITS.maxRestarts}, got ${restarts}`);
  const budget = options.timeBudgetMs ?? COMPARE_DEFAULTS.timeBudgetMs;
  if (!(budget > 0 && budget <= LAB_LIMITS.maxTimeBudgetMs))
    throw new LabError(`the time budget must be above 0 and at most ${LAB_LIMITS.maxTimeBudgetMs / 1000} s`);
  const keep = indexList('must-keep', options.mustKeep, g.n);
  const remove = indexList('must-remove', options.mustRemove, g.n);
  for (const v of remove)
    if (keep.includes(v)) throw new LabError(`${JSON.stringify(g.ids[v])} is both must-keep and must-remove`);
  if (remove.length > k) throw new LabError(`${remove.length} must-remove nodes do not fit in k = ${k}`);
  if (k >= g.n) throw new LabError(`k = ${k} would remove the whole network of ${g.n} nodes`);
  for (const p of plans) {
    if (p.kind === 'own') {
      const t = indexList('own-set target', p.targets, g.n);
      if (t.length === 0) throw new LabError('the own-set strategy needs at least one target');
      if (t.length > LAB_LIMITS.maxK)
        throw new LabError(`the own set may hold at most ${LAB_LIMITS.maxK} targets`);
    }
    if (p.kind === 'sequential') {
      const work = k * g.n * (g.n + g.m);
      if (work > LAB_LIMITS.maxSequentialWork)
        throw new LabError(
          `sequential ${p.metric} would recompute ${k} times on ${g.n} nodes and ${g.m} links, too much for one run; use top-k, a smaller k or a narrower view`,
        );
    }
  }
}

export function comparePlans(g: CSR, options: CompareOptions): Comparison {
  validateComparison(g, options);
  const o = {
    ...COMPARE_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof COMPARE_DEFAULTS & CompareOptions;
  const mustKeep = indexList('must-keep', options.mustKeep, g.n);
  const mustRemove = indexList('must-remove', options.mustRemove, g.n);
  const candidate = new Uint8Array(g.n);
  for (let v = 0; v < g.n; v++) candidate[v] = options.eligible ? options.eligible[v] : 1;
  for (const v of mustKeep) candidate[v] = 0;
  let eligible = 0;
  for (let v = 0; v < g.n; v++) eligible += candidate[v];
  if (
    eligible + mustRemove.filter((v) => !candidate[v]).length < options.k &&
    options.plans.some((p) => p.kind !== 'own')
  )
    throw new LabError(`only ${eligible} nodes may be removed, fewer than k = ${options.k}`);
  const ctx: Ctx = { g, k: options.k, candidate, mustRemove, o, deadline: Date.now() + o.timeBudgetMs };
  const plans: PlanOutcome[] = [];
  options.plans.forEach((spec, i) => {
    checkTime(ctx);
    options.onProgress?.(i, options.plans.length, planName(spec));
    let removed: number[];
    let kp: KeyPlayerSummary | null = null;
    if (spec.kind === 'topk') removed = topk(ctx, spec.metric);
    else if (spec.kind === 'sequential') removed = sequential(ctx, spec.metric);
    else if (spec.kind === 'keyPlayer') {
      const r = keyPlayer(ctx);
      removed = orderForCurve(g, r.set, mustRemove);
      kp = r.summary;
    } else removed = [...spec.targets];
    plans.push({ name: planName(spec), spec, removed, curve: curveOf(g, removed, o), keyPlayer: kp });
  });
  options.onProgress?.(options.plans.length, options.plans.length, 'compared');
  return {
    k: options.k,
    nodes: g.n,
    links: g.m,
    eligible,
    mustKeep,
    mustRemove,
    tieRule: TIE_RULE,
    fragmentationDefinition: FRAGMENTATION_DEFINITION,
    plans,
  };
}
