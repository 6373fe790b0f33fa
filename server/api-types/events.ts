// Request and response shapes of the event routes (server/routes/events.ts): the calls and reads behind
// CALLED and SIGHTED_AT links. Imported by the web app as '@api/events'.
import { z } from 'zod';
import {
  DEFAULT_EVENTS_PAGE,
  EVENT_DIRECTIONS,
  EVENT_KINDS,
  MAX_EVENTS_PAGE,
  eventFilterSchema,
} from '../domain/events.ts';

export const linkEventSchema = z.object({
  id: z.string(),
  kind: z.enum(EVENT_KINDS),
  at: z.string(),
  durationSeconds: z.number().nullable(),
  direction: z.enum(EVENT_DIRECTIONS).nullable(),
  fromId: z.string(),
  toId: z.string(),
  linkId: z.string(),
  place: z.string().nullable(),
  reportId: z.string().nullable(),
  importId: z.string().nullable(),
});

export const eventPageSchema = z.object({
  events: z.array(linkEventSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  next: z.string().nullable(),
});
export type EventPageBody = z.infer<typeof eventPageSchema>;

const cursor = z.string().min(1).max(80);

export const linkEventsQuerySchema = z.strictObject({
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(DEFAULT_EVENTS_PAGE),
});

/** POST /api/events/query: any of entity ids, link ids, a time window and kinds; a page at a time. */
export const eventQueryBodySchema = eventFilterSchema.omit({ after: true, limit: true }).extend({
  cursor: cursor.optional(),
  limit: z.number().int().min(1).max(MAX_EVENTS_PAGE).default(DEFAULT_EVENTS_PAGE),
});
export type EventQueryBody = z.input<typeof eventQueryBodySchema>;
