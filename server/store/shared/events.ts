// Event reads checked once, the same way for both backends, before either turns them into a query.
import type { EventFilter, EventKind } from '../../domain/events.ts';
import { eventFilterSchema, parseEventCursor } from '../../domain/events.ts';
import { parseId } from './ids.ts';
import { dateMs } from './values.ts';
import { invalid, parseOr } from './validate.ts';

/** How each store codes an event's kind. */
export const EVENT_KIND_CODE: Record<EventKind, number> = { call: 0, sighting: 1 };

export interface CheckedEventFilter {
  f: EventFilter;
  /** Row numbers of the entity and link ids named, or null when not restricted. */
  entities: number[] | null;
  links: number[] | null;
  fromMs: number | null;
  toMs: number | null;
  after: { atMs: number; id: number } | null;
}

/** Checks an event filter (both stores): a StoreError names the field at fault. */
export function checkEventFilter(filter: EventFilter): CheckedEventFilter {
  const f = parseOr(eventFilterSchema, filter, []);
  const ids = (list: string[] | undefined, prefix: string, field: string) =>
    list === undefined
      ? null
      : list.map((s, i) => {
          const n = parseId(s, prefix);
          if (n === null)
            throw invalid(
              [field, i],
              `${JSON.stringify(s)} is not a ${field === 'entityIds' ? 'entity' : 'link'} id`,
            );
          return n;
        });
  const fromMs = f.from ? dateMs(f.from) : null;
  const toMs = f.to ? dateMs(f.to, true) : null;
  if (fromMs !== null && toMs !== null && fromMs > toMs)
    throw invalid(['from'], `the time window starts (${f.from}) after it ends (${f.to})`);
  let after: { atMs: number; id: number } | null = null;
  if (f.after !== undefined) {
    after = parseEventCursor(f.after);
    if (!after) throw invalid(['cursor'], `${JSON.stringify(f.after)} is not a cursor this API gave`);
  }
  return {
    f,
    entities: ids(f.entityIds, 'e', 'entityIds'),
    links: ids(f.linkIds, 'l', 'linkIds'),
    fromMs,
    toMs,
    after,
  };
}

/** Epoch ms to ISO 8601 to the second, as events are shown. */
export const isoSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** A view filter's window in epoch ms, open ends as far as a date goes; a date alone as `to` is its whole day. */
export function eventWindowMs(f: { from?: string; to?: string }): { fromMs: number; toMs: number } {
  return {
    fromMs: f.from ? dateMs(f.from) : -8.64e15,
    toMs: f.to ? dateMs(f.to, true) : 8.64e15,
  };
}

/** One distinct event (the same call in two reports is one) of a link, for its counts. */
export interface DistinctEvent {
  link: string;
  at: number;
  kind: number;
  duration: number | null;
}

export interface EventCounts {
  n: number;
  duration: number;
  first: number;
  last: number;
  kind: number;
}

/** Counts per link: number of events, total duration, first and last. */
export function aggregateEvents(events: Iterable<DistinctEvent>): Map<string, EventCounts> {
  const out = new Map<string, EventCounts>();
  for (const e of events) {
    const a = out.get(e.link);
    if (!a) out.set(e.link, { n: 1, duration: e.duration ?? 0, first: e.at, last: e.at, kind: e.kind });
    else {
      a.n++;
      a.duration += e.duration ?? 0;
      if (e.at < a.first) a.first = e.at;
      if (e.at > a.last) a.last = e.at;
    }
  }
  return out;
}

/** A link's properties with its counts: calls and total duration for calls, reads for sightings. */
export function withCounts<P extends Record<string, unknown>>(props: P, a: EventCounts): P {
  return a.kind === EVENT_KIND_CODE.call
    ? { ...props, calls: a.n, totalDuration: a.duration }
    : { ...props, reads: a.n };
}
