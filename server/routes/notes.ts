// Annotations (notes, tags, target flags on entities, links and charts) and saved charts. Each belongs to
// whoever made it (an annotation's author, a chart's owner): the security plugin refuses anyone else's
// change or delete (server/security/ownership.ts, 403 naming the owner); a supervisor's or admin's is let
// through and its audit record says whose object it was (ownerOverride).
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { annotationInputSchema, chartInputSchema } from '../domain/model.ts';
import { ownerOverride } from '../security/ownership.ts';
import { errorResponses, idParamsSchema, keyedPageQuerySchema, pageSchema } from '../api-types/common.ts';
import { annotationListQuerySchema, annotationSchema, chartSchema } from '../api-types/graph.ts';
import { ApiError } from '../api-types/errors.ts';
import { readScope, writeContext, type RouteDeps } from './context.ts';
import { crudRoutes, notFound, type Kind } from './crud.ts';

const ANNOTATIONS: Kind = {
  path: '/annotations',
  tag: 'annotations',
  what: 'annotation',
  read: 'graph:read',
  write: 'annotations:write',
};
const CHARTS: Kind = {
  path: '/charts',
  tag: 'charts',
  what: 'chart',
  read: 'graph:read',
  write: 'charts:write',
};

/**
 * A PATCH body: the fields of an annotation, each optional and without the defaults a new one gets, so
 * a PATCH carrying only `text` leaves the tags and the target flag as they are.
 */
const shape = annotationInputSchema.shape;
export const annotationPatchSchema = z
  .object({
    target: shape.target.optional(),
    text: shape.text.unwrap().optional(),
    tags: shape.tags.unwrap().optional(),
    target_flag: shape.target_flag.unwrap().optional(),
  })
  .strict();

const notes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const { workspace } = stores;
  // Need-to-know: notes and charts are read, changed and deleted within the request's operations only; one of
  // a closed operation is absent (404) to everyone outside it.
  const ws = async (req: FastifyRequest) => workspace.scoped(await readScope(req, { stores }));

  // After the plugin's ownership check (which refused everyone but the owner and the override roles):
  // a supervisor or admin changing someone else's note or chart is recorded as such.
  app.addHook('preHandler', async (req) => {
    const user = req.user;
    if (!user || !req.audit) return;
    const key = `${req.method} ${req.routeOptions.url}`;
    const id = (req.params as Record<string, string> | undefined)?.id;
    const owner = await ownerOverride(workspace, key, id, user);
    if (owner !== null) req.audit.details.ownerOverride = { owner, by: user.name, role: user.role };
  });

  // Not a plain list: the target is two query fields that come together or not at all.
  app.get(
    '/annotations',
    {
      config: { access: ANNOTATIONS.read },
      schema: {
        tags: ['annotations'],
        summary: 'List annotations, optionally on one target (kind and targetId together)',
        querystring: keyedPageQuerySchema.extend(annotationListQuerySchema.shape),
        response: { 200: pageSchema(annotationSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { kind, targetId, offset, limit, after } = req.query;
      if ((kind === undefined) !== (targetId === undefined)) {
        throw new ApiError(400, 'invalid', 'give kind and targetId together, or neither', {
          path: ['querystring', kind === undefined ? 'kind' : 'targetId'],
        });
      }
      return (await ws(req)).listAnnotations(kind && targetId ? { kind, id: targetId } : undefined, {
        offset,
        limit,
        ...(after === undefined ? {} : { after }),
      });
    },
  );
  const annotations = crudRoutes(app, ANNOTATIONS, {
    schema: annotationSchema,
    get: async (id, req) => (await ws(req)).getAnnotation(id),
  });
  annotations.create({
    summary: 'Add a note or tags to an entity, link or chart',
    body: annotationInputSchema,
    create: async (a, ctx, req) => (await ws(req)).createAnnotation(a, ctx),
  });
  annotations.update({
    summary: 'Change an annotation',
    body: annotationPatchSchema,
    update: async (id, patch, ctx, req) => (await ws(req)).updateAnnotation(id, patch, ctx),
  });
  annotations.remove({
    summary: 'Delete an annotation',
    remove: async (id, ctx, req) => (await ws(req)).deleteAnnotation(id, ctx),
  });

  const charts = crudRoutes(app, CHARTS, {
    schema: chartSchema,
    get: async (id, req) => (await ws(req)).getChart(id),
  });
  charts.list({
    summary: 'Saved charts',
    query: keyedPageQuerySchema,
    item: chartSchema,
    list: async (q, req) => (await ws(req)).listCharts(q),
  });
  charts.create({
    summary: 'Save a chart (positions, styling, filters)',
    body: chartInputSchema,
    create: async (c, ctx, req) => (await ws(req)).saveChart(c, ctx),
  });
  charts.get('A saved chart');
  // Not a plain update: a PUT replaces the whole chart, and only one that exists.
  app.put(
    '/charts/:id',
    {
      config: { access: CHARTS.write },
      schema: {
        tags: ['charts'],
        summary: 'Replace a saved chart',
        params: idParamsSchema,
        body: chartInputSchema,
        response: { 200: chartSchema, ...errorResponses },
      },
    },
    async (req) => {
      const scoped = await ws(req);
      if (!(await scoped.getChart(req.params.id))) throw notFound('chart', req.params.id);
      return scoped.saveChart(req.body, await writeContext(req), req.params.id);
    },
  );
  charts.remove({
    summary: 'Delete a saved chart',
    remove: async (id, ctx, req) => (await ws(req)).deleteChart(id, ctx),
  });
};
export default notes;
