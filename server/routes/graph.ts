// Entities, links and intelligence reports (CRUD with provenance and grading), search, neighbourhood
// expansion, paths, views, merges, and batch writes.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  entityInputSchema,
  linkInputSchema,
  reportInputSchema,
  type Entity,
  type Link,
  type WriteContext,
} from '../domain/model.ts';
import type { GraphStore, WriteBatch } from '../store/graph-store.ts';
import { errorResponses, idParamsSchema, pageQuerySchema } from '../api-types/common.ts';
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
import { ApiError } from '../api-types/errors.ts';
import { writeContext, type RouteDeps } from './context.ts';
import { crudRoutes, notFound, type Kind, type ZodApp } from './crud.ts';

export const writeBatchBodySchema = z.object({
  reports: z.array(reportInputSchema).max(10_000).optional(),
  entities: z.array(entityInputSchema).max(50_000).optional(),
  links: z.array(linkInputSchema).max(50_000).optional(),
});

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
  graph: GraphStore,
  seeds: string[],
  hops: number,
  requested: number | undefined,
  cap: number,
  rest: Omit<Parameters<GraphStore['neighbourhood']>[1], 'hops' | 'limit'> = {},
) {
  const narrow =
    'narrow it with fewer hops, fewer seeds, entity or link types, a time window or a minimum grading';
  const limit = capFor(requested, cap, 'nodes', narrow);
  const sub = await graph.neighbourhood(seeds, { hops, limit, ...rest });
  // Seeds are always in the result; one missing is an unknown id (checked after, to spare a query per call).
  if (sub.nodes.length < seeds.length || !sub.truncated) {
    const got = new Set(sub.nodes.map((n) => n.id));
    const missing = seeds.find((s) => !got.has(s));
    if (missing !== undefined) {
      const known = new Set((await graph.getEntities([missing])).map((e) => e.id));
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

const BATCH_IDS = { entities: 'entityIds', links: 'linkIds', reports: 'reportIds' } as const;

/** POST of one entity, link or report: a batch of one, so it is matched by natural key like any import. */
function upsertOne<K extends keyof typeof BATCH_IDS>(graph: GraphStore, key: K) {
  return async (item: NonNullable<WriteBatch[K]>[number], ctx: WriteContext) => {
    const res = await graph.writeBatch({ [key]: [item] }, ctx);
    return { id: res[BATCH_IDS[key]][0], created: res[key].created > 0 };
  };
}

const GRAPH_ACCESS = { read: 'graph:read', write: 'graph:write' } as const;
const ENTITIES: Kind = { path: '/entities', tag: 'entities', what: 'entity', ...GRAPH_ACCESS };
const LINKS: Kind = { path: '/links', tag: 'links', what: 'link', ...GRAPH_ACCESS };
const REPORTS: Kind = { path: '/reports', tag: 'reports', what: 'report', ...GRAPH_ACCESS };
const MERGES: Kind = { path: '/merges', tag: 'merges', what: 'merge', ...GRAPH_ACCESS };

const READ = { access: GRAPH_ACCESS.read };
const WRITE = { access: GRAPH_ACCESS.write };

function batchRoute(app: ZodApp, graph: GraphStore): void {
  app.post(
    '/batch',
    {
      config: WRITE,
      schema: {
        tags: ['graph'],
        summary: 'Write reports, entities and links in one transaction (upsert by natural key)',
        body: writeBatchBodySchema,
        response: { 200: writeResultSchema, ...errorResponses },
      },
    },
    async (req) => graph.writeBatch(req.body, writeContext(req)),
  );
}

function entityRoutes(app: ZodApp, graph: GraphStore, maxExpansionNodes: number): void {
  const entities = crudRoutes(app, ENTITIES, {
    schema: entityDetailSchema,
    get: (id) => graph.getEntity(id),
  });
  entities.list({
    summary: 'List entities',
    query: pageQuerySchema.extend(entityListQuerySchema.shape),
    item: entitySchema,
    list: (q) => graph.listEntities(q),
  });
  entities.upsert({
    summary: 'Create (or match by natural key) an entity',
    body: entityInputSchema,
    upsert: upsertOne(graph, 'entities'),
  });
  entities.get('An entity with the reports it rests on and its merged aliases');
  entities.update({
    summary: 'Update an entity (label, properties, review date, attach or detach reports)',
    body: entityPatchSchema,
    update: (id, patch, ctx) => graph.updateEntity(id, patch, ctx),
  });
  entities.remove({
    summary: 'Delete an entity and its links',
    remove: (id, ctx) => graph.deleteEntity(id, ctx),
  });
  app.get(
    '/entities/:id/neighbourhood',
    {
      config: READ,
      schema: {
        tags: ['graph'],
        summary: 'Neighbourhood of one entity, k hops (1 to 4)',
        params: idParamsSchema,
        querystring: neighbourhoodQuerySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req) => expand(graph, [req.params.id], req.query.hops, req.query.limit, maxExpansionNodes),
  );
}

function linkRoutes(app: ZodApp, graph: GraphStore): void {
  const links = crudRoutes(app, LINKS, { schema: linkDetailSchema, get: (id) => graph.getLink(id) });
  links.list({
    summary: 'List links, optionally of one type or touching one entity',
    query: pageQuerySchema.extend(linkListQuerySchema.shape),
    item: linkSchema,
    list: (q) => graph.listLinks(q),
  });
  links.upsert({
    summary: 'Create (or match) a link between two entities named by id or by natural key',
    body: linkInputSchema,
    upsert: upsertOne(graph, 'links'),
  });
  links.get('A link with the reports it rests on');
  links.update({
    summary: 'Update a link (weight, first/last seen, properties, reports)',
    body: linkPatchSchema,
    update: (id, patch, ctx) => graph.updateLink(id, patch, ctx),
  });
  links.remove({ summary: 'Delete a link', remove: (id, ctx) => graph.deleteLink(id, ctx) });
}

function reportRoutes(app: ZodApp, graph: GraphStore): void {
  const reports = crudRoutes(app, REPORTS, { schema: reportSchema, get: (id) => graph.getReport(id) });
  reports.list({
    summary: 'List intelligence reports (dueBefore: review date before)',
    query: pageQuerySchema.extend(reportListQuerySchema.shape),
    item: reportSchema,
    list: (q) => graph.listReports(q),
  });
  reports.upsert({
    summary: 'Record an intelligence report with its 3x5x2 grading',
    body: reportInputSchema,
    upsert: upsertOne(graph, 'reports'),
  });
  reports.get('A report by id or reference');
  // Not a plain delete: the reply names what went with the report.
  app.delete(
    '/reports/:id',
    {
      config: WRITE,
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
    async (req) => graph.deleteReport(req.params.id, writeContext(req)),
  );
}

/** Search and expansion from seeds. */
function searchRoutes(app: ZodApp, graph: GraphStore, maxExpansionNodes: number): void {
  app.get(
    '/search',
    {
      config: READ,
      schema: {
        tags: ['graph'],
        summary: 'Full-text search over labels and identifiers',
        querystring: searchQuerySchema,
        response: { 200: searchResultSchema, ...errorResponses },
      },
    },
    async (req) => {
      const hits = await graph.search(req.query.q, {
        limit: req.query.limit,
        ...(req.query.types ? { types: req.query.types } : {}),
      });
      return { items: hits, total: hits.length, offset: 0, limit: req.query.limit };
    },
  );
  app.post(
    '/neighbourhood',
    {
      config: READ,
      schema: {
        tags: ['graph'],
        summary: `Expand from seed entities, 1 to 4 hops, with filters (cap: ${maxExpansionNodes} nodes)`,
        body: neighbourhoodBodySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { seeds, hops, limit, filter, entityTypes } = req.body;
      return expand(graph, seeds, hops, limit, maxExpansionNodes, {
        ...(filter ? { filter } : {}),
        ...(entityTypes ? { entityTypes } : {}),
      });
    },
  );
}

function pathRoute(app: ZodApp, graph: GraphStore): void {
  app.post(
    '/paths',
    {
      config: READ,
      schema: {
        tags: ['graph'],
        summary: 'Shortest paths (fewest links) between two entities',
        body: pathsBodySchema,
        response: { 200: pathsResultSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { from, to, filter, maxHops, limit } = req.body;
      for (const id of [from, to]) if (!(await graph.getEntity(id))) throw notFound('entity', id);
      const paths = await graph.shortestPaths(from, to, { maxHops, limit, ...(filter ? { filter } : {}) });
      const nodeIds = [...new Set(paths.flatMap((p) => p.nodes))];
      const linkIds = [...new Set(paths.flatMap((p) => p.links))];
      const nodes: Entity[] = await graph.getEntities(nodeIds);
      const links: Link[] = [];
      for (const id of linkIds) {
        const l = await graph.getLink(id);
        if (l) {
          const { reports: _r, ...plain } = l;
          links.push(plain);
        }
      }
      return { paths, subgraph: { dataVersion: await graph.dataVersion(), nodes, links, truncated: false } };
    },
  );
}

function viewRoute(app: ZodApp, graph: GraphStore, maxAnalysisLinks: number): void {
  app.post(
    '/view',
    {
      config: READ,
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
      const sub = await graph.subgraph(req.body.filter, { limit });
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
}

function mergeRoutes(app: ZodApp, graph: GraphStore): void {
  const merges = crudRoutes(app, MERGES, { schema: mergeRecordSchema });
  merges.list({
    summary: 'Merges, newest first',
    query: pageQuerySchema,
    item: mergeRecordSchema,
    list: (q) => graph.listMerges(q),
  });
  merges.create({
    summary:
      'Merge two entities that are the same real thing (dropId into keepId); recorded so it can be undone',
    body: mergeBodySchema,
    create: (m, ctx) => graph.merge(m.keepId, m.dropId, ctx),
  });
  merges.remove({
    summary: 'Undo a merge (un-merge)',
    method: 'POST',
    url: '/merges/:id/undo',
    remove: (id, ctx) => graph.unmerge(id, ctx),
  });
}

const graphRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  const { graph } = stores;
  const { maxExpansionNodes, maxAnalysisLinks } = config.limits;
  batchRoute(app, graph);
  entityRoutes(app, graph, maxExpansionNodes);
  linkRoutes(app, graph);
  reportRoutes(app, graph);
  searchRoutes(app, graph, maxExpansionNodes);
  pathRoute(app, graph);
  viewRoute(app, graph, maxAnalysisLinks);
  mergeRoutes(app, graph);
};
export default graphRoutes;
