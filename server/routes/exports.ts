// Exports: POST /api/exports { format, chartId? | entityIds? | view?, analysis? } -> the file, with the
// analysis record in the x-analysis-record header (and inside the file, for every format but CSV).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../api-types/common.ts';
import { EXPORT_FORMATS, exportRequestSchema, type ExportRequest } from '../api-types/exports.ts';
import type { Stores } from '../store/stores.ts';
import { exportFiles, type KeepIds } from '../jobs/export-off-thread.ts';
import { authoriseDisclosure } from '../security/handling.ts';
import { requestUser, scopeMarkings, scopedFilter, viewScope, type RouteDeps } from './context.ts';

const exportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS),
  chartId: z.string().min(1).max(200).optional(),
  part: z.enum(['nodes', 'links']).optional(),
  confirmConditions: z.enum(['true', 'false']).optional(),
  justification: z.string().max(2000).optional(),
  recipient: z.string().max(500).optional(),
});

async function send(
  stores: Stores,
  maxLinks: number,
  keep: KeepIds,
  req: FastifyRequest,
  reply: FastifyReply,
  body: ExportRequest,
) {
  const actor = requestUser(req)?.name ?? 'system';
  // Need-to-know: the file holds what the requester may read (narrowed to the view's operations when it
  // names some), and its record names those operations with their marking.
  const scope = await viewScope(req, { stores }, body.view?.operations);
  const operations = await scopeMarkings(scope, { stores });
  const scopedBody = body.view ? { ...body, view: scopedFilter(body.view, scope) } : body;
  const data = await exportFiles(stores, scopedBody, { actor, maxLinks, scope, operations }, keep);
  // Handling codes in force: C-coded intelligence leaves only with its conditions confirmed (428 otherwise);
  // the audit record names the format, the source and every id the file carries.
  const part = body.format === 'csv' ? (body.part ?? 'nodes') : undefined;
  if (part) req.audit.details.part = part;
  authoriseDisclosure(req, data.disclosure, { format: body.format, source: { ...data.record.source } });
  const file = data.files[0];
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.name}"`)
    .header('x-analysis-record', encodeURIComponent(JSON.stringify(data.record)))
    .send(file.body);
}

const exportsRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  const maxLinks = config.limits.maxAnalysisLinks;
  // Past this many carried ids an export's lists are kept beside its audit record (by the export worker).
  const keep = { dir: config.auditExportIdsDir, limit: config.limits.auditExportIds };
  const description =
    'The response is the file (GraphML, GEXF, CSV nodes or links table, JSON, or i2 ANX XML). The analysis record ' +
    '(data version, filters, metric, parameters, seeds, software version) is inside the file and, URI-encoded JSON, ' +
    'in the x-analysis-record header. Items resting on a handling code C report carry handling=C and their conditions.';
  app.post(
    '/exports',
    {
      config: { access: 'export:run' },
      schema: {
        tags: ['exports'],
        summary: 'Export a view, a saved chart or a set of entities',
        description,
        body: exportRequestSchema,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => send(stores, maxLinks, keep, req, reply, req.body),
  );
  app.get(
    '/exports',
    {
      config: { access: 'export:run' },
      schema: {
        tags: ['exports'],
        summary: 'Export a saved chart or the whole store (a download link)',
        description,
        querystring: exportQuerySchema,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const { confirmConditions: _c, justification: _j, recipient: _r, ...body } = req.query;
      return send(stores, maxLinks, keep, req, reply, body);
    },
  );
};
export default exportsRoutes;
