// The views of a windows job: one per calendar window, each read from the store with the view's filter
// over that window alone (so its network is built from the calls inside it), off the request thread as any
// analysis view. Bounded: the windows together may hold at most `limit` links (the one-view analysis bound,
// LINKCHART_MAX_ANALYSIS_LINKS), and there are at most WINDOW_LIMITS.maxWindows of them (the request's
// schema refuses more).
import type { PackedView, ViewOptions } from '../analysis/view.ts';
import { viewOptionsSchema } from '../analysis/view.ts';
import { calendarWindows, windowFilter, type TimeWindow } from '../analysis/windows.ts';
import { StoreError } from '../store/common.ts';
import type { GraphStore } from '../store/graph-store.ts';
import type { WindowsJob } from './job-types.ts';
import type { JobGraph } from './job-manager.ts';
import { buildViewOffThread } from './view-off-thread.ts';

export interface WindowViewsOptions {
  /** Links all the windows together may hold. */
  limit?: number;
  /** Only these entities and the links between them (a chart's windows). */
  only?: string[];
}

export async function buildWindowViews(
  graph: GraphStore,
  view: ViewOptions,
  req: Pick<WindowsJob, 'step' | 'from' | 'to'>,
  opts: WindowViewsOptions = {},
): Promise<Array<{ window: TimeWindow; packed: PackedView }>> {
  const base = viewOptionsSchema.parse(view);
  const windows = calendarWindows(req.step, req.from, req.to);
  const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
  const out: Array<{ window: TimeWindow; packed: PackedView }> = [];
  let links = 0;
  for (const w of windows) {
    const made = await buildViewOffThread(
      graph,
      { ...base, filter: windowFilter(base.filter, w) },
      { limit: Math.max(1, limit - links), ...(opts.only ? { only: opts.only } : {}) },
    );
    if (made.truncated)
      throw new StoreError(
        'too_large',
        `the ${windows.length} windows together hold more than ${limit} links (by ${w.label}), the most an ` +
          'analysis loads (LINKCHART_MAX_ANALYSIS_LINKS); shorten the range or narrow the view with entity or ' +
          'link types or a minimum grading',
        ['body', 'request', 'from'],
      );
    links += made.view.m;
    out.push({ window: w, packed: made.view });
  }
  return out;
}

/** The job's graph: its windows' views, with what building them folded or dropped (from the first). */
export async function windowsJobGraph(
  graph: GraphStore,
  view: ViewOptions,
  req: WindowsJob,
  key: { dataVersion: number; viewKey: string },
  opts: WindowViewsOptions = {},
): Promise<JobGraph> {
  const series = await buildWindowViews(graph, view, req, opts);
  if (series.every((s) => s.packed.n === 0))
    throw new StoreError(
      'invalid',
      `no window from ${req.from} to ${req.to} has anything in this view: widen its filter or the range`,
      ['body', 'request'],
    );
  return { series, ...key, notes: series[0]?.packed.notes ?? [] };
}
