// Call patterns of one phone (or a person's phones) or of a pair: when in the day and week they call, first
// and last contact, how many calls each way and how long they last. The counts an analyst quotes.
import { callerOf, type EventLike } from './event-shape.ts';
import { LocalClock } from './clock.ts';

export interface CallPattern {
  calls: number;
  /** Calls placed by the first side (the phone, or side A of a pair). */
  outgoing: number;
  incoming: number;
  /** Calls whose direction the record did not give. */
  unknownDirection: number;
  totalSeconds: number;
  /** Mean duration of the calls with a duration; null when none had one. */
  meanSeconds: number | null;
  first: string | null;
  last: string | null;
  /** Calls per local hour of day, 0-23. */
  byHour: number[];
  /** Calls per local day of week, Monday first. */
  byWeekday: number[];
  /** Distinct other phones called or calling (for a pair, the number of distinct phone pairs). */
  contacts: number;
  timeZone: string;
}

/**
 * The pattern of the calls with one end in `side` and, when `other` is given, the other end in `other`
 * (a pair). Sightings are ignored. A call between two of the side's own phones counts once, as outgoing.
 */
export function callPattern(
  events: Iterable<EventLike>,
  side: ReadonlySet<string>,
  other: ReadonlySet<string> | null,
  clock: LocalClock,
): CallPattern {
  const byHour = new Array<number>(24).fill(0);
  const byWeekday = new Array<number>(7).fill(0);
  const contacts = new Set<string>();
  let calls = 0;
  let outgoing = 0;
  let incoming = 0;
  let unknownDirection = 0;
  let totalSeconds = 0;
  let timed = 0;
  let firstMs = Infinity;
  let lastMs = -Infinity;
  let first: string | null = null;
  let last: string | null = null;
  for (const e of events) {
    if (e.kind !== 'call') continue;
    const aIn = side.has(e.fromId);
    const bIn = side.has(e.toId);
    if (!aIn && !bIn) continue;
    let contact: string;
    if (other) {
      // One end on each side; a call inside one side is not a call of the pair.
      if (aIn && other.has(e.toId)) contact = `${e.fromId}>${e.toId}`;
      else if (bIn && other.has(e.fromId)) contact = `${e.toId}>${e.fromId}`;
      else continue;
    } else {
      contact = aIn ? e.toId : e.fromId;
    }
    const ms = Date.parse(e.at);
    if (Number.isNaN(ms)) continue;
    calls++;
    contacts.add(contact);
    if (e.direction === null) unknownDirection++;
    else if (side.has(callerOf(e))) outgoing++;
    else incoming++;
    if (e.durationSeconds !== null) {
      totalSeconds += e.durationSeconds;
      timed++;
    }
    if (ms < firstMs) {
      firstMs = ms;
      first = e.at;
    }
    if (ms > lastMs) {
      lastMs = ms;
      last = e.at;
    }
    const p = clock.parts(ms);
    byHour[p.hour]++;
    byWeekday[p.weekday]++;
  }
  return {
    calls,
    outgoing,
    incoming,
    unknownDirection,
    totalSeconds,
    meanSeconds: timed ? totalSeconds / timed : null,
    first,
    last,
    byHour,
    byWeekday,
    contacts: contacts.size,
    timeZone: clock.timeZone,
  };
}
