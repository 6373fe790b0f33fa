// Deconfliction on Neo4j: (:DeconflictionNotice) nodes when two operations hold the same subject and their
// steps as (:DeconflictionEvent) nodes; the Cypher is in cypher/queries/deconfliction-*.cypher, the schema at
// the end of cypher/schema.cypher. recordSharedSubjects runs inside the graph write's own transaction (the
// writers call it once the entities have joined the operation), so the notice commits with the write. Same
// rules as the SQLite side (deconfliction-store.ts).
import type { WriteContext } from '../../domain/model.ts';
import type { Operation } from '../../domain/operations.ts';
import { StoreError, type Page } from '../common.ts';
import {
  applyDecision,
  checkDisclose,
  checkTransition,
  decisionEvents,
  noticeDecisionSchema,
  noticeNotFound,
  parseNoticeId,
  type DeconflictionStore,
  type Notice,
  type NoticeAction,
  type NoticeDecision,
  type NoticeEvent,
  type NoticeQuery,
  type NoticeState,
} from '../deconfliction-store.ts';
import { parseOr } from '../shared/validate.ts';
import { NOTICE_KEY } from '../shared/list-key.ts';
import type { Neo4jContext } from './context.ts';
import type { Row, Tx } from './executor.ts';

function toNotice(r: Row): Notice {
  return {
    id: r.id as string,
    entityId: r.entityId as string,
    newOpId: r.newOpId as string,
    heldOpId: r.heldOpId as string,
    state: r.state as NoticeState,
    disclose: r.disclose === true,
    createdAt: r.createdAt as string,
    updatedAt: r.updatedAt as string,
  };
}

const publicId = (v: string | number, prefix: string): string =>
  typeof v === 'number' ? `${prefix}${v}` : v;

/**
 * Inside the caller's write transaction: for each of `entityIds` that also belongs to another operation,
 * one notice for (entity, operationId, that operation), unless the two already have one on it in either
 * direction. Returns the notices made.
 */
export async function recordSharedSubjects(
  tx: Tx,
  operationId: string | number,
  entityIds: ReadonlyArray<string | number>,
  at: string,
  actor = 'system',
): Promise<Notice[]> {
  if (entityIds.length === 0) return [];
  const op = publicId(operationId, 'op');
  const ids = [...new Set(entityIds.map((e) => publicId(e, 'e')))];
  await tx.run('deconfliction-rejoined', { ids, op, at, actor });
  const shared = await tx.run('deconfliction-shared', { ids, op });
  const out: Notice[] = [];
  for (const s of shared) {
    const r = await tx.one('deconfliction-create', { entityId: s.entityId, op, held: s.held, at, actor });
    out.push(toNotice(r!.d as Row));
  }
  return out;
}

/**
 * Inside the caller's write transaction: operation `op` has left entity `entityId` while others keep it, so its
 * notices on the subject not yet resolved are resolved with a `left` step (sqlite/deconfliction.ts's rule).
 */
export async function closeLeftSubject(
  tx: Tx,
  op: string,
  entityId: string,
  at: string,
  actor: string,
): Promise<number> {
  return Number((await tx.one('deconfliction-left', { op, entityId, at, actor }))?.n ?? 0);
}

export class Neo4jDeconflictionStore implements DeconflictionStore {
  constructor(private readonly c: Neo4jContext) {}

  async list(q: NoticeQuery = {}): Promise<Page<Notice>> {
    return this.c.keyedPage(
      'deconfliction',
      q,
      NOTICE_KEY,
      {
        ops: q.operations ? [...q.operations] : null,
        state: q.state ?? null,
        entityId: q.entityId ?? null,
      },
      'd',
      toNotice,
    );
  }

  async get(id: string): Promise<Notice | null> {
    if (parseNoticeId(id) === null) return null;
    return this.c.read(async (tx) => {
      const r = await tx.one('deconfliction-by-id', { id });
      return r ? toNotice(r.d as Row) : null;
    });
  }

  async events(id: string): Promise<NoticeEvent[]> {
    if (parseNoticeId(id) === null) throw noticeNotFound(id);
    return this.c.read(async (tx) => {
      if (!(await tx.one('deconfliction-by-id', { id }))) throw noticeNotFound(id);
      return (await tx.run('deconfliction-events', { id })).map((r) => {
        const v = r.v as Row;
        return {
          noticeId: id,
          actor: v.actor as string,
          at: v.at as string,
          action: v.action as NoticeAction,
          note: (v.note as string | null | undefined) ?? null,
        };
      });
    });
  }

  async decide(id: string, decision: NoticeDecision, ctx: WriteContext): Promise<Notice> {
    const d = parseOr(noticeDecisionSchema, decision, []);
    if (parseNoticeId(id) === null) throw noticeNotFound(id);
    return this.c.write(async (tx) => {
      const r = await tx.one('deconfliction-by-id', { id });
      if (!r) throw noticeNotFound(id);
      const before = toNotice(r.d as Row);
      if (d.state !== undefined) checkTransition(id, before.state, d.state);
      if (d.disclose !== undefined) {
        const ops = new Map(
          (await tx.run('deconfliction-operations', { ids: [before.heldOpId, before.newOpId] })).map((o) => {
            const op = o.o as Operation;
            return [op.id, op];
          }),
        );
        const held = ops.get(before.heldOpId);
        const incoming = ops.get(before.newOpId);
        if (!held || !incoming)
          throw new StoreError('not_found', `an operation of notice ${id} no longer exists`, ['id']);
        checkDisclose(id, ctx.actor, held, incoming);
      }
      const steps = decisionEvents(before, d);
      if (steps.length === 0) return before;
      const at = new Date().toISOString();
      const after = applyDecision(before, d, at);
      await tx.run('deconfliction-decide', {
        id,
        state: after.state,
        disclose: after.disclose,
        at,
        actor: ctx.actor,
        steps,
      });
      return after;
    });
  }

  async unaudited(limit: number): Promise<Notice[]> {
    const n = Math.max(1, Math.min(1000, Math.floor(limit)));
    return this.c.read(async (tx) =>
      (await tx.run('deconfliction-unaudited', { limit: n })).map((r) => toNotice(r.d as Row)),
    );
  }

  async markAudited(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.c.write((tx) => tx.run('deconfliction-mark-audited', { ids: [...ids] }));
  }
}
