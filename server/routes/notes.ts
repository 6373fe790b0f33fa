// Annotations (notes, tags, target flags on entities, links and charts) and saved charts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../app.ts';
import { annotationInputSchema, chartInputSchema } from '../domain/model.ts';
import {
  errorResponses,
  idParamsSchema,
  okSchema,
  pageQuerySchema,
  pageSchema,
} from '../api-types/common.ts';
import { annotationListQuerySchema, annotationSchema, chartSchema } from '../api-types/graph.ts';
import { ApiError } from './errors.ts';
import { writeContext } from './context.ts';

const notes: FastifyPluginAsyncZod<RouteDeps> = async (app, { store }) => {
  app.get(
    '/annotations',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['annotations'],
        summary: 'List annotations, optionally on one target (kind and targetId together)',
        querystring: pageQuerySchema.extend(annotationListQuerySchema.shape),
        response: { 200: pageSchema(annotationSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { kind, targetId, offset, limit } = req.query;
      if ((kind === undefined) !== (targetId === undefined)) {
        throw new ApiError(400, 'invalid', 'give kind and targetId together, or neither', {
          path: ['querystring', kind === undefined ? 'kind' : 'targetId'],
        });
      }
      return store.listAnnotations(kind && targetId ? { kind, id: targetId } : undefined, { offset, limit });
    },
  );
  app.post(
    '/annotations',
    {
      config: { access: 'annotations:write' },
      schema: {
        tags: ['annotations'],
        summary: 'Add a note or tags to an entity, link or chart',
        body: annotationInputSchema,
        response: { 201: annotationSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await store.createAnnotation(req.body, writeContext(req))),
  );
  app.patch(
    '/annotations/:id',
    {
      config: { access: 'annotations:write' },
      schema: {
        tags: ['annotations'],
        summary: 'Change an annotation',
        params: idParamsSchema,
        body: annotationInputSchema.partial().strict(),
        response: { 200: annotationSchema, ...errorResponses },
      },
    },
    async (req) => store.updateAnnotation(req.params.id, req.body, writeContext(req)),
  );
  app.delete(
    '/annotations/:id',
    {
      config: { access: 'annotations:write' },
      schema: {
        tags: ['annotations'],
        summary: 'Delete an annotation',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await store.deleteAnnotation(req.params.id, writeContext(req));
      return { ok: true as const };
    },
  );

  app.get(
    '/charts',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['charts'],
        summary: 'Saved charts',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(chartSchema), ...errorResponses },
      },
    },
    async (req) => store.listCharts(req.query),
  );
  app.post(
    '/charts',
    {
      config: { access: 'charts:write' },
      schema: {
        tags: ['charts'],
        summary: 'Save a chart (positions, styling, filters)',
        body: chartInputSchema,
        response: { 201: chartSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await store.saveChart(req.body, writeContext(req))),
  );
  app.get(
    '/charts/:id',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['charts'],
        summary: 'A saved chart',
        params: idParamsSchema,
        response: { 200: chartSchema, ...errorResponses },
      },
    },
    async (req) => {
      const c = await store.getChart(req.params.id);
      if (!c) throw new ApiError(404, 'not_found', `no chart with id ${JSON.stringify(req.params.id)}`);
      return c;
    },
  );
  app.put(
    '/charts/:id',
    {
      config: { access: 'charts:write' },
      schema: {
        tags: ['charts'],
        summary: 'Replace a saved chart',
        params: idParamsSchema,
        body: chartInputSchema,
        response: { 200: chartSchema, ...errorResponses },
      },
    },
    async (req) => {
      if (!(await store.getChart(req.params.id))) {
        throw new ApiError(404, 'not_found', `no chart with id ${JSON.stringify(req.params.id)}`);
      }
      return store.saveChart(req.body, writeContext(req), req.params.id);
    },
  );
  app.delete(
    '/charts/:id',
    {
      config: { access: 'charts:write' },
      schema: {
        tags: ['charts'],
        summary: 'Delete a saved chart',
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await store.deleteChart(req.params.id, writeContext(req));
      return { ok: true as const };
    },
  );
};
export default notes;
