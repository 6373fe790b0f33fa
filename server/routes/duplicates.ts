// /api/duplicates: the review queue of likely duplicates. Analysts run the search, accept (the two records
// merged, undoably), reject (remembered until the evidence changes), put off for later or undo; viewers read.
//   GET  /duplicates                 the queue, highest score first (state, type, minWeight, cursor)
//   GET  /duplicates/:id             one pair with both records side by side (attributes, links, reports)
//   POST /duplicates/runs            run the resolver (what the request reads, or pairs touching some entities
//                                    of it) in a worker; store its pairs
//   POST /duplicates/:id/accept      merge the pair      /reject   /defer   /undo
//   POST /duplicates/bulk            accept or reject every waiting pair above a score
// Every step is audited under its own action with the pair's record ids.
import type { FastifyRequest } from 'fastify';
import type { EntityType, WriteContext } from '../domain/model.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema } from '../api-types/common.ts';
import {
  acceptBodySchema,
  bulkBodySchema,
  bulkResultSchema,
  proposalDetailSchema,
  proposalListQuerySchema,
  proposalPageSchema,
  proposalSchema,
  runBodySchema,
  runResultSchema,
  type ProposalDetailOut,
  type SideOut,
} from '../api-types/duplicates.ts';
import { duplicateRunsFor } from '../dedupe/queue-run.ts';
import type { DuplicateStore, Proposal } from '../store/duplicates-store.ts';
import { StoreError } from '../store/common.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { graphOf, readScope, writeContext, type GraphOf, type RouteDeps } from './context.ts';
import { notFound, type ZodApp } from './crud.ts';

const TAGS = ['duplicates'];
const READ = 'graph:read' as const;
const WRITE = 'graph:write' as const;
/** Links shown for each record of a pair. */
const SIDE_LINKS = 100;

/** Adds ids to the audit record when the security plugin is on (request.audit is its per-request record). */
function auditIds(request: FastifyRequest, ...ids: (string | null | undefined)[]): void {
  const audit = (request as unknown as { audit?: { objectIds: string[] } | null }).audit;
  if (audit) for (const id of ids) if (id) audit.objectIds.push(id);
}

async function side(graph: GraphStore, id: string): Promise<SideOut> {
  const entity = await graph.getEntity(id);
  if (!entity) return { entity: null, links: [], moreLinks: 0 };
  const page = await graph.listLinks({ entityId: id, limit: SIDE_LINKS });
  const others = await graph.getEntities([
    ...new Set(page.items.map((l) => (l.from === id ? l.to : l.from))),
  ]);
  const byId = new Map(others.map((o) => [o.id, o]));
  const links = page.items.flatMap((l) => {
    const o = byId.get(l.from === id ? l.to : l.from);
    return o
      ? [
          {
            id: l.id,
            type: l.type,
            otherId: o.id,
            otherLabel: o.label,
            otherType: o.type,
            firstSeen: l.firstSeen,
            lastSeen: l.lastSeen,
            weight: l.weight,
          },
        ]
      : [];
  });
  return { entity, links, moreLinks: Math.max(0, page.total - page.items.length) };
}

/**
 * Need-to-know: a pair is there for the caller only when they may read each of its records that still
 * exists (a record merged away by an accepted pair exists no more; the pair is still there to undo).
 * `all` is the unscoped store, asked only which records exist, never for what they hold.
 */
async function bothVisible(
  graph: GraphStore,
  all: GraphStore,
  p: Pick<Proposal, 'aId' | 'bId'>,
): Promise<boolean> {
  const ids = [...new Set([p.aId, p.bId])];
  const [exist, seen] = await Promise.all([all.getEntities(ids), graph.getEntities(ids)]);
  return exist.length > 0 && seen.length === exist.length;
}

/** The pair, when the caller may see both its records; else the 404 of a pair that does not exist. */
async function visibleProposal(
  graph: GraphStore,
  all: GraphStore,
  queue: DuplicateStore,
  id: string,
): Promise<Proposal> {
  const proposal = await queue.getProposal(id);
  if (!proposal || !(await bothVisible(graph, all, proposal))) throw notFound('possible duplicate', id);
  return proposal;
}

async function detail(
  graph: GraphStore,
  all: GraphStore,
  queue: DuplicateStore,
  id: string,
): Promise<ProposalDetailOut> {
  const proposal = await visibleProposal(graph, all, queue, id);
  const [a, b, decisions] = await Promise.all([
    side(graph, proposal.aId),
    side(graph, proposal.bId),
    queue.listDecisions(id),
  ]);
  return {
    proposal,
    a,
    b,
    decisions: decisions.map((d) => ({ action: d.action, actor: d.actor, at: d.at, mergeId: d.mergeId })),
  };
}

type Step = 'accept' | 'reject' | 'defer' | 'undo';
const STEP_SUMMARY: Record<Step, string> = {
  accept:
    'Accept: the two records are one subject; merge them (keepId, or the older record, is kept). Undoable',
  reject:
    'Reject: the two records are different subjects; the pair is not proposed again unless its evidence changes',
  defer: 'Put off for later: the pair leaves the waiting list and stays under "later"',
  undo: 'Undo the decision: an accepted pair is unmerged (both records as they were) and waits again',
};

function stepRoute(app: ZodApp, g: GraphOf, all: GraphStore, queue: DuplicateStore, step: Step): void {
  app.post(
    `/duplicates/:id/${step}`,
    {
      config: { access: WRITE, audit: `duplicates.${step}` },
      schema: {
        tags: TAGS,
        summary: STEP_SUMMARY[step],
        params: idParamsSchema,
        ...(step === 'accept' ? { body: acceptBodySchema } : {}),
        response: { 200: proposalSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = request.params.id;
      await visibleProposal(await g(request), all, queue, id);
      const ctx = await writeContext(request);
      const body = (request.body ?? {}) as { keepId?: string };
      const p: Proposal =
        step === 'accept'
          ? await queue.accept(id, ctx, body.keepId ? { keepId: body.keepId } : {})
          : step === 'reject'
            ? await queue.reject(id, ctx)
            : step === 'defer'
              ? await queue.defer(id, ctx)
              : await queue.undo(id, ctx);
      auditIds(request, p.aId, p.bId, p.mergeId);
      return p;
    },
  );
}

function readRoutes(app: ZodApp, g: GraphOf, all: GraphStore, queue: DuplicateStore): void {
  app.get(
    '/duplicates',
    {
      config: { access: READ },
      schema: {
        tags: TAGS,
        summary:
          'Possible duplicates, highest score first; pairs one of whose records has been merged away are left out',
        querystring: proposalListQuerySchema,
        response: { 200: proposalPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await queue.listProposals({
        limit: q.limit,
        ...(q.state ? { state: q.state } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.minWeight !== undefined ? { minWeight: q.minWeight } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      const graph = await g(request);
      const pairIds = page.items.flatMap((p) => [p.aId, p.bId]);
      const labels = new Map((await graph.getEntities([...new Set(pairIds)])).map((e) => [e.id, e.label]));
      // Need-to-know: a pair is listed only when the caller may read both its records.
      const exist = new Set((await all.getEntities([...new Set(pairIds)])).map((e) => e.id));
      const shown = page.items.filter((p) => {
        const sides = [p.aId, p.bId].filter((x) => exist.has(x));
        return sides.length > 0 && sides.every((x) => labels.has(x));
      });
      const ids = shown.flatMap((p) => [p.aId, p.bId]);
      auditIds(request, ...ids);
      return {
        ...page,
        total: page.total - (page.items.length - shown.length),
        items: shown.map((p) => ({
          ...p,
          aLabel: labels.get(p.aId) ?? null,
          bLabel: labels.get(p.bId) ?? null,
        })),
      };
    },
  );
  app.get(
    '/duplicates/:id',
    {
      config: { access: READ },
      schema: {
        tags: TAGS,
        summary: 'One possible duplicate with both records side by side: attributes, links and reports',
        params: idParamsSchema,
        response: { 200: proposalDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const d = await detail(await g(request), all, queue, request.params.id);
      auditIds(request, d.proposal.aId, d.proposal.bId);
      return d;
    },
  );
}

/**
 * Bulk accept or reject over the waiting pairs the caller may see (both records readable), highest first:
 * the store's bulk step would also decide pairs of operations the caller may not read. Each pair is decided
 * in its own transaction; one that fails (merged away meanwhile) is skipped with the reason.
 */
async function bulkVisible(
  graph: GraphStore,
  queue: DuplicateStore,
  action: 'accept' | 'reject',
  filter: { minWeight: number; limit: number; type?: EntityType | undefined },
  ctx: WriteContext,
): Promise<{ done: Proposal[]; skipped: Array<{ id: string; reason: string }> }> {
  const picked: Proposal[] = [];
  let cursor: string | undefined;
  // Bounded: pages of the waiting list until `limit` visible pairs, or at most 20 pages looked at.
  for (let pages = 0; pages < 20 && picked.length < filter.limit; pages++) {
    const page = await queue.listProposals({
      state: 'new',
      minWeight: filter.minWeight,
      limit: 200,
      ...(filter.type ? { type: filter.type } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const seen = new Set(
      (await graph.getEntities([...new Set(page.items.flatMap((p) => [p.aId, p.bId]))])).map((e) => e.id),
    );
    for (const p of page.items)
      if (picked.length < filter.limit && seen.has(p.aId) && seen.has(p.bId)) picked.push(p);
    if (!page.next) break;
    cursor = page.next;
  }
  const done: Proposal[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  for (const p of picked) {
    try {
      done.push(action === 'accept' ? await queue.accept(p.id, ctx) : await queue.reject(p.id, ctx));
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      skipped.push({ id: p.id, reason: e.message });
    }
  }
  return { done, skipped };
}

const duplicatesRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const queue = stores.duplicates;
  const runs = duplicateRunsFor(stores);
  const g = graphOf({ stores });
  // The unscoped store answers only whether a pair's records still exist (see bothVisible).
  const all = stores.graph;
  readRoutes(app, g, all, queue);

  app.post(
    '/duplicates/runs',
    {
      config: { access: WRITE, audit: 'duplicates.run' },
      schema: {
        tags: TAGS,
        summary:
          'Look for likely duplicates among the records of the working operations (or pairs touching entityIds) in a worker thread and add them to the queue',
        body: runBodySchema,
        response: { 200: runResultSchema, ...errorResponses },
      },
    },
    // The run reads what the request reads (its working operations): an outsider's run never pairs a
    // closed operation's record, and its counts are of what they may see.
    async (request) => runs.run(request.body, await writeContext(request), await readScope(request)),
  );

  app.post(
    '/duplicates/bulk',
    {
      config: { access: WRITE, audit: 'duplicates.bulk' },
      schema: {
        tags: TAGS,
        summary: 'Accept or reject, in one step, every waiting pair at or above a score (at most 200)',
        body: bulkBodySchema,
        response: { 200: bulkResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { action, minWeight, type, limit } = request.body;
      const ctx = await writeContext(request);
      const res = await bulkVisible(await g(request), queue, action, { minWeight, limit, type }, ctx);
      auditIds(request, ...res.done.flatMap((p) => [p.aId, p.bId, p.mergeId]));
      return res;
    },
  );

  for (const step of ['accept', 'reject', 'defer', 'undo'] as const) stepRoute(app, g, all, queue, step);
};
export default duplicatesRoutes;
