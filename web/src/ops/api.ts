// The operations, members and deconfliction calls (server/routes/operations.ts, deconfliction.ts).
import { request } from '../api/client.ts';
import type { NoticeOut as NoticeDto, NoticePageOut } from '@api/deconfliction.ts';
import type { NoticeState } from '@domain/deconfliction.ts';
import type { OperationSensitivity } from '@domain/operations.ts';
import type { CandidateList } from '@api/operation-candidates.ts';
import type { OperationRole, OperationSummary } from '../state/operation.ts';

export interface OperationMemberDto {
  operationId: string;
  user: string;
  role: OperationRole;
  addedBy: string;
  addedAt: string;
}

export type { NoticeOut as NoticeDto, NoticePageOut } from '@api/deconfliction.ts';
export { NOTICE_STATES, type NoticeState } from '@domain/deconfliction.ts';

const enc = encodeURIComponent;

export const opsApi = {
  list: () =>
    request<{ items: OperationSummary[] } | OperationSummary[]>('GET', '/api/operations').then((r) =>
      Array.isArray(r) ? r : r.items,
    ),
  /** Opens an operation (global supervisors and admins); the creator becomes its owner. */
  create: (input: { ref: string; name: string; sensitivity: OperationSensitivity }) =>
    request<OperationSummary>('POST', '/api/operations', input),
  /** Users the manager of `opId` may add to it: names holding `q`, at most 20, members left out. */
  candidates: (opId: string, q: string) =>
    request<CandidateList>('GET', `/api/operations/${enc(opId)}/candidates?q=${enc(q)}`),
  members: (opId: string) =>
    request<{ items: OperationMemberDto[] } | OperationMemberDto[]>(
      'GET',
      `/api/operations/${enc(opId)}/members`,
    ).then((r) => (Array.isArray(r) ? r : r.items)),
  setMember: (opId: string, user: string, role: OperationRole) =>
    request<OperationMemberDto>('PUT', `/api/operations/${enc(opId)}/members/${enc(user)}`, { role }),
  removeMember: (opId: string, user: string) =>
    request<void>('DELETE', `/api/operations/${enc(opId)}/members/${enc(user)}`),

  /**
   * Notices of `opId` (the working operation; the reader must be a member of it, or a supervisor), or with
   * `opId` null every notice the reader may see (supervisors: the whole force's). A page of `limit`.
   */
  notices: (opId: string | null, state?: NoticeState, limit = 100) => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (opId) q.set('operation', opId);
    if (state) q.set('state', state);
    return request<NoticePageOut>('GET', `/api/deconfliction?${q.toString()}`);
  },
  decide: (id: string, change: { state?: NoticeState; disclose?: boolean; note?: string }) =>
    request<NoticeDto>('POST', `/api/deconfliction/${enc(id)}`, change),
};
