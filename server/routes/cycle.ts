// The intelligence cycle over HTTP: priorities (RFG beside network position), targets (propose,
// decide, log actions, review) and the operational review. Every target step is audited under its own
// action (target.propose, target.decide, target.action, target.review) with the target and entity ids.
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../app.ts';
import { errorResponses, idParamsSchema } from '../api-types/common.ts';
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
import { pageSchema } from '../api-types/common.ts';
import { loadGravityScale } from '../cycle/gravity-scale.ts';
import { parseWindow } from '../cycle/review.ts';
import {
  computePriorities,
  computeReview,
  predictRemoval,
  type ReviewRequest,
  type Window,
} from '../cycle/service.ts';
import { decideTarget, proposeTarget, reviewTarget, TransitionError } from '../cycle/targets.ts';
import type { Target } from '../domain/target.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { ApiError } from './errors.ts';
import { writeContext } from './context.ts';

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

function toWindow(w: string | Window, where: string): Window {
  if (typeof w !== 'string') return w;
  try {
    return parseWindow(w);
  } catch (e) {
    throw new ApiError(400, 'invalid', `${where}: ${(e as Error).message}`, { path: ['body', where] });
  }
}

/** A review request from a validated review body (windows as 'FROM..TO' or { from, to }). */
export function reviewRequestFromBody(b: z.output<typeof reviewBodySchema>, where = 'body'): ReviewRequest {
  const win = (w: string | Window, k: 'before' | 'after'): Window => {
    try {
      return toWindow(w, k);
    } catch (e) {
      if (e instanceof ApiError && where !== 'body')
        throw new ApiError(400, 'invalid', `${where}.${e.message}`, { path: ['body', where, k] });
      throw e;
    }
  };
  return {
    before: win(b.before, 'before'),
    after: win(b.after, 'after'),
    targets: b.targets,
    view: b.view,
    riserTypes: b.riserTypes,
    topRisers: b.topRisers,
    listLimit: b.listLimit,
  };
}

async function mustGet(store: GraphStore, id: string): Promise<Target> {
  const t = await store.getTarget(id);
  if (!t) throw new ApiError(404, 'not_found', `no target with id ${JSON.stringify(id)}`);
  return t;
}

const cycle: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  // Read once at start-up: a bad LINKCHART_GRAVITY_SCALE file stops the server with its message.
  const scale = loadGravityScale();
  const tags = ['cycle'];

  app.post(
    '/cycle/priorities',
    {
      config: { access: 'analysis:run' },
      schema: {
        tags,
        summary: 'Priority matrix: RFG harm score beside network position, with the reason for each person',
        body: prioritiesBodySchema,
        response: { 200: prioritiesResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const result = await computePriorities(store, request.body, scale);
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
        tags,
        summary: 'Operational review: the network in two time windows compared, with the predicted effect',
        body: reviewBodySchema,
        response: { 200: reviewResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      auditIds(request, ...request.body.targets);
      const result = await computeReview(store, reviewRequestFromBody(request.body));
      auditIds(request, ...result.risers.map((r) => r.id));
      return result;
    },
  );

  app.get(
    '/targets',
    {
      config: { access: 'targets:propose' },
      schema: {
        tags,
        summary: 'List targets',
        querystring: targetListQuerySchema,
        response: { 200: pageSchema(targetSchema), ...errorResponses },
      },
    },
    async (request) => store.listTargets(request.query),
  );

  app.get(
    '/targets/:id',
    {
      config: { access: 'targets:propose' },
      schema: {
        tags,
        summary: 'A target with its decision, actions and review',
        params: idParamsSchema,
        response: { 200: targetSchema, ...errorResponses },
      },
    },
    async (request) => {
      const t = await mustGet(store, request.params.id);
      auditIds(request, t.entityId);
      return t;
    },
  );

  app.post(
    '/targets',
    {
      config: { access: 'targets:propose', audit: 'target.propose' },
      schema: {
        tags,
        summary: 'Propose a target with the reason and the analysis record behind it',
        body: targetProposeBodySchema,
        response: { 201: targetSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const entity = await store.getEntity(b.entityId);
      if (!entity)
        throw new ApiError(404, 'not_found', `no entity with id ${JSON.stringify(b.entityId)}`, {
          path: ['body', 'entityId'],
        });
      const view = b.analysis.view ?? {};
      const analysis = {
        ...b.analysis,
        view,
        dataVersion: b.analysis.dataVersion ?? (await store.dataVersion()),
        predictedEffect: b.analysis.predictedEffect ?? (await predictRemoval(store, [entity.id], view)),
      };
      const ctx = writeContext(request);
      const record = await run(() =>
        proposeTarget(entity, { reason: b.reason, analysis }, ctx.actor, new Date().toISOString()),
      );
      const saved = await store.saveTarget(record, ctx);
      auditIds(request, saved.id, saved.entityId);
      return reply.code(201).send(saved);
    },
  );

  app.post(
    '/targets/:id/decision',
    {
      config: { access: 'targets:decide', audit: 'target.decide' },
      schema: {
        tags,
        summary: 'A supervisor approves or rejects a proposed target, with a reason',
        params: idParamsSchema,
        body: targetDecisionBodySchema,
        response: { 200: targetSchema, ...errorResponses },
      },
    },
    async (request) => {
      const t = await mustGet(store, request.params.id);
      auditIds(request, t.entityId);
      const ctx = writeContext(request);
      const { version, ...decision } = request.body;
      const next = await run(() => decideTarget(t, decision, ctx.actor, new Date().toISOString()));
      return store.saveTarget(next, ctx, { expectedVersion: version ?? t.version });
    },
  );

  app.post(
    '/targets/:id/actions',
    {
      config: { access: 'targets:propose', audit: 'target.action' },
      schema: {
        tags,
        summary:
          'Log an action (arrest, warrant, seizure, phone disconnection, safeguarding referral) and its outcome',
        params: idParamsSchema,
        body: targetActionBodySchema,
        response: { 201: targetSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const t = await mustGet(store, request.params.id);
      auditIds(request, t.entityId);
      const saved = await store.appendTargetAction(t.id, request.body, writeContext(request));
      return reply.code(201).send(saved);
    },
  );

  app.post(
    '/targets/:id/review',
    {
      config: { access: 'targets:propose', audit: 'target.review' },
      schema: {
        tags,
        summary: 'Record the operational review of an actioned target',
        params: idParamsSchema,
        body: targetReviewBodySchema,
        response: { 200: targetSchema, ...errorResponses },
      },
    },
    async (request) => {
      const t = await mustGet(store, request.params.id);
      auditIds(request, t.entityId);
      const ctx = writeContext(request);
      const { version, ...input } = request.body;
      const next = await run(() => reviewTarget(t, input, ctx.actor, new Date().toISOString()));
      return store.saveTarget(next, ctx, { expectedVersion: version ?? t.version });
    },
  );
};

export default cycle;
