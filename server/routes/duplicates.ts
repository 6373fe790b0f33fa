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
 * The queue as the caller may see it (need-to-know, in the store): a pair is there only when the caller may
 * read every operation its evidence came from and both its records; any other is the 404 of a pair that does
 * not exist, for reading and deciding alike.
 */
type QueueOf = (request: FastifyRequest) => Promise<DuplicateStore>;

function queueOf(queue: DuplicateStore): QueueOf {
  return async (request) => queue.scoped(await readScope(request));
}

async function visibleProposal(queue: DuplicateStore, id: string): Promise<Proposal> {
  const proposal = await queue.getProposal(id);
  if (!proposal) throw notFound('possible duplicate', id);
  return proposal;
}

async function detail(graph: GraphStore, queue: DuplicateStore, id: string): Promise<ProposalDetailOut> {
  const proposal = await visibleProposal(queue, id);
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

function stepRoute(app: ZodApp, q: QueueOf, step: Step): void {
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
      const queue = await q(request);
      await visibleProposal(queue, id);
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

function readRoutes(app: ZodApp, g: GraphOf, q: QueueOf): void {
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
      const query = request.query;
      const page = await (
        await q(request)
      ).listProposals({
        limit: query.limit,
        ...(query.state ? { state: query.state } : {}),
        ...(query.type ? { type: query.type } : {}),
        ...(query.minWeight !== undefined ? { minWeight: query.minWeight } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      const graph = await g(request);
      const ids = page.items.flatMap((p) => [p.aId, p.bId]);
      const labels = new Map((await graph.getEntities([...new Set(ids)])).map((e) => [e.id, e.label]));
      auditIds(request, ...ids);
      return {
        ...page,
        items: page.items.map((p) => ({
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
      const d = await detail(await g(request), await q(request), request.params.id);
      auditIds(request, d.proposal.aId, d.proposal.bId);
      return d;
    },
  );
}

const duplicatesRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const q = queueOf(stores.duplicates);
  const runs = duplicateRunsFor(stores);
  const g = graphOf({ stores });
  readRoutes(app, g, q);

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
      // The scoped queue decides only pairs the caller may see, all in one transaction.
      const res = await (await q(request)).bulk(action, { minWeight, limit, ...(type ? { type } : {}) }, ctx);
      auditIds(request, ...res.done.flatMap((p) => [p.aId, p.bId, p.mergeId]));
      return res;
    },
  );

  for (const step of ['accept', 'reject', 'defer', 'undo'] as const) stepRoute(app, q, step);
};
export default duplicatesRoutes;
