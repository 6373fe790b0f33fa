// /api/deconfliction: notices that two operations hold the same subject, each shown as its reader may see it
// (server/security/deconfliction-view.ts), and the steps the sides take on them.
//   GET  /deconfliction          the notices of the reader's operations (supervisors: force-wide), oldest first
//   GET  /deconfliction/:id      one notice with its steps
//   POST /deconfliction/:id      a step: { state?, disclose?, note? }
// Every call is audited. The desk also writes each new notice to the audit (sweepNotices): notices are made
// inside whatever transaction shared the subject (an import on a worker thread, the command line), where
// the audit chain cannot be extended, so the server sweeps the ones not yet written, before each of these
// calls and every few seconds.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema } from '../api-types/common.ts';
import {
  noticeDecisionSchema,
  noticeDetailSchema,
  noticeListQuerySchema,
  noticePageSchema,
  type NoticeDetailOut,
  type NoticeOut,
} from '../api-types/deconfliction.ts';
import { ApiError } from '../api-types/errors.ts';
import type { Operation, OperationRole } from '../domain/operations.ts';
import {
  canDecideNotice,
  canDiscloseNotice,
  eventsView,
  noticeView,
  type NoticeReader,
} from '../security/deconfliction-view.ts';
import type { Notice } from '../store/deconfliction-store.ts';
import type { Stores } from '../store/stores.ts';
import { requestUser, type RouteDeps } from './context.ts';

const TAGS = ['deconfliction'];
const SWEEP_EVERY_MS = 2_000;
const SWEEP_BATCH = 200;

const noSuchNotice = (id: string) =>
  new ApiError(404, 'not_found', `no deconfliction notice with id ${JSON.stringify(id)}`);

/** Writes every notice not yet in the audit to it, once; one sweep at a time per server. */
export function noticeSweeper(stores: Stores): () => Promise<void> {
  let running: Promise<void> | null = null;
  const sweep = async () => {
    for (;;) {
      const due = await stores.deconfliction.unaudited(SWEEP_BATCH);
      if (due.length === 0) return;
      await stores.security.appendAuditBatch(
        due.map((n) => ({
          actor: 'deconfliction-desk',
          action: 'deconfliction.notice',
          outcome: 'ok' as const,
          objectIds: [n.id, n.entityId, n.newOpId, n.heldOpId],
          details: { state: n.state, createdAt: n.createdAt, newOpId: n.newOpId, heldOpId: n.heldOpId },
        })),
      );
      await stores.deconfliction.markAudited(due.map((n) => n.id));
      if (due.length < SWEEP_BATCH) return;
    }
  };
  return () => {
    running ??= sweep().finally(() => (running = null));
    return running;
  };
}

async function readerOf(request: FastifyRequest, stores: Stores): Promise<NoticeReader> {
  const user = requestUser(request);
  if (!user) throw new ApiError(403, 'forbidden', 'sign in to read deconfliction notices');
  const memberships = new Map<string, OperationRole>(
    (await stores.operations.membershipsOf(user.name)).map((m) => [m.operationId, m.role]),
  );
  return { name: user.name, role: user.role, memberships };
}

/** Each notice with what the reader sees of it; operations and entities read once per call. */
async function views(stores: Stores, reader: NoticeReader, notices: Notice[]): Promise<NoticeOut[]> {
  const ops = new Map<string, Operation | null>();
  const opOf = async (id: string) => {
    if (!ops.has(id)) ops.set(id, await stores.operations.get(id));
    return ops.get(id)!;
  };
  // The force-wide index entry only (id, type, label); the view decides whether the reader sees even that.
  const entities = new Map(
    (await stores.graph.getEntities([...new Set(notices.map((n) => n.entityId))])).map((e) => [
      e.id,
      { id: e.id, type: e.type, label: e.label },
    ]),
  );
  const out: NoticeOut[] = [];
  for (const notice of notices) {
    const held = await opOf(notice.heldOpId);
    const incoming = await opOf(notice.newOpId);
    if (!held || !incoming) continue;
    const v = noticeView(reader, { notice, held, incoming, entity: entities.get(notice.entityId) ?? null });
    if (v) out.push(v);
  }
  return out;
}

async function detail(stores: Stores, reader: NoticeReader, id: string): Promise<NoticeDetailOut> {
  const notice = await stores.deconfliction.get(id);
  const [view] = notice ? await views(stores, reader, [notice]) : [];
  if (!view) throw noSuchNotice(id);
  return { ...view, steps: eventsView(view, reader, await stores.deconfliction.events(id)) };
}

const deconflictionRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  const sweep = noticeSweeper(stores);
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => app.log.error({ err }, 'deconfliction notices could not be audited'));
  }, SWEEP_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await sweep().catch(() => undefined);
  });

  app.get(
    '/deconfliction',
    {
      config: { access: 'graph:read', audit: 'deconfliction.read' },
      schema: {
        tags: TAGS,
        summary:
          "Deconfliction notices of the operations you are a member of (supervisors: the whole force's), oldest first; a closed operation on the other side is named only if its owner disclosed it",
        querystring: noticeListQuerySchema,
        response: { 200: noticePageSchema, ...errorResponses },
      },
    },
    async (request) => {
      await sweep();
      const reader = await readerOf(request, stores);
      const q = request.query;
      const forceWide = reader.role === 'supervisor' || reader.role === 'admin';
      let operations: string[] | undefined = forceWide ? undefined : [...reader.memberships.keys()];
      if (q.operation !== undefined) {
        // Not a member and not a supervisor: the same answer as for no such operation.
        if (!(forceWide ? await stores.operations.get(q.operation) : reader.memberships.has(q.operation)))
          throw new ApiError(
            404,
            'operation_not_found',
            `no operation with id ${JSON.stringify(q.operation)}`,
          );
        operations = [q.operation];
      }
      const page = await stores.deconfliction.list({
        offset: q.offset,
        limit: q.limit,
        ...(q.after === undefined ? {} : { after: q.after }),
        ...(operations ? { operations } : {}),
        ...(q.state ? { state: q.state } : {}),
      });
      return { ...page, items: await views(stores, reader, page.items) };
    },
  );

  app.get(
    '/deconfliction/:id',
    {
      config: { access: 'graph:read', audit: 'deconfliction.read' },
      schema: {
        tags: TAGS,
        summary: 'One deconfliction notice and the steps taken on it',
        params: idParamsSchema,
        response: { 200: noticeDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      await sweep();
      return detail(stores, await readerOf(request, stores), request.params.id);
    },
  );

  app.post(
    '/deconfliction/:id',
    {
      config: { access: 'graph:read', audit: 'deconfliction.decide' },
      schema: {
        tags: TAGS,
        summary:
          'A step on a notice: move it on (new, contacted, resolved), add a note, or (the closed operation’s owner) disclose it to the other side or withdraw that',
        params: idParamsSchema,
        body: noticeDecisionSchema,
        response: { 200: noticeDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const reader = await readerOf(request, stores);
      const id = request.params.id;
      const notice = await stores.deconfliction.get(id);
      const held = notice && (await stores.operations.get(notice.heldOpId));
      const incoming = notice && (await stores.operations.get(notice.newOpId));
      const [view] = notice && held && incoming ? await views(stores, reader, [notice]) : [];
      if (!view || !held || !incoming) throw noSuchNotice(id);
      const body = request.body;
      if ((body.state !== undefined || body.note !== undefined) && !canDecideNotice(reader, held, incoming))
        throw new ApiError(
          403,
          'forbidden',
          'only an owner, supervisor or analyst of either operation, or a supervisor, may work this notice',
        );
      if (body.disclose !== undefined && !canDiscloseNotice(reader, held, incoming))
        throw new ApiError(
          403,
          'forbidden',
          'only the owner of the closed operation may disclose this notice',
        );
      // Only the actor: a step belongs to no working operation.
      await stores.deconfliction.decide(id, body, { actor: reader.name });
      return detail(stores, reader, id);
    },
  );
};
export default deconflictionRoutes;
