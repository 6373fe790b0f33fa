// Entities, links and intelligence reports (CRUD with provenance and grading), search, neighbourhood
// expansion, paths, views, merges, and batch writes.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../app.ts';
import {
  entityInputSchema,
  linkInputSchema,
  reportInputSchema,
  type Entity,
  type Link,
} from '../domain/model.ts';
import type { GraphStore } from '../store/graph-store.ts';
import {
  errorResponses,
  idParamsSchema,
  okSchema,
  pageQuerySchema,
  pageSchema,
} from '../api-types/common.ts';
import {
  entityDetailSchema,
  entityListQuerySchema,
  entityPatchSchema,
  entitySchema,
  linkDetailSchema,
  linkListQuerySchema,
  linkPatchSchema,
  linkSchema,
  mergeBodySchema,
  mergeRecordSchema,
  neighbourhoodBodySchema,
  neighbourhoodQuerySchema,
  pathsBodySchema,
  pathsResultSchema,
  reportListQuerySchema,
  reportSchema,
  searchQuerySchema,
  searchResultSchema,
  subgraphSchema,
  viewBodySchema,
  writeResultSchema,
} from '../api-types/graph.ts';
import { ApiError } from './errors.ts';
import { writeContext } from './context.ts';

export const writeBatchBodySchema = z.object({
  reports: z.array(reportInputSchema).max(10_000).optional(),
  entities: z.array(entityInputSchema).max(50_000).optional(),
  links: z.array(linkInputSchema).max(50_000).optional(),
});

function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'not_found', `no ${what} with id ${JSON.stringify(id)}`);
}

/** Resolve the requested cap against the server's; an over-cap request is refused with the way to narrow it. */
export function capFor(requested: number | undefined, cap: number, what: string, narrow: string): number {
  if (requested !== undefined && requested > cap) {
    throw new ApiError(
      400,
      'limit',
      `limit ${requested} is above the server's cap of ${cap} ${what}; ${narrow}`,
      { path: ['body', 'limit'] },
    );
  }
  return requested ?? cap;
}

async function expand(
  store: GraphStore,
  seeds: string[],
  hops: number,
  requested: number | undefined,
  cap: number,
  rest: Omit<Parameters<GraphStore['neighbourhood']>[1], 'hops' | 'limit'> = {},
) {
  const narrow =
    'narrow it with fewer hops, fewer seeds, entity or link types, a time window or a minimum grading';
  const limit = capFor(requested, cap, 'nodes', narrow);
  const sub = await store.neighbourhood(seeds, { hops, limit, ...rest });
  // Seeds are always in the result; one missing is an unknown id (checked after, to spare a query per call).
  if (sub.nodes.length < seeds.length || !sub.truncated) {
    const got = new Set(sub.nodes.map((n) => n.id));
    const missing = seeds.find((s) => !got.has(s));
    if (missing !== undefined) {
      const known = new Set((await store.getEntities([missing])).map((e) => e.id));
      if (!known.has(missing)) throw notFound('entity', missing);
    }
  }
  if (sub.truncated && requested === undefined) {
    throw new ApiError(
      400,
      'limit',
      `this expansion reaches more than ${cap} nodes (the server's expansion cap); ${narrow}, ` +
        `or pass a limit to accept a truncated result`,
    );
  }
  return sub;
}

const graph: FastifyPluginAsyncZod<RouteDeps> = async (app, { store, config }) => {
  const read = { access: 'graph:read' } as const;
  const write = { access: 'graph:write' } as const;
  const { maxExpansionNodes, maxAnalysisLinks } = config.limits;

  // --- batch ---
  app.post(
    '/batch',
    {
      config: write,
      schema: {
        tags: ['graph'],
        summary: 'Write reports, entities and links in one transaction (upsert by natural key)',
        body: writeBatchBodySchema,
        response: { 200: writeResultSchema, ...errorResponses },
      },
    },
    async (req) => store.writeBatch(req.body, writeContext(req)),
  );

  // --- entities ---
  app.get(
    '/entities',
    {
      config: read,
      schema: {
        tags: ['entities'],
        summary: 'List entities',
        querystring: pageQuerySchema.extend(entityListQuerySchema.shape),
        response: { 200: pageSchema(entitySchema), ...errorResponses },
      },
    },
    async (req) => store.listEntities(req.query),
  );
  app.post(
    '/entities',
    {
      config: write,
      schema: {
        tags: ['entities'],
        summary: 'Create (or match by natural key) an entity',
        body: entityInputSchema,
        response: { 200: entityDetailSchema, 201: entityDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await store.writeBatch({ entities: [req.body] }, writeContext(req));
      const e = await store.getEntity(res.entityIds[0]);
      if (!e) throw notFound('entity', res.entityIds[0]);
      return reply.code(res.entities.created ? 201 : 200).send(e);
    },
  );
  app.get(
    '/entities/:id',
    {
      config: read,
      schema: {
        tags: ['entities'],
        summary: 'An entity with the reports it rests on and its merged aliases',
        params: idParamsSchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const e = await store.getEntity(req.params.id);
      if (!e) throw notFound('entity', req.params.id);
      return e;
    },
  );
  app.patch(
    '/entities/:id',
    {
      config: write,
      schema: {
        tags: ['entities'],
        summary: 'Update an entity (label, properties, review date, attach or detach reports)',
        params: idParamsSchema,
        body: entityPatchSchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    async (req) => store.updateEntity(req.params.id, req.body, writeContext(req)),
  );
  app.delete(
    '/entities/:id',
    {
      config: write,
      schema: {
        tags: ['entities'],
        summary: 'Delete an entity and its links',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await store.deleteEntity(req.params.id, writeContext(req));
      return { ok: true as const };
    },
  );
  app.get(
    '/entities/:id/neighbourhood',
    {
      config: read,
      schema: {
        tags: ['graph'],
        summary: 'Neighbourhood of one entity, k hops (1 to 4)',
        params: idParamsSchema,
        querystring: neighbourhoodQuerySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req) => expand(store, [req.params.id], req.query.hops, req.query.limit, maxExpansionNodes),
  );

  // --- links ---
  app.get(
    '/links',
    {
      config: read,
      schema: {
        tags: ['links'],
        summary: 'List links, optionally of one type or touching one entity',
        querystring: pageQuerySchema.extend(linkListQuerySchema.shape),
        response: { 200: pageSchema(linkSchema), ...errorResponses },
      },
    },
    async (req) => store.listLinks(req.query),
  );
  app.post(
    '/links',
    {
      config: write,
      schema: {
        tags: ['links'],
        summary: 'Create (or match) a link between two entities named by id or by natural key',
        body: linkInputSchema,
        response: { 200: linkDetailSchema, 201: linkDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await store.writeBatch({ links: [req.body] }, writeContext(req));
      const l = await store.getLink(res.linkIds[0]);
      if (!l) throw notFound('link', res.linkIds[0]);
      return reply.code(res.links.created ? 201 : 200).send(l);
    },
  );
  app.get(
    '/links/:id',
    {
      config: read,
      schema: {
        tags: ['links'],
        summary: 'A link with the reports it rests on',
        params: idParamsSchema,
        response: { 200: linkDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const l = await store.getLink(req.params.id);
      if (!l) throw notFound('link', req.params.id);
      return l;
    },
  );
  app.patch(
    '/links/:id',
    {
      config: write,
      schema: {
        tags: ['links'],
        summary: 'Update a link (weight, first/last seen, properties, reports)',
        params: idParamsSchema,
        body: linkPatchSchema,
        response: { 200: linkDetailSchema, ...errorResponses },
      },
    },
    async (req) => store.updateLink(req.params.id, req.body, writeContext(req)),
  );
  app.delete(
    '/links/:id',
    {
      config: write,
      schema: {
        tags: ['links'],
        summary: 'Delete a link',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await store.deleteLink(req.params.id, writeContext(req));
      return { ok: true as const };
    },
  );

  // --- reports ---
  app.get(
    '/reports',
    {
      config: read,
      schema: {
        tags: ['reports'],
        summary: 'List intelligence reports (dueBefore: review date before)',
        querystring: pageQuerySchema.extend(reportListQuerySchema.shape),
        response: { 200: pageSchema(reportSchema), ...errorResponses },
      },
    },
    async (req) => store.listReports(req.query),
  );
  app.post(
    '/reports',
    {
      config: write,
      schema: {
        tags: ['reports'],
        summary: 'Record an intelligence report with its 3x5x2 grading',
        body: reportInputSchema,
        response: { 200: reportSchema, 201: reportSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await store.writeBatch({ reports: [req.body] }, writeContext(req));
      const r = await store.getReport(res.reportIds[0]);
      if (!r) throw notFound('report', res.reportIds[0]);
      return reply.code(res.reports.created ? 201 : 200).send(r);
    },
  );
  app.get(
    '/reports/:id',
    {
      config: read,
      schema: {
        tags: ['reports'],
        summary: 'A report by id or reference',
        params: idParamsSchema,
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    async (req) => {
      const r = await store.getReport(req.params.id);
      if (!r) throw notFound('report', req.params.id);
      return r;
    },
  );
  app.delete(
    '/reports/:id',
    {
      config: write,
      schema: {
        tags: ['reports'],
        summary: 'Delete a report; entities and links resting on nothing else go with it',
        params: idParamsSchema,
        response: {
          200: z.object({ entities: z.array(z.string()), links: z.array(z.string()) }),
          ...errorResponses,
        },
      },
    },
    async (req) => store.deleteReport(req.params.id, writeContext(req)),
  );

  // --- search, expansion, paths, views ---
  app.get(
    '/search',
    {
      config: read,
      schema: {
        tags: ['graph'],
        summary: 'Full-text search over labels and identifiers',
        querystring: searchQuerySchema,
        response: { 200: searchResultSchema, ...errorResponses },
      },
    },
    async (req) => {
      const hits = await store.search(req.query.q, {
        limit: req.query.limit,
        ...(req.query.types ? { types: req.query.types } : {}),
      });
      return { items: hits, total: hits.length, offset: 0, limit: req.query.limit };
    },
  );
  app.post(
    '/neighbourhood',
    {
      config: read,
      schema: {
        tags: ['graph'],
        summary: `Expand from seed entities, 1 to 4 hops, with filters (cap: ${maxExpansionNodes} nodes)`,
        body: neighbourhoodBodySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { seeds, hops, limit, filter, entityTypes } = req.body;
      return expand(store, seeds, hops, limit, maxExpansionNodes, {
        ...(filter ? { filter } : {}),
        ...(entityTypes ? { entityTypes } : {}),
      });
    },
  );
  app.post(
    '/paths',
    {
      config: read,
      schema: {
        tags: ['graph'],
        summary: 'Shortest paths (fewest links) between two entities',
        body: pathsBodySchema,
        response: { 200: pathsResultSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { from, to, filter, maxHops, limit } = req.body;
      for (const id of [from, to]) if (!(await store.getEntity(id))) throw notFound('entity', id);
      const paths = await store.shortestPaths(from, to, { maxHops, limit, ...(filter ? { filter } : {}) });
      const nodeIds = [...new Set(paths.flatMap((p) => p.nodes))];
      const linkIds = [...new Set(paths.flatMap((p) => p.links))];
      const nodes: Entity[] = await store.getEntities(nodeIds);
      const links: Link[] = [];
      for (const id of linkIds) {
        const l = await store.getLink(id);
        if (l) {
          const { reports: _r, ...plain } = l;
          links.push(plain);
        }
      }
      return { paths, subgraph: { dataVersion: await store.dataVersion(), nodes, links, truncated: false } };
    },
  );
  app.post(
    '/view',
    {
      config: read,
      schema: {
        tags: ['graph'],
        summary: `The filtered graph a view is built from (cap: ${maxAnalysisLinks} links)`,
        body: viewBodySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req) => {
      const narrow = 'narrow the view with entity or link types, a time window or a minimum grading';
      const limit = capFor(req.body.limit, maxAnalysisLinks, 'links', narrow);
      const sub = await store.subgraph(req.body.filter, { limit });
      if (sub.truncated && req.body.limit === undefined) {
        throw new ApiError(
          400,
          'limit',
          `this view holds more than ${maxAnalysisLinks} links (the server's cap); ${narrow}`,
        );
      }
      return sub;
    },
  );

  // --- merges ---
  app.get(
    '/merges',
    {
      config: read,
      schema: {
        tags: ['merges'],
        summary: 'Merges, newest first',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(mergeRecordSchema), ...errorResponses },
      },
    },
    async (req) => store.listMerges(req.query),
  );
  app.post(
    '/merges',
    {
      config: write,
      schema: {
        tags: ['merges'],
        summary:
          'Merge two entities that are the same real thing (dropId into keepId); recorded so it can be undone',
        body: mergeBodySchema,
        response: { 201: mergeRecordSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await store.merge(req.body.keepId, req.body.dropId, writeContext(req))),
  );
  app.post(
    '/merges/:id/undo',
    {
      config: write,
      schema: {
        tags: ['merges'],
        summary: 'Undo a merge (un-merge)',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await store.unmerge(req.params.id, writeContext(req));
      return { ok: true as const };
    },
  );
};
export default graph;
