// The disruption lab: remove nodes from a network and measure what is left after each step.
//
// Strategies
// - set:        the analyst's own targets, removed one per step in the order given
// - block:      the top `steps` nodes by a metric, scored once on the intact network, removed at once
// - sequential: one node per step, the top node by the metric RECOMPUTED on what is left
// - greedy:     key-player search; each step removes the node whose removal leaves the fewest connected
//               pairs (computed exactly for every candidate from one DFS, see cut.ts)
//
// Measures after each step (n0 = nodes in the intact network)
// - lccShare: size of the largest connected component / size of the ORIGINAL largest component
// - components: number of connected components (removed nodes not counted)
// - pairwiseConnectivity: connected unordered pairs / (n0 (n0 - 1) / 2)
// - efficiency: sum over ordered pairs of 1 / hop distance, / (n0 (n0 - 1)); normalised by the intact
//   network's size so that removals always count as a loss (networkx's global_efficiency would
//   renormalise by the shrinking graph). Above `efficiencyExactLimit` nodes it is estimated from
//   seeded source samples.
//
// Tie rule (the same in test/reference/generate_expectations.py): highest score wins; scores within
// 1e-9 count as equal, and then the lowest original index (file / store order) wins.
import type { CSR } from './csr.ts';
import { inducedCSR } from './csr.ts';
import { betweenness } from './betweenness.ts';
import { connectedComponents } from './components.ts';
import { cutStructure } from './cut.ts';
import { keyPlayerNeg } from './keyplayer.ts';
import { computeMetric, type MetricName } from './registry.ts';
import { mulberry32, samplePivots } from './random.ts';
import { ShortestPaths } from './sssp.ts';

/**
 * `greedy` is one greedy pass (each step removes the node whose removal disconnects most pairs now): the
 * start of a key-player search, kept because networkx reproduces it step by step. `keyplayer` is the search
 * itself (Borgatti's KPP-Neg: greedy start, swaps, seeded restarts, exact when the sets are few; keyplayer.ts),
 * whose set is then removed in the order the search gives.
 */
export const DISRUPTION_STRATEGIES = ['set', 'block', 'sequential', 'greedy', 'keyplayer'] as const;
export type DisruptionStrategy = (typeof DISRUPTION_STRATEGIES)[number];

export interface DisruptionOptions {
  strategy: DisruptionStrategy;
  metric?: MetricName;
  steps?: number;
  /** Node indices for the `set` strategy. */
  targets?: number[];
  efficiencyExactLimit?: number;
  efficiencySamples?: number;
  seed?: number;
  /** How many inheritors of brokerage to report. */
  inheritors?: number;
  onProgress?: (done: number, total: number, phase: string) => void;
  isCancelled?: () => boolean;
}
export const DISRUPTION_DEFAULTS = {
  metric: 'betweenness' as MetricName,
  steps: 5,
  efficiencyExactLimit: 5000,
  efficiencySamples: 500,
  seed: 1,
  inheritors: 5,
};

export interface NetworkState {
  lccShare: number;
  components: number;
  pairwiseConnectivity: number;
  efficiency: number;
  /** True when efficiency was estimated from sampled sources. */
  efficiencySampled: boolean;
}
export interface DisruptionStep extends NetworkState {
  step: number;
  removed: string[];
}
export interface Inheritor {
  id: string;
  /** Raw betweenness (shortest paths through the node) before and after the removals. */
  before: number;
  after: number;
  rise: number;
}
export interface DisruptionResult {
  strategy: DisruptionStrategy;
  metric: MetricName;
  tieRule: string;
  baseline: NetworkState;
  steps: DisruptionStep[];
  inheritors: Inheritor[];
}

export class DisruptionError extends Error {
  constructor(message: string) {
    super(`disruption: ${message}`);
    this.name = 'DisruptionError';
  }
}

export const TIE_RULE = 'highest score; scores within 1e-9 are equal; then the lowest original index';

/** Index (into `alive`) of the best score under the tie rule. */
export function pickBest(scores: ArrayLike<number>, candidates: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (best < 0 || scores[c] > scores[best] + 1e-9) best = c;
    else if (Math.abs(scores[c] - scores[best]) <= 1e-9 && c < best) best = c;
  }
  return best;
}

const pairs = (s: number) => (s * (s - 1)) / 2;

export function measure(
  g: CSR,
  removed: Uint8Array,
  n0: number,
  lcc0: number,
  o: { efficiencyExactLimit: number; efficiencySamples: number; seed: number },
): NetworkState {
  const comps = connectedComponents(g, removed);
  let connected = 0;
  let lcc = 0;
  for (const s of comps.sizes) {
    connected += pairs(s);
    if (s > lcc) lcc = s;
  }
  const alive: number[] = [];
  for (let v = 0; v < g.n; v++) if (!removed[v]) alive.push(v);
  const { csr } = inducedCSR(
    g,
    Uint8Array.from(removed, (r) => (r ? 0 : 1)),
  );
  const sampled = csr.n > o.efficiencyExactLimit;
  const sources = sampled
    ? samplePivots(csr.n, o.efficiencySamples, mulberry32(o.seed))
    : Int32Array.from({ length: csr.n }, (_, i) => i);
  const sp = new ShortestPaths(csr, false, false);
  let eff = 0;
  for (const s of sources) {
    const r = sp.run(s);
    for (let i = 1; i < r; i++) eff += 1 / sp.dist[sp.order[i]];
  }
  if (sampled) eff *= csr.n / sources.length;
  return {
    lccShare: lcc0 > 0 ? lcc / lcc0 : 0,
    components: comps.count,
    pairwiseConnectivity: n0 > 1 ? connected / pairs(n0) : 0,
    efficiency: n0 > 1 ? eff / (n0 * (n0 - 1)) : 0,
    efficiencySampled: sampled,
  };
}

export function disrupt(g: CSR, options: DisruptionOptions): DisruptionResult {
  const o = { ...DISRUPTION_DEFAULTS, ...options };
  const n0 = g.n;
  const base = connectedComponents(g);
  const lcc0 = base.largest >= 0 ? base.sizes[base.largest] : 0;
  const removed = new Uint8Array(n0);
  const steps: DisruptionStep[] = [];
  const report = (phase: string, done: number, total: number) => o.onProgress?.(done, total, phase);
  const check = () => {
    if (o.isCancelled?.()) throw new DisruptionError('cancelled');
  };
  const baseline = measure(g, removed, n0, lcc0, o);
  const record = (ids: number[]) => {
    for (const v of ids) removed[v] = 1;
    steps.push({
      step: steps.length + 1,
      removed: ids.map((v) => g.ids[v]),
      ...measure(g, removed, n0, lcc0, o),
    });
  };
  const total = o.strategy === 'set' ? (o.targets?.length ?? 0) : Math.min(o.steps, Math.max(0, n0 - 1));

  if (o.strategy === 'set') {
    if (!o.targets || o.targets.length === 0) throw new DisruptionError('the set strategy needs targets');
    const seen = new Set<number>();
    o.targets.forEach((t, i) => {
      if (!(t >= 0 && t < n0)) throw new DisruptionError(`target ${i} is not a node of this view`);
      if (seen.has(t)) throw new DisruptionError(`target ${JSON.stringify(g.ids[t])} is listed twice`);
      seen.add(t);
      check();
      report('removing targets', i, total);
      record([t]);
    });
  } else if (o.strategy === 'keyplayer') {
    check();
    report('key-player search', 0, total);
    const found = keyPlayerNeg(g, { k: total, seed: o.seed });
    record(found.set);
  } else if (o.strategy === 'block') {
    const scores = computeMetric(g, o.metric, { seed: o.seed, isCancelled: o.isCancelled });
    const order = Array.from({ length: n0 }, (_, i) => i).sort((a, b) =>
      Math.abs(scores[b] - scores[a]) <= 1e-9 ? a - b : scores[b] - scores[a],
    );
    record(order.slice(0, total));
  } else {
    for (let step = 0; step < total; step++) {
      check();
      report(o.strategy === 'greedy' ? 'key-player search' : `recomputing ${o.metric}`, step, total);
      let pickIdx: number;
      if (o.strategy === 'greedy') {
        const { pairsLost } = cutStructure(g, removed);
        const cand: number[] = [];
        for (let v = 0; v < n0; v++) if (!removed[v]) cand.push(v);
        pickIdx = pickBest(pairsLost, cand);
      } else {
        const keep = Uint8Array.from(removed, (r) => (r ? 0 : 1));
        const { csr, back } = inducedCSR(g, keep);
        const scores = computeMetric(csr, o.metric, { seed: o.seed, isCancelled: o.isCancelled });
        pickIdx =
          back[
            pickBest(
              scores,
              Int32Array.from({ length: csr.n }, (_, i) => i),
            )
          ];
      }
      record([pickIdx]);
    }
  }
  report('inheritors', total, total);
  return {
    strategy: o.strategy,
    metric: o.metric,
    tieRule: TIE_RULE,
    baseline,
    steps,
    inheritors: inheritors(g, removed, o.inheritors),
  };
}

/** Who takes over the removed nodes' brokerage: the largest rises in raw betweenness. */
export function inheritors(g: CSR, removed: Uint8Array, top: number): Inheritor[] {
  const before = betweenness(g, { normalized: false });
  const keep = Uint8Array.from(removed, (r) => (r ? 0 : 1));
  const { csr, back } = inducedCSR(g, keep);
  const afterSmall = betweenness(csr, { normalized: false });
  const out: Inheritor[] = [];
  for (let i = 0; i < csr.n; i++) {
    const v = back[i];
    out.push({ id: g.ids[v], before: before[v], after: afterSmall[i], rise: afterSmall[i] - before[v] });
  }
  return out
    .filter((x) => x.rise > 1e-9)
    .sort((a, b) => b.rise - a.rise)
    .slice(0, top);
}
