// Deconfliction on SQLite: the notices that two operations hold the same subject (tables made by migration
// 11) and the steps taken on them. recordSharedSubjects is called by the graph writers inside the write's own
// transaction, on whatever connection writes (the request thread's or an import worker's), so a shared
// subject and its notice are committed together or not at all. The rules are deconfliction-store.ts's.
import type Database from 'better-sqlite3';
import type { WriteContext } from '../../domain/model.ts';
import type { Operation } from '../../domain/operations.ts';
import type { Page } from '../common.ts';
import { StoreError } from '../common.ts';
import {
  applyDecision,
  checkDisclose,
  checkTransition,
  decisionEvents,
  noticeDecisionSchema,
  noticeId,
  noticeNotFound,
  parseNoticeId,
  type DeconflictionStore,
  type Notice,
  type NoticeDecision,
  type NoticeEvent,
  type NoticeAction,
  type NoticeQuery,
  type NoticeState,
} from '../deconfliction-store.ts';
import { entityId, parseId } from '../shared/ids.ts';
import { parseOr } from '../shared/validate.ts';
import { NOTICE_KEY } from '../shared/list-key.ts';
import type { Param, SqliteConnection } from './connection.ts';

interface NoticeRow {
  id: number;
  entity_id: number;
  new_op_id: number;
  held_op_id: number;
  state: NoticeState;
  disclose: number;
  created_at: string;
  updated_at: string;
}

const opId = (n: number): string => `op${n}`;

function toNotice(r: NoticeRow): Notice {
  return {
    id: noticeId(r.id),
    entityId: entityId(r.entity_id),
    newOpId: opId(r.new_op_id),
    heldOpId: opId(r.held_op_id),
    state: r.state,
    disclose: r.disclose === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A row number from a public id (e12, op3) or a row number as the writers hold it. */
function rowNumber(v: string | number, prefix: string): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : null;
  return parseId(v, prefix);
}

type Db = Pick<Database.Database, 'prepare'>;
const dbOf = (x: SqliteConnection | Db): Db => ('db' in x ? x.db : x);

/**
 * Inside the caller's write transaction: for each of `entityIds` that also belongs to another operation,
 * one notice for (entity, operationId, that operation), unless the two operations already have one on it (in
 * either direction: the subject is shared once, whichever side wrote first). Returns the notices made.
 * `entityIds`: public ids (e12) or row numbers; `operationId`: op3 or its row number.
 */
export function recordSharedSubjects(
  tx: SqliteConnection | Db,
  operationId: string | number,
  entityIds: ReadonlyArray<string | number>,
  at: string,
  actor = 'system',
): Notice[] {
  const op = rowNumber(operationId, 'op');
  if (op === null || entityIds.length === 0) return [];
  const ids = [...new Set(entityIds.map((e) => rowNumber(e, 'e')).filter((n): n is number => n !== null))];
  if (ids.length === 0) return [];
  const db = dbOf(tx);
  const shared = db
    .prepare(
      `SELECT eo.entity_id AS e, eo.op_id AS held FROM entity_ops eo
        WHERE eo.entity_id IN (SELECT value FROM json_each(?)) AND eo.op_id <> ?
          AND NOT EXISTS (SELECT 1 FROM deconfliction_notices n WHERE n.entity_id = eo.entity_id
            AND ((n.new_op_id = ? AND n.held_op_id = eo.op_id) OR (n.new_op_id = eo.op_id AND n.held_op_id = ?)))
        ORDER BY eo.entity_id, eo.op_id`,
    )
    .all(JSON.stringify(ids), op, op, op) as Array<{ e: number; held: number }>;
  reopenRejoined(db, op, ids, at, actor);
  if (shared.length === 0) return [];
  const insert = db.prepare(
    `INSERT INTO deconfliction_notices (entity_id, new_op_id, held_op_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?) RETURNING *`,
  );
  const event = db.prepare(
    "INSERT INTO deconfliction_events (notice_id, actor, at, action, note) VALUES (?, ?, ?, 'created', NULL)",
  );
  return shared.map(({ e, held }) => {
    const row = insert.get(e, op, held, at, at) as NoticeRow;
    event.run(row.id, actor, at);
    return toNotice(row);
  });
}

/** The last step on a notice was `left`: the notice was closed by the store, not by the desk. */
const CLOSED_BY_LEAVING = `(SELECT action FROM deconfliction_events v WHERE v.notice_id = n.id
  ORDER BY seq DESC LIMIT 1) = 'left'`;

/**
 * Notices the store closed when `op` left a subject (closeLeftSubject) that `op` now holds again beside the
 * other side: new again, with a `rejoined` step, and due for the audit again (the desk's sweep records them).
 */
function reopenRejoined(db: Db, op: number, ids: number[], at: string, actor: string): void {
  const due = db
    .prepare(
      `SELECT n.id FROM deconfliction_notices n
        WHERE n.entity_id IN (SELECT value FROM json_each(?)) AND n.state = 'resolved'
          AND (n.new_op_id = ? OR n.held_op_id = ?)
          AND EXISTS (SELECT 1 FROM entity_ops eo WHERE eo.entity_id = n.entity_id
            AND eo.op_id = CASE WHEN n.new_op_id = ? THEN n.held_op_id ELSE n.new_op_id END)
          AND ${CLOSED_BY_LEAVING}`,
    )
    .pluck()
    .all(JSON.stringify(ids), op, op, op) as number[];
  for (const n of due) {
    db.prepare(
      "UPDATE deconfliction_notices SET state = 'new', updated_at = ?, audited = 0 WHERE id = ?",
    ).run(at, n);
    db.prepare(
      "INSERT INTO deconfliction_events (notice_id, actor, at, action, note) VALUES (?, ?, ?, 'rejoined', ?)",
    ).run(n, actor, at, `${opId(op)} holds the subject again`);
  }
}

/**
 * Inside the caller's write transaction: operation `op` has left entity `entity` (deleted its part while others
 * keep it), so its notices on that subject that are not yet resolved describe a sharing that has ended. Each is
 * resolved with a `left` step naming the operation (the note is shown only to readers who see both sides, as
 * every step's is). Returns how many.
 */
export function closeLeftSubject(
  tx: SqliteConnection | Db,
  op: number,
  entity: number,
  at: string,
  actor: string,
): number {
  const db = dbOf(tx);
  const open = db
    .prepare(
      `SELECT id FROM deconfliction_notices
        WHERE entity_id = ? AND (new_op_id = ? OR held_op_id = ?) AND state <> 'resolved'`,
    )
    .pluck()
    .all(entity, op, op) as number[];
  for (const n of open) {
    db.prepare("UPDATE deconfliction_notices SET state = 'resolved', updated_at = ? WHERE id = ?").run(at, n);
    db.prepare(
      "INSERT INTO deconfliction_events (notice_id, actor, at, action, note) VALUES (?, ?, ?, 'left', ?)",
    ).run(n, actor, at, `${opId(op)} no longer holds the subject`);
  }
  return open.length;
}

export class SqliteDeconflictionStore implements DeconflictionStore {
  constructor(private readonly c: SqliteConnection) {}

  private row(n: number): NoticeRow | undefined {
    return this.c.st('SELECT * FROM deconfliction_notices WHERE id = ?').get(n) as NoticeRow | undefined;
  }

  async list(q: NoticeQuery = {}): Promise<Page<Notice>> {
    const conds: string[] = [];
    const params: Param[] = [];
    if (q.operations !== undefined) {
      const ops = q.operations.map((o) => rowNumber(o, 'op')).filter((n): n is number => n !== null);
      conds.push(
        '(new_op_id IN (SELECT value FROM json_each(?)) OR held_op_id IN (SELECT value FROM json_each(?)))',
      );
      params.push(JSON.stringify(ops), JSON.stringify(ops));
    }
    if (q.state !== undefined) {
      conds.push('state = ?');
      params.push(q.state);
    }
    if (q.entityId !== undefined) {
      conds.push('entity_id = ?');
      params.push(rowNumber(q.entityId, 'e') ?? 0);
    }
    return this.c.keyedPageOf<NoticeRow, Notice>(
      q,
      NOTICE_KEY,
      { cols: '*', from: 'deconfliction_notices', where: conds.join(' AND ') || '1', params, keyCol: 'id' },
      toNotice,
    );
  }

  async get(id: string): Promise<Notice | null> {
    const n = parseNoticeId(id);
    const r = n === null ? undefined : this.row(n);
    return r ? toNotice(r) : null;
  }

  async events(id: string): Promise<NoticeEvent[]> {
    const n = parseNoticeId(id);
    if (n === null || !this.row(n)) throw noticeNotFound(id);
    const rows = this.c
      .st('SELECT actor, at, action, note FROM deconfliction_events WHERE notice_id = ? ORDER BY seq')
      .all(n) as Array<{ actor: string; at: string; action: NoticeAction; note: string | null }>;
    return rows.map((r) => ({ noticeId: noticeId(n), ...r }));
  }

  async decide(id: string, decision: NoticeDecision, ctx: WriteContext): Promise<Notice> {
    const d = parseOr(noticeDecisionSchema, decision, []);
    const n = parseNoticeId(id);
    if (n === null) throw noticeNotFound(id);
    return this.c.writeImmediate(() => {
      const r = this.row(n);
      if (!r) throw noticeNotFound(id);
      const before = toNotice(r);
      if (d.state !== undefined) checkTransition(id, before.state, d.state);
      if (d.disclose !== undefined)
        checkDisclose(id, ctx.actor, this.operation(r.held_op_id), this.operation(r.new_op_id));
      const steps = decisionEvents(before, d);
      if (steps.length === 0) return before;
      const at = new Date().toISOString();
      const after = applyDecision(before, d, at);
      this.c
        .st('UPDATE deconfliction_notices SET state = ?, disclose = ?, updated_at = ? WHERE id = ?')
        .run(after.state, after.disclose ? 1 : 0, at, n);
      const ev = this.c.st(
        'INSERT INTO deconfliction_events (notice_id, actor, at, action, note) VALUES (?, ?, ?, ?, ?)',
      );
      for (const s of steps) ev.run(n, ctx.actor, at, s.action, s.note);
      return after;
    });
  }

  /** The two sides as the disclose rule needs them (owner and sensitivity). */
  private operation(n: number): Operation {
    const r = this.c.st('SELECT * FROM operations WHERE id = ?').get(n) as
      | {
          ref: string;
          name: string;
          owner: string;
          sensitivity: 'open' | 'closed';
          state: 'active' | 'closed';
          created_at: string;
          updated_at: string;
        }
      | undefined;
    if (!r) throw new StoreError('not_found', `operation ${opId(n)} of this notice no longer exists`, ['id']);
    return {
      id: opId(n),
      ref: r.ref,
      name: r.name,
      owner: r.owner,
      sensitivity: r.sensitivity,
      state: r.state,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async unaudited(limit: number): Promise<Notice[]> {
    const rows = this.c
      .st('SELECT * FROM deconfliction_notices WHERE audited = 0 ORDER BY id LIMIT ?')
      .all(Math.max(1, Math.min(1000, Math.floor(limit)))) as NoticeRow[];
    return rows.map(toNotice);
  }

  async markAudited(ids: readonly string[]): Promise<void> {
    const ns = ids.map(parseNoticeId).filter((n): n is number => n !== null);
    if (ns.length === 0) return;
    await this.c.writeTx(() => {
      this.c
        .st('UPDATE deconfliction_notices SET audited = 1 WHERE id IN (SELECT value FROM json_each(?))')
        .run(JSON.stringify(ns));
    });
  }
}
