// Entities, links and intelligence reports (CRUD with provenance and grading), search, neighbourhood
// expansion, paths, views, merges, and batch writes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  LINK_TYPES,
  entityInputSchema,
  linkInputSchema,
  reportInputSchema,
  type Entity,
  type EntityType,
  type Link,
  type WriteContext,
} from '../domain/model.ts';
import type { FactRemoval, GraphStore, WriteBatch } from '../store/graph-store.ts';
import { StoreError } from '../store/common.ts';
import { filtersLinks } from '../store/shared/view-filter.ts';
import {
  errorResponses,
  idParamsSchema,
  keyedPageQuerySchema,
  pageQuerySchema,
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
import { ApiError } from '../api-types/errors.ts';
import type { Limits } from '../config.ts';
import { accessOf, graphOf, writeContext, type GraphOf, type RouteDeps } from './context.ts';
import { crudRoutes, notFound, type Kind, type ZodApp } from './crud.ts';
import { pagesByKey } from '../store/shared/list-key.ts';

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

/**
 * Views take turns: one is built and sent at a time, and the next starts only after the event loop has
 * served whatever came in meanwhile (health probes, other users' clicks). A view's work on the request
 * thread (the store's read, the answer's serialisation) is bounded by the view cap, so no request waits
 * behind more than one view's worth of it. Up to `queue` views wait their turn; past that, 429 with
 * Retry-After (an overload any client can cause, not a server fault to log). Expansions and path searches
 * walk the graph on the read workers, and many small ones at once are their normal use: they are bounded
 * by their caps alone.
 */
export class ViewTurns {
  private busy = false;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly queue: number) {}

  /**
   * Resolves when it is this request's turn. The turn ends when its response has gone or its client has
   * (the response's `close`); a client that leaves while waiting gives up its place.
   */
  take(reply: FastifyReply): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let state: 'waiting' | 'holding' | 'done' = 'waiting';
      const grant = () => {
        if (state !== 'waiting') return this.pass();
        state = 'holding';
        resolve();
      };
      reply.raw.once('close', () => {
        if (state === 'holding') this.pass();
        else if (state === 'waiting') {
          const at = this.waiting.indexOf(grant);
          if (at >= 0) this.waiting.splice(at, 1);
          // Nobody is left to read the answer; 499 (client closed request) keeps it out of the 5xx log.
          reject(new ApiError(499, 'gone', 'the client closed the request while it waited'));
        }
        state = 'done';
      });
      if (!this.busy) {
        this.busy = true;
        grant();
      } else if (this.waiting.length >= this.queue) {
        state = 'done';
        reply.header('retry-after', '1');
        reject(
          new ApiError(
            429,
            'busy',
            `${this.queue} views are already waiting to be built; try again in a moment`,
          ),
        );
      } else this.waiting.push(grant);
    });
  }

  /** Hands the turn on after two turns of the event loop: the second comes after a poll for I/O. */
  private pass(): void {
    setImmediate(() =>
      setImmediate(() => {
        const next = this.waiting.shift();
        if (next) next();
        else this.busy = false;
      }),
    );
  }
}

/** Lets the event loop poll for I/O before going on (between building an answer and serialising it). */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

async function expand(
  graph: GraphStore,
  seeds: string[],
  hops: number,
  requested: number | undefined,
  limits: Pick<Limits, 'maxExpansionNodes' | 'maxViewLinks'>,
  rest: Omit<Parameters<GraphStore['neighbourhood']>[1], 'hops' | 'limit'> = {},
) {
  const cap = limits.maxExpansionNodes;
  const narrow =
    'narrow it with fewer hops, fewer seeds, entity or link types, a time window or a minimum grading';
  const limit = capFor(requested, cap, 'nodes', narrow);
  // The links among the nodes reached are bounded like a view's: the store stops the walk past the cap
  // (in the read worker, on SQLite), so a refused answer is never gathered, copied or redacted here.
  const sub = await graph
    .neighbourhood(seeds, { hops, limit, ...rest, maxLinks: limits.maxViewLinks })
    .catch((e: unknown) => {
      if (e instanceof StoreError && e.code === 'too_large')
        throw new ApiError(
          413,
          'expansion_too_large',
          `this expansion holds more than the interactive cap of ${limits.maxViewLinks} links; ${narrow}, ` +
            `or pass a lower limit`,
        );
      throw e;
    });
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
  await yieldToIo();
  return sub;
}

const BATCH_IDS = { entities: 'entityIds', links: 'linkIds', reports: 'reportIds' } as const;

/** POST of one entity, link or report: a batch of one, so it is matched by natural key like any import. */
function upsertOne<K extends keyof typeof BATCH_IDS>(g: GraphOf, key: K) {
  return async (item: NonNullable<WriteBatch[K]>[number], ctx: WriteContext, req: FastifyRequest) => {
    const res = await (await g(req)).writeBatch({ [key]: [item] }, ctx);
    return { id: res[BATCH_IDS[key]][0], created: res[key].created > 0 };
  };
}

/**
 * A change's context with the operations its writer may read: a shared fact's force-wide parts (an entity's
 * name, a link's weight) change, and a merge goes ahead, only when the writer reads every operation holding it.
 */
async function readingAll(ctx: WriteContext, req: FastifyRequest): Promise<WriteContext> {
  return { ...ctx, readableOperations: [...(await accessOf(req)).readable] };
}

/**
 * The audit record of a delete says what went from which operation (the record already names the operation).
 * The answer is the same { ok: true } whether other operations keep the fact or not: it tells the caller
 * nothing about operations they cannot read.
 */
function noteRemoval(req: FastifyRequest, done: FactRemoval): void {
  const audit = (req as unknown as { audit?: { details: Record<string, unknown> } | null }).audit;
  if (!audit) return;
  audit.details.removed = {
    operationId: done.operationId,
    entities: done.entities,
    links: done.links,
    reports: done.reports,
    events: done.events,
  };
}

const GRAPH_ACCESS = { read: 'graph:read', write: 'graph:write' } as const;
const ENTITIES: Kind = { path: '/entities', tag: 'entities', what: 'entity', ...GRAPH_ACCESS };
const LINKS: Kind = { path: '/links', tag: 'links', what: 'link', ...GRAPH_ACCESS };
const REPORTS: Kind = { path: '/reports', tag: 'reports', what: 'report', ...GRAPH_ACCESS };
const MERGES: Kind = { path: '/merges', tag: 'merges', what: 'merge', ...GRAPH_ACCESS };

const READ = { access: GRAPH_ACCESS.read };
const WRITE = { access: GRAPH_ACCESS.write };

function batchRoute(app: ZodApp, g: GraphOf): void {
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
    async (req) => (await g(req)).writeBatch(req.body, await writeContext(req)),
  );
}

function entityRoutes(app: ZodApp, g: GraphOf, limits: Limits): void {
  const entities = crudRoutes(app, ENTITIES, {
    schema: entityDetailSchema,
    get: async (id, req) => (await g(req)).getEntity(id),
  });
  entities.list({
    summary: 'List entities',
    query: keyedPageQuerySchema.extend(entityListQuerySchema.shape),
    item: entitySchema,
    list: async (q, req) => (await g(req)).listEntities(q),
  });
  entities.upsert({
    summary: 'Create (or match by natural key) an entity',
    body: entityInputSchema,
    upsert: upsertOne(g, 'entities'),
  });
  entities.get('An entity with the reports it rests on and its merged aliases');
  entities.update({
    summary: 'Update an entity (label, properties, review date, attach or detach reports)',
    body: entityPatchSchema,
    update: async (id, patch, ctx, req) => (await g(req)).updateEntity(id, patch, await readingAll(ctx, req)),
  });
  entities.remove({
    summary:
      'Delete an entity from the working operation: what it holds of the entity and its links there; the entity and its links go when no other operation holds it',
    remove: async (id, ctx, req) => noteRemoval(req, await (await g(req)).deleteEntity(id, ctx)),
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
    async (req) => expand(await g(req), [req.params.id], req.query.hops, req.query.limit, limits),
  );
}

function linkRoutes(app: ZodApp, g: GraphOf): void {
  const links = crudRoutes(app, LINKS, {
    schema: linkDetailSchema,
    get: async (id, req) => (await g(req)).getLink(id),
  });
  links.list({
    summary: 'List links, optionally of one type or touching one entity',
    query: pageQuerySchema.extend(linkListQuerySchema.shape),
    item: linkSchema,
    list: async (q, req) => (await g(req)).listLinks(q),
  });
  links.upsert({
    summary: 'Create (or match) a link between two entities named by id or by natural key',
    body: linkInputSchema,
    upsert: upsertOne(g, 'links'),
  });
  links.get('A link with the reports it rests on');
  links.update({
    summary: 'Update a link (weight, first/last seen, properties, reports)',
    body: linkPatchSchema,
    update: async (id, patch, ctx, req) => (await g(req)).updateLink(id, patch, await readingAll(ctx, req)),
  });
  links.remove({
    summary:
      'Delete a link from the working operation (its reports, calls and reads there); the link goes when no other operation holds it',
    remove: async (id, ctx, req) => noteRemoval(req, await (await g(req)).deleteLink(id, ctx)),
  });
}

function reportRoutes(app: ZodApp, g: GraphOf): void {
  const reports = crudRoutes(app, REPORTS, {
    schema: reportSchema,
    get: async (id, req) => (await g(req)).getReport(id),
  });
  reports.list({
    summary: 'List intelligence reports (dueBefore: review date before)',
    query: keyedPageQuerySchema.extend(reportListQuerySchema.shape),
    item: reportSchema,
    list: async (q, req) => (await g(req)).listReports(q),
  });
  reports.upsert({
    summary: 'Record an intelligence report with its 3x5x2 grading',
    body: reportInputSchema,
    upsert: upsertOne(g, 'reports'),
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
    async (req) => {
      const graph = await g(req);
      if (!(await graph.getReport(req.params.id))) throw notFound('report', req.params.id);
      return graph.deleteReport(req.params.id, await writeContext(req));
    },
  );
}

/** Search and expansion from seeds. */
function searchRoutes(app: ZodApp, g: GraphOf, limits: Limits): void {
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
      const hits = await (
        await g(req)
      ).search(req.query.q, {
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
        summary: `Expand from seed entities, 1 to 4 hops, with filters (caps: ${limits.maxExpansionNodes} nodes, ${limits.maxViewLinks} links)`,
        body: neighbourhoodBodySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { seeds, hops, limit, filter, entityTypes } = req.body;
      return expand(await g(req, filter?.operations), seeds, hops, limit, limits, {
        ...(filter ? { filter } : {}),
        ...(entityTypes ? { entityTypes } : {}),
      });
    },
  );
}

function pathRoute(app: ZodApp, g: GraphOf): void {
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
      const graph = await g(req, filter?.operations);
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

/** Entities of the view's types, counted (cheap: one count per type, nothing read). */
async function entitiesOfTypes(graph: GraphStore, types: readonly EntityType[] | undefined): Promise<number> {
  if (!types) return (await graph.listEntities({ limit: 1 })).total;
  let n = 0;
  for (const type of new Set(types)) n += (await graph.listEntities({ type, limit: 1 })).total;
  return n;
}

function viewRoute(app: ZodApp, g: GraphOf, limits: Limits): void {
  const { maxViewLinks: cap, maxAnalysisLinks } = limits;
  // A view's entities are the ends of its links, or, when the filter restricts only entity types, every
  // entity of those types: bounded the same way, at twice the link cap.
  const nodeCap = 2 * cap;
  const turns = new ViewTurns(limits.maxViewQueue);
  const narrow =
    'narrow it with entity or link types, a time window or a minimum grading, or pass a limit to accept ' +
    `a truncated view of at most ${cap} links; for analysis of the whole graph (up to ${maxAnalysisLinks} ` +
    'links) start a job with POST /api/analysis/jobs';
  const tooLarge = (what: string) =>
    new ApiError(413, 'view_too_large', `this view holds more than ${what} (the interactive cap); ${narrow}`);
  app.post(
    '/view',
    {
      config: READ,
      schema: {
        tags: ['graph'],
        summary: `The filtered graph a view is built from (interactive cap: ${cap} links)`,
        description:
          `At most ${cap} links (LINKCHART_MAX_VIEW_LINKS) and ${nodeCap} entities. A larger view is refused ` +
          'with 413 and how to narrow it, unless `limit` accepts a truncated one: then it is cut at `limit` ' +
          'or the cap, whichever is lower, to its first links and the entities at their ends, and says ' +
          'truncated. Analysis of the whole graph goes through the job API.',
        body: viewBodySchema,
        response: { 200: subgraphSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      // A limit says a truncated view will do: it is served, at most at the cap.
      const requested = req.body.limit === undefined ? undefined : Math.min(req.body.limit, cap);
      const graph = await g(req, req.body.filter.operations);
      await turns.take(reply);
      let filter = req.body.filter;
      // Without a link filter the view holds every entity of its types: counted first, so a view that
      // would hold too many is refused before anything is read, and a truncated one is cut to its links.
      let cut = false;
      if (!filtersLinks(filter) && (await entitiesOfTypes(graph, filter.entityTypes)) > nodeCap) {
        if (requested === undefined) throw tooLarge(`${nodeCap} entities`);
        filter = { ...filter, linkTypes: [...LINK_TYPES] };
        cut = true;
      }
      // The store stops at the cap: a refused view never holds more than that.
      const sub = await graph.subgraph(filter, { limit: requested ?? cap });
      if (requested === undefined && (sub.truncated || sub.nodes.length > nodeCap)) {
        throw tooLarge(sub.truncated ? `${cap} links` : `${nodeCap} entities`);
      }
      // The answer is serialised after the event loop has had a turn: the read and the writing of a view
      // are two pieces of work on the request thread, never one twice as long.
      await yieldToIo();
      return cut ? { ...sub, truncated: true } : sub;
    },
  );
}

/** Whether the caller's scoped store lists the merge (merges are few: a page at a time, newest first). */
async function mergeVisible(graph: GraphStore, id: string): Promise<boolean> {
  for await (const page of pagesByKey((after) => graph.listMerges({ limit: 500, after })))
    if (page.items.some((m) => m.id === id)) return true;
  return false;
}

function mergeRoutes(app: ZodApp, g: GraphOf): void {
  const merges = crudRoutes(app, MERGES, { schema: mergeRecordSchema });
  merges.list({
    summary: 'Merges, newest first',
    query: keyedPageQuerySchema,
    item: mergeRecordSchema,
    list: async (q, req) => (await g(req)).listMerges(q),
  });
  merges.create({
    summary:
      'Merge two entities that are the same real thing (dropId into keepId); recorded so it can be undone',
    body: mergeBodySchema,
    create: async (m, ctx, req) => {
      const graph = await g(req);
      // Both records must be there for the caller (need-to-know): a hidden one is the 404 of a missing one.
      for (const id of [m.keepId, m.dropId]) if (!(await graph.getEntity(id))) throw notFound('entity', id);
      return graph.merge(m.keepId, m.dropId, await readingAll(ctx, req));
    },
  });
  merges.remove({
    summary: 'Undo a merge (un-merge)',
    method: 'POST',
    url: '/merges/:id/undo',
    remove: async (id, ctx, req) => {
      const graph = await g(req);
      if (!(await mergeVisible(graph, id))) throw notFound('merge', id);
      await graph.unmerge(id, ctx);
    },
  });
}

const graphRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  // Every read and write below goes through the store as the request may read it (need-to-know).
  const g = graphOf({ stores });
  batchRoute(app, g);
  entityRoutes(app, g, config.limits);
  linkRoutes(app, g);
  reportRoutes(app, g);
  searchRoutes(app, g, config.limits);
  pathRoute(app, g);
  viewRoute(app, g, config.limits);
  mergeRoutes(app, g);
};
export default graphRoutes;
