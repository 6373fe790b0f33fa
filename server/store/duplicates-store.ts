// DuplicateStore: the review queue of likely duplicates (pairs the resolver proposed) and the analysts'
// decisions on them. A pair is one proposal for its life: the resolver's later runs update it, a rejected
// pair stays rejected until its evidence (fingerprint) changes, and accepting merges the two records in the
// same transaction as the decision, so undo can unmerge them. Decisions do not move the data version; the
// merge and unmerge they carry do. Contract: test/contract/duplicates-contract.ts.
import { z } from 'zod';
import { ENTITY_TYPES, type EntityType, type WriteContext } from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';

export const PROPOSAL_STATES = ['new', 'deferred', 'accepted', 'rejected'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const DECISION_ACTIONS = ['accept', 'reject', 'defer', 'undo', 'reopen'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** What the resolver hands the store for one pair (entity ids in either order). */
export const proposalInputSchema = z.object({
  aId: z.string().regex(/^e[1-9]\d{0,15}$/, 'an entity id such as e12'),
  bId: z.string().regex(/^e[1-9]\d{0,15}$/, 'an entity id such as e12'),
  type: z.enum(ENTITY_TYPES),
  weight: z.number().finite(),
  probability: z.number().min(0).max(1),
  evidence: z.array(z.string().min(1).max(300)).max(30),
  fingerprint: z.string().min(1).max(200),
});
export type ProposalInput = z.infer<typeof proposalInputSchema>;

export interface Proposal {
  /** The pair itself, lower entity id first: "e12-e40". */
  id: string;
  aId: string;
  bId: string;
  type: EntityType;
  /** Match weight (log2 of the likelihood ratio, Fellegi-Sunter): higher is more likely one subject. */
  weight: number;
  probability: number;
  /** The reasons, in words. */
  evidence: string[];
  /** Changes when the evidence behind the pair changes: a rejected pair comes back only then. */
  fingerprint: string;
  /**
   * Need-to-know: the operations whose facts the evidence could have been built from (the memberships of
   * the two records within the read scope of the run that wrote it), operation ids such as op3. The pair is
   * shown to, and decided by, only a reader who may read every one of them.
   */
  ops: string[];
  state: ProposalState;
  decidedBy: string | null;
  decidedAt: string | null;
  /** The merge an accept made (undo unmerges it) and the record it kept. */
  mergeId: string | null;
  keptId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Decision {
  proposalId: string;
  action: DecisionAction;
  actor: string;
  at: string;
  fingerprint: string;
  mergeId: string | null;
}

export interface ProposalQuery {
  state?: ProposalState;
  type?: EntityType;
  /** Only pairs at or above this weight. */
  minWeight?: number;
  /** From listProposals' `next`. */
  cursor?: string;
  limit?: number;
}

/**
 * Highest weight first. Waiting pairs (new, deferred) one of whose records has been merged away (or deleted)
 * are left out; decided pairs are always listed, so an accepted one can be found to undo it.
 */
export interface ProposalPage {
  items: Proposal[];
  total: number;
  /** Cursor of the next page; null on the last. */
  next: string | null;
}

export interface SaveProposalsResult {
  /** Pairs never proposed before. */
  created: number;
  /** Pairs already waiting (new or deferred), with their score and evidence brought up to date. */
  updated: number;
  /** Rejected pairs whose evidence changed: back in the queue. */
  reopened: number;
  /** Rejected pairs with the same evidence: not proposed again. */
  stillRejected: number;
  /** Waiting (new) pairs in the run's scope that the run no longer proposes: taken off the queue. */
  removed: number;
}

export interface BulkResult {
  done: Proposal[];
  /** Pairs passed over, with why (a record already merged into another in this batch). */
  skipped: Array<{ id: string; reason: string }>;
}

/** Scope of a resolver run: the whole store, or the pairs touching these entities. */
export interface ProposalScope {
  entityIds: string[];
}

export const MAX_BULK = 200;

export interface DuplicateStore {
  /**
   * The same queue under a read scope: a pair is there only when every operation of its `ops` is in the
   * scope and both its records belong to one of the scope's operations (an accepted pair: the record
   * kept); the others are absent (null, not_found).
   * scoped('all') is the store itself.
   */
  scoped(scope: ReadScope): DuplicateStore;
  /**
   * Stores a resolver run's proposals in one transaction. Without a scope the run covered all the store's
   * read scope sees, so every waiting (new) pair it sees and did not propose is removed; with one, only
   * those touching the scope. A scoped store removes no pair it does not see (the run could not see it).
   * Each pair records as `ops` its records' memberships within the store's scope; a pair already stored
   * keeps its evidence unless this run's `ops` are fewer (a strict subset): narrower wins.
   */
  saveProposals(
    proposals: ProposalInput[],
    ctx: WriteContext,
    scope?: ProposalScope,
  ): Promise<SaveProposalsResult>;
  getProposal(id: string): Promise<Proposal | null>;
  listProposals(query?: ProposalQuery): Promise<ProposalPage>;
  /** Merges the pair (into keepId, by default the older record aId) and records the decision, in one transaction. */
  accept(id: string, ctx: WriteContext, opts?: { keepId?: string }): Promise<Proposal>;
  reject(id: string, ctx: WriteContext): Promise<Proposal>;
  defer(id: string, ctx: WriteContext): Promise<Proposal>;
  /** Back to new; an accepted pair is unmerged first (both records as they were), in one transaction. */
  undo(id: string, ctx: WriteContext): Promise<Proposal>;
  /** Accepts or rejects, in one transaction, up to `limit` (<= MAX_BULK) waiting pairs at or above minWeight. */
  bulk(
    action: 'accept' | 'reject',
    filter: { minWeight: number; type?: EntityType; limit?: number },
    ctx: WriteContext,
  ): Promise<BulkResult>;
  /** The pair's decisions, oldest first. */
  listDecisions(proposalId: string): Promise<Decision[]>;
}
