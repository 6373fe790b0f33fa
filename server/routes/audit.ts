// The audit trail for supervisors: search, export (CSV or JSON lines) and a chain check. There is no
// route that edits or deletes a record; reading the trail is itself audited.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from './context.ts';
import type { AuditEvent } from '../domain/model.ts';
import { errorResponses, pageQuerySchema, pageSchema } from '../api-types/common.ts';
import type { AuditQuery, SecurityStore } from '../store/security-store.ts';
import { auditKeyOf } from '../security/audit-chain.ts';
import { verifyStoreAudit } from '../security/audit-verify.ts';

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
});

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or time');
export const auditQuerySchema = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  objectId: z.string().max(200).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
});

/** Every record matching `query`, in seq order, a page at a time. */
export async function* allAudit(security: SecurityStore, query: AuditQuery = {}): AsyncGenerator<AuditEvent> {
  const limit = 1000;
  for (let offset = 0; ; offset += limit) {
    const page = await security.listAudit({ ...query, offset, limit });
    yield* page.items;
    if (page.items.length < limit || offset + limit >= page.total) return;
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
] as const;

const audit: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const { security } = stores;
  app.get(
    '/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail',
        querystring: pageQuerySchema.extend(auditQuerySchema.shape),
        response: { 200: pageSchema(auditEventSchema), ...errorResponses },
      },
    },
    async (req) => security.listAudit(req.query),
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
      const { format, ...query } = req.query;
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
      const r = await verifyStoreAudit(security, { key: auditKeyOf(security) });
      const firstBroken = r.broken && { seq: r.broken.seq, reason: r.broken.reason };
      return { ok: r.broken === null, records: r.records, keyed: r.keyed, firstBroken };
    },
  );
};

export default audit;
