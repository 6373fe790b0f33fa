// The operation the analyst works in, and its pure producers. Every request goes out in it (the api client
// sends its id in x-linkchart-operation), so the chart list, the draft, search and the Cycle pages are
// those of this operation only. It is remembered per user in the browser and comes back on reload; when
// there is none, or it is no longer open to the user, the app shows a picker of the readable operations.

import {
  DEFAULT_OPERATION_REF,
  OPERATION_ROLES,
  type Operation,
  type OperationRole,
  type OperationSensitivity,
} from '@domain/operations.ts';

export { OPERATION_ROLES };
export type { OperationRole, OperationSensitivity };

/** An operation as GET /api/operations lists it: `myRole` is null when the user reads it only as open. */
export interface OperationSummary extends Operation {
  myRole: OperationRole | null;
  /** The server's word on managing it and writing in it (server/api-types/operations.ts). */
  canManage?: boolean;
  canWrite?: boolean;
}

export interface OperationState {
  /** The readable operations, as last listed (null until listed). */
  readable: OperationSummary[] | null;
  /** The operation the app works in; null while the picker is up. */
  current: OperationSummary | null;
  /** The picker is shown (no operation yet, or the analyst asked for it). */
  picking: boolean;
  /** Why the picker is up, when it is not the first choice (the remembered operation went away). */
  reason: string | null;
}

export const NO_OPERATION: OperationState = { readable: null, current: null, picking: false, reason: null };

/** Where the browser remembers a user's last operation (one key per user: a shared PC keeps each apart). */
export function rememberKey(user: string): string {
  return `linkchart.operation.${user}`;
}

/** The storage the memory lives in: localStorage in the browser, a Map-backed stand-in in tests. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function rememberedOperation(store: KeyValueStore | null, user: string): string | null {
  try {
    return store?.getItem(rememberKey(user)) ?? null;
  } catch {
    return null; // storage refused (private window, quota): the picker asks instead
  }
}

export function rememberOperation(store: KeyValueStore | null, user: string, opId: string | null): void {
  try {
    if (opId) store?.setItem(rememberKey(user), opId);
    else store?.removeItem(rememberKey(user));
  } catch {
    // Not remembered: the next visit asks again.
  }
}

/**
 * The state once the readable operations are listed at sign-in: the remembered one if the user may still
 * read it; with nothing remembered, the user's only operation where they are a member (nothing to choose),
 * or for a member of none the force-wide GENERAL operation; else the picker, saying why when the
 * remembered one is gone.
 */
export function openAtStart(readable: OperationSummary[], remembered: string | null): OperationState {
  const mine = readable.filter((o) => o.myRole !== null);
  const kept = remembered ? readable.find((o) => o.id === remembered) : undefined;
  if (kept) return { readable, current: kept, picking: false, reason: null };
  if (remembered)
    return {
      readable,
      current: null,
      picking: true,
      reason:
        'The operation you last worked in is no longer open to you (closed to you, or removed). ' +
        'Choose the operation to work in.',
    };
  if (mine.length === 1) return { readable, current: mine[0], picking: false, reason: null };
  // A member of none works where unscoped work lands: the force-wide default operation.
  const general = readable.find((o) => o.ref === DEFAULT_OPERATION_REF);
  if (mine.length === 0 && general) return { readable, current: general, picking: false, reason: null };
  return { readable, current: null, picking: true, reason: null };
}

/** Works in operation `id` (one of the readable ones); unchanged when it is not readable. */
export function chooseOperation(s: OperationState, id: string): OperationState {
  const op = s.readable?.find((o) => o.id === id);
  if (!op) return s;
  return { ...s, current: op, picking: false, reason: null };
}

/** Shows the picker over the current operation (the analyst may cancel back to it). */
export function askForOperation(s: OperationState): OperationState {
  return { ...s, picking: true, reason: null };
}

export function cancelPicker(s: OperationState): OperationState {
  return s.current ? { ...s, picking: false, reason: null } : s;
}

/**
 * The list again (after a membership change): the current operation is refreshed from it, and when it is
 * no longer readable the app leaves it for the picker.
 */
export function relist(s: OperationState, readable: OperationSummary[]): OperationState {
  if (!s.current) return { ...s, readable };
  const now = readable.find((o) => o.id === s.current!.id);
  if (now) return { ...s, readable, current: now };
  return {
    readable,
    current: null,
    picking: true,
    reason: `Operation ${s.current.ref} is no longer open to you. Choose the operation to work in.`,
  };
}

/** The value of the x-linkchart-operation header (and operation= on plain links); null: none chosen. */
export function operationHeader(s: OperationState): string | null {
  return s.current?.id ?? null;
}

/** The marking band's words: a closed operation is for its members only, an open one for the force. */
export function markingBand(op: Pick<OperationSummary, 'ref' | 'sensitivity'>): {
  text: string;
  closed: boolean;
} {
  return op.sensitivity === 'closed'
    ? { text: `CLOSED · OP ${op.ref} · members only`, closed: true }
    : { text: `OP ${op.ref} · open to the force`, closed: false };
}

/** The marking line pictures and briefings carry (the design's form: `OP <REF> · <name> · OPEN|CLOSED`). */
export function markingLine(op: Pick<OperationSummary, 'ref' | 'name' | 'sensitivity'>): string {
  return `OP ${op.ref} · ${op.name} · ${op.sensitivity === 'closed' ? 'CLOSED' : 'OPEN'}`;
}

/** A picture's full marking: the protective marking, then the operation's. */
export function pictureMarking(protective: string, op: OperationSummary | null): string {
  return op ? `${protective} · ${markingLine(op)}` : protective;
}

/** Whether the user may manage the operation's members (admins, and its owner and supervisor members). */
export function mayManageMembers(op: OperationSummary | null, globalRole: string | undefined): boolean {
  if (!op) return false;
  if (op.canManage !== undefined) return op.canManage;
  return globalRole === 'admin' || op.myRole === 'owner' || op.myRole === 'supervisor';
}

/** Whether the user may write in the operation (members owner/supervisor/analyst, or open + analyst role). */
export function mayWriteIn(op: OperationSummary | null, globalRole: string | undefined): boolean {
  if (!op) return false;
  if (op.canWrite !== undefined) return op.canWrite;
  if (op.myRole === 'owner' || op.myRole === 'supervisor' || op.myRole === 'analyst') return true;
  return (
    op.sensitivity === 'open' &&
    (globalRole === 'analyst' || globalRole === 'supervisor' || globalRole === 'admin')
  );
}

/**
 * The global roles that may open an operation (the server's operations:create: supervisors and admins;
 * test/web/operation-forms.test.ts holds this to server/security/permissions.ts).
 */
export const OPERATION_CREATORS: readonly string[] = ['supervisor', 'admin'];

/** Whether the user may open a new operation (and so sees "New operation…"). */
export function mayCreateOperation(globalRole: string | undefined): boolean {
  return !!globalRole && OPERATION_CREATORS.includes(globalRole);
}
