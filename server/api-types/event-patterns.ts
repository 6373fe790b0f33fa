// Request and response shapes of the event analyses (/api/events/timeline, /patterns, /around, /histogram):
// what the timeline panel, the call-pattern view and the "contacts around an event" form ask and get.
import { z } from 'zod';
import { linkEventSchema } from './events.ts';

const MAX_HOURS = 24 * 31;
const id = z.string().min(1).max(200);
const when = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), {
  message: 'must be a date and time such as 2024-03-01T14:05:00Z',
});

/** A window [from, to]; either end may be open. */
const windowShape = { from: when.optional(), to: when.optional() };
function fromBeforeTo(v: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (v.from && v.to && Date.parse(v.from) > Date.parse(v.to))
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end of the window is before its start' });
}

export const timelineRequestSchema = z
  .object({
    /** The entities drawn as lines: a person brings their phones and vehicles onto their line. */
    entityIds: z.array(id).min(1, 'pick at least one entity').max(30, 'a timeline shows at most 30 lines'),
    ...windowShape,
    limit: z.number().int().min(1).max(20_000).default(5000),
  })
  .strict()
  .superRefine(fromBeforeTo);
export type TimelineRequest = z.infer<typeof timelineRequestSchema>;

/** A call or sighting as the events store gives it (server/api-types/events.ts). */
export const timelineEventSchema = linkEventSchema;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const timelineLineSchema = z.object({
  id: z.string(),
  label: z.string(),
  type: z.string(),
  /** The entity and the phones and vehicles it uses: their events sit on this line. */
  members: z.array(z.string()),
});
export type TimelineLine = z.infer<typeof timelineLineSchema>;

export const timelineResponseSchema = z.object({
  lines: z.array(timelineLineSchema),
  events: z.array(timelineEventSchema),
  /** Labels of the other ends (phones called, cameras) met in the events. */
  labels: z.record(z.string(), z.string()),
  /** More events matched than the limit: the earliest `limit` are here. */
  truncated: z.boolean(),
});
export type TimelineResponse = z.infer<typeof timelineResponseSchema>;

export const patternRequestSchema = z
  .object({
    entityId: id,
    /** With a second entity: the calls between the two. */
    otherId: id.optional(),
    ...windowShape,
    timeZone: z.string().max(64).default('Europe/London'),
  })
  .strict()
  .superRefine(fromBeforeTo);
export type PatternRequest = z.infer<typeof patternRequestSchema>;

const party = z.object({ id: z.string(), label: z.string(), phones: z.number().int() });
export const patternResponseSchema = z.object({
  subject: party,
  other: party.nullable(),
  calls: z.number().int(),
  outgoing: z.number().int(),
  incoming: z.number().int(),
  unknownDirection: z.number().int(),
  totalSeconds: z.number(),
  meanSeconds: z.number().nullable(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  byHour: z.array(z.number().int()).length(24),
  byWeekday: z.array(z.number().int()).length(7),
  contacts: z.number().int(),
  timeZone: z.string(),
  /** Events read stopped at the bound; the counts cover the earliest ones. */
  truncated: z.boolean(),
});
export type PatternResponse = z.infer<typeof patternResponseSchema>;

export const aroundRequestSchema = z
  .object({
    /** Whose contacts; without it, every phone active around the moment. */
    entityId: id.optional(),
    at: when,
    hoursBefore: z.number().min(0).max(MAX_HOURS, `at most ${MAX_HOURS} hours (a month) before`),
    hoursAfter: z.number().min(0).max(MAX_HOURS, `at most ${MAX_HOURS} hours (a month) after`),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type AroundRequest = z.infer<typeof aroundRequestSchema>;

export const aroundContactSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The person using the phone, when the store knows one. */
  user: z.object({ id: z.string(), label: z.string() }).nullable(),
  calls: z.number().int(),
  outgoing: z.number().int(),
  incoming: z.number().int(),
  totalSeconds: z.number(),
  first: z.string(),
  last: z.string(),
  before: z.number().int(),
  after: z.number().int(),
});
export type AroundContactDto = z.infer<typeof aroundContactSchema>;

export const aroundResponseSchema = z.object({
  subject: party.nullable(),
  from: z.string(),
  to: z.string(),
  calls: z.number().int(),
  /** Contacts in all (the list holds the first `limit`). */
  contactCount: z.number().int(),
  contacts: z.array(aroundContactSchema),
  truncated: z.boolean(),
});
export type AroundResponse = z.infer<typeof aroundResponseSchema>;

export const histogramRequestSchema = z
  .object({
    /** Count only these entities' events (a person's phones and vehicles included); all events without. */
    entityIds: z.array(id).min(1).max(200_000).optional(),
    ...windowShape,
    maxBuckets: z.number().int().min(5).max(500).default(80),
  })
  .strict()
  .superRefine(fromBeforeTo);
export type HistogramRequest = z.infer<typeof histogramRequestSchema>;

export const histogramResponseSchema = z.object({
  unit: z.string(),
  from: z.string(),
  to: z.string(),
  buckets: z.array(
    z.object({ start: z.string(), end: z.string(), calls: z.number().int(), sightings: z.number().int() }),
  ),
  total: z.number().int(),
  truncated: z.boolean(),
});
export type HistogramResponse = z.infer<typeof histogramResponseSchema>;
