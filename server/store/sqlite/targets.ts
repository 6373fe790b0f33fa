// Targets in the SQLite store: the tasking record (proposal, decision, review) and its append-only
// action log. Kept in its own tables, created idempotently by `initTargets`, so the store's core
// migrations stay untouched. Target writes do not move the data version: they change no graph fact,
// and moving it would throw away every cached analysis.
import type Database from 'better-sqlite3';
import type { WriteContext } from '../../domain/model.ts';
import {
  targetActionInputSchema,
  targetRecordSchema,
  TRANSITIONS,
  type ActionKind,
  type Target,
  type TargetAction,
  type TargetActionInput,
  type TargetQuery,
  type TargetRecord,
  type TargetStatus,
} from '../../domain/target.ts';
import { StoreError, type Page } from '../graph-store.ts';

const SCHEMA = `
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

interface TargetRow {
  id: number;
  entity_id: string;
  entity_label: string;
  entity_type: string;
  reason: string;
  analysis: string;
  status: string;
  proposed_by: string;
  proposed_at: string;
  decision: string | null;
  review: string | null;
  version: number;
  updated_at: string;
}
interface ActionRow {
  id: number;
  target_id: number;
  kind: string;
  date: string;
  outcome: string;
  actor: string;
  recorded_at: string;
}

const targetId = (n: number): string => `t${n}`;
function parseTargetId(id: string): number | null {
  return typeof id === 'string' && /^t[1-9]\d{0,15}$/.test(id) ? Number(id.slice(1)) : null;
}

function invalid(e: { issues: { path: PropertyKey[]; message: string }[] }, prefix: string): StoreError {
  const first = e.issues[0];
  const path = first.path.filter((p): p is string | number => typeof p !== 'symbol');
  return new StoreError(
    'invalid',
    `${prefix}${path.length ? ` ${path.join('.')}` : ''}: ${first.message}`,
    path,
  );
}

export class SqliteTargets {
  constructor(private readonly db: Database.Database) {}

  init(): void {
    this.db.exec(SCHEMA);
  }

  private actionsOf(ids: number[]): Map<number, TargetAction[]> {
    const out = new Map<number, TargetAction[]>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT * FROM target_actions WHERE target_id IN (SELECT value FROM json_each(?)) ORDER BY date, id`,
      )
      .all(JSON.stringify(ids)) as ActionRow[];
    for (const r of rows) {
      let list = out.get(r.target_id);
      if (!list) out.set(r.target_id, (list = []));
      list.push({
        id: `ta${r.id}`,
        targetId: targetId(r.target_id),
        kind: r.kind as ActionKind,
        date: r.date,
        outcome: r.outcome,
        actor: r.actor,
        recordedAt: r.recorded_at,
      });
    }
    return out;
  }

  private toTarget(r: TargetRow, actions: TargetAction[]): Target {
    return {
      id: targetId(r.id),
      entityId: r.entity_id,
      entityLabel: r.entity_label,
      entityType: r.entity_type as Target['entityType'],
      reason: r.reason,
      analysis: JSON.parse(r.analysis) as Target['analysis'],
      status: r.status as TargetStatus,
      proposedBy: r.proposed_by,
      proposedAt: r.proposed_at,
      decision: r.decision ? (JSON.parse(r.decision) as Target['decision']) : null,
      review: r.review ? (JSON.parse(r.review) as Target['review']) : null,
      actions,
      version: r.version,
      updatedAt: r.updated_at,
    };
  }

  private read(n: number): Target | null {
    const row = this.db.prepare(`SELECT * FROM targets WHERE id = ?`).get(n) as TargetRow | undefined;
    return row ? this.toTarget(row, this.actionsOf([n]).get(n) ?? []) : null;
  }

  save(input: TargetRecord, _ctx: WriteContext, opts: { expectedVersion?: number } = {}): Target {
    const parsed = targetRecordSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error, 'target');
    const t = parsed.data;
    const now = new Date().toISOString();
    const cols = {
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
    const tx = this.db.transaction((): number => {
      if (t.id === undefined) {
        const r = this.db
          .prepare(
            `INSERT INTO targets (entity_id, entity_label, entity_type, reason, analysis, status, proposed_by,
               proposed_at, decision, review, version, updated_at)
             VALUES (@entity_id, @entity_label, @entity_type, @reason, @analysis, @status, @proposed_by,
               @proposed_at, @decision, @review, 1, @updated_at)`,
          )
          .run(cols);
        return Number(r.lastInsertRowid);
      }
      const n = parseTargetId(t.id);
      const current =
        n === null
          ? undefined
          : (this.db.prepare(`SELECT version FROM targets WHERE id = ?`).get(n) as
              { version: number } | undefined);
      if (n === null || !current) throw new StoreError('not_found', `target ${t.id} does not exist`, ['id']);
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== current.version) {
        throw new StoreError(
          'conflict',
          `target ${t.id} changed since version ${opts.expectedVersion} (now ${current.version}); reload it`,
          ['version'],
        );
      }
      this.db
        .prepare(
          `UPDATE targets SET entity_id = @entity_id, entity_label = @entity_label, entity_type = @entity_type,
             reason = @reason, analysis = @analysis, status = @status, proposed_by = @proposed_by,
             proposed_at = @proposed_at, decision = @decision, review = @review, version = version + 1,
             updated_at = @updated_at
           WHERE id = @id`,
        )
        .run({ ...cols, id: n });
      return n;
    });
    return this.read(tx.immediate())!;
  }

  get(id: string): Target | null {
    const n = parseTargetId(id);
    return n === null ? null : this.read(n);
  }

  list(q: TargetQuery = {}): Page<Target> {
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const limit = Math.min(1000, Math.max(1, Math.floor(q.limit ?? 100)));
    const where: string[] = [];
    const params: Record<string, unknown> = { limit, offset };
    if (q.status) {
      where.push('status = @status');
      params.status = q.status;
    }
    if (q.entityId) {
      where.push('entity_id = @entity_id');
      params.entity_id = q.entityId;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS c FROM targets ${w}`).get(params) as { c: number }).c;
    const rows = this.db
      .prepare(`SELECT * FROM targets ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
      .all(params) as TargetRow[];
    const actions = this.actionsOf(rows.map((r) => r.id));
    return { items: rows.map((r) => this.toTarget(r, actions.get(r.id) ?? [])), total, offset, limit };
  }

  appendAction(id: string, input: TargetActionInput, ctx: WriteContext): Target {
    const parsed = targetActionInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error, 'action');
    const a = parsed.data;
    const n = parseTargetId(id);
    const tx = this.db.transaction(() => {
      const row =
        n === null
          ? undefined
          : (this.db.prepare(`SELECT status FROM targets WHERE id = ?`).get(n) as
              { status: string } | undefined);
      if (n === null || !row) throw new StoreError('not_found', `target ${id} does not exist`, ['id']);
      if (!TRANSITIONS.action.includes(row.status as TargetStatus)) {
        throw new StoreError(
          'conflict',
          `target ${id} is ${row.status}: actions can be logged only once it is approved`,
          ['status'],
        );
      }
      const now = new Date().toISOString();
      this.db
        .prepare(
          `INSERT INTO target_actions (target_id, kind, date, outcome, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(n, a.kind, a.date, a.outcome, ctx.actor, now);
      this.db
        .prepare(`UPDATE targets SET status = 'actioned', version = version + 1, updated_at = ? WHERE id = ?`)
        .run(now, n);
    });
    tx.immediate();
    return this.read(n!)!;
  }
}
