// Explain one node's rank: its scores with rank and percentile, the communities it bridges and its share
// of the shortest paths between them, how its rank moves when weak intelligence is left out, and how
// stable the rank is when links are dropped at random (criminal network data is always incomplete, so an
// analyst needs a rank interval, not one number).
import type { CSR } from './csr.ts';
import { inducedCSR } from './csr.ts';
import { louvain } from './louvain.ts';
import { mulberry32, samplePivots } from './random.ts';
import { computeMetric, rankScores, type MetricName } from './registry.ts';

export interface ExplainOptions {
  metrics?: MetricName[];
  /** Metric whose rank the weak-intelligence and stability checks follow. */
  focus?: MetricName;
  /** Links whose grading weight is below this count as weak (gradingWeight: 1A = 1, 2C = 0.42, 3A = 0.3). */
  weakBelow?: number;
  resamples?: number;
  dropShare?: number;
  seed?: number;
  /** Source nodes used at most for the path-share estimate (sampled, seeded, above this). */
  maxPathSources?: number;
  onProgress?: (done: number, total: number, phase: string) => void;
  isCancelled?: () => boolean;
}
export const EXPLAIN_DEFAULTS = {
  metrics: [
    'degree',
    'weightedDegree',
    'betweenness',
    'closeness',
    'harmonic',
    'pagerank',
    'brokerage',
  ] as MetricName[],
  focus: 'betweenness' as MetricName,
  weakBelow: 0.4,
  resamples: 50,
  dropShare: 0.1,
  seed: 1,
  maxPathSources: 300,
};

export interface ScoreLine {
  metric: MetricName;
  score: number;
  rank: number;
  /** Share of the other nodes that score strictly lower, in percent. */
  percentile: number;
}

export interface Explanation {
  id: string;
  nodes: number;
  scores: ScoreLine[];
  communities: {
    own: number;
    /** Other communities among its neighbours, with how many neighbours in each. */
    bridged: Array<{ community: number; neighbours: number }>;
    /** Share of shortest paths between members of different bridged communities that pass through it. */
    pathShare: number;
    pairs: number;
    sampledSources: boolean;
  };
  weakLeftOut: {
    metric: MetricName;
    threshold: number;
    linksDropped: number;
    rankWith: number;
    rankWithout: number;
    scoreWith: number;
    scoreWithout: number;
  };
  stability: {
    metric: MetricName;
    resamples: number;
    dropShare: number;
    rank: number;
    /** 5th to 95th percentile of the rank over the resamples. */
    interval: [number, number];
    min: number;
    max: number;
    median: number;
    /** Set when betweenness was sampled to keep the resamples affordable. */
    pivots: number | null;
  };
}

export class ExplainError extends Error {
  constructor(message: string) {
    super(`explain: ${message}`);
    this.name = 'ExplainError';
  }
}

function rankOf(g: CSR, scores: Float64Array, v: number): number {
  return rankScores(g, scores).find((r) => r.index === v)!.rank;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return Math.round(sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo));
}

/** BFS from s: hop distances and numbers of shortest paths. */
function bfsCount(g: CSR, s: number, dist: Int32Array, sigma: Float64Array): void {
  dist.fill(-1);
  sigma.fill(0);
  const queue = new Int32Array(g.n);
  let head = 0;
  let tail = 0;
  queue[tail++] = s;
  dist[s] = 0;
  sigma[s] = 1;
  while (head < tail) {
    const v = queue[head++];
    for (let p = g.offsets[v]; p < g.offsets[v + 1]; p++) {
      const w = g.targets[p];
      if (dist[w] < 0) {
        dist[w] = dist[v] + 1;
        queue[tail++] = w;
      }
      if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
    }
  }
}

export function explain(g: CSR, node: number, options: ExplainOptions = {}): Explanation {
  const o = { ...EXPLAIN_DEFAULTS, ...options };
  if (!(node >= 0 && node < g.n)) throw new ExplainError(`node ${node} is not in this view`);
  // Without a resample there is no rank interval, and an interval of [0, 0] would read as a rank.
  if (!(Number.isInteger(o.resamples) && o.resamples >= 1))
    throw new ExplainError(`the rank interval needs at least 1 resample, got ${o.resamples}`);
  const step = (phase: string, done: number, total: number) => {
    if (o.isCancelled?.()) throw new ExplainError('cancelled');
    o.onProgress?.(done, total, phase);
  };
  const n = g.n;
  const metricOpts = { seed: o.seed, isCancelled: o.isCancelled };

  step('scores', 0, 100);
  const scores: ScoreLine[] = o.metrics.map((metric) => {
    const s = computeMetric(g, metric, metricOpts);
    let lower = 0;
    for (let i = 0; i < n; i++) if (s[i] < s[node] - 1e-9) lower++;
    return {
      metric,
      score: s[node],
      rank: rankOf(g, s, node),
      percentile: n > 1 ? (100 * lower) / (n - 1) : 100,
    };
  });

  step('communities', 20, 100);
  const { communities } = louvain(g, { seed: o.seed });
  const own = communities[node];
  const counts = new Map<number, number>();
  for (let p = g.offsets[node]; p < g.offsets[node + 1]; p++) {
    const c = communities[g.targets[p]];
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const bridged = [...counts]
    .filter(([c]) => c !== own)
    .map(([community, neighbours]) => ({ community, neighbours }))
    .sort((a, b) => b.neighbours - a.neighbours || a.community - b.community);
  const involved = new Set([own, ...bridged.map((b) => b.community)]);
  let pathShare = 0;
  let pairs = 0;
  let sampledSources = false;
  if (bridged.length > 0) {
    const members: number[] = [];
    for (let i = 0; i < n; i++) if (i !== node && involved.has(communities[i])) members.push(i);
    let sources = members;
    if (members.length > o.maxPathSources) {
      sampledSources = true;
      const pick = samplePivots(members.length, o.maxPathSources, mulberry32(o.seed));
      sources = Array.from(pick, (i) => members[i]);
    }
    const dv = new Int32Array(n);
    const sv = new Float64Array(n);
    bfsCount(g, node, dv, sv);
    const ds = new Int32Array(n);
    const ss = new Float64Array(n);
    let total = 0;
    for (const s of sources) {
      bfsCount(g, s, ds, ss);
      for (const t of members) {
        if (t === s || communities[t] === communities[s] || ds[t] < 0) continue;
        pairs++;
        if (ds[node] >= 0 && dv[t] >= 0 && ds[node] + dv[t] === ds[t]) total += (ss[node] * sv[t]) / ss[t];
      }
    }
    pathShare = pairs > 0 ? total / pairs : 0;
  }

  step('weak intelligence left out', 40, 100);
  const focusScores = computeMetric(g, o.focus, metricOpts);
  const keepStrong = new Uint8Array(g.m);
  let dropped = 0;
  for (let e = 0; e < g.m; e++) {
    keepStrong[e] = g.edgeQuality[e] >= o.weakBelow ? 1 : 0;
    if (!keepStrong[e]) dropped++;
  }
  const strong = inducedCSR(g, null, keepStrong).csr;
  const strongScores = dropped > 0 ? computeMetric(strong, o.focus, metricOpts) : focusScores;

  // Betweenness on every resample of a large view is sampled, and the result says so.
  const pivots = o.focus.startsWith('betweenness') && n > 5000 ? 500 : null;
  const rng = mulberry32(o.seed);
  const ranks: number[] = [];
  for (let r = 0; r < o.resamples; r++) {
    step('rank stability', 50 + Math.floor((50 * r) / o.resamples), 100);
    const keep = new Uint8Array(g.m);
    for (let e = 0; e < g.m; e++) keep[e] = rng() >= o.dropShare ? 1 : 0;
    const sub = inducedCSR(g, null, keep).csr;
    const s = computeMetric(sub, o.focus, { ...metricOpts, k: pivots, seed: o.seed + r });
    ranks.push(rankOf(sub, s, node));
  }
  ranks.sort((a, b) => a - b);
  step('done', 100, 100);
  return {
    id: g.ids[node],
    nodes: n,
    scores,
    communities: { own, bridged, pathShare, pairs, sampledSources },
    weakLeftOut: {
      metric: o.focus,
      threshold: o.weakBelow,
      linksDropped: dropped,
      rankWith: rankOf(g, focusScores, node),
      rankWithout: rankOf(strong, strongScores, node),
      scoreWith: focusScores[node],
      scoreWithout: strongScores[node],
    },
    stability: {
      metric: o.focus,
      resamples: o.resamples,
      dropShare: o.dropShare,
      rank: rankOf(g, focusScores, node),
      interval: [quantile(ranks, 0.05), quantile(ranks, 0.95)],
      min: ranks[0],
      max: ranks[ranks.length - 1],
      median: quantile(ranks, 0.5),
      pivots,
    },
  };
}
