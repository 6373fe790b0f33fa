// Metrics over time windows: the calendar windows of a range (weeks, months, quarters), each window's view
// filter, and a metric's scores per window turned into what the analyst compares: each window's top K, every
// followed person's score and rank in every window, and who rose and fell between two windows. Pure: the
// windows' views are read from the store elsewhere (server/jobs/window-views.ts), each from the calls inside
// its window. The "Rise and fall" panel and the operational review (server/cycle/review.ts, whose before
// and after are two windows) both go through here, so both name, filter and rank windows alike.
import type { EntityType, ViewFilter } from '../domain/model.ts';

export const WINDOW_STEPS = ['week', 'month', 'quarter'] as const;
export type WindowStep = (typeof WINDOW_STEPS)[number];

/**
 * Bounds of one windowed analysis: each window is a view read from the store and a metric run over it, so
 * the count of windows is the cost. 36 is three years by month, nine by quarter, or 36 weeks.
 */
export const WINDOW_LIMITS = { maxWindows: 36, maxTop: 50, maxFollow: 50 };

export interface TimeWindow {
  /** First day, ISO date (UTC), e.g. 2024-03-01. */
  from: string;
  /** Last day, ISO date: a date alone as the end of a window covers its whole day (as the stores read it). */
  to: string;
  /** For people: "Mar 24", "w/c 4 Mar 24", "Q1 24", or FROM..TO for a period given by its dates. */
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = 86_400_000;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const yy = (d: Date): string => String(d.getUTCFullYear() % 100).padStart(2, '0');

/** Start (epoch ms, UTC) of the calendar window of `step` holding `ms`; weeks start on Monday. */
function windowStart(ms: number, step: WindowStep): number {
  const d = new Date(ms);
  if (step === 'week') {
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return day - ((d.getUTCDay() + 6) % 7) * DAY;
  }
  const m = step === 'quarter' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : d.getUTCMonth();
  return Date.UTC(d.getUTCFullYear(), m, 1);
}

function nextStart(start: number, step: WindowStep): number {
  if (step === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (step === 'quarter' ? 3 : 1), 1);
}

function windowLabel(start: number, step: WindowStep): string {
  const d = new Date(start);
  if (step === 'month') return `${MONTHS[d.getUTCMonth()]} ${yy(d)}`;
  if (step === 'quarter') return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${yy(d)}`;
  return `w/c ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${yy(d)}`;
}

/** The day (epoch ms at 00:00 UTC) of an ISO date or date-time. */
function dayOf(s: string): number {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(t)) throw new RangeError(`${JSON.stringify(s)} is not an ISO date such as 2024-03-01`);
  return t;
}

/** How many windows of `step` the range [from, to] touches (0 when it starts after it ends). */
export function countWindows(step: WindowStep, from: string, to: string): number {
  const end = dayOf(to);
  let n = 0;
  for (let t = windowStart(dayOf(from), step); t <= end; t = nextStart(t, step)) n++;
  return n;
}

/**
 * The calendar windows of `step` touching [from, to], whole: the first holds `from`, the last `to`.
 * Throws a RangeError past `max` windows, saying how to narrow the range.
 */
export function calendarWindows(
  step: WindowStep,
  from: string,
  to: string,
  max = WINDOW_LIMITS.maxWindows,
): TimeWindow[] {
  if (dayOf(from) > dayOf(to)) throw new RangeError(`the range starts (${from}) after it ends (${to})`);
  const n = countWindows(step, from, to);
  if (n > max)
    throw new RangeError(
      `${from} to ${to} is ${n} ${step}s; at most ${max} windows are compared at once: ` +
        `shorten the range${step === 'quarter' ? '' : ' or compare by a longer step'}`,
    );
  const out: TimeWindow[] = [];
  const end = dayOf(to);
  for (let t = windowStart(dayOf(from), step); t <= end; t = nextStart(t, step))
    out.push({ from: isoDay(t), to: isoDay(nextStart(t, step) - DAY), label: windowLabel(t, step) });
  return out;
}

/** A period given by its dates (the review's before and after); either end may be open. */
export interface Period {
  from?: string;
  to?: string;
}

/** "2024-01-01..2024-06-30" -> { from, to }; either side may be empty for an open end. */
export function parsePeriod(s: string): Period {
  const parts = s.split('..');
  if (parts.length !== 2) {
    throw new RangeError(`window ${JSON.stringify(s)} is not FROM..TO, e.g. 2024-01-01..2024-06-30`);
  }
  const [from, to] = [parts[0].trim(), parts[1].trim()];
  for (const d of [from, to]) {
    if (d && (!/^\d{4}-\d{2}-\d{2}/.test(d) || Number.isNaN(Date.parse(d)))) {
      throw new RangeError(
        `window ${JSON.stringify(s)}: ${JSON.stringify(d)} is not an ISO date such as 2024-01-01`,
      );
    }
  }
  if (from && to && Date.parse(from) > Date.parse(to)) {
    throw new RangeError(`window ${JSON.stringify(s)}: starts after it ends`);
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** How a period is named in results: FROM..TO with an open end left empty. */
export const periodLabel = (p: Period): string => `${p.from ?? ''}..${p.to ?? ''}`;

/**
 * The view filter of one window: the base filter's types, grading and scope, with the window's dates in
 * place of any time window of its own (a window's network is built from the calls inside it).
 */
export function windowFilter(base: ViewFilter | undefined, w: Period): ViewFilter {
  const { from: _from, to: _to, ...rest } = base ?? {};
  return { ...rest, ...(w.from ? { from: w.from } : {}), ...(w.to ? { to: w.to } : {}) };
}

/**
 * 1-based ranks of `ids` by score, highest first; equal scores go by id, so every node has its own rank
 * and a run repeats exactly. Ids without a score count as 0.
 */
export function rankWithin(ids: readonly string[], scores: ReadonlyMap<string, number>): Map<string, number> {
  const sorted = [...ids].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || a.localeCompare(b));
  return new Map(sorted.map((id, i) => [id, i + 1] as const));
}

/** One window's scores: every node of its view with its type, as the metric gave them. */
export interface ScoredWindow {
  window: TimeWindow;
  ids: readonly string[];
  labels: readonly string[];
  types: readonly string[];
  scores: ArrayLike<number>;
  /** The view's size, as built (nodes after folding, distinct links). */
  nodes: number;
  links: number;
  /** Betweenness sampled in this window: the stated bound; null when exact. */
  errorBound?: unknown;
}

export interface Change {
  id: string;
  label: string;
  type: string;
  before: number;
  after: number;
  /** after - before */
  rise: number;
  /** 1-based, among the ranked types, in each window (by rankWithin). */
  rankBefore: number;
  rankAfter: number;
}

export interface ChangeOptions {
  /** Entity types ranked (e.g. people only). */
  among: ReadonlySet<string>;
  /** Left out of the comparison (e.g. the targets of an action). */
  exclude?: ReadonlySet<string>;
}

/**
 * Everyone of the ranked types present in both windows, with their score and rank in each and the change,
 * biggest rise first (equal rises by id). The review's risers are the first of these with a rise above 0;
 * the biggest falls are the last.
 */
export function compareWindows(before: ScoredWindow, after: ScoredWindow, o: ChangeOptions): Change[] {
  const of = (w: ScoredWindow) => {
    const score = new Map<string, number>();
    const at = new Map<string, number>();
    w.ids.forEach((id, i) => {
      if (!o.among.has(w.types[i])) return;
      score.set(id, w.scores[i]);
      at.set(id, i);
    });
    return { score, at, rank: rankWithin([...score.keys()], score) };
  };
  const b = of(before);
  const a = of(after);
  const out: Change[] = [];
  for (const [id, i] of a.at) {
    if (!b.at.has(id) || o.exclude?.has(id)) continue;
    const sb = b.score.get(id)!;
    const sa = a.score.get(id)!;
    out.push({
      id,
      label: after.labels[i],
      type: after.types[i],
      before: sb,
      after: sa,
      rise: sa - sb,
      rankBefore: b.rank.get(id)!,
      rankAfter: a.rank.get(id)!,
    });
  }
  return out.sort((x, y) => y.rise - x.rise || x.id.localeCompare(y.id));
}

export interface SeriesOptions {
  /** How many of each window's best to name (K). */
  top: number;
  /** Entity types ranked (default people). */
  among?: readonly EntityType[] | readonly string[];
  /** Followed in every window whatever their rank (e.g. the people selected on the chart). */
  follow?: readonly string[];
}

export interface WindowTop {
  id: string;
  label: string;
  score: number;
  rank: number;
}

/** One person's line: a score and a rank per window (null: not in that window's network). */
export interface Trajectory {
  id: string;
  label: string;
  type: string;
  scores: Array<number | null>;
  ranks: Array<number | null>;
  /** Highest score and the first window holding it. */
  peak: number;
  peakWindow: number;
  /** Why the line is drawn: in some window's top K, followed on request, or both. */
  reason: 'top' | 'followed' | 'top and followed';
}

export interface WindowSeries {
  windows: Array<
    TimeWindow & {
      nodes: number;
      links: number;
      /** Entities of the ranked types in the window's view (the rank is out of this). */
      ranked: number;
      errorBound: unknown;
      top: WindowTop[];
    }
  >;
  /** Everyone in some window's top K, then the followed, by peak (highest first, then id). */
  lines: Trajectory[];
  /** Between the first window and the last, among those in both: the biggest rises and falls (up to K). */
  rose: Change[];
  fell: Change[];
  /** Followed ids that are in no window's view. */
  notFound: string[];
}

/** The series of a metric over windows: each window's top K, the lines to draw, who rose and fell. */
export function windowSeries(per: readonly ScoredWindow[], o: SeriesOptions): WindowSeries {
  const among = new Set<string>(o.among ?? ['Person']);
  const follow = [...new Set(o.follow ?? [])];
  const followed = new Set(follow);
  const ranked = per.map((w) => {
    const score = new Map<string, number>();
    const at = new Map<string, number>();
    w.ids.forEach((id, i) => {
      if (!among.has(w.types[i])) return;
      score.set(id, w.scores[i]);
      at.set(id, i);
    });
    const rank = rankWithin([...score.keys()], score);
    const order = [...rank.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id);
    // Followed entities outside the ranked types, found in one pass.
    const other = new Map<string, number>();
    if (follow.length)
      w.ids.forEach((id, i) => {
        if (!at.has(id) && followed.has(id)) other.set(id, i);
      });
    return { w, score, at, rank, order, other };
  });
  const windows = ranked.map(({ w, score, at, rank, order }) => ({
    ...w.window,
    nodes: w.nodes,
    links: w.links,
    ranked: score.size,
    errorBound: w.errorBound ?? null,
    top: order.slice(0, o.top).map((id) => ({
      id,
      label: w.labels[at.get(id)!],
      score: score.get(id)!,
      rank: rank.get(id)!,
    })),
  }));
  const inTop = new Set(windows.flatMap((w) => w.top.map((t) => t.id)));
  const lines: Trajectory[] = [];
  for (const id of new Set([...inTop, ...follow])) {
    let label = id;
    let type = '';
    const scores: Array<number | null> = [];
    const ranks: Array<number | null> = [];
    let peak = -Infinity;
    let peakWindow = -1;
    ranked.forEach((r, k) => {
      const i = r.at.get(id);
      const s = r.score.get(id);
      if (i === undefined || s === undefined) {
        // A followed entity of another type is still drawn: its score without a rank among the ranked.
        const j = r.other.get(id);
        if (j !== undefined) {
          label = r.w.labels[j];
          type = r.w.types[j];
          scores.push(r.w.scores[j]);
          if (r.w.scores[j] > peak) [peak, peakWindow] = [r.w.scores[j], k];
        } else scores.push(null);
        ranks.push(null);
        return;
      }
      label = r.w.labels[i];
      type = r.w.types[i];
      scores.push(s);
      ranks.push(r.rank.get(id)!);
      if (s > peak) [peak, peakWindow] = [s, k];
    });
    if (peakWindow < 0) continue;
    const reason = inTop.has(id) ? (followed.has(id) ? 'top and followed' : 'top') : 'followed';
    lines.push({ id, label, type, scores, ranks, peak, peakWindow, reason });
  }
  lines.sort((a, b) => b.peak - a.peak || a.id.localeCompare(b.id));
  const found = new Set(lines.map((l) => l.id));
  const changes = per.length >= 2 ? compareWindows(per[0], per[per.length - 1], { among }) : ([] as Change[]);
  return {
    windows,
    lines,
    rose: changes.filter((c) => c.rise > 0).slice(0, o.top),
    fell: changes
      .filter((c) => c.rise < 0)
      .sort((x, y) => x.rise - y.rise || x.id.localeCompare(y.id))
      .slice(0, o.top),
    notFound: follow.filter((id) => !found.has(id)),
  };
}
