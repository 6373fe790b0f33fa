// The account and supervisors' API calls: users (admin), the audit trail and the retention queue.
import type { AuditEvent, Report, Role } from '@domain/model.ts';
import { request } from '../api/client.ts';

export interface PublicUser {
  id: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
  /** Lists read by key (users, reports, the audit, ...): the key of the next page in the same order; null at the end. */
  next?: string | null;
}

/** Where a page of the audit starts: newest first before a record, or oldest first after one. */
export type AuditFrom = { newest: true; before?: number } | { newest: false; after: number };

export interface WithPassword {
  user: PublicUser;
  /** Only when the server generated it; shown once. */
  generatedPassword?: string;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  objectId?: string;
  since?: string;
  until?: string;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** GET /api/audit/:seq/ids: a page of each kind, and how many there are in all. */
export interface AuditIdsPage {
  seq: number;
  digest: string;
  /** True when the list is kept beside the record (a large export) rather than in it. */
  kept: boolean;
  total: { entities: number; links: number; reports: number };
  entities: string[];
  links: string[];
  reports: string[];
}

export const adminApi = {
  /** A page of users: the first, or the one after the key `after` (a page's `next`). */
  users: (after: string | undefined, limit = 100) =>
    request<Page<PublicUser>>('GET', `/api/users${query({ after, limit })}`),
  createUser: (body: { name: string; role: Role; password?: string }) =>
    request<WithPassword>('POST', '/api/users', body),
  updateUser: (id: string, change: { role?: Role; disabled?: boolean }) =>
    request<PublicUser>('PATCH', `/api/users/${enc(id)}`, change),
  resetPassword: (id: string, password?: string) =>
    request<WithPassword>('POST', `/api/users/${enc(id)}/password`, password ? { password } : {}),

  audit: (f: AuditFilter, from: AuditFrom, limit: number) =>
    request<Page<AuditEvent>>(
      'GET',
      `/api/audit${query(
        from.newest
          ? { ...f, order: 'newest', ...(from.before !== undefined ? { before: from.before } : {}), limit }
          : { ...f, order: 'oldest', after: from.after, limit },
      )}`,
    ),
  /** The matching records as a file (CSV or JSON lines), for download. */
  auditExport: async (f: AuditFilter, format: 'csv' | 'jsonl'): Promise<Blob> =>
    (
      await request<Response>('GET', `/api/audit/export${query({ ...f, format })}`, undefined, { raw: true })
    ).blob(),

  /** One page of the entity, link and report ids an export record names (kept beside it when large). */
  auditIds: (seq: number, offset: number, limit: number) =>
    request<AuditIdsPage>('GET', `/api/audit/${seq}/ids${query({ offset, limit })}`),

  retentionQueue: (before: string, after: string | undefined, limit: number) =>
    request<Page<Report>>('GET', `/api/retention/queue${query({ before, after, limit })}`),
  retentionPolicy: () =>
    request<{ rules: Array<{ years: number; why: string }> }>('GET', '/api/retention/policy'),
  retain: (id: string, reason: string, nextReview?: string) =>
    request<Report>('POST', `/api/retention/reports/${enc(id)}/retain`, {
      reason,
      ...(nextReview ? { nextReview } : {}),
    }),
  dispose: (id: string, reason: string) =>
    request<{ report: string; entities: string[]; links: string[] }>(
      'POST',
      `/api/retention/reports/${enc(id)}/dispose`,
      { reason },
    ),
};
