// The part of a store that keeps targets (tasking records). Both stores implement it
// (server/store/sqlite/targets.ts, server/store/neo4j/targets.ts) and pass test/contract/targets-contract.ts.
// Rules: every write is one transaction; input is validated with the domain schemas; target writes
// do not move the data version (no graph fact changes).
import type { WriteContext } from '../domain/model.ts';
import type { Target, TargetActionInput, TargetQuery, TargetRecord } from '../domain/target.ts';
import { StoreError, type GraphStore, type Page } from './graph-store.ts';

export interface TargetStore {
  /**
   * Creates a target (record without id) or replaces one (with id). `expectedVersion`, when given,
   * must equal the stored version or the save is refused as a conflict.
   */
  saveTarget(target: TargetRecord, ctx: WriteContext, opts?: { expectedVersion?: number }): Promise<Target>;
  getTarget(id: string): Promise<Target | null>;
  /** Newest first. */
  listTargets(query?: TargetQuery): Promise<Page<Target>>;
  /**
   * Appends an action to the target's log and, in the same transaction, marks it actioned. Refused
   * (conflict) unless the target is approved or already actioned. The log is append-only.
   */
  appendTargetAction(targetId: string, action: TargetActionInput, ctx: WriteContext): Promise<Target>;
}

/** The store's target methods, or a 503 StoreError naming the store that lacks them. */
export function targetStore(store: GraphStore): TargetStore {
  const s = store as GraphStore & Partial<TargetStore>;
  if (
    typeof s.saveTarget !== 'function' ||
    typeof s.getTarget !== 'function' ||
    typeof s.listTargets !== 'function' ||
    typeof s.appendTargetAction !== 'function'
  ) {
    throw new StoreError('unavailable', `the ${store.kind} store does not keep targets yet`);
  }
  return s as GraphStore & TargetStore;
}
