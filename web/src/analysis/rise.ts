// Rise and fall, the pure part: which range to ask the server for (the chart's dated span, cut to the latest
// windows the server compares at once), the shared scale of the small multiples, and which window labels an
// axis of a given width has room for. The series itself is one server job ("windows",
// server/analysis/windows.ts), whose types are restated here as the browser receives them.
import {
  calendarWindows,
  WINDOW_LIMITS,
  type TimeWindow,
  type WindowStep,
} from '../../../server/analysis/windows.ts';

export interface RiseLine {
  id: string;
  label: string;
  type: string;
  scores: Array<number | null>;
  ranks: Array<number | null>;
  peak: number;
  peakWindow: number;
  reason: 'top' | 'followed' | 'top and followed';
}
export interface RiseChange {
  id: string;
  label: string;
  before: number;
  after: number;
  rise: number;
  rankBefore: number;
  rankAfter: number;
}
export interface RiseResult {
  metric: string;
  windows: Array<
    TimeWindow & {
      nodes: number;
      links: number;
      ranked: number;
      top: Array<{ id: string; label: string; score: number; rank: number }>;
    }
  >;
  lines: RiseLine[];
  rose: RiseChange[];
  fell: RiseChange[];
  notFound: string[];
  record: Record<string, unknown>;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The range to compare: from the first to the last dated day, or its latest `most` windows when it holds
 * more (with word of the cut). Null when nothing is dated.
 */
export function riseRange(
  span: { min: number; max: number } | null,
  step: WindowStep,
  most = WINDOW_LIMITS.maxWindows,
): { from: string; to: string; windows: number; cut: boolean } | null {
  if (!span) return null;
  const all = calendarWindows(step, day(span.min), day(span.max), Number.MAX_SAFE_INTEGER);
  const kept = all.slice(-most);
  return { from: kept[0].from, to: day(span.max), windows: kept.length, cut: kept.length < all.length };
}

/** The top of the shared y scale: the highest score of any line (a little above 0 when all are 0). */
export function sharedTop(lines: readonly RiseLine[]): number {
  let top = 0;
  for (const l of lines) for (const s of l.scores) if (s !== null && s > top) top = s;
  return top > 0 ? top : 1;
}

/** Which windows get a label on an axis `width` px wide (about 42 px a label), first and last always. */
export function labelledTicks(count: number, width: number, room = 42): number[] {
  if (count <= 0) return [];
  const fit = Math.max(2, Math.floor(width / room));
  if (count <= fit) return Array.from({ length: count }, (_v, i) => i);
  const every = Math.ceil((count - 1) / (fit - 1));
  const out: number[] = [];
  for (let i = 0; i < count - 1; i += every) out.push(i);
  // The last label replaces a regular one too close to it.
  if (out.length > 1 && count - 1 - out[out.length - 1] < every * 0.75) out.pop();
  out.push(count - 1);
  return out;
}

/** A score for people: to 3 significant places, small values in full. */
export function scoreText(v: number): string {
  if (v === 0) return '0';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
}
