// Drafts: the chart each user is working on, kept on the server as it changes (the web app saves it a few
// seconds after each change), so a reload, a crash or another browser brings it back. One per user: the slot
// is the user, not the browser, because "another browser brings it back" is the point; two windows saving
// over each other are told so (409) rather than silently losing one's work.
//
// A draft is its owner's alone: another user's id answers 404 (not 403: a draft's existence is not theirs to
// learn), whatever their role. Any signed-in user who may read the graph keeps one (a viewer's chart is
// work too); every read and write is audited like a chart's. A body past the request limit is refused with
// 413 naming the limit.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema, okSchema } from '../api-types/common.ts';
import { currentDraftSchema, draftSaveSchema, draftSchema } from '../api-types/drafts.ts';
import type { Draft } from '../domain/model.ts';
import { ApiError, errorHandler } from './errors.ts';
import { actorOf, workspaceContext, type RouteDeps } from './context.ts';
import { notFound } from './crud.ts';

const TAGS = ['drafts'];

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

const drafts: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  const { workspace } = stores;
  const limit = config.limits.bodyBytes;

  // Only this plugin's routes: a draft too large to keep says how large a draft may be.
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return errorHandler(
        new ApiError(
          413,
          'too_large',
          `this chart is too large to keep as a draft: a draft may be at most ${megabytes(limit)} ` +
            `(${limit} bytes, LINKCHART_MAX_BODY_BYTES); remove entities from the chart or save it as a chart file`,
          { path: ['body'] },
        ),
        req,
        reply,
      );
    return errorHandler(err, req, reply);
  });

  /** The draft `id` names when the caller owns it; 404 otherwise (another user's draft as if none). */
  const ownDraft = async (req: FastifyRequest, id: string): Promise<Draft> => {
    const d = await workspace.getDraft(id);
    if (!d || d.owner !== actorOf(req)) throw notFound('draft', id);
    return d;
  };
  const noteId = (req: FastifyRequest, d: Draft | null): void => {
    if (d) req.audit.objectIds.push(d.id);
  };

  app.get(
    '/drafts/current',
    {
      config: { access: 'graph:read', audit: 'read' },
      schema: {
        tags: TAGS,
        summary: 'Your draft: the chart you were working on, or null when you have none',
        response: { 200: currentDraftSchema, ...errorResponses },
      },
    },
    async (req) => {
      const d = await workspace.draftOf(actorOf(req), (await workspaceContext(req)).operationId);
      noteId(req, d);
      return { draft: d };
    },
  );

  app.put(
    '/drafts/current',
    {
      config: { access: 'graph:read', audit: 'change' },
      bodyLimit: limit,
      schema: {
        tags: TAGS,
        summary:
          'Keep the chart you are working on as your draft (replacing the one you had); ' +
          'with baseRevision, 409 when another window has saved since',
        body: draftSaveSchema,
        response: { 200: draftSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { baseRevision, ...input } = req.body;
      const d = await workspace.saveDraft(input, await workspaceContext(req), baseRevision);
      noteId(req, d);
      return d;
    },
  );

  app.get(
    '/drafts/:id',
    {
      config: { access: 'graph:read', audit: 'read' },
      schema: {
        tags: TAGS,
        summary: 'One of your drafts by id (another user’s answers 404)',
        params: idParamsSchema,
        response: { 200: draftSchema, ...errorResponses },
      },
    },
    async (req) => ownDraft(req, req.params.id),
  );

  app.delete(
    '/drafts/:id',
    {
      config: { access: 'graph:read', audit: 'delete' },
      schema: {
        tags: TAGS,
        summary: 'Discard your draft (another user’s answers 404)',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      const d = await ownDraft(req, req.params.id);
      await workspace.deleteDraft(d.id, await workspaceContext(req));
      req.audit.objectIds.push(d.id);
      return { ok: true as const };
    },
  );
};
export default drafts;
