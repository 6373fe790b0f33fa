// Sliding windows for "who rose and fell": calendar months (or weeks) across a range, and each person's
// score per window turned into lines to compare.

const DAY = 86_400_000;

export interface Window {
  from: number;
  /** Inclusive end: the last millisecond of the window. */
  to: number;
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The calendar months (UTC) touching [min, max]; the latest `most` of them when there are more. */
export function monthWindows(min: number, max: number, most = 24): Window[] {
  const out: Window[] = [];
  const d = new Date(min);
  const y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  for (let t = Date.UTC(y, m, 1); t <= max; t = Date.UTC(y, ++m, 1)) {
    const end = Date.UTC(y, m + 1, 1) - 1;
    const at = new Date(t);
    out.push({ from: t, to: end, label: `${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}` });
  }
  return out.slice(-most);
}

/** Weeks starting on Monday touching [min, max]; the latest `most`. */
export function weekWindows(min: number, max: number, most = 24): Window[] {
  const out: Window[] = [];
  const monday = 4 * DAY;
  for (let t = Math.floor((min - monday) / (7 * DAY)) * 7 * DAY + monday; t <= max; t += 7 * DAY) {
    const at = new Date(t);
    out.push({ from: t, to: t + 7 * DAY - 1, label: `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}` });
  }
  return out.slice(-most);
}

export interface Trajectory {
  id: string;
  label: string;
  /** Score in each window (0 when the person is not in that window's network). */
  scores: number[];
  peak: number;
}

/**
 * Lines per person from per-window score lists: the `most` people with the highest peak, or exactly the
 * ones asked for, in the order of their peak.
 */
export function trajectories(
  perWindow: ReadonlyArray<ReadonlyArray<{ id: string; label: string; score: number }>>,
  most = 6,
  only?: ReadonlySet<string>,
): Trajectory[] {
  const by = new Map<string, Trajectory>();
  perWindow.forEach((scores, w) => {
    for (const s of scores) {
      if (only && !only.has(s.id)) continue;
      let t = by.get(s.id);
      if (!t) {
        t = { id: s.id, label: s.label, scores: new Array<number>(perWindow.length).fill(0), peak: 0 };
        by.set(s.id, t);
      }
      t.scores[w] = s.score;
      if (s.score > t.peak) t.peak = s.score;
    }
  });
  return [...by.values()]
    .sort((a, b) => b.peak - a.peak || (a.id < b.id ? -1 : 1))
    .slice(0, only ? only.size : most);
}
