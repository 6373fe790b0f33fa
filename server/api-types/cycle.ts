// Request and response shapes of the intelligence-cycle routes (priorities, targets, operational
// review). Imported by the web app as '@api/cycle'.
import { z } from 'zod';
import { viewFilterSchema } from '../domain/model.ts';
import {
  ACTION_KINDS,
  TARGET_STATUSES,
  analysisRecordSchema,
  targetActionInputSchema,
  targetDecisionSchema,
  targetReviewInputSchema,
} from '../domain/target.ts';

const isoDate = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)),
    'must be an ISO date such as 2024-03-01',
  );

export const recencySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('exponential'), halfLifeDays: z.number().positive().max(36_500) }),
  z.object({
    mode: z.literal('banded'),
    bands: z
      .array(z.object({ maxAgeDays: z.number().min(0), weight: z.number().min(0).max(1) }))
      .min(1)
      .max(20),
    older: z.number().min(0).max(1),
  }),
]);

export const prioritiesBodySchema = z.object({
  view: viewFilterSchema.default({}),
  asOf: isoDate.optional(),
  recency: recencySchema.optional(),
  lookbackDays: z.number().positive().max(36_500).optional(),
  harmPercentile: z.number().min(0).max(100).optional(),
  centralPercentile: z.number().min(0).max(100).optional(),
  brokerPercentile: z.number().min(0).max(100).optional(),
  limit: z.number().int().min(1).max(5_000).default(500),
});
export type PrioritiesBody = z.input<typeof prioritiesBodySchema>;

export const priorityRowSchema = z.object({
  entityId: z.string(),
  label: z.string(),
  quadrant: z.string(),
  rfg: z.number(),
  rfgPercentile: z.number(),
  frequency: z.number(),
  lastEventDate: z.string().nullable(),
  gravestEvent: z.string().nullable(),
  betweenness: z.number(),
  betweennessPercentile: z.number(),
  community: z.number().nullable(),
  broker: z.boolean(),
  why: z.string(),
});
const recencyOutSchema = z.union([
  z.object({ mode: z.literal('exponential'), halfLifeDays: z.number() }),
  z.object({
    mode: z.literal('banded'),
    bands: z.array(z.object({ maxAgeDays: z.number(), weight: z.number() })),
    older: z.number(),
  }),
]);
export const prioritiesResultSchema = z.object({
  dataVersion: z.number(),
  asOf: z.string().nullable(),
  recency: recencyOutSchema,
  gravityScale: z.object({
    description: z.string().optional(),
    default: z.number(),
    categories: z.record(z.string(), z.number()),
  }),
  options: z.object({
    harmPercentile: z.number(),
    centralPercentile: z.number(),
    brokerPercentile: z.number(),
  }),
  people: z.number(),
  counts: z.record(z.string(), z.number()),
  rows: z.array(priorityRowSchema),
});

const windowSchema = z.union([
  z.string().max(100),
  z.object({ from: isoDate.optional(), to: isoDate.optional() }),
]);
export const reviewBodySchema = z.object({
  /** "2024-01-01..2024-06-30" or { from, to }. */
  before: windowSchema,
  after: windowSchema,
  targets: z.array(z.string().min(1).max(200)).max(1_000).default([]),
  view: viewFilterSchema.default({}),
  riserTypes: z.array(z.string().min(1).max(50)).max(10).optional(),
  topRisers: z.number().int().min(1).max(100).optional(),
  listLimit: z.number().int().min(0).max(5_000).optional(),
});
export type ReviewBody = z.input<typeof reviewBodySchema>;
const briefSchema = z.object({ id: z.string(), label: z.string(), type: z.string() });
const linkBriefSchema = z.object({
  id: z.string(),
  type: z.string(),
  from: briefSchema,
  to: briefSchema,
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
});
const windowSummarySchema = z.object({
  label: z.string().nullable(),
  nodes: z.number(),
  links: z.number(),
  components: z.number(),
  lccSize: z.number(),
  lccShare: z.number(),
  connectedPairs: z.number(),
  pairwiseConnectivity: z.number(),
  communities: z.number(),
  dataVersion: z.number(),
  betweennessPivots: z.number().nullable(),
});
const changeSchema = z.object({ before: z.number(), after: z.number(), change: z.number() });
const listOf = <T extends z.ZodType>(item: T) => z.object({ total: z.number(), items: z.array(item) });
export const reviewResultSchema = z.object({
  before: windowSummarySchema,
  after: windowSummarySchema,
  targets: z.array(briefSchema.extend({ presentBefore: z.boolean(), presentAfter: z.boolean() })),
  disappeared: listOf(briefSchema),
  appeared: listOf(briefSchema),
  linksFormed: listOf(linkBriefSchema),
  linksEnded: listOf(linkBriefSchema),
  risers: z.array(
    briefSchema.extend({
      before: z.number(),
      after: z.number(),
      rise: z.number(),
      rankBefore: z.number(),
      rankAfter: z.number(),
      targetNeighbour: z.boolean(),
    }),
  ),
  prediction: z
    .object({
      removed: z.array(z.string()),
      notInView: z.array(z.string()),
      inheritors: z.array(briefSchema.extend({ rise: z.number() })),
      predicted: z.object({
        lccShare: changeSchema,
        pairwiseConnectivity: changeSchema,
        components: changeSchema,
      }),
      observed: z.object({
        lccShare: changeSchema,
        pairwiseConnectivity: changeSchema,
        components: changeSchema,
      }),
    })
    .nullable(),
  observed: z.object({
    lccShare: changeSchema,
    pairwiseConnectivity: changeSchema,
    communities: changeSchema,
  }),
  findings: z.array(z.string()),
});

export const targetActionSchema = z.object({
  id: z.string(),
  targetId: z.string(),
  kind: z.enum(ACTION_KINDS),
  date: z.string(),
  outcome: z.string(),
  actor: z.string(),
  recordedAt: z.string(),
});
const stamp = { by: z.string(), at: z.string() };
export const targetSchema = z.object({
  id: z.string(),
  /** The operation it was proposed in. */
  operationId: z.string(),
  entityId: z.string(),
  entityLabel: z.string(),
  entityType: z.string(),
  reason: z.string(),
  analysis: z.looseObject({ metric: z.string(), dataVersion: z.number() }),
  status: z.enum(TARGET_STATUSES),
  proposedBy: z.string(),
  proposedAt: z.string(),
  decision: z.object({ decision: z.enum(['approved', 'rejected']), reason: z.string(), ...stamp }).nullable(),
  review: z
    .object({ summary: z.string(), before: z.string().nullable(), after: z.string().nullable(), ...stamp })
    .nullable(),
  actions: z.array(targetActionSchema),
  version: z.number().int(),
  updatedAt: z.string(),
});

export const targetProposeBodySchema = z.object({
  entityId: z.string().min(1, 'entityId is required').max(200),
  reason: z.string().trim().min(1, 'a reason is required').max(5_000),
  /** The analysis record; when predictedEffect is left out the server computes it on the view. */
  analysis: analysisRecordSchema.partial({ dataVersion: true }),
});
export type TargetProposeBody = z.input<typeof targetProposeBodySchema>;
/** `version`: the version the caller saw, so a decision on a changed target is refused (409). */
export const targetDecisionBodySchema = targetDecisionSchema.extend({ version: z.number().int().optional() });
export const targetActionBodySchema = targetActionInputSchema;
export const targetReviewBodySchema = targetReviewInputSchema.extend({
  version: z.number().int().optional(),
});
export const targetListQuerySchema = z.object({
  status: z.enum(TARGET_STATUSES).optional(),
  entityId: z.string().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** A target id (a page's `next`): the older targets after it, read by key. */
  after: z.string().min(1).max(40).optional(),
});
