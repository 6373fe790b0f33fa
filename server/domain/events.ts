// Events: the single calls and ANPR reads a CALLED or SIGHTED_AT link aggregates. A link keeps its counts
// (weight, calls, total duration, first and last) derived from its events; the events answer "when
// exactly" (timelines, call patterns, time windows). Shared by server and web, so pure.
import { z } from 'zod';

export const EVENT_KINDS = ['call', 'sighting'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_DIRECTIONS = ['outgoing', 'incoming'] as const;
export type EventDirection = (typeof EVENT_DIRECTIONS)[number];

/** One call or read, as the store returns it. */
export interface LinkEvent {
  id: string;
  kind: EventKind;
  /** ISO 8601 UTC, to the second. */
  at: string;
  durationSeconds: number | null;
  /** Seen from `fromId` (the caller): a CDR row is an outgoing call of its caller. */
  direction: EventDirection | null;
  /** The link's two ends: caller and callee phones; for a sighting the vehicle and the location. */
  fromId: string;
  toId: string;
  linkId: string;
  /** The cell or camera. */
  place: string | null;
  reportId: string | null;
  importId: string | null;
}

/** Most events one read returns. */
export const MAX_EVENTS_PAGE = 5000;
export const DEFAULT_EVENTS_PAGE = 200;
/** Most entity or link ids one event query names. */
export const MAX_EVENT_QUERY_IDS = 1000;

/** A date (a whole day) or a date and time, as the view filter takes them. */
const when = z
  .string()
  .max(40)
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    { message: 'expected a date (2024-03-01) or a date and time (2024-03-01T14:05:00Z)' },
  );

export const eventFilterSchema = z.strictObject({
  entityIds: z.array(z.string().min(1).max(40)).max(MAX_EVENT_QUERY_IDS).optional(),
  linkIds: z.array(z.string().min(1).max(40)).max(MAX_EVENT_QUERY_IDS).optional(),
  from: when.optional(),
  to: when.optional(),
  kinds: z.array(z.enum(EVENT_KINDS)).min(1).max(2).optional(),
  limit: z.number().int().min(1).max(MAX_EVENTS_PAGE),
  /** The keyset cursor `next` of the page before: events after it in (at, id) order. */
  after: z.string().min(1).max(80).optional(),
});
export type EventFilter = z.infer<typeof eventFilterSchema>;

export interface EventPage {
  events: LinkEvent[];
  /** Cursor of the next page, or null when this page is the last. */
  next: string | null;
}

/**
 * The events of one import batch, column by column: a million calls held as objects would take hundreds of
 * megabytes; as typed arrays they take 25 bytes each. Each event names its link by its index in the
 * batch's `links` and rests on that link's first report.
 */
export interface EventColumns {
  kind: EventKind;
  count: number;
  /** Index in the batch's links of each event's link. */
  link: Uint32Array;
  /** Epoch milliseconds. */
  atMs: Float64Array;
  /** Seconds; NaN when the source gives none. */
  duration: Float64Array;
  /** 0 none, 1 outgoing, 2 incoming. */
  direction: Uint8Array;
  /** Index in `places`, or -1. */
  place: Int32Array;
  places: string[];
}

/** The keyset cursor of an event: its time and id, so a page picks up where the last one stopped. */
export function eventCursor(atMs: number, id: number): string {
  return `${atMs}.${id}`;
}

export function parseEventCursor(s: string): { atMs: number; id: number } | null {
  const m = /^(-?\d{1,16})\.([1-9]\d{0,15})$/.exec(s);
  return m ? { atMs: Number(m[1]), id: Number(m[2]) } : null;
}

export const eventPublicId = (n: number): string => `ev${n}`;
