// GET /api/health: is the store reachable, which kind, what it holds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../app.ts';
import { SOFTWARE_VERSION } from '../config.ts';
import { healthSchema } from '../api-types/health.ts';
import { errorResponses } from '../api-types/common.ts';

const health: FastifyPluginAsyncZod<RouteDeps> = async (app, { store, config }) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Server and store status',
        response: { 200: healthSchema, 503: errorResponses[503] },
      },
    },
    async () => {
      const [dataVersion, counts] = await Promise.all([store.dataVersion(), store.counts()]);
      const { maxImportErrors: _unused, ...limits } = config.limits;
      return {
        status: 'ok' as const,
        version: SOFTWARE_VERSION,
        store: { kind: store.kind, dataVersion },
        counts: {
          entities: counts.entities,
          links: counts.links,
          reports: counts.reports,
          annotations: counts.annotations,
          charts: counts.charts,
          entitiesByType: counts.entitiesByType as Record<string, number>,
          linksByType: counts.linksByType as Record<string, number>,
        },
        limits,
      };
    },
  );
};
export default health;
