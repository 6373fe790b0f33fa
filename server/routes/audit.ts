// The audit trail for supervisors: search, export (CSV or JSON lines) and a chain check. There is no
// route that edits or deletes a record; reading the trail is itself audited.
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { globalRole, requestUser, type RouteDeps } from './context.ts';
import type { Stores } from '../store/stores.ts';
import type { AuditEvent } from '../domain/model.ts';
import { errorResponses, pageQuerySchema, pageSchema } from '../api-types/common.ts';
import {
  inSupervision,
  type AuditQuery,
  type AuditSupervision,
  type SecurityStore,
} from '../store/security-store.ts';
import { auditKeyOf } from '../security/audit-chain.ts';
import { verifyStoreAudit } from '../security/audit-verify.ts';
import { keptDigestOf, KeptListError, readKeptIds } from '../security/audit-export-ids.ts';
import { ApiError } from '../api-types/errors.ts';

export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  route: z.string().nullable(),
  objectIds: z.array(z.string()),
  outcome: z.enum(['ok', 'denied', 'error', 'failed']),
  justification: z.string().nullable(),
  recipient: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  prevHash: z.string(),
  hash: z.string(),
  /** The request's working operations (ids); absent when it had none. */
  operations: z.array(z.string()).optional(),
});

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or time');
export const auditQuerySchema = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  objectId: z.string().max(200).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
});

/**
 * Where a page of the list starts: by key (each page's `next`: `after` oldest first, `before` newest first), so
 * a deep page costs what the first does; `offset` reaches only the first MAX_AUDIT_OFFSET records.
 */
const auditPageQuerySchema = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  before: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  order: z.enum(['oldest', 'newest']).default('oldest'),
});

/**
 * Which records the reader may see: all (null) for an administrator. A supervisor sees the records of the
 * operations they own or supervise, and of GENERAL (the force's own, which nobody owns), plus those that
 * carry no operation (signing in, accounts); never a record that also touched a closed operation they are
 * not owner or supervisor of (need-to-know holds for the trail too).
 */
export async function auditSupervisionOf(
  request: FastifyRequest,
  stores: Pick<Stores, 'operations'>,
): Promise<AuditSupervision | null> {
  if (globalRole(request) === 'admin') return null;
  const user = requestUser(request);
  const general = (await stores.operations.defaultOperation()).id;
  const mine = user
    ? (await stores.operations.membershipsOf(user.name))
        .filter((m) => m.role === 'owner' || m.role === 'supervisor')
        .map((m) => m.operationId)
    : [];
  const operations = [...new Set([general, ...mine])];
  const open = (await stores.operations.list({ limit: 1000 })).items
    .filter((o) => o.sensitivity === 'open')
    .map((o) => o.id);
  return { operations, within: [...new Set([...operations, ...open])] };
}

/** Every record matching `query`, in seq order, a page at a time (each read from the last one's key). */
export async function* allAudit(security: SecurityStore, query: AuditQuery = {}): AsyncGenerator<AuditEvent> {
  const limit = 1000;
  for (let after = 0; ;) {
    const page = await security.listAudit({ ...query, after, limit });
    yield* page.items;
    if (!page.next) return;
    after = Number(page.next);
  }
}

/** A cell a spreadsheet will not run as a formula (OWASP CSV injection). */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'route',
  'objectIds',
  'outcome',
  'justification',
  'recipient',
  'details',
  'prevHash',
  'hash',
  'operations',
] as const;

/** Most ids one page of a kept list holds. */
const MAX_ID_PAGE = 50_000;

const audit: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  const { security } = stores;
  app.get(
    '/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail',
        querystring: pageQuerySchema.extend(auditQuerySchema.shape).extend(auditPageQuerySchema.shape),
        response: { 200: pageSchema(auditEventSchema), ...errorResponses },
      },
    },
    async (req) => {
      const supervised = await auditSupervisionOf(req, stores);
      const { order, ...q } = req.query;
      return security.listAudit({
        ...q,
        ...(order === 'newest' ? { newestFirst: true } : {}),
        ...(supervised ? { supervised } : {}),
      });
    },
  );

  app.get(
    '/audit/export',
    {
      config: { access: 'audit:read', audit: 'audit.export' },
      schema: {
        tags: ['audit'],
        summary: 'Export matching audit records as CSV (default) or JSON lines',
        querystring: auditQuerySchema.extend({ format: z.enum(['csv', 'jsonl']).default('csv') }),
      },
    },
    async (req, reply) => {
      const { format, ...asked } = req.query;
      const supervised = await auditSupervisionOf(req, stores);
      const query = { ...asked, ...(supervised ? { supervised } : {}) };
      const lines: string[] = format === 'csv' ? [AUDIT_CSV_COLUMNS.join(',')] : [];
      let n = 0;
      for await (const e of allAudit(security, query)) {
        n++;
        lines.push(
          format === 'csv' ? AUDIT_CSV_COLUMNS.map((c) => csvCell(e[c])).join(',') : JSON.stringify(e),
        );
      }
      req.audit.details.records = n;
      const ext = format === 'csv' ? 'csv' : 'jsonl';
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="linkchart-audit.${ext}"`)
        .send(lines.join('\n') + '\n');
    },
  );

  // The ids an export carried, for a record that lists them inline or keeps them beside it (a large export):
  // a kept list is read from its file and checked against the digest in the record before it is shown.
  app.get(
    '/audit/:seq/ids',
    {
      config: { access: 'audit:read', audit: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The entity, link and report ids an export record names (a page of each kind)',
        params: z.object({ seq: z.coerce.number().int().min(1) }),
        querystring: z.object({
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(MAX_ID_PAGE).default(10_000),
        }),
      },
    },
    async (req) => {
      const { seq } = req.params;
      const { offset, limit } = req.query;
      const page = await security.listAudit({ after: seq - 1, limit: 1 });
      const record = page.items[0];
      if (!record || record.seq !== seq || !inSupervision(record, await auditSupervisionOf(req, stores)))
        throw new ApiError(404, 'not_found', `no audit record ${seq}`);
      const d = record.details?.disclosure as
        { entities?: string[]; links?: string[]; reports?: string[]; digest?: string } | undefined;
      if (!d || typeof d.digest !== 'string')
        throw new ApiError(404, 'not_found', `audit record ${seq} is not an export or briefing record`);
      const kept = keptDigestOf(record.details);
      let lists: { entities: string[]; links: string[]; reports: string[] };
      if (kept) {
        try {
          lists = await readKeptIds(config.auditExportIdsDir, kept);
        } catch (e) {
          if (!(e instanceof KeptListError)) throw e;
          throw new ApiError(409, 'conflict', `${e.message}: run npm run audit:verify`);
        }
      } else lists = { entities: d.entities ?? [], links: d.links ?? [], reports: d.reports ?? [] };
      const cut = (l: string[]) => l.slice(offset, offset + limit);
      return {
        seq,
        digest: d.digest,
        kept: kept !== null,
        total: { entities: lists.entities.length, links: lists.links.length, reports: lists.reports.length },
        offset,
        limit,
        entities: cut(lists.entities),
        links: cut(lists.links),
        reports: cut(lists.reports),
      };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { access: 'audit:read', audit: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Walk the hash chain (keyed: with the audit key); names the first broken record',
        response: {
          200: z.object({
            ok: z.boolean(),
            records: z.number().int(),
            /** Records written keyed; the rest were written before the key was set. */
            keyed: z.number().int(),
            firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
          }),
        },
      },
    },
    async () => {
      const r = await verifyStoreAudit(security, {
        key: auditKeyOf(security),
        exportIdsDir: config.auditExportIdsDir,
      });
      const firstBroken = r.broken && { seq: r.broken.seq, reason: r.broken.reason };
      return { ok: r.broken === null, records: r.records, keyed: r.keyed, firstBroken };
    },
  );
};

export default audit;
