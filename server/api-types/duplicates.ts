// The review queue of likely duplicates over HTTP: its requests and answers. Imported by the web app as
// '@api/duplicates'.
import { z } from 'zod';
import { ENTITY_TYPES, linkTypeSchema } from '../domain/model.ts';
import { entityDetailSchema } from './graph.ts';

export const PROPOSAL_STATES = ['new', 'deferred', 'accepted', 'rejected'] as const;

export const proposalSchema = z.object({
  id: z.string(),
  aId: z.string(),
  bId: z.string(),
  type: z.enum(ENTITY_TYPES),
  weight: z.number(),
  probability: z.number(),
  evidence: z.array(z.string()),
  fingerprint: z.string(),
  /** The operations whose facts the evidence could have been built from; the pair is shown only to readers of all of them. */
  ops: z.array(z.string()),
  state: z.enum(PROPOSAL_STATES),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  mergeId: z.string().nullable(),
  keptId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProposalOut = z.infer<typeof proposalSchema>;

export const proposalListQuerySchema = z.object({
  state: z.enum(PROPOSAL_STATES).optional(),
  type: z.enum(ENTITY_TYPES).optional(),
  minWeight: z.coerce.number().finite().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500, 'limit is at most 500; page on with cursor').default(50),
});

/** A pair in the list, with both records' labels (null for a record merged away). */
export const proposalListItemSchema = proposalSchema.extend({
  aLabel: z.string().nullable(),
  bLabel: z.string().nullable(),
});
export type ProposalListItem = z.infer<typeof proposalListItemSchema>;

export const proposalPageSchema = z.object({
  items: z.array(proposalListItemSchema),
  total: z.number().int(),
  next: z.string().nullable(),
});
export type ProposalPageOut = z.infer<typeof proposalPageSchema>;

/** One of the pair's records beside the other: the entity with its reports, and what it is linked to. */
export const sideSchema = z.object({
  entity: entityDetailSchema.nullable(),
  links: z.array(
    z.object({
      id: z.string(),
      type: linkTypeSchema,
      otherId: z.string(),
      otherLabel: z.string(),
      otherType: z.enum(ENTITY_TYPES),
      firstSeen: z.string().nullable(),
      lastSeen: z.string().nullable(),
      weight: z.number(),
    }),
  ),
  /** Links past the number shown. */
  moreLinks: z.number().int(),
});
export type SideOut = z.infer<typeof sideSchema>;

export const proposalDetailSchema = z.object({
  proposal: proposalSchema,
  a: sideSchema,
  b: sideSchema,
  decisions: z.array(
    z.object({
      action: z.string(),
      actor: z.string(),
      at: z.string(),
      mergeId: z.string().nullable(),
    }),
  ),
});
export type ProposalDetailOut = z.infer<typeof proposalDetailSchema>;

export const entityIdSchema = z.string().regex(/^e[1-9]\d{0,15}$/, 'an entity id such as e12');

export const runBodySchema = z.object({
  /** Only pairs touching these entities; absent: the whole store. */
  entityIds: z.array(entityIdSchema).min(1).max(100_000).optional(),
  /** Propose pairs at or above this match weight. */
  threshold: z.number().min(-50).max(100).optional(),
});

export const runResultSchema = z.object({
  records: z.number().int(),
  proposed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  reopened: z.number().int(),
  stillRejected: z.number().int(),
  removed: z.number().int(),
  waiting: z.number().int(),
  ms: z.number(),
});
export type RunResultOut = z.infer<typeof runResultSchema>;

export const acceptBodySchema = z
  .object({
    /** The record to keep (one of the pair); by default the older one. */
    keepId: entityIdSchema.optional(),
  })
  .default({});

export const bulkBodySchema = z.object({
  action: z.enum(['accept', 'reject']),
  /** Every waiting pair at or above this weight (up to limit), highest first. */
  minWeight: z.number().finite(),
  type: z.enum(ENTITY_TYPES).optional(),
  limit: z.number().int().min(1).max(200).default(200),
});

export const bulkResultSchema = z.object({
  done: z.array(proposalSchema),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
});
