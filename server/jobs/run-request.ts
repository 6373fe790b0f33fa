// Runs one analysis request over a graph. Used inside job workers (and directly in tests); reports
// progress through a callback. Results name nodes by id and carry their labels.
import type { CSR } from '../analysis/csr.ts';
import { samplingErrorBound } from '../analysis/betweenness.ts';
import { BETWEENNESS_EXACT_LIMIT, SAMPLED_RANKING_DEFAULTS } from '../analysis/betweenness-sampled.ts';
import { CLOSENESS_EXACT_LIMIT, sampledCloseness } from '../analysis/closeness-sampled.ts';
import { cutStructure } from '../analysis/cut.ts';
import { disrupt } from '../analysis/disruption.ts';
import { explain } from '../analysis/explain.ts';
import { louvain } from '../analysis/louvain.ts';
import { computeMetric, rankScores } from '../analysis/registry.ts';
import type { JobRequest } from './job-types.ts';
import { parallelBetweenness } from './parallel-betweenness.ts';
import { parallelSampledBetweenness, sampledBudgetMs } from './parallel-sampled-betweenness.ts';
import { runLab } from './lab-request.ts';

export type Progress = (progress: number, phase: string) => void;

export async function runRequest(
  g: CSR,
  labels: string[],
  req: JobRequest,
  progress: Progress,
): Promise<unknown> {
  const pct = (done: number, total: number) =>
    total > 0 ? Math.min(99, Math.floor((100 * done) / total)) : 0;
  if (req.kind === 'metric') {
    progress(0, req.metric);
    if (req.metric === 'communities') {
      const r = louvain(g, { seed: req.seed });
      return {
        metric: req.metric,
        modularity: r.modularity,
        count: r.count,
        nodes: g.ids.map((id, i) => ({ id, label: labels[i], community: r.communities[i] })),
      };
    }
    if (req.metric === 'cut') {
      const c = cutStructure(g);
      return {
        metric: req.metric,
        articulationPoints: g.ids.filter((_, i) => c.articulation[i]),
        bridges: c.bridges.map(([u, v]) => [g.ids[u], g.ids[v]]),
      };
    }
    const onProgress = (done: number, total: number) => progress(pct(done, total), req.metric);
    const isBetweenness = req.metric.startsWith('betweenness');
    // Past the exact limit, betweenness is sampled with a stated error bound (KADABRA) unless pivots were asked.
    const sampled =
      isBetweenness && req.k === null && g.n > BETWEENNESS_EXACT_LIMIT
        ? await parallelSampledBetweenness(g, {
            ...SAMPLED_RANKING_DEFAULTS,
            budgetMs: sampledBudgetMs(),
            weighted: req.metric === 'betweennessWeighted',
            seed: req.seed,
            onProgress,
          })
        : null;
    // Closeness past its exact limit: from sampled sources, with the bound stated the same way.
    const sampledClose =
      req.metric === 'closeness' && g.n > CLOSENESS_EXACT_LIMIT
        ? sampledCloseness(g, { seed: req.seed, onProgress })
        : null;
    const scores = sampled
      ? sampled.scores
      : sampledClose
        ? sampledClose.scores
        : isBetweenness
          ? await parallelBetweenness(g, {
              weighted: req.metric === 'betweennessWeighted',
              k: req.k,
              seed: req.seed,
              onProgress,
            })
          : computeMetric(g, req.metric, { k: req.k, seed: req.seed, onProgress });
    const ranked = rankScores(g, scores);
    return {
      metric: req.metric,
      errorBound:
        sampled?.bound ??
        sampledClose?.bound ??
        (req.k !== null && isBetweenness ? samplingErrorBound(g.n, Math.min(req.k, g.n)) : null),
      scores: ranked.map((r) => ({ id: r.id, label: labels[r.index], score: r.score, rank: r.rank })),
    };
  }
  if (req.kind === 'disruption') {
    const targets = req.targets?.map((id) => {
      const i = g.ids.indexOf(id);
      if (i < 0) throw new Error(`disruption: target ${JSON.stringify(id)} is not in this view`);
      return i;
    });
    return disrupt(g, {
      strategy: req.strategy,
      metric: req.metric,
      steps: req.steps,
      targets,
      seed: req.seed,
      onProgress: (done, total, phase) => progress(pct(done, total), phase),
    });
  }
  if (req.kind === 'lab') return runLab(g, labels, req, progress);
  if (req.kind === 'windows')
    throw new Error('a windows job runs over one view per window (windows-request.ts)');
  const node = g.ids.indexOf(req.node);
  if (node < 0) throw new Error(`explain: node ${JSON.stringify(req.node)} is not in this view`);
  return {
    label: labels[node],
    ...explain(g, node, {
      focus: req.focus,
      resamples: req.resamples,
      dropShare: req.dropShare,
      weakBelow: req.weakBelow,
      seed: req.seed,
      onProgress: (done, total, phase) => progress(pct(done, total), phase),
    }),
  };
}
