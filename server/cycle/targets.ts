// The target life cycle as pure transitions: proposed -> approved | rejected (a supervisor, with a
// reason, never on their own proposal) -> actioned (by logging actions; the store does that in one
// transaction with the action) -> reviewed. Each function returns the next record or throws a
// TransitionError saying why the step is not allowed.
import type { Entity } from '../domain/model.ts';
import {
  TARGETABLE_TYPES,
  TRANSITIONS,
  type AnalysisRecord,
  type Target,
  type TargetDecision,
  type TargetRecord,
  type TargetReviewInput,
} from '../domain/target.ts';

export class TransitionError extends Error {
  override name = 'TransitionError';
  constructor(
    message: string,
    /** 'conflict': wrong status; 'forbidden': wrong person; 'invalid': bad input. */
    readonly code: 'conflict' | 'forbidden' | 'invalid',
  ) {
    super(message);
  }
}

function record(t: Target): TargetRecord {
  const { actions: _a, version: _v, updatedAt: _u, ...rest } = t;
  return rest;
}

export function proposeTarget(
  entity: Pick<Entity, 'id' | 'label' | 'type'>,
  input: { reason: string; analysis: AnalysisRecord },
  actor: string,
  now: string,
): TargetRecord {
  if (!(TARGETABLE_TYPES as readonly string[]).includes(entity.type)) {
    throw new TransitionError(
      `${entity.label} is a ${entity.type}; targets are ${TARGETABLE_TYPES.join(', ')}`,
      'invalid',
    );
  }
  return {
    entityId: entity.id,
    entityLabel: entity.label,
    entityType: entity.type as TargetRecord['entityType'],
    reason: input.reason,
    analysis: input.analysis,
    status: 'proposed',
    proposedBy: actor,
    proposedAt: now,
    decision: null,
    review: null,
  };
}

export function decideTarget(t: Target, d: TargetDecision, actor: string, now: string): TargetRecord {
  if (!TRANSITIONS.decide.includes(t.status)) {
    throw new TransitionError(
      `target ${t.id} is already ${t.status}; only a proposed target can be decided`,
      'conflict',
    );
  }
  if (actor === t.proposedBy) {
    // Separation of duties: tasking needs a second pair of eyes.
    throw new TransitionError(
      `target ${t.id} was proposed by ${actor}; another supervisor must decide it`,
      'forbidden',
    );
  }
  return {
    ...record(t),
    status: d.decision,
    decision: { decision: d.decision, reason: d.reason, by: actor, at: now },
  };
}

export function reviewTarget(t: Target, r: TargetReviewInput, actor: string, now: string): TargetRecord {
  if (!TRANSITIONS.review.includes(t.status)) {
    throw new TransitionError(
      `target ${t.id} is ${t.status}; it can be reviewed once an action has been logged against it`,
      'conflict',
    );
  }
  return {
    ...record(t),
    status: 'reviewed',
    review: { summary: r.summary, before: r.before ?? null, after: r.after ?? null, by: actor, at: now },
  };
}
