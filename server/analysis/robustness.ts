// Robust to what the picture lacks: intelligence sees part of a network, and some of what it sees is
// wrong. Each plan's removal set is scored on resampled networks, as missing-data studies perturb networks
// (e.g. Borgatti, Carley & Krackhardt 2006 on measures under sampling error): every link is dropped with
// probability `dropShare`, and round(addShare x links) links are added between random unlinked pairs,
// seeded. On each resample a plan scores the fragmentation (Borgatti's F over the remaining nodes, see
// strategies.ts) its set leaves; the plan(s) with the highest score (within 1e-9) win that resample.
// Reported per plan: the share of resamples it wins (ties count for every tied plan), and its score's
// median with the 5th-95th percentile interval.
import type { CSR } from './csr.ts';
import { buildCSR } from './csr.ts';
import { mulberry32 } from './random.ts';
import { interval, type Interval } from './recovery.ts';
import { LabError, fragmentationAfter } from './strategies.ts';

export interface RobustnessOptions {
  resamples?: number;
  dropShare?: number;
  addShare?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}
export const ROBUSTNESS_DEFAULTS = { resamples: 100, dropShare: 0.1, addShare: 0.1, seed: 1 };
export const ROBUSTNESS_LIMITS = { maxResamples: 1000, maxShare: 0.9, maxWork: 2e9 };

export interface PlanRobustness {
  name: string;
  /** Fragmentation on the network as observed. */
  observed: number;
  score: Interval;
  /** Share of resamples in which this plan is (one of) the best. */
  bestShare: number;
}
export interface RobustnessResult {
  resamples: number;
  dropShare: number;
  addShare: number;
  seed: number;
  measure: string;
  plans: PlanRobustness[];
}

/** One resampled network: links dropped and random links added, seeded. */
export function resample(g: CSR, dropShare: number, addShare: number, rng: () => number): CSR {
  const us: number[] = [];
  const vs: number[] = [];
  const have = new Set<number>();
  const key = (u: number, v: number) => (u < v ? u * g.n + v : v * g.n + u);
  for (let e = 0; e < g.m; e++) {
    have.add(key(g.edgeU[e], g.edgeV[e]));
    if (rng() < dropShare) continue;
    us.push(g.edgeU[e]);
    vs.push(g.edgeV[e]);
  }
  const possible = (g.n * (g.n - 1)) / 2 - g.m;
  const add = Math.min(Math.round(addShare * g.m), possible);
  for (let i = 0, guard = 0; i < add && guard < 100 * (add + 1); guard++) {
    const u = Math.floor(rng() * g.n);
    const v = Math.floor(rng() * g.n);
    if (u === v || have.has(key(u, v))) continue;
    have.add(key(u, v));
    us.push(u);
    vs.push(v);
    i++;
  }
  return buildCSR(g.ids, us, vs, null, false);
}

export function planRobustness(
  g: CSR,
  plans: Array<{ name: string; removed: number[] }>,
  options: RobustnessOptions = {},
): RobustnessResult {
  const o = {
    ...ROBUSTNESS_DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof ROBUSTNESS_DEFAULTS & RobustnessOptions;
  if (!Number.isInteger(o.resamples) || o.resamples < 1 || o.resamples > ROBUSTNESS_LIMITS.maxResamples)
    throw new LabError(`resamples must be from 1 to ${ROBUSTNESS_LIMITS.maxResamples}, got ${o.resamples}`);
  for (const [name, s] of [
    ['dropShare', o.dropShare],
    ['addShare', o.addShare],
  ] as const)
    if (!(s >= 0 && s <= ROBUSTNESS_LIMITS.maxShare))
      throw new LabError(`${name} must be from 0 to ${ROBUSTNESS_LIMITS.maxShare}, got ${s}`);
  if (plans.length === 0) throw new LabError('no plans to score');
  if (o.resamples * (plans.length + 1) * (g.n + g.m) > ROBUSTNESS_LIMITS.maxWork)
    throw new LabError(
      `${o.resamples} resamples of ${plans.length} plans on ${g.n} nodes and ${g.m} links is too much for one run; ask for fewer resamples`,
    );
  const masks = plans.map((p) => {
    const m = new Uint8Array(g.n);
    for (const v of p.removed) {
      if (!(v >= 0 && v < g.n)) throw new LabError(`plan ${p.name} removes node ${v}, not in this network`);
      m[v] = 1;
    }
    return m;
  });
  const undirected = g.directed ? buildCSR(g.ids, g.edgeU, g.edgeV, null, false) : g;
  const scores = plans.map(() => [] as number[]);
  const wins = plans.map(() => 0);
  const rng = mulberry32(o.seed);
  for (let r = 0; r < o.resamples; r++) {
    o.onProgress?.(r, o.resamples);
    const h = resample(undirected, o.dropShare, o.addShare, rng);
    const s = masks.map((m) => fragmentationAfter(h, m));
    const best = Math.max(...s);
    s.forEach((x, i) => {
      scores[i].push(x);
      if (x >= best - 1e-9) wins[i]++;
    });
  }
  o.onProgress?.(o.resamples, o.resamples);
  return {
    resamples: o.resamples,
    dropShare: o.dropShare,
    addShare: o.addShare,
    seed: o.seed,
    measure: 'fragmentation (Borgatti F) left by the plan on each resampled network',
    plans: plans.map((p, i) => ({
      name: p.name,
      observed: fragmentationAfter(undirected, masks[i]),
      score: interval(scores[i]),
      bestShare: wins[i] / o.resamples,
    })),
  };
}
