// What the timeline draws: one theme line per entity, and each event placed on it: a call between two
// lines joins them at its time, a call to someone not on the timeline is a tick on its line, a sighting a
// dot. Pure, so the layout is tested without a canvas.
import type { TimelineEvent, TimelineLine } from '@api/event-patterns.ts';

export interface Mark {
  event: TimelineEvent;
  ms: number;
  /** Line of the event's first end on the timeline (the caller when known). */
  line: number;
  /** Line of the other end, for a call between two lines; null for a call off the timeline or a sighting. */
  other: number | null;
  /** The end off the timeline (a phone called, a camera), for the tooltip. */
  outside: string | null;
}

/** Which line each phone, vehicle or person sits on; a phone two people share sits on the first's. */
export function lineOfMember(lines: readonly TimelineLine[]): Map<string, number> {
  const m = new Map<string, number>();
  lines.forEach((l, i) => {
    for (const id of l.members) if (!m.has(id)) m.set(id, i);
  });
  return m;
}

export function marksOf(lines: readonly TimelineLine[], events: readonly TimelineEvent[]): Mark[] {
  const lineOf = lineOfMember(lines);
  const out: Mark[] = [];
  for (const e of events) {
    const ms = Date.parse(e.at);
    if (Number.isNaN(ms)) continue;
    const caller = e.direction === 'incoming' ? e.toId : e.fromId;
    const callee = caller === e.fromId ? e.toId : e.fromId;
    const a = lineOf.get(caller);
    const b = lineOf.get(callee);
    if (e.kind === 'sighting') {
      const l = lineOf.get(e.fromId) ?? lineOf.get(e.toId);
      if (l !== undefined) out.push({ event: e, ms, line: l, other: null, outside: e.place ?? e.toId });
    } else if (a !== undefined && b !== undefined && a !== b) {
      out.push({ event: e, ms, line: a, other: b, outside: null });
    } else if (a !== undefined) {
      out.push({ event: e, ms, line: a, other: null, outside: b === a ? null : callee });
    } else if (b !== undefined) {
      out.push({ event: e, ms, line: b, other: null, outside: caller });
    }
  }
  return out;
}

/** Earliest and latest event times; null for none. */
export function spanOf(marks: readonly Mark[]): { min: number; max: number } | null {
  if (!marks.length) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const m of marks) {
    if (m.ms < min) min = m.ms;
    if (m.ms > max) max = m.ms;
  }
  return { min, max };
}

/** The mark nearest pixel (x, y) within `radius`, given each line's y; null when none is that close. */
export function nearestMark(
  marks: readonly Mark[],
  xOf: (ms: number) => number,
  yOf: (line: number) => number,
  x: number,
  y: number,
  radius = 6,
): Mark | null {
  let best: Mark | null = null;
  let bestD = radius * radius;
  for (const m of marks) {
    const mx = xOf(m.ms);
    const dx = mx - x;
    if (dx * dx > bestD) continue;
    const y1 = yOf(m.line);
    const y2 = m.other === null ? y1 : yOf(m.other);
    // Distance to the vertical segment between the two lines.
    const dy = y < Math.min(y1, y2) ? Math.min(y1, y2) - y : y > Math.max(y1, y2) ? y - Math.max(y1, y2) : 0;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = m;
    }
  }
  return best;
}
