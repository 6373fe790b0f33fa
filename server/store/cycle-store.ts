// CycleStore: the tasking half of the intelligence cycle (targets, decisions and the action log).
// Target writes do not move the data version: they change no graph fact. Contract: test/contract/cycle-contract.ts.
import type { WriteContext } from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';
import type { Target, TargetActionInput, TargetQuery, TargetRecord } from '../domain/target.ts';
import type { Page } from './common.ts';

/**
 * A target belongs to the operation it was proposed in (ctx.operationId, else GENERAL); its actions follow
 * it. A scoped store (scoped(scope)) lists, reads, saves and actions only targets of the scope's operations;
 * the others are absent (null, not_found). The store itself reads all ('all', the system's).
 */
export interface CycleStore {
  /** The same store reading only the operations of `scope`; scoped('all') is the store itself. */
  scoped(scope: ReadScope): CycleStore;
  /**
   * Creates a target (record without id) or replaces one (with id). `expectedVersion`, when given, must
   * equal the stored version or the save is refused as a conflict.
   */
  saveTarget(target: TargetRecord, ctx: WriteContext, opts?: { expectedVersion?: number }): Promise<Target>;
  getTarget(id: string): Promise<Target | null>;
  /** Newest first. */
  listTargets(query?: TargetQuery): Promise<Page<Target>>;
  /**
   * Appends an action to the target's append-only log and, in the same transaction, marks the target
   * actioned. Refused (conflict) unless it is approved or already actioned.
   */
  appendTargetAction(targetId: string, action: TargetActionInput, ctx: WriteContext): Promise<Target>;
}
