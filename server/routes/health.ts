// GET /api/health: is the store reachable; and, for a signed-in user only, which kind, what it holds and
// the limits in force. A caller who is not signed in learns that the service is up and nothing else: the
// counts by type, the data version (which moves with every write) and the software version would tell an
// outsider what the store holds and when it changes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from './context.ts';
import { SOFTWARE_VERSION } from '../config.ts';
import { healthResponseSchema } from '../api-types/health.ts';
import { errorResponses } from '../api-types/common.ts';
import type { StoreCounts } from '../store/common.ts';

const health: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  // Counting 150k rows takes 30-90 ms, too slow for a health probe during a big analysis. Every write
  // that changes a count also changes the data version (one row read), so counts are kept for the
  // version they were taken at; concurrent probes at the same version share one count.
  let cached: { dataVersion: number; counts: Promise<StoreCounts> } | null = null;
  const countsAt = (dataVersion: number): Promise<StoreCounts> => {
    if (cached?.dataVersion !== dataVersion) {
      const counts = stores.counts();
      cached = { dataVersion, counts };
      // A failed count is not kept: the next probe tries again.
      counts.catch(() => {
        if (cached?.counts === counts) cached = null;
      });
    }
    return cached.counts;
  };
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Server and store status (store, counts and limits for signed-in users only)',
        response: { 200: healthResponseSchema, 503: errorResponses[503] },
      },
    },
    async (request) => {
      // The store is asked either way: "up" means it answers. Unscoped (scope 'all'): a system probe that
      // shows no fact, only whether the store answers and how much it holds.
      const dataVersion = await stores.graph.dataVersion();
      if (!request.user) return { status: 'ok' as const };
      const counts = await countsAt(dataVersion);
      const { maxImportErrors: _unused, ...limits } = config.limits;
      return {
        status: 'ok' as const,
        version: SOFTWARE_VERSION,
        store: { kind: stores.kind, dataVersion },
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
