// The intelligence cycle over HTTP: priorities (RFG beside network position), targets (propose,
// decide, log actions, review) and the operational review. Every target step is audited under its own
// action (target.propose, target.decide, target.action, target.review) with the target and entity ids.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema, pageSchema } from '../api-types/common.ts';
import {
  prioritiesBodySchema,
  prioritiesResultSchema,
  reviewBodySchema,
  reviewResultSchema,
  targetActionBodySchema,
  targetDecisionBodySchema,
  targetListQuerySchema,
  targetProposeBodySchema,
  targetReviewBodySchema,
  targetSchema,
} from '../api-types/cycle.ts';
import { ApiError } from '../api-types/errors.ts';
import { reviewRequestFromBody } from '../api-types/review-request.ts';
import { loadGravityScale } from '../cycle/gravity-scale.ts';
import type { GravityScale } from '../cycle/rfg.ts';
import { computePriorities, computeReview, predictRemoval } from '../cycle/service.ts';
import { decideTarget, proposeTarget, reviewTarget, TransitionError } from '../cycle/targets.ts';
import type { Target, TargetRecord } from '../domain/target.ts';
import type { CycleStore } from '../store/cycle-store.ts';
import type { GraphStore } from '../store/graph-store.ts';
import type { Permission } from '../security/permissions.ts';
import { graphOf, readScope, writeContext, type GraphOf, type RouteDeps } from './context.ts';
import { notFound, untyped, type ZodApp } from './crud.ts';

const TAGS = ['cycle'];

const TRANSITION_STATUS = { conflict: 409, forbidden: 403, invalid: 400 } as const;

async function run<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof TransitionError) throw new ApiError(TRANSITION_STATUS[e.code], e.code, e.message);
    throw e;
  }
}

/** Adds ids to the audit record when the security plugin is on (request.audit is its per-request record). */
function auditIds(request: FastifyRequest, ...ids: (string | undefined)[]): void {
  const audit = (request as unknown as { audit?: { objectIds: string[] } | null }).audit;
  if (audit) for (const id of ids) if (id) audit.objectIds.push(id);
}

/** The target, if there and about an entity the caller may read (need-to-know): else the same 404. */
async function mustGet(targets: CycleStore, id: string, graph: GraphStore): Promise<Target> {
  const t = await targets.getTarget(id);
  if (!t || !(await graph.getEntities([t.entityId])).length) throw notFound('target', id);
  return t;
}

/** The targets the request may read: those of the operations in its read scope (need-to-know). */
type CycleOf = (request: FastifyRequest) => Promise<CycleStore>;

/** A step of a target's life (decide, review): the pure transition, then a save that refuses a stale version. */
type TargetStep<I> = (t: Target, input: I, actor: string, now: string) => TargetRecord;

/** POST /targets/:id/<step>: load the target, apply the transition, save it against the version read. */
function targetStep<I extends object>(
  app: ZodApp,
  g: GraphOf,
  cycleOf: CycleOf,
  step: {
    url: string;
    access: Permission;
    audit: string;
    summary: string;
    body: z.ZodType<I & { version?: number }>;
    apply: TargetStep<I>;
  },
): void {
  untyped(app).post<{ Params: { id: string } }>(
    step.url,
    {
      config: { access: step.access, audit: step.audit },
      schema: {
        tags: TAGS,
        summary: step.summary,
        params: idParamsSchema,
        body: step.body,
        response: { 200: targetSchema, ...errorResponses },
      },
    },
    async (request) => {
      const targets = await cycleOf(request);
      const t = await mustGet(targets, request.params.id, await g(request));
      auditIds(request, t.entityId);
      const ctx = await writeContext(request);
      const { version, ...input } = request.body as I & { version?: number };
      const next = await run(() => step.apply(t, input as I, ctx.actor, new Date().toISOString()));
      return targets.saveTarget(next, ctx, { expectedVersion: version ?? t.version });
    },
  );
}

/** The priority matrix and the operational review: analyses that read the graph and store nothing. */
function analysisRoutes(app: ZodApp, g: GraphOf, scale: GravityScale): void {
  app.post(
    '/cycle/priorities',
    {
      config: { access: 'analysis:run' },
      schema: {
        tags: TAGS,
        summary: 'Priority matrix: RFG harm score beside network position, with the reason for each person',
        body: prioritiesBodySchema,
        response: { 200: prioritiesResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const result = await computePriorities(
        await g(request, request.body.view.operations),
        request.body,
        scale,
      );
      // Consultation: the audit names who was shown (the audit caps the list).
      auditIds(request, ...result.rows.map((r) => r.entityId));
      return result;
    },
  );

  app.post(
    '/cycle/review',
    {
      config: { access: 'analysis:run' },
      schema: {
        tags: TAGS,
        summary: 'Operational review: the network in two time windows compared, with the predicted effect',
        body: reviewBodySchema,
        response: { 200: reviewResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      auditIds(request, ...request.body.targets);
      const result = await computeReview(
        await g(request, request.body.view.operations),
        reviewRequestFromBody(request.body),
      );
      auditIds(request, ...result.risers.map((r) => r.id));
      return result;
    },
  );
}

/** POST /targets: a proposal, with the analysis behind it completed from the graph where the client left gaps. */
function proposeRoute(app: ZodApp, g: GraphOf, targets: CycleStore): void {
  app.post(
    '/targets',
    {
      config: { access: 'targets:propose', audit: 'target.propose' },
      schema: {
        tags: TAGS,
        summary: 'Propose a target with the reason and the analysis record behind it',
        body: targetProposeBodySchema,
        response: { 201: targetSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const graph = await g(request);
      const entity = await graph.getEntity(b.entityId);
      if (!entity)
        throw new ApiError(404, 'not_found', `no entity with id ${JSON.stringify(b.entityId)}`, {
          path: ['body', 'entityId'],
        });
      const view = b.analysis.view ?? {};
      const analysis = {
        ...b.analysis,
        view,
        dataVersion: b.analysis.dataVersion ?? (await graph.dataVersion()),
        predictedEffect: b.analysis.predictedEffect ?? (await predictRemoval(graph, [entity.id], view)),
      };
      const ctx = await writeContext(request);
      const record = await run(() =>
        proposeTarget(entity, { reason: b.reason, analysis }, ctx.actor, new Date().toISOString()),
      );
      const saved = await targets.saveTarget(record, ctx);
      auditIds(request, saved.id, saved.entityId);
      return reply.code(201).send(saved);
    },
  );
}

/** Targets: list, read, propose, decide, log actions, review. */
function targetRoutes(app: ZodApp, g: GraphOf, cycleOf: CycleOf, targets: CycleStore): void {
  app.get(
    '/targets',
    {
      config: { access: 'targets:propose' },
      schema: {
        tags: TAGS,
        summary: 'List targets',
        querystring: targetListQuerySchema,
        response: { 200: pageSchema(targetSchema), ...errorResponses },
      },
    },
    async (request) => {
      const page = await (await cycleOf(request)).listTargets(request.query);
      // Need-to-know: a target about an entity the caller may not read is not listed.
      const graph = await g(request);
      const seen = new Set(
        (await graph.getEntities([...new Set(page.items.map((t) => t.entityId))])).map((e) => e.id),
      );
      const items = page.items.filter((t) => seen.has(t.entityId));
      return { ...page, items, total: page.total - (page.items.length - items.length) };
    },
  );

  app.get(
    '/targets/:id',
    {
      config: { access: 'targets:propose' },
      schema: {
        tags: TAGS,
        summary: 'A target with its decision, actions and review',
        params: idParamsSchema,
        response: { 200: targetSchema, ...errorResponses },
      },
    },
    async (request) => {
      const t = await mustGet(await cycleOf(request), request.params.id, await g(request));
      auditIds(request, t.entityId);
      return t;
    },
  );

  proposeRoute(app, g, targets);

  targetStep(app, g, cycleOf, {
    url: '/targets/:id/decision',
    access: 'targets:decide',
    audit: 'target.decide',
    summary: 'A supervisor approves or rejects a proposed target, with a reason',
    body: targetDecisionBodySchema,
    apply: decideTarget,
  });

  app.post(
    '/targets/:id/actions',
    {
      config: { access: 'targets:propose', audit: 'target.action' },
      schema: {
        tags: TAGS,
        summary:
          'Log an action (arrest, warrant, seizure, phone disconnection, safeguarding referral) and its outcome',
        params: idParamsSchema,
        body: targetActionBodySchema,
        response: { 201: targetSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scoped = await cycleOf(request);
      const t = await mustGet(scoped, request.params.id, await g(request));
      auditIds(request, t.entityId);
      const saved = await scoped.appendTargetAction(t.id, request.body, await writeContext(request));
      return reply.code(201).send(saved);
    },
  );

  targetStep(app, g, cycleOf, {
    url: '/targets/:id/review',
    access: 'targets:propose',
    audit: 'target.review',
    summary: 'Record the operational review of an actioned target',
    body: targetReviewBodySchema,
    apply: reviewTarget,
  });
}

const cycle: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  // Read once at start-up: a bad LINKCHART_GRAVITY_SCALE file stops the server with its message.
  const scale = loadGravityScale();
  const g = graphOf({ stores });
  analysisRoutes(app, g, scale);
  const cycleOf: CycleOf = async (request) => stores.cycle.scoped(await readScope(request, { stores }));
  targetRoutes(app, g, cycleOf, stores.cycle);
};

export default cycle;
