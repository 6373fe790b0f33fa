// Retention review (supervisors): the queue of reports due for review, retain with a reason and a next
// date, dispose. Each call is audited by the security plugin with the reviewer, the reason and the ids.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema, keyedPageQuerySchema, pageSchema } from '../api-types/common.ts';
import { reportSchema } from '../api-types/graph.ts';
import { REVIEW_TABLE, disposeReport, retainReport, reviewQueue } from '../security/retention.ts';
import { graphOf, writeContext, type RouteDeps } from './context.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-01');
const reason = z.string().trim().min(5, 'reason: say why (at least 5 characters)').max(2000);

const retention: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  // The review queue and its steps see the reports the reviewer may read (the sweep of the whole store
  // is a system path: security/retention.ts, never a user's request).
  const g = graphOf({ stores });
  const review = { access: 'retention:review' } as const;

  app.get(
    '/retention/queue',
    {
      config: review,
      schema: {
        tags: ['retention'],
        summary: 'Reports whose review date is before a date (default: today)',
        querystring: keyedPageQuerySchema.extend({ before: isoDay.optional() }),
        response: { 200: pageSchema(reportSchema), ...errorResponses },
      },
    },
    async (req) => reviewQueue(await g(req), req.query),
  );

  app.get(
    '/retention/policy',
    {
      config: { access: 'retention:review', audit: false },
      schema: {
        tags: ['retention'],
        summary: 'The default review periods applied on entry',
        response: { 200: z.object({ rules: z.array(z.object({ years: z.number(), why: z.string() })) }) },
      },
    },
    async () => ({ rules: REVIEW_TABLE.map(({ years, why }) => ({ years, why })) }),
  );

  app.post(
    '/retention/reports/:id/retain',
    {
      config: { ...review, audit: 'retention.retain' },
      schema: {
        tags: ['retention'],
        summary: 'Retain a report for another period (reason recorded)',
        params: idParamsSchema,
        body: z.object({ reason, nextReview: isoDay.optional() }),
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    async (req) => {
      req.audit.details.reason = req.body.reason;
      const report = await retainReport(await g(req), req.params.id, req.body, await writeContext(req));
      req.audit.details.ref = report.ref;
      req.audit.details.nextReview = report.reviewDate;
      return report;
    },
  );

  app.post(
    '/retention/reports/:id/dispose',
    {
      config: { ...review, audit: 'retention.dispose' },
      schema: {
        tags: ['retention'],
        summary: 'Dispose of a report and of entities and links that rest on nothing else',
        params: idParamsSchema,
        body: z.object({ reason }),
        response: {
          200: z.object({ report: z.string(), entities: z.array(z.string()), links: z.array(z.string()) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      req.audit.details.reason = req.body.reason;
      const out = await disposeReport(await g(req), req.params.id, await writeContext(req));
      req.audit.objectIds.push(out.report.id, ...out.entities, ...out.links);
      req.audit.details.ref = out.report.ref;
      return { report: out.report.ref, entities: out.entities, links: out.links };
    },
  );
};

export default retention;
