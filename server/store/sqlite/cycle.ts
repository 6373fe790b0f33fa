// CycleStore on SQLite: targets (the tasking record: proposal, decision, review) and their append-only
// action log. Kept in their own tables, created idempotently by `init`, so the store's core migrations stay
// untouched. Target writes do not move the data version: they change no graph fact, and moving it would
// throw away every cached analysis.
import type { WriteContext } from '../../domain/model.ts';
import type { ReadScope } from '../../domain/operations.ts';
import type {
  Target,
  TargetAction,
  TargetActionInput,
  TargetQuery,
  TargetRecord,
} from '../../domain/target.ts';
import { StoreError, type Page } from '../common.ts';
import type { CycleStore } from '../cycle-store.ts';
import { writeOperation } from '../workspace-store.ts';
import { opRow, scopeCondition } from './workspace.ts';
import type { Param, SqliteConnection } from './connection.ts';
import { toTarget, toTargetAction, type TargetActionRow, type TargetRow } from './rows.ts';
import { parseTargetId } from '../shared/ids.ts';
import { TARGET_KEY } from '../shared/list-key.ts';
import { checkActionable, parseTargetAction, parseTargetRecord } from '../shared/validate.ts';

/** The tables, made idempotently; migration 12 makes them too (before it gives targets their operation). */
export const CYCLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS targets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity_id TEXT NOT NULL,
  entity_label TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  reason TEXT NOT NULL,
  analysis TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'actioned', 'reviewed')),
  proposed_by TEXT NOT NULL,
  proposed_at TEXT NOT NULL,
  decision TEXT,
  review TEXT,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS targets_status ON targets (status);
CREATE INDEX IF NOT EXISTS targets_entity ON targets (entity_id);
CREATE TABLE IF NOT EXISTS target_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target_id INTEGER NOT NULL REFERENCES targets (id),
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  outcome TEXT NOT NULL,
  actor TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS target_actions_target ON target_actions (target_id);
-- The action log is append-only.
CREATE TRIGGER IF NOT EXISTS target_actions_no_update BEFORE UPDATE ON target_actions
  BEGIN SELECT RAISE(ABORT, 'target actions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS target_actions_no_delete BEFORE DELETE ON target_actions
  BEGIN SELECT RAISE(ABORT, 'target actions are append-only'); END;
`;

const notFound = (id: string): StoreError =>
  new StoreError('not_found', `target ${id} does not exist`, ['id']);

/** A target's columns, named as the INSERT and UPDATE below bind them. */
function targetCols(t: TargetRecord, now: string) {
  return {
    entity_id: t.entityId,
    entity_label: t.entityLabel,
    entity_type: t.entityType,
    reason: t.reason,
    analysis: JSON.stringify(t.analysis),
    status: t.status,
    proposed_by: t.proposedBy,
    proposed_at: t.proposedAt,
    decision: t.decision ? JSON.stringify(t.decision) : null,
    review: t.review ? JSON.stringify(t.review) : null,
    updated_at: now,
  };
}

/**
 * Migration 12: a target belongs to the operation it was proposed in (`op_id`, GENERAL's 1 for those
 * before); its actions follow it. The tables are made first: a file that never had a target has none yet.
 */
export function targetOperations(db: {
  exec(sql: string): unknown;
  prepare(sql: string): { all(): unknown[] };
}): void {
  db.exec(CYCLE_SCHEMA);
  const cols = db.prepare('PRAGMA table_info(targets)').all() as Array<{ name: string }>;
  if (!cols.some((c) => c.name === 'op_id'))
    db.exec('ALTER TABLE targets ADD COLUMN op_id INTEGER NOT NULL DEFAULT 1');
  db.exec('CREATE INDEX IF NOT EXISTS targets_op ON targets (op_id, id)');
}

export class SqliteCycleStore implements CycleStore {
  private readonly inScope: string;
  private readonly scopeParams: Param[];

  constructor(
    private readonly c: SqliteConnection,
    private readonly scope: ReadScope = 'all',
  ) {
    const cond = scopeCondition(scope);
    this.inScope = cond.sql;
    this.scopeParams = [cond.param, cond.param];
  }

  init(): void {
    this.c.db.exec(CYCLE_SCHEMA);
  }

  scoped(scope: ReadScope): CycleStore {
    return scope === 'all' ? this : new SqliteCycleStore(this.c, scope);
  }

  private actionsOf(ids: number[]): Map<number, TargetAction[]> {
    const out = new Map<number, TargetAction[]>();
    if (ids.length === 0) return out;
    const rows = this.c
      .st(
        'SELECT * FROM target_actions WHERE target_id IN (SELECT value FROM json_each(?)) ORDER BY date, id',
      )
      .all(JSON.stringify(ids)) as TargetActionRow[];
    for (const r of rows) {
      let list = out.get(r.target_id);
      if (!list) out.set(r.target_id, (list = []));
      list.push(toTargetAction(r));
    }
    return out;
  }

  private read(n: number): Target | null {
    const row = this.c
      .st(`SELECT * FROM targets WHERE id = ? AND ${this.inScope}`)
      .get(n, ...this.scopeParams) as TargetRow | undefined;
    return row ? toTarget(row, this.actionsOf([n]).get(n) ?? []) : null;
  }

  async saveTarget(
    input: TargetRecord,
    ctx: WriteContext,
    opts: { expectedVersion?: number } = {},
  ): Promise<Target> {
    const t = parseTargetRecord(input);
    const cols = targetCols(t, new Date().toISOString());
    const n = await this.c.writeImmediate((): number => {
      if (t.id === undefined) {
        const r = this.c
          .st(
            `INSERT INTO targets (entity_id, entity_label, entity_type, reason, analysis, status, proposed_by,
               proposed_at, decision, review, version, updated_at, op_id)
             VALUES (@entity_id, @entity_label, @entity_type, @reason, @analysis, @status, @proposed_by,
               @proposed_at, @decision, @review, 1, @updated_at, @op_id)`,
          )
          .run({ ...cols, op_id: opRow(writeOperation(ctx)) });
        return Number(r.lastInsertRowid);
      }
      const n = this.checkVersion(t.id, opts.expectedVersion);
      this.c
        .st(
          `UPDATE targets SET entity_id = @entity_id, entity_label = @entity_label, entity_type = @entity_type,
             reason = @reason, analysis = @analysis, status = @status, proposed_by = @proposed_by,
             proposed_at = @proposed_at, decision = @decision, review = @review, version = version + 1,
             updated_at = @updated_at
           WHERE id = @id`,
        )
        .run({ ...cols, id: n });
      return n;
    });
    return this.read(n)!;
  }

  /** The row id of target `id`, which must exist and, when `expected` is given, be at that version. */
  private checkVersion(id: string, expected: number | undefined): number {
    const n = parseTargetId(id);
    const current =
      n === null
        ? undefined
        : (this.c
            .st(`SELECT version FROM targets WHERE id = ? AND ${this.inScope}`)
            .get(n, ...this.scopeParams) as { version: number } | undefined);
    if (n === null || !current) throw notFound(id);
    if (expected !== undefined && expected !== current.version) {
      throw new StoreError(
        'conflict',
        `target ${id} changed since version ${expected} (now ${current.version}); reload it`,
        ['version'],
      );
    }
    return n;
  }

  async getTarget(id: string): Promise<Target | null> {
    const n = parseTargetId(id);
    return n === null ? null : this.read(n);
  }

  async listTargets(q: TargetQuery = {}): Promise<Page<Target>> {
    const where: string[] = [this.inScope];
    const params: Param[] = [...this.scopeParams];
    if (q.status) {
      where.push('status = ?');
      params.push(q.status);
    }
    if (q.entityId) {
      where.push('entity_id = ?');
      params.push(q.entityId);
    }
    const page = this.c.keyedPageOf(
      q,
      TARGET_KEY,
      { cols: '*', from: 'targets', where: where.join(' AND '), params, keyCol: 'id' },
      (r: TargetRow) => r,
    );
    const actions = this.actionsOf(page.items.map((r) => r.id));
    return { ...page, items: page.items.map((r) => toTarget(r, actions.get(r.id) ?? [])) };
  }

  async appendTargetAction(id: string, input: TargetActionInput, ctx: WriteContext): Promise<Target> {
    const a = parseTargetAction(input);
    const n = parseTargetId(id);
    await this.c.writeImmediate(() => {
      const row =
        n === null
          ? undefined
          : (this.c
              .st(`SELECT status FROM targets WHERE id = ? AND ${this.inScope}`)
              .get(n, ...this.scopeParams) as { status: string } | undefined);
      if (n === null || !row) throw notFound(id);
      checkActionable(id, row.status);
      const now = new Date().toISOString();
      this.c
        .st(
          'INSERT INTO target_actions (target_id, kind, date, outcome, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(n, a.kind, a.date, a.outcome, ctx.actor, now);
      this.c
        .st("UPDATE targets SET status = 'actioned', version = version + 1, updated_at = ? WHERE id = ?")
        .run(now, n);
    });
    return this.read(n!)!;
  }
}
