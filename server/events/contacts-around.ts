// "Who did this phone call in the two hours after the stabbing": every contact in a window around a chosen
// time, with its calls counted, first and last inside the window, ranked by calls.
import { callerOf, HOUR_MS, type EventLike } from './event-shape.ts';

export interface AroundQuery {
  /** The moment (an incident, an arrest), epoch ms. */
  at: number;
  hoursBefore: number;
  hoursAfter: number;
}

export interface AroundContact {
  /** The other phone; with no subject, each phone active in the window. */
  id: string;
  calls: number;
  /** Calls the subject placed to this contact (with no subject: calls this phone placed). */
  outgoing: number;
  incoming: number;
  totalSeconds: number;
  first: string;
  last: string;
  /** Calls before the moment and at or after it. */
  before: number;
  after: number;
}

export interface AroundAnswer {
  from: string;
  to: string;
  calls: number;
  contacts: AroundContact[];
}

export function aroundWindow(q: AroundQuery): { from: number; to: number } {
  return { from: q.at - q.hoursBefore * HOUR_MS, to: q.at + q.hoursAfter * HOUR_MS };
}

/**
 * Ranks the contacts of `subject` (a set of phones; null for every phone) in the window: most calls first,
 * then the earliest first contact, then id, so the order is the same on every run.
 */
export function contactsAround(
  events: Iterable<EventLike>,
  subject: ReadonlySet<string> | null,
  q: AroundQuery,
): AroundAnswer {
  const w = aroundWindow(q);
  const by = new Map<string, AroundContact & { firstMs: number; lastMs: number }>();
  let calls = 0;
  const count = (id: string, e: EventLike, ms: number, out: boolean | null): void => {
    let c = by.get(id);
    if (!c) {
      c = {
        id,
        calls: 0,
        outgoing: 0,
        incoming: 0,
        totalSeconds: 0,
        first: e.at,
        last: e.at,
        before: 0,
        after: 0,
        firstMs: ms,
        lastMs: ms,
      };
      by.set(id, c);
    }
    c.calls++;
    if (out === true) c.outgoing++;
    else if (out === false) c.incoming++;
    c.totalSeconds += e.durationSeconds ?? 0;
    if (ms < q.at) c.before++;
    else c.after++;
    if (ms < c.firstMs) {
      c.firstMs = ms;
      c.first = e.at;
    }
    if (ms > c.lastMs) {
      c.lastMs = ms;
      c.last = e.at;
    }
  };
  for (const e of events) {
    if (e.kind !== 'call') continue;
    const ms = Date.parse(e.at);
    if (!(ms >= w.from && ms <= w.to)) continue;
    const known = e.direction !== null;
    const caller = callerOf(e);
    if (subject) {
      const aIn = subject.has(e.fromId);
      const bIn = subject.has(e.toId);
      if (aIn === bIn) continue; // not the subject's, or between the subject's own phones
      calls++;
      const contact = aIn ? e.toId : e.fromId;
      count(contact, e, ms, known ? caller !== contact : null);
    } else {
      calls++;
      count(e.fromId, e, ms, known ? caller === e.fromId : null);
      count(e.toId, e, ms, known ? caller === e.toId : null);
    }
  }
  const contacts = [...by.values()]
    .sort((a, b) => b.calls - a.calls || a.firstMs - b.firstMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ firstMs: _f, lastMs: _l, ...c }) => c);
  return { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), calls, contacts };
}
