// Who sees what of a deconfliction notice. Pure: the route hands in the notice, its two operations, the
// entity's force-wide index entry (id, type, label: never a property) and the reader; this decides.
//
// - A member (any role) of either operation sees the notice; so does a global supervisor or admin, force-wide.
//   Anyone else does not know it exists.
// - An operation's identity (ref, name, owner) is shown to its own members; for an open operation, to all.
// - A closed operation is shown to the other side only when its owner disclosed the notice, or when the
//   reader's own closed operation held the subject first (the holder is told who came in; the newcomer is
//   told only to contact the desk). Supervisors outside both see what an outsider sees.
// - The subject is shown when the reader may read either operation; a fact of the other side never is.
import type { EntityType, Role } from '../domain/model.ts';
import type { Operation, OperationRole } from '../domain/operations.ts';
import { disclosingOperation, type Notice, type NoticeEvent } from '../store/deconfliction-store.ts';

export interface NoticeReader {
  name: string;
  /** The global role. */
  role: Role | string;
  /** The reader's operations and their role in each. */
  memberships: ReadonlyMap<string, OperationRole>;
}

export interface NoticeFacts {
  notice: Notice;
  held: Operation;
  incoming: Operation;
  /** The entity's index entry; null when it no longer exists. */
  entity: { id: string; type: EntityType; label: string } | null;
}

export interface OperationSide {
  /** The operation, or null when the reader may not know which it is. */
  operation: Pick<Operation, 'id' | 'ref' | 'name' | 'owner' | 'sensitivity'> | null;
  closed: boolean;
  /** The reader is a member of it. */
  yours: boolean;
}

export interface NoticeView {
  id: string;
  state: Notice['state'];
  disclose: boolean;
  createdAt: string;
  updatedAt: string;
  entity: { id: string; type: EntityType; label: string } | null;
  /** Which side the reader is on; null for a supervisor outside both. */
  yourSide: 'held' | 'incoming' | null;
  held: OperationSide;
  incoming: OperationSide;
  /** What the notice means for this reader, in words. */
  message: string;
  /** May move the state on or add a note. */
  canDecide: boolean;
  /** May disclose the closed side to the other, or withdraw that. */
  canDisclose: boolean;
}

const FORCE_WIDE: ReadonlySet<string> = new Set(['supervisor', 'admin']);
const DECIDING_ROLES: ReadonlySet<OperationRole> = new Set(['owner', 'supervisor', 'analyst']);

export const DESK_MESSAGE = 'contact the deconfliction desk before you act on it';

function member(reader: NoticeReader, op: Operation): OperationRole | undefined {
  return reader.memberships.get(op.id);
}

/** The reader may know the notice exists. */
export function canSeeNotice(reader: NoticeReader, held: Operation, incoming: Operation): boolean {
  return FORCE_WIDE.has(reader.role) || !!member(reader, held) || !!member(reader, incoming);
}

/** The reader may move the notice on or add a note: a working member of either side, or a supervisor. */
export function canDecideNotice(reader: NoticeReader, held: Operation, incoming: Operation): boolean {
  if (FORCE_WIDE.has(reader.role)) return true;
  return [member(reader, held), member(reader, incoming)].some(
    (r) => r !== undefined && DECIDING_ROLES.has(r),
  );
}

/** The reader owns the closed side, whose identity disclosure reveals. */
export function canDiscloseNotice(reader: NoticeReader, held: Operation, incoming: Operation): boolean {
  return disclosingOperation(held, incoming)?.owner === reader.name;
}

function shows(reader: NoticeReader, op: Operation, other: Operation, f: NoticeFacts): boolean {
  if (member(reader, op) || op.sensitivity === 'open') return true;
  if (f.notice.disclose) return true;
  // A closed holder is told who came in (it is the newcomer that must contact the desk).
  return op === f.incoming && !!member(reader, other) && other.sensitivity === 'closed';
}

function side(reader: NoticeReader, op: Operation, other: Operation, f: NoticeFacts): OperationSide {
  const visible = shows(reader, op, other, f);
  return {
    operation: visible
      ? { id: op.id, ref: op.ref, name: op.name, owner: op.owner, sensitivity: op.sensitivity }
      : null,
    closed: op.sensitivity === 'closed',
    yours: !!member(reader, op),
  };
}

function describe(op: OperationSide['operation']): string {
  return op ? `operation ${op.ref} (${op.name}, owner ${op.owner})` : 'a closed operation';
}

function message(v: Omit<NoticeView, 'message'>): string {
  const what = v.entity ? `${v.entity.type} ${v.entity.label}` : 'a subject';
  const desk = (s: OperationSide) => (s.operation ? '' : `; ${DESK_MESSAGE}`);
  if (v.yourSide === 'incoming') return `${describe(v.held.operation)} already holds ${what}${desk(v.held)}`;
  if (v.yourSide === 'held')
    return `${describe(v.incoming.operation)} has brought in ${what}, which your operation holds${desk(v.incoming)}`;
  return `${describe(v.incoming.operation)} has brought in ${what}, held by ${describe(v.held.operation)}`;
}

/** The notice as this reader may see it, or null when they may not know it exists. */
export function noticeView(reader: NoticeReader, f: NoticeFacts): NoticeView | null {
  const { held, incoming, notice } = f;
  if (!canSeeNotice(reader, held, incoming)) return null;
  const readsSubject =
    !!member(reader, held) ||
    !!member(reader, incoming) ||
    held.sensitivity === 'open' ||
    incoming.sensitivity === 'open';
  const v: Omit<NoticeView, 'message'> = {
    id: notice.id,
    state: notice.state,
    disclose: notice.disclose,
    createdAt: notice.createdAt,
    updatedAt: notice.updatedAt,
    entity: readsSubject ? f.entity : null,
    yourSide: member(reader, held) ? 'held' : member(reader, incoming) ? 'incoming' : null,
    held: side(reader, held, incoming, f),
    incoming: side(reader, incoming, held, f),
    canDecide: canDecideNotice(reader, held, incoming),
    canDisclose: canDiscloseNotice(reader, held, incoming),
  };
  return { ...v, message: message(v) };
}

/**
 * A notice's steps for this reader: who took a step is shown when the reader sees both sides or it was
 * them; otherwise only that a step was taken (a name could reveal a closed operation).
 */
export function eventsView(view: NoticeView, reader: NoticeReader, events: readonly NoticeEvent[]) {
  const seesBoth = view.held.operation !== null && view.incoming.operation !== null;
  return events.map((e) => ({
    action: e.action,
    at: e.at,
    note: seesBoth || e.actor === reader.name ? e.note : null,
    actor: seesBoth || e.actor === reader.name ? e.actor : null,
  }));
}
