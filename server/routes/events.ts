// The calls and ANPR reads behind CALLED and SIGHTED_AT links, read a page at a time: one link's events,
// or a query by entities, links, time window and kind. Reads are audited with the links they showed.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventPage } from '../domain/events.ts';
import { errorResponses, idParamsSchema } from '../api-types/common.ts';
import { eventPageSchema, eventQueryBodySchema, linkEventsQuerySchema } from '../api-types/events.ts';
import { graphOf, type RouteDeps } from './context.ts';
import { notFound } from './crud.ts';

const READ = { access: 'graph:read' } as const;

/** Records on the request's audit entry the links whose events were shown (when the audit is on). */
function auditLinks(request: FastifyRequest, page: EventPage, also: string[] = []): void {
  const audit = (request as unknown as { audit?: { objectIds: string[] } | null }).audit;
  if (!audit) return;
  for (const id of new Set([...also, ...page.events.map((e) => e.linkId)])) audit.objectIds.push(id);
}

const events: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const g = graphOf({ stores });

  app.get(
    '/links/:id/events',
    {
      config: READ,
      schema: {
        tags: ['events'],
        summary: "A link's calls or reads in time order, a page at a time (cursor from the page before)",
        params: idParamsSchema,
        querystring: linkEventsQuerySchema,
        response: { 200: eventPageSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const graph = await g(req);
      if (!(await graph.getLink(id))) throw notFound('link', id);
      const page = await graph.listEvents({
        linkIds: [id],
        limit: req.query.limit,
        ...(req.query.cursor ? { after: req.query.cursor } : {}),
      });
      auditLinks(req, page, [id]);
      return page;
    },
  );

  app.post(
    '/events/query',
    {
      config: READ,
      schema: {
        tags: ['events'],
        summary: 'Calls and reads by entities, links, time window and kind, in time order, a page at a time',
        body: eventQueryBodySchema,
        response: { 200: eventPageSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { cursor, ...filter } = req.body;
      const page = await (await g(req)).listEvents({ ...filter, ...(cursor ? { after: cursor } : {}) });
      auditLinks(req, page, [...(filter.entityIds ?? []), ...(filter.linkIds ?? [])]);
      return page;
    },
  );
};

export default events;
