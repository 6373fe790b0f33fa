// /api/analysis: analysis jobs over a view of the store. Heavy work runs in worker threads
// (server/jobs/job-manager.ts); these routes start, watch, fetch and cancel it.
//   POST   /analysis/jobs              {view, request} -> 202 job status (the caller's identical job is joined)
//   GET    /analysis/jobs/:id          status: state, progress 0-100, phase
//   GET    /analysis/jobs/:id/events   progress as server-sent events (`status` events; the last is final)
//   GET    /analysis/jobs/:id/result   the result once done (409 while running); ?offset&limit: one page of
//                                      its ranking (scores, or a partition's nodes), with page.total
//   DELETE /analysis/jobs/:id          cancel
// A job belongs to the user who started it: anyone else gets the same 404 as for a job that never existed
// (supervisors and admins may look and cancel; their records name the owner). Another user's identical
// request gets its own job sharing the computation. Each user may hold LINKCHART_MAX_JOBS_PER_USER queued
// or running jobs (429 beyond, with Retry-After); the queue as a whole holds LINKCHART_MAX_QUEUED_JOBS (503).
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Stores } from '../store/stores.ts';
import type { Config } from '../config.ts';
import { ViewCache, viewOptionsSchema, type PackedView } from '../analysis/view.ts';
import { indexOfString } from '../analysis/packed-strings.ts';
import { buildViewOffThread } from '../jobs/view-off-thread.ts';
import { JobLimitError, JobManager, type JobManagerOptions, type JobOwner } from '../jobs/job-manager.ts';
import { JobBoard, type BoardJob } from '../jobs/job-board.ts';
import type { JobStore } from '../store/job-store.ts';
import { resolveJobLimits } from '../jobs/job-limits.ts';
import { jobRequestSchema, type JobStatus } from '../jobs/job-types.ts';
import { labIdNotInView } from '../jobs/lab-request.ts';
import { gdsCanRun, gdsComputation } from '../jobs/gds-analysis.ts';
import { gdsFromLinksFor } from '../jobs/gds-thresholds.ts';
import type { GdsTarget } from '../store/neo4j/gds.ts';
import { windowsJobGraph } from '../jobs/window-views.ts';
import { ApiError } from '../api-types/errors.ts';
import { accessOf, requestUser, scopedFilter, viewScope } from './context.ts';

export interface AnalysisRoutesOptions {
  stores: Stores;
  config?: Config;
  jobs?: JobManagerOptions;
  /** Most links a view may load for analysis (default: the config's maxAnalysisLinks). */
  maxViewLinks?: number;
  /** On Neo4j, whole-store analyses from this many links run in GDS (default: the config's gdsFromLinks). */
  gdsFromLinks?: number;
  /** Where jobs are shared with the other servers (default: the stores'); null keeps them on this server. */
  jobStore?: JobStore | null;
}

const startBodySchema = z.object({
  view: viewOptionsSchema.default({
    filter: {},
    projection: { foldPhones: false, personVia: [], maxSharers: 200 },
    grading: 'ignore',
    directed: false,
  }),
  request: jobRequestSchema,
  /**
   * Limit the view to these entities (the chart's): the analysis then runs over them and every link between
   * them in the filtered view, by the same engine as a whole-view analysis.
   */
  entityIds: z.array(z.string().min(1).max(200)).min(1).max(200_000).optional(),
});
const idParams = z.object({ id: z.string().uuid('job ids are UUIDs') });

/** Most entries one page of a result holds. */
const MAX_PAGE = 100_000;
const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
});

const access = { access: 'analysis:run' as const };

/** Roles that may see and cancel other users' jobs (each such look is audited with the owner's name). */
const OVERSEERS: ReadonlySet<string> = new Set(['supervisor', 'admin']);

/** A view of everything the store holds (its link count is then the store's, read without a scan). */
function isWholeStore(view: z.output<typeof viewOptionsSchema>): boolean {
  const f = view.filter;
  return !f.entityTypes && !f.linkTypes && !f.from && !f.to && !f.minGrading;
}

const isFinal = (s: JobStatus) => s.state === 'done' || s.state === 'failed' || s.state === 'cancelled';

const notFound = (id: string) =>
  new ApiError(404, 'not_found', `no analysis job ${id} (finished jobs are kept for a while only)`);

function ownerOf(req: FastifyRequest): JobOwner & { role: string } {
  const u = requestUser(req);
  return u ? { id: u.id, name: u.name, role: u.role } : { id: 'anonymous', name: 'anonymous', role: '' };
}

/**
 * The job's status as server-sent events, now and on every change, ending with the final one. A stream
 * sent through reply.send (not a hijacked reply), so the security plugin's onSend hook gives it the
 * security headers and writes its audit record before the first byte leaves, as for every other read.
 */
function statusStream(board: JobBoard, job: BoardJob, follow: boolean): PassThrough {
  const first = job.status;
  const out = new PassThrough();
  const send = (s: JobStatus) => out.write(`event: status\ndata: ${JSON.stringify(s)}\n\n`);
  send(first);
  if (isFinal(first) || !follow) {
    out.end();
    return out;
  }
  const off = board.subscribe(job, (s) => {
    if (out.destroyed) return;
    send(s);
    if (isFinal(s)) {
      off();
      out.end();
    }
  });
  // The client left (Fastify destroys the stream when the response closes).
  out.once('close', off);
  return out;
}

export const analysisRoutes: FastifyPluginAsyncZod<AnalysisRoutesOptions> = async (app, opts) => {
  const { stores } = opts;
  const deps = { stores };
  const limits = resolveJobLimits(opts.config?.limits ?? {});
  const manager = new JobManager({
    concurrency: limits.jobWorkers,
    maxJobsPerUser: limits.maxJobsPerUser,
    maxQueued: limits.maxQueuedJobs,
    maxJobMs: limits.maxJobSeconds * 1000,
    ...opts.jobs,
  });
  // Jobs as every server on the store sees them (the manager runs this server's).
  const board = new JobBoard(manager, opts.jobStore === undefined ? stores.jobs : opts.jobStore, {
    keepFinished: opts.jobs?.keepFinished,
    keepFinishedPerUser: opts.jobs?.keepFinishedPerUser,
  });
  const maxViewLinks = opts.maxViewLinks ?? opts.config?.limits.maxAnalysisLinks;
  const gdsFrom = (metric: string) =>
    gdsFromLinksFor(metric, {
      gdsFromLinks: opts.gdsFromLinks ?? opts.config?.limits.gdsFromLinks ?? null,
      ...(opts.config?.limits.gdsFromLinksByMetric
        ? { gdsFromLinksByMetric: opts.config.limits.gdsFromLinksByMetric }
        : {}),
    });
  /**
   * Built views keyed by data version, view options and (for a chart) its entities: packed, as they came
   * from the thread that built them (their strings are decoded only in the job workers).
   */
  const views = new ViewCache<PackedView>(4);
  stores.onReplaced?.(() => {
    views.clear();
    manager.forgetComputations();
  });
  app.addHook('onClose', async () => board.close());

  /**
   * The job `id` if the caller may see it: its owner, or a supervisor/admin (whose record then names the
   * owner). Anyone else gets the 404 a job that never existed gets, so ids cannot be probed.
   */
  const find = async (req: FastifyRequest, id: string): Promise<BoardJob> => {
    const job = await board.get(id);
    if (!job) throw notFound(id);
    const owner = job.owner;
    const me = ownerOf(req);
    if (owner.id !== me.id) {
      if (!OVERSEERS.has(me.role)) throw notFound(id);
      // Need-to-know binds overseers too: another's job over an operation they may not read is not there.
      const { readable } = await accessOf(req, deps);
      if (job.operations.some((op) => !readable.has(op))) throw notFound(id);
      req.audit.details.jobOwner = owner.name;
    }
    return job;
  };

  const refuse = (reply: FastifyReply, e: JobLimitError): never => {
    reply.header('retry-after', String(e.retryAfterSeconds));
    if (e.reason === 'user') throw new ApiError(429, 'too_many_jobs', e.message);
    throw new ApiError(503, 'busy', e.message);
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
      const { request } = req.body;
      // Need-to-know: the view reads the operations it names that the caller may read (else all the caller
      // may read), and names them, so the view and job caches key on the effective scope: two readers with
      // the same scope share a result, others never do.
      const scope = await viewScope(req, deps, req.body.view.filter.operations);
      const view = { ...req.body.view, filter: scopedFilter(req.body.view.filter, scope) };
      const graph = opts.stores.graph.scoped(scope);
      const dataVersion = await graph.dataVersion();
      const ids = req.body.entityIds ? [...new Set(req.body.entityIds)].sort() : null;
      // The chart's entities are part of what the view is, so they are part of its key (as a digest).
      const viewKey =
        ViewCache.key(dataVersion, view) +
        (ids ? `|ids:${createHash('sha256').update(ids.join('\n')).digest('hex')}` : '');
      try {
        // Built only when no identical computation exists, after the caller's job caps are checked (a user
        // at their cap cannot start view builds), and off the request thread.
        let built: PackedView | undefined;
        const { status, notes } = await board.submit(
          ownerOf(req),
          { dataVersion, viewKey, request },
          async () => {
            if (request.kind === 'windows')
              return windowsJobGraph(
                graph,
                view,
                request,
                { dataVersion, viewKey },
                {
                  limit: maxViewLinks,
                  ...(ids ? { only: ids } : {}),
                },
              );
            built = views.get(viewKey);
            // A whole-store view past the crossover goes to GDS without being pulled into the server.
            if (
              !built &&
              !ids &&
              stores.kind === 'neo4j' &&
              isWholeStore(view) &&
              gdsCanRun(request, view).ok
            ) {
              const total = (await graph.listLinks({ limit: 1 })).total;
              const gdsFromLinks = request.kind === 'metric' ? gdsFrom(request.metric) : Infinity;
              if (total >= gdsFromLinks)
                return {
                  remote: gdsComputation(
                    stores as unknown as GdsTarget,
                    request,
                    view,
                    `the store holds ${total} links, past the ${gdsFromLinks} from which Graph Data Science is faster for ${request.kind === 'metric' ? request.metric : request.kind}`,
                  ),
                  dataVersion,
                  viewKey,
                };
            }
            if (!built) {
              const made = await buildViewOffThread(graph, view, {
                limit: maxViewLinks,
                ...(ids ? { only: ids } : {}),
              });
              // On Neo4j a view past the server's bound is analysed where it lies, when GDS computes the
              // request as the server would (server/jobs/gds-analysis.ts).
              const inDb =
                made.truncated && !ids && stores.kind === 'neo4j' ? gdsCanRun(request, view) : null;
              if (inDb?.ok)
                return {
                  remote: gdsComputation(
                    stores as unknown as GdsTarget,
                    request,
                    view,
                    `this view holds more than ${maxViewLinks} links, the most the server loads for analysis`,
                  ),
                  dataVersion,
                  viewKey,
                };
              if (made.truncated)
                throw new ApiError(
                  413,
                  'too_large',
                  `this view holds more than ${maxViewLinks} links, the most an analysis loads ` +
                    '(LINKCHART_MAX_ANALYSIS_LINKS); narrow it with entity or link types, a time window or a minimum grading' +
                    (inDb && !inDb.ok
                      ? ` (on Neo4j, Graph Data Science could not take it: ${inDb.why})`
                      : ''),
                  { path: ['body', 'view'] },
                );
              built = made.view;
              views.set(viewKey, built);
            }
            if (built.n === 0)
              throw new ApiError(
                400,
                'invalid',
                ids
                  ? 'none of these entities is in the view: widen its filter or put entities on the chart'
                  : 'the view is empty: widen its filter',
                { path: ['body', ids ? 'entityIds' : 'view'] },
              );
            if (request.kind === 'lab') {
              const ids = built.ids;
              const missing = labIdNotInView(request, (id) => indexOfString(ids, id) >= 0);
              if (missing)
                throw new ApiError(
                  400,
                  'invalid',
                  `${missing.path.join('.')}: ${missing.what} ${JSON.stringify(missing.id)} is not in this ` +
                    'view (check the id, or widen the view to include it)',
                  { path: ['body', 'request', ...missing.path] },
                );
            }
            return { packed: built, dataVersion, viewKey, notes: built.notes };
          },
          // The operations the job's view read (its effective scope), for overseers' need-to-know.
          scope === 'all' ? [] : scope.operations,
        );
        return reply.code(202).send({ ...status, notes });
      } catch (e) {
        if (e instanceof JobLimitError) return refuse(reply, e);
        throw e;
      }
    },
  );

  app.get(
    '/analysis/jobs/:id',
    {
      config: access,
      schema: { tags: ['analysis'], summary: 'Status of an analysis job', params: idParams },
    },
    async (req) => (await find(req, req.params.id)).status,
  );

  app.get(
    '/analysis/jobs',
    {
      config: access,
      schema: {
        tags: ['analysis'],
        summary: 'My analysis jobs, newest first, whichever server runs them',
      },
    },
    async (req) => ({ jobs: await board.list(ownerOf(req).id) }),
  );

  app.get(
    '/analysis/jobs/:id/result',
    {
      config: access,
      schema: {
        tags: ['analysis'],
        summary: 'Result of a finished job (whole, or one page of its ranking)',
        params: idParams,
        querystring: pageQuery,
      },
    },
    async (req, reply) => {
      const job = await find(req, req.params.id);
      const s = job.status;
      if (s.state === 'failed') throw new ApiError(409, 'conflict', `the job failed: ${s.error}`);
      if (s.state === 'cancelled') throw new ApiError(409, 'conflict', 'the job was cancelled');
      if (s.state !== 'done')
        throw new ApiError(409, 'conflict', `the job is ${s.state} (${s.progress}%, ${s.phase})`);
      const { offset, limit } = req.query;
      const page =
        offset !== undefined || limit !== undefined
          ? { offset: offset ?? 0, limit: limit ?? 1000 }
          : undefined;
      // The answer is the worker's bytes with the status around them, streamed as they are: no entry is
      // decoded, and the whole ranking's bytes are not even copied here.
      const chunks = await board.resultJson(job, page);
      if (!chunks)
        throw new ApiError(
          409,
          'conflict',
          'the result was too large to share and is kept only on the server that ran it; run the analysis again here',
        );
      const body = Readable.from([
        Buffer.from(`{"status":${JSON.stringify(s)},"result":`),
        ...chunks,
        Buffer.from('}'),
      ]);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.delete(
    '/analysis/jobs/:id',
    { config: access, schema: { tags: ['analysis'], summary: 'Cancel an analysis job', params: idParams } },
    async (req) => {
      const job = await find(req, req.params.id);
      const by = ownerOf(req);
      return (await board.cancel(
        job,
        job.owner.id !== by.id ? `cancelled by ${by.name} (${by.role})` : 'cancelled by request',
      ))!;
    },
  );

  app.get(
    '/analysis/jobs/:id/events',
    {
      config: access,
      schema: { tags: ['analysis'], summary: 'Progress of a job as server-sent events', params: idParams },
    },
    async (req, reply) => {
      const job = await find(req, req.params.id);
      reply.type('text/event-stream; charset=utf-8');
      // HEAD gets the headers only: nothing to follow.
      return reply.send(statusStream(board, job, req.method !== 'HEAD'));
    },
  );
};

export default analysisRoutes;
