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
