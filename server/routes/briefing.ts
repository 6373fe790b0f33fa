// POST /api/exports/briefing: the PDF briefing page (server/export/briefing-pdf.ts). The browser sends the
// chart image and what it shows; the server adds what it knows better than the client: the data version,
// who exported, and whether C-coded intelligence lies behind anything the briefing carries (the entities
// and links on the chart, the rows of its top table, everything its review section was computed from),
// asked of the one disclosure check (server/security/handling.ts): 428 without the confirmation, and the
// PDF's handling statement is that check's answer.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../api-types/common.ts';
import { reviewBodySchema } from '../api-types/cycle.ts';
import { ApiError } from '../api-types/errors.ts';
import { reviewRequestFromBody } from '../api-types/review-request.ts';
import { briefingPdf, UnreadableImageError } from '../export/briefing-pdf.ts';
import { withAccuracyRecord } from '../export/collect.ts';
import { SOFTWARE_NAME, SOFTWARE_VERSION } from '../config.ts';
import { reviewForBriefing } from '../cycle/briefing.ts';
import { assessDisclosure, authoriseDisclosure } from '../security/handling.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { graphFor, readScope, requestUser, scopeMarkings, type RouteDeps } from './context.ts';

const MAX_IDS = 5000;

export const briefingBodySchema = z.object({
  title: z.string().trim().min(1, 'title is required').max(200),
  author: z.string().trim().min(1, 'author is required').max(200),
  marking: z.string().trim().min(1, 'a protective marking is required').max(60),
  date: z.string().max(40).optional(),
  /** Base64 PNG of the chart. */
  chartPng: z.string().min(1).max(30_000_000),
  legend: z
    .array(z.object({ label: z.string().max(100), colour: z.string().max(20) }))
    .max(50)
    .default([]),
  metric: z.string().max(100).nullable().default(null),
  topNodes: z
    .array(
      z.object({
        /** The entity the row names; a row without one is matched to entities by its label. */
        id: z.string().min(1).max(200).optional(),
        rank: z.number().int(),
        label: z.string().max(500),
        type: z.string().max(40),
        value: z.number(),
      }),
    )
    .max(50)
    .default([]),
  /** Filters, measure and parameters as the client applied them. */
  record: z.record(z.string(), z.unknown()).default({}),
  entityIds: z.array(z.string().min(1).max(200)).max(MAX_IDS).default([]),
  linkIds: z.array(z.string().min(1).max(200)).max(MAX_IDS).default([]),
  /** Adds the operational review of two windows as a section (server/cycle/briefing.ts). */
  review: reviewBodySchema.optional(),
  /** Required when the chart rests on C-coded intelligence (checked by the security plugin; see handling.ts). */
  handling: z
    .object({
      confirmConditions: z.literal(true),
      justification: z.string().max(2000),
      recipient: z.string().max(500),
    })
    .optional(),
});

const sameLabel = (a: string, b: string): boolean =>
  a.normalize('NFKC').trim().toLowerCase() === b.normalize('NFKC').trim().toLowerCase();

/**
 * The entities a top-table row names: its id, or (a row sent without one) every entity whose label is the
 * row's label. The table prints names, so a name is what it discloses.
 */
async function entitiesInTable(
  graph: Pick<GraphStore, 'search'>,
  rows: Array<{ id?: string | undefined; label: string }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    if (row.id) ids.push(row.id);
    else if (row.label.trim()) {
      const hits = await graph.search(row.label.trim(), { limit: 50 });
      for (const h of hits) if (sameLabel(h.entity.label, row.label)) ids.push(h.entity.id);
    }
  }
  return ids;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const briefing: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  app.post(
    '/exports/briefing',
    {
      config: { access: 'export:run' },
      // The chart image makes this body larger than ordinary JSON requests.
      bodyLimit: 40 * 1024 * 1024,
      schema: {
        tags: ['exports'],
        summary: 'PDF briefing page: marking, chart, legend, top entities, grading key, analysis record',
        body: briefingBodySchema,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      // What the briefing reads is what the request may read (need-to-know), and every page names it.
      const graph = await graphFor(req, { stores });
      const operations = await scopeMarkings(await readScope(req), { stores });
      const png = Buffer.from(b.chartPng, 'base64');
      if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47)
        throw new ApiError(400, 'invalid', 'chartPng is not a base64 PNG image', {
          path: ['body', 'chartPng'],
        });
      // A briefing names only targets of the operations in scope: one the reader cannot see is left out.
      const review = b.review
        ? await reviewForBriefing(
            graph,
            reviewRequestFromBody(
              { ...b.review, targets: (await graph.getEntities(b.review.targets)).map((e) => e.id) },
              'review',
            ),
          )
        : null;
      // Everything the briefing carries, judged once: the chart, the top table, the review's windows.
      const disclosure = await assessDisclosure(
        graph,
        {
          entities: [
            ...b.entityIds,
            ...(await entitiesInTable(graph, b.topNodes)),
            ...(review?.basis.entityIds ?? []),
          ],
          links: [...b.linkIds, ...(review?.basis.linkIds ?? [])],
        },
        'briefing',
      );
      const chart = b.record['Chart'];
      const view = b.record['View filter'];
      authoriseDisclosure(req, disclosure, {
        format: 'briefing-pdf',
        source: {
          kind: 'briefing',
          title: b.title,
          ...(typeof chart === 'string' ? { chartName: chart } : {}),
          ...(view !== undefined ? { view } : {}),
          ...(review
            ? { review: { before: review.result.before.label, after: review.result.after.label } }
            : {}),
        },
      });
      const user = requestUser(req)?.name ?? 'system';
      const record: Array<[string, string]> = [
        ['Software', `${SOFTWARE_NAME} ${SOFTWARE_VERSION}`],
        ['Data version', String(await graph.dataVersion())],
        ['Exported by', user],
        ['Exported at', new Date().toISOString()],
        ['Operations', operations.join('; ') || 'none'],
        ...Object.entries(withAccuracyRecord(b.record)).map(([k, v]) => [k, show(v)] as [string, string]),
        ['Entities / links on chart', `${b.entityIds.length} / ${b.linkIds.length}`],
      ];
      let pdf: Buffer;
      try {
        pdf = await briefingPdf({
          title: b.title,
          author: b.author,
          marking: b.marking,
          date: b.date ?? new Date().toISOString(),
          chartPng: png,
          legend: b.legend,
          metric: b.metric,
          topNodes: b.topNodes,
          record,
          operations,
          handling: { statement: disclosure.statement, conditions: disclosure.conditions },
          ...(review ? { sections: [review.section] } : {}),
        });
      } catch (e) {
        if (e instanceof UnreadableImageError)
          throw new ApiError(400, 'invalid', e.message, { path: ['body', 'chartPng'] });
        throw e;
      }
      const name = `${b.title.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'briefing'}.pdf`;
      // Plain FastifyReply: the 200 body is a file, not a schema-typed JSON value.
      const raw: FastifyReply = reply;
      return raw
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(pdf);
    },
  );
};
export default briefing;
