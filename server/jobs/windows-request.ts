// A windows job inside its worker: the metric run over each window's view in turn, by the same code as a
// metric job (so a month's score here is the score a metric job over that month's view gives), then the
// series the analyst compares (server/analysis/windows.ts). Progress is per window.
import type { CSR } from '../analysis/csr.ts';
import { windowSeries, type ScoredWindow, type TimeWindow, type WindowSeries } from '../analysis/windows.ts';
import type { WindowsJob } from './job-types.ts';
import { runRequest, type Progress } from './run-request.ts';

export interface WindowView {
  window: TimeWindow;
  graph: CSR;
  labels: string[];
  /** Entity types by node (null: not known). */
  types: string[] | null;
  notes: string[];
}

export interface WindowsResult extends WindowSeries {
  metric: WindowsJob['metric'];
  /** What was computed, stated with the result (and carried into exports). */
  record: {
    metric: string;
    step: WindowsJob['step'];
    from: string;
    to: string;
    windows: Array<{ label: string; from: string; to: string; nodes: number; links: number }>;
    top: number;
    rankedAmong: string[];
    followed: string[];
    seed: number;
    /** How each window's network was built. */
    method: string;
  };
}

interface MetricAnswer {
  errorBound: unknown;
  scores: Array<{ id: string; label: string; score: number }>;
}

export async function runWindows(
  views: WindowView[],
  req: WindowsJob,
  progress: Progress,
): Promise<WindowsResult> {
  const scored: ScoredWindow[] = [];
  const n = views.length;
  for (const [k, v] of views.entries()) {
    const phase = `${v.window.label} (${k + 1} of ${n})`;
    progress(Math.floor((100 * k) / n), phase);
    const typeOf = new Map<string, string>();
    v.graph.ids.forEach((id, i) => typeOf.set(id, v.types?.[i] ?? ''));
    const answer =
      v.graph.n === 0
        ? { errorBound: null, scores: [] }
        : ((await runRequest(
            v.graph,
            v.labels,
            { kind: 'metric', metric: req.metric, k: null, seed: req.seed },
            (p) => progress(Math.min(99, Math.floor((100 * (k + p / 100)) / n)), phase),
          )) as MetricAnswer);
    scored.push({
      window: v.window,
      ids: answer.scores.map((s) => s.id),
      labels: answer.scores.map((s) => s.label),
      types: answer.scores.map((s) => typeOf.get(s.id) ?? ''),
      scores: answer.scores.map((s) => s.score),
      nodes: v.graph.n,
      links: v.graph.m,
      errorBound: answer.errorBound,
    });
  }
  const series = windowSeries(scored, { top: req.top, among: req.among, follow: req.follow });
  return {
    metric: req.metric,
    ...series,
    record: {
      metric: req.metric,
      step: req.step,
      from: req.from,
      to: req.to,
      windows: scored.map((s) => ({ ...s.window, nodes: s.nodes, links: s.links })),
      top: req.top,
      rankedAmong: req.among,
      followed: req.follow,
      seed: req.seed,
      method:
        "each window's network is the view's filter over that window alone: calls and sightings counted " +
        'only when inside it, other links when their first-to-last span overlaps it; ranks among the ' +
        'ranked types, highest first, equal scores by id',
    },
  };
}
