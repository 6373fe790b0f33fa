// The operations, members and deconfliction calls (server/routes/operations.ts, deconfliction.ts).
import { request } from '../api/client.ts';
import type { OperationRole, OperationSummary } from '../state/operation.ts';

export interface OperationMemberDto {
  operationId: string;
  user: string;
  role: OperationRole;
  addedBy: string;
  addedAt: string;
}

export const NOTICE_STATES = ['new', 'contacted', 'resolved'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/**
 * One side of a notice as the server redacts it for this reader: the other operation's ref and owner, or
 * (the open side of a pair with a closed operation that has not disclosed) only that a closed one holds it.
 */
export interface NoticeSide {
  operationId?: string | null;
  ref?: string | null;
  name?: string | null;
  owner?: string | null;
  sensitivity?: 'open' | 'closed' | null;
  /** The server's words for a side the reader may not know. */
  message?: string | null;
}

/** A deconfliction notice as GET /api/deconfliction lists it for the signed-in reader. */
export interface NoticeDto {
  id: string;
  entity: { id: string; type: string; label: string; key?: string } | null;
  entityId?: string;
  state: NoticeState;
  disclose: boolean;
  createdAt: string;
  updatedAt: string;
  /** The reader's side (the operation they are in) and the other side, redacted. */
  mine?: NoticeSide | null;
  other?: NoticeSide | null;
  newOp?: NoticeSide | null;
  heldOp?: NoticeSide | null;
  /** May this reader set disclose (the closed operation's owner). */
  mayDisclose?: boolean;
  events?: Array<{ actor: string; at: string; action: string; note?: string | null }>;
}

const enc = encodeURIComponent;

export const opsApi = {
  list: () =>
    request<{ items: OperationSummary[] } | OperationSummary[]>('GET', '/api/operations').then((r) =>
      Array.isArray(r) ? r : r.items,
    ),
  members: (opId: string) =>
    request<{ items: OperationMemberDto[] } | OperationMemberDto[]>(
      'GET',
      `/api/operations/${enc(opId)}/members`,
    ).then((r) => (Array.isArray(r) ? r : r.items)),
  setMember: (opId: string, user: string, role: OperationRole) =>
    request<OperationMemberDto>('PUT', `/api/operations/${enc(opId)}/members/${enc(user)}`, { role }),
  removeMember: (opId: string, user: string) =>
    request<void>('DELETE', `/api/operations/${enc(opId)}/members/${enc(user)}`),

  /** Notices of `opId` (the working operation), or force-wide (supervisors) with `opId` null. */
  notices: (opId: string | null, state?: NoticeState) => {
    const q = new URLSearchParams();
    if (opId) q.set('operation', opId);
    if (state) q.set('state', state);
    const qs = q.toString();
    return request<{ items: NoticeDto[] } | NoticeDto[]>(
      'GET',
      `/api/deconfliction${qs ? `?${qs}` : ''}`,
    ).then((r) => (Array.isArray(r) ? r : r.items));
  },
  decide: (id: string, change: { state?: NoticeState; disclose?: boolean; note?: string }) =>
    request<NoticeDto>('POST', `/api/deconfliction/${enc(id)}`, change),
};
