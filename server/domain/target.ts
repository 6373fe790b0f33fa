// Targets: the tasking half of the intelligence cycle. An analyst proposes an entity for action with
// the reason and the analysis record behind it; a supervisor approves or rejects it with a reason;
// actions (arrest, warrant, ...) are logged with dates and outcomes; the operational review closes it.
// Shared by server and web (web imports it as '@domain/target'). Pure.
import { z } from 'zod';
import { viewFilterSchema, type EntityType, type ViewFilter } from './model.ts';

export const TARGET_STATUSES = ['proposed', 'approved', 'rejected', 'actioned', 'reviewed'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** The entity types that can be targeted: people and the things they use. */
export const TARGETABLE_TYPES = [
  'Person',
  'Phone',
  'Vehicle',
  'Location',
] as const satisfies readonly EntityType[];

export const ACTION_KINDS = [
  'arrest',
  'warrant',
  'seizure',
  'phone_disconnection',
  'safeguarding_referral',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ACTION_LABELS: Record<ActionKind, string> = {
  arrest: 'Arrest',
  warrant: 'Warrant',
  seizure: 'Seizure',
  phone_disconnection: 'Phone disconnection',
  safeguarding_referral: 'Safeguarding referral',
};

const isoDay = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 date such as 2024-03-01',
  });

/** The disruption lab's predicted effect of removing the target, as recorded when it was proposed. */
export const predictedEffectSchema = z.object({
  lccShareBefore: z.number().min(0).max(1),
  lccShareAfter: z.number().min(0).max(1),
  pairwiseConnectivityBefore: z.number().min(0).max(1).optional(),
  pairwiseConnectivityAfter: z.number().min(0).max(1).optional(),
  componentsBefore: z.number().int().min(0).optional(),
  componentsAfter: z.number().int().min(0).optional(),
});
export type PredictedEffect = z.infer<typeof predictedEffectSchema>;

export const analysisRecordSchema = z.object({
  /** e.g. 'betweenness', 'rfg', 'priority-matrix'. */
  metric: z.string().trim().min(1, 'the metric behind the proposal is required').max(100),
  /** The target's score on that metric, and its rank, when there is one. */
  score: z.number().finite().optional(),
  rank: z.number().int().positive().optional(),
  view: viewFilterSchema.default({}),
  dataVersion: z.number().int().min(0, 'dataVersion is the store data version the analysis ran on'),
  predictedEffect: predictedEffectSchema.nullable().default(null),
  note: z.string().max(5_000).optional(),
});
export type AnalysisRecord = z.infer<typeof analysisRecordSchema>;

export const targetProposalSchema = z.object({
  entityId: z.string().min(1, 'entityId is required').max(200),
  reason: z.string().trim().min(1, 'a reason is required').max(5_000),
  analysis: analysisRecordSchema,
});
export type TargetProposal = z.input<typeof targetProposalSchema>;

export const targetDecisionSchema = z.object({
  decision: z.enum(['approved', 'rejected'], {
    error: (iss) => `decision ${JSON.stringify(iss.input)} is not approved or rejected`,
  }),
  reason: z.string().trim().min(1, 'a supervisor decision needs a reason').max(5_000),
});
export type TargetDecision = z.infer<typeof targetDecisionSchema>;

export const targetActionInputSchema = z.object({
  kind: z.enum(ACTION_KINDS, {
    error: (iss) => `action ${JSON.stringify(iss.input)} is not one of ${ACTION_KINDS.join(', ')}`,
  }),
  date: isoDay,
  outcome: z.string().trim().max(5_000).default(''),
});
export type TargetActionInput = z.input<typeof targetActionInputSchema>;

export const targetReviewInputSchema = z.object({
  /** What the operational review found (free text), and the windows it compared. */
  summary: z.string().trim().min(1, 'a review summary is required').max(20_000),
  before: z.string().max(100).optional(),
  after: z.string().max(100).optional(),
});
export type TargetReviewInput = z.input<typeof targetReviewInputSchema>;

export interface TargetAction {
  id: string;
  targetId: string;
  kind: ActionKind;
  date: string;
  outcome: string;
  actor: string;
  recordedAt: string;
}

export interface TargetDecisionRecord {
  decision: 'approved' | 'rejected';
  reason: string;
  by: string;
  at: string;
}

export interface TargetReviewRecord {
  summary: string;
  before: string | null;
  after: string | null;
  by: string;
  at: string;
}

export interface Target {
  id: string;
  /** The operation it was proposed in (the write's); it stays there through decision, actions and review. */
  operationId: string;
  entityId: string;
  /** Copied at proposal so the record reads on its own if the entity is later merged or disposed of. */
  entityLabel: string;
  entityType: EntityType;
  reason: string;
  analysis: AnalysisRecord;
  status: TargetStatus;
  proposedBy: string;
  proposedAt: string;
  decision: TargetDecisionRecord | null;
  review: TargetReviewRecord | null;
  /** Oldest first. */
  actions: TargetAction[];
  /** Rises on every save; a save naming an older version is refused (two supervisors deciding at once). */
  version: number;
  updatedAt: string;
}

/** What a store persists for a target (actions are appended separately). No id: a new target. */
export type TargetRecord = Omit<Target, 'id' | 'operationId' | 'actions' | 'version' | 'updatedAt'> & {
  id?: string;
};

const stamp = z.object({ by: z.string().min(1).max(200), at: isoDay });
/** Checks a record before a store writes it, so both stores refuse the same bad input the same way. */
export const targetRecordSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  entityId: z.string().min(1).max(200),
  entityLabel: z.string().max(500),
  entityType: z.enum(TARGETABLE_TYPES, {
    error: (iss) =>
      `a ${JSON.stringify(iss.input)} cannot be a target; targets are ${TARGETABLE_TYPES.join(', ')}`,
  }),
  reason: z.string().trim().min(1).max(5_000),
  analysis: analysisRecordSchema,
  status: z.enum(TARGET_STATUSES),
  proposedBy: z.string().min(1).max(200),
  proposedAt: isoDay,
  decision: stamp
    .extend({ decision: z.enum(['approved', 'rejected']), reason: z.string().min(1).max(5_000) })
    .nullable(),
  review: stamp
    .extend({
      summary: z.string().min(1).max(20_000),
      before: z.string().nullable(),
      after: z.string().nullable(),
    })
    .nullable(),
});

export interface TargetQuery {
  status?: TargetStatus;
  entityId?: string;
  offset?: number;
  limit?: number;
  /** A target id (a page's `next`): the older targets after it, read by key. */
  after?: string;
}

/** Which status each step may start from. */
export const TRANSITIONS: Record<'decide' | 'action' | 'review', readonly TargetStatus[]> = {
  decide: ['proposed'],
  action: ['approved', 'actioned'],
  review: ['actioned'],
};

export type { ViewFilter };
