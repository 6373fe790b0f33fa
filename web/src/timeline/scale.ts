// The timeline's time axis: epoch ms to pixels and back, zoom about a point from decades down to minutes,
// panning, and ticks whose step and labels suit the zoom (years, months, days, hours, minutes).

export interface TimeScale {
  from: number;
  to: number;
  width: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Narrowest view: ten minutes across the panel. */
export const MIN_SPAN = 10 * MIN;
/** Widest view: forty years. */
export const MAX_SPAN = 40 * 365 * DAY;

export function xOf(s: TimeScale, ms: number): number {
  return ((ms - s.from) / (s.to - s.from)) * s.width;
}

export function msOf(s: TimeScale, x: number): number {
  return s.from + (x / s.width) * (s.to - s.from);
}

/** Zooms by `factor` (<1 in, >1 out) keeping the time under pixel `x` where it is. */
export function zoomAt(s: TimeScale, factor: number, x: number): TimeScale {
  const span = s.to - s.from;
  const next = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span * factor));
  const anchor = msOf(s, x);
  const from = anchor - (x / s.width) * next;
  return { ...s, from, to: from + next };
}

/** Moves the view by `dx` pixels (dragging right shows earlier times). */
export function panBy(s: TimeScale, dx: number): TimeScale {
  const dt = (dx / s.width) * (s.to - s.from);
  return { ...s, from: s.from - dt, to: s.to - dt };
}

/** A view over [min, max] with a margin, at least MIN_SPAN wide. */
export function fitScale(min: number, max: number, width: number): TimeScale {
  const span = Math.max(MIN_SPAN, max - min);
  const pad = span * 0.04;
  const mid = (min + max) / 2;
  return { from: mid - span / 2 - pad, to: mid + span / 2 + pad, width };
}

type Step = { kind: 'ms'; size: number } | { kind: 'month'; months: number };

const STEPS: Step[] = [
  { kind: 'ms', size: MIN },
  { kind: 'ms', size: 5 * MIN },
  { kind: 'ms', size: 15 * MIN },
  { kind: 'ms', size: 30 * MIN },
  { kind: 'ms', size: HOUR },
  { kind: 'ms', size: 3 * HOUR },
  { kind: 'ms', size: 6 * HOUR },
  { kind: 'ms', size: 12 * HOUR },
  { kind: 'ms', size: DAY },
  { kind: 'ms', size: 2 * DAY },
  { kind: 'ms', size: 7 * DAY },
  { kind: 'month', months: 1 },
  { kind: 'month', months: 3 },
  { kind: 'month', months: 6 },
  { kind: 'month', months: 12 },
  { kind: 'month', months: 24 },
  { kind: 'month', months: 60 },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

function label(ms: number, step: Step): string {
  const d = new Date(ms);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  if (step.kind === 'month')
    return step.months >= 12
      ? String(d.getUTCFullYear())
      : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (step.size >= DAY) return `${day} ${d.getUTCFullYear()}`;
  const clock = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? `${day} ${clock}` : clock;
}

/** Tick times and labels (UTC) at least `minGap` pixels apart. */
export function ticks(s: TimeScale, minGap = 90): Array<{ ms: number; x: number; label: string }> {
  const perPx = (s.to - s.from) / s.width;
  const step =
    STEPS.find((st) => (st.kind === 'ms' ? st.size : st.months * 30.44 * DAY) / perPx >= minGap) ??
    STEPS[STEPS.length - 1];
  const out: Array<{ ms: number; x: number; label: string }> = [];
  if (step.kind === 'ms') {
    // Whole weeks start on Monday (1970-01-05); days and shorter on UTC boundaries.
    const origin = step.size === 7 * DAY ? 4 * DAY : 0;
    for (let t = Math.ceil((s.from - origin) / step.size) * step.size + origin; t <= s.to; t += step.size)
      out.push({ ms: t, x: xOf(s, t), label: label(t, step) });
  } else {
    const d = new Date(s.from);
    let y = d.getUTCFullYear();
    let m = Math.ceil(d.getUTCMonth() / step.months) * step.months;
    if (step.months >= 12) {
      y = Math.ceil((y + (d.getUTCMonth() > 0 ? 1 : 0)) / (step.months / 12)) * (step.months / 12);
      m = 0;
    }
    for (let t = Date.UTC(y, m, 1); t <= s.to; t = Date.UTC(y, (m += step.months), 1))
      if (t >= s.from) out.push({ ms: t, x: xOf(s, t), label: label(t, step) });
  }
  return out;
}
