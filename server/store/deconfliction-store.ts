// DeconflictionStore: notices that two operations hold the same subject. When a write adds operation A to an
// entity that already belongs to operation B, the write's own transaction records one notice for (entity, A,
// B) (recordSharedSubjects in sqlite/deconfliction.ts and neo4j/deconfliction.ts), so a subject can never be
// shared without the deconfliction desk knowing. The sides then work the notice: new -> contacted ->
// resolved, and the owner of a closed side may disclose it to the other. Every step is kept with its actor
// and time (events). Who sees what of a notice is server/security/deconfliction-view.ts; the rules here
// are the ones both backends enforce. Contract: test/contract/deconfliction-contract.ts.
import type { WriteContext } from '../domain/model.ts';
import type { Operation } from '../domain/operations.ts';
import {
  NOTICE_STATES,
  type Notice,
  type NoticeAction,
  type NoticeDecision,
  type NoticeEvent,
  type NoticeState,
} from '../domain/deconfliction.ts';
import { StoreError, type ListOptions, type Page } from './common.ts';

export {
  NOTICE_ACTIONS,
  NOTICE_STATES,
  noticeDecisionSchema,
  type Notice,
  type NoticeAction,
  type NoticeDecision,
  type NoticeEvent,
  type NoticeState,
} from '../domain/deconfliction.ts';

export interface NoticeQuery extends ListOptions {
  /** Notices either side of which is one of these operations; absent: every notice (the desk, supervisors). */
  operations?: readonly string[];
  state?: NoticeState;
  entityId?: string;
}

export interface DeconflictionStore {
  /** Oldest first (the desk works them in the order they arose). */
  list(query?: NoticeQuery): Promise<Page<Notice>>;
  get(id: string): Promise<Notice | null>;
  /** The notice's steps, oldest first; not_found for an unknown notice. */
  events(id: string): Promise<NoticeEvent[]>;
  /**
   * One step on a notice, in one transaction with its event(s): a state only forward (new -> contacted ->
   * resolved; 'conflict' otherwise), disclose only by the owner of the closed side (`disclosingOperation`;
   * 'invalid' for anyone else or when neither side is closed). Whether the actor may touch the notice at
   * all is the caller's check (deconfliction-view.ts canDecide).
   */
  decide(id: string, decision: NoticeDecision, ctx: WriteContext): Promise<Notice>;
  /**
   * Notices not yet written to the audit, oldest first, at most `limit`; markAudited records that they
   * now are. The server's desk sweeps these (routes/deconfliction.ts), so a notice made by any writer (an
   * import on a worker thread, the command line) reaches the audit.
   */
  unaudited(limit: number): Promise<Notice[]>;
  markAudited(ids: readonly string[]): Promise<void>;
}

const NOTICE_ID = /^dn([1-9]\d{0,15})$/;
export const noticeId = (n: number): string => `dn${n}`;
export function parseNoticeId(id: string): number | null {
  const m = typeof id === 'string' ? NOTICE_ID.exec(id) : null;
  return m ? Number(m[1]) : null;
}

/** The order of states: a notice only moves forward. */
export function checkTransition(id: string, from: NoticeState, to: NoticeState): void {
  if (NOTICE_STATES.indexOf(to) > NOTICE_STATES.indexOf(from)) return;
  throw new StoreError(
    'conflict',
    from === to ? `notice ${id} is already ${from}` : `notice ${id} is ${from}: it cannot go back to ${to}`,
    ['state'],
  );
}

/**
 * The operation whose owner may disclose a notice: the side whose identity the other side does not see.
 * That is the holding operation when it is closed (the newcomer is told only "contact the desk"), else the
 * newcomer when it is closed; null when both are open (each already sees the other).
 */
export function disclosingOperation(held: Operation, incoming: Operation): Operation | null {
  if (held.sensitivity === 'closed') return held;
  if (incoming.sensitivity === 'closed') return incoming;
  return null;
}

/** Refuses a disclose change by anyone but the disclosing operation's owner. */
export function checkDisclose(id: string, actor: string, held: Operation, incoming: Operation): void {
  const d = disclosingOperation(held, incoming);
  if (!d) {
    throw new StoreError(
      'invalid',
      `notice ${id} is between two open operations: each already sees the other, there is nothing to disclose`,
      ['disclose'],
    );
  }
  if (d.owner !== actor) {
    throw new StoreError(
      'invalid',
      `only the owner of the closed operation may disclose notice ${id} or withdraw its disclosure`,
      ['disclose'],
    );
  }
}

/** The events one decision writes, in order. */
export function decisionEvents(
  before: Notice,
  d: NoticeDecision,
): Array<{ action: NoticeAction; note: string | null }> {
  const out: Array<{ action: NoticeAction; note: string | null }> = [];
  const note = d.note ?? null;
  if (d.state !== undefined && d.state !== before.state) out.push({ action: d.state as NoticeAction, note });
  if (d.disclose !== undefined && d.disclose !== before.disclose)
    out.push({ action: d.disclose ? 'disclosed' : 'withdrawn', note: out.length ? null : note });
  // Nothing changed: a note alone is still a step; nothing at all is none.
  if (out.length === 0 && note !== null) out.push({ action: 'note', note });
  return out;
}

/** The notice after a checked decision. */
export function applyDecision(before: Notice, d: NoticeDecision, at: string): Notice {
  return {
    ...before,
    state: d.state ?? before.state,
    disclose: d.disclose ?? before.disclose,
    updatedAt: at,
  };
}

export const noticeNotFound = (id: string): StoreError =>
  new StoreError('not_found', `deconfliction notice ${JSON.stringify(id)} does not exist`, ['id']);
