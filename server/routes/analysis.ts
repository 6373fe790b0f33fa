// /api/analysis: analysis jobs over a view of the store. Heavy work runs in worker threads
// (server/jobs/job-manager.ts); these routes start, watch, fetch and cancel it.
//   POST   /analysis/jobs              {view, request} -> 202 job status (an identical running job is joined)
//   GET    /analysis/jobs/:id          status: state, progress 0-100, phase
//   GET    /analysis/jobs/:id/events   progress as server-sent events (`status` events; the last is final)
//   GET    /analysis/jobs/:id/result   the result once done (409 while running)
//   DELETE /analysis/jobs/:id          cancel
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Stores } from '../store/stores.ts';
import { ViewCache, viewOptionsSchema } from '../analysis/view.ts';
import { JobManager, type JobManagerOptions } from '../jobs/job-manager.ts';
import { jobRequestSchema, type JobStatus } from '../jobs/job-types.ts';
import { ApiError } from '../api-types/errors.ts';

export interface AnalysisRoutesOptions {
  stores: Stores;
  jobs?: JobManagerOptions;
  /** Most nodes a view may load for analysis. */
  maxViewNodes?: number;
}

const startBodySchema = z.object({
  view: viewOptionsSchema.default({
    filter: {},
    projection: { foldPhones: false, personVia: [], maxSharers: 200 },
    grading: 'ignore',
    directed: false,
  }),
  request: jobRequestSchema,
});
const idParams = z.object({ id: z.string().uuid('job ids are UUIDs') });

const access = { access: 'analysis:run' as const };

const isFinal = (s: JobStatus) => s.state === 'done' || s.state === 'failed' || s.state === 'cancelled';

/**
 * Writes the job's status as server-sent events, now and on every change, and ends the response with the
 * final one. Returns the unsubscribe to call if the client leaves first (null when the job was already over).
 */
function streamStatus(
  manager: JobManager,
  id: string,
  first: JobStatus,
  res: ServerResponse,
): (() => void) | null {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (s: JobStatus) => res.write(`event: status\ndata: ${JSON.stringify(s)}\n\n`);
  send(first);
  if (isFinal(first)) {
    res.end();
    return null;
  }
  const off = manager.subscribe(id, (s) => {
    send(s);
    if (isFinal(s)) {
      off();
      res.end();
    }
  });
  return off;
}

export const analysisRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, opts) => {
  const { graph } = opts.stores;
  const manager = new JobManager(opts.jobs);
  const views = new ViewCache(4);
  app.addHook('onClose', async () => manager.close());

  const find = (id: string): JobStatus => {
    const s = manager.get(id);
    if (!s)
      throw new ApiError(404, 'not_found', `no analysis job ${id} (finished jobs are kept for a while only)`);
    return s;
  };

  app.post(
    '/analysis/jobs',
    {
      config: access,
      schema: {
        tags: ['analysis'],
        summary: 'Start (or join) an analysis job over a view',
        body: startBodySchema,
      },
    },
    async (req, reply) => {
      const { view, request } = req.body;
      const dataVersion = await graph.dataVersion();
      const built = await views.getOrBuild(dataVersion, view, () =>
        graph.subgraph(view.filter, opts.maxViewNodes ? { limit: opts.maxViewNodes } : {}),
      );
      if (built.csr.n === 0)
        throw new ApiError(400, 'invalid', 'the view is empty: widen its filter', { path: ['body', 'view'] });
      const status = manager.start(
        { csr: built.csr, labels: built.labels, dataVersion, viewKey: ViewCache.key(dataVersion, view) },
        request,
      );
      return reply.code(202).send({ ...status, notes: built.notes });
    },
  );

  app.get(
    '/analysis/jobs/:id',
    {
      config: access,
      schema: { tags: ['analysis'], summary: 'Status of an analysis job', params: idParams },
    },
    async (req) => find(req.params.id),
  );

  app.get(
    '/analysis/jobs/:id/result',
    { config: access, schema: { tags: ['analysis'], summary: 'Result of a finished job', params: idParams } },
    async (req) => {
      const s = find(req.params.id);
      if (s.state === 'failed') throw new ApiError(409, 'conflict', `the job failed: ${s.error}`);
      if (s.state === 'cancelled') throw new ApiError(409, 'conflict', 'the job was cancelled');
      if (s.state !== 'done')
        throw new ApiError(409, 'conflict', `the job is ${s.state} (${s.progress}%, ${s.phase})`);
      return { status: s, result: manager.result(req.params.id)!.result };
    },
  );

  app.delete(
    '/analysis/jobs/:id',
    { config: access, schema: { tags: ['analysis'], summary: 'Cancel an analysis job', params: idParams } },
    async (req) => {
      find(req.params.id);
      return manager.cancel(req.params.id)!;
    },
  );

  app.get(
    '/analysis/jobs/:id/events',
    {
      config: access,
      schema: { tags: ['analysis'], summary: 'Progress of a job as server-sent events', params: idParams },
    },
    async (req, reply) => {
      const first = find(req.params.id);
      reply.hijack();
      const off = streamStatus(manager, req.params.id, first, reply.raw);
      if (off) req.raw.on('close', off);
    },
  );
};

export default analysisRoutes;
