// CycleStore on Neo4j: (:Target) nodes with the tasking record and (:TargetAction) nodes, joined by
// HAS_ACTION, for the append-only action log. The Cypher is in cypher/queries/target*.cypher. Same rules as the
// SQLite side (server/store/sqlite/cycle.ts), with the same checks (sqlite/validate.ts): validated input, one
// transaction per write, optimistic versions, no data-version move.
import type { WriteContext } from '../../domain/model.ts';
import type {
  Target,
  TargetAction,
  TargetActionInput,
  TargetQuery,
  TargetRecord,
} from '../../domain/target.ts';
import { StoreError, type Page } from '../common.ts';
import type { CycleStore } from '../cycle-store.ts';
import { checkActionable, parseTargetAction, parseTargetRecord } from '../shared/validate.ts';
import type { Neo4jContext } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { toTarget, toTargetAction } from './rows.ts';

const CONSTRAINTS = [
  'CREATE CONSTRAINT target_id IF NOT EXISTS FOR (t:Target) REQUIRE t.id IS UNIQUE',
  'CREATE CONSTRAINT target_action_id IF NOT EXISTS FOR (a:TargetAction) REQUIRE a.id IS UNIQUE',
  'CREATE INDEX target_action_target IF NOT EXISTS FOR (a:TargetAction) ON (a.targetId)',
  'CREATE INDEX target_n IF NOT EXISTS FOR (t:Target) ON (t.n)',
];

/** A target as stored: the record's own fields, its nested records as JSON. */
function targetRow(t: TargetRecord, now: string): Row {
  const { id: _id, analysis, decision, review, ...fields } = t;
  return {
    ...fields,
    analysis: JSON.stringify(analysis),
    decision: decision ? JSON.stringify(decision) : null,
    review: review ? JSON.stringify(review) : null,
    updatedAt: now,
  };
}

async function readTarget(tx: Tx, id: string): Promise<Target | null> {
  const row = await tx.one('target-by-id', { id });
  if (!row) return null;
  const actions = (await tx.run('target-actions-of', { ids: [id] })).map((r) => toTargetAction(r.a as Row));
  return toTarget(row.t as Row, actions);
}

/** Replaces a stored target, if it is still at the version the caller saw. */
async function replaceTarget(tx: Tx, id: string, row: Row, now: string, expectedVersion?: number) {
  const cur = await tx.one('target-lock', { id, now });
  if (!cur) throw new StoreError('not_found', `target ${id} does not exist`, ['id']);
  if (expectedVersion !== undefined && expectedVersion !== cur.version) {
    throw new StoreError(
      'conflict',
      `target ${id} changed since version ${expectedVersion} (now ${cur.version as number}); reload it`,
      ['version'],
    );
  }
  await tx.run('target-update', { id, row });
}

export class Neo4jCycleStore implements CycleStore {
  private ready: Promise<void> | null = null;

  constructor(private readonly c: Neo4jContext) {}

  /** The store's own schema first, then the targets' constraints; retried after a failure. */
  ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      await this.c.ensureReady();
      for (const s of CONSTRAINTS) await this.c.exec.autoCommit(s);
    })().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async saveTarget(
    input: TargetRecord,
    _ctx: WriteContext,
    opts: { expectedVersion?: number } = {},
  ): Promise<Target> {
    const t = parseTargetRecord(input);
    await this.ensureReady();
    return this.c.exec.write(async (tx) => {
      const now = new Date().toISOString();
      const row = targetRow(t, now);
      let id = t.id;
      if (id === undefined) {
        const n = (await tx.one('target-next-n', { name: 'target' }))!.n as number;
        id = `t${n}`;
        await tx.run('target-create', { row: { ...row, id, n, version: 1 } });
      } else {
        await replaceTarget(tx, id, row, now, opts.expectedVersion);
      }
      return (await readTarget(tx, id))!;
    });
  }

  async getTarget(id: string): Promise<Target | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
    await this.ensureReady();
    return this.c.exec.read((tx) => readTarget(tx, id));
  }

  async listTargets(q: TargetQuery = {}): Promise<Page<Target>> {
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const limit = Math.min(1000, Math.max(1, Math.floor(q.limit ?? 100)));
    const where = { status: q.status ?? null, entityId: q.entityId ?? null };
    await this.ensureReady();
    return this.c.exec.read(async (tx) => {
      const total = (await tx.one('targets-count', where))!.c as number;
      const rows = (await tx.run('targets-list', { ...where, offset, limit })).map((r) => r.t as Row);
      const ids = rows.map((r) => r.id as string);
      const actions = new Map<string, TargetAction[]>();
      for (const r of await tx.run('target-actions-of', { ids })) {
        const a = toTargetAction(r.a as Row);
        let list = actions.get(a.targetId);
        if (!list) actions.set(a.targetId, (list = []));
        list.push(a);
      }
      return { items: rows.map((r) => toTarget(r, actions.get(r.id as string) ?? [])), total, offset, limit };
    });
  }

  async appendTargetAction(id: string, input: TargetActionInput, ctx: WriteContext): Promise<Target> {
    const a = parseTargetAction(input);
    await this.ensureReady();
    return this.c.exec.write(async (tx) => {
      const now = new Date().toISOString();
      const cur = typeof id === 'string' && id ? await tx.one('target-lock', { id, now }) : undefined;
      if (!cur) throw new StoreError('not_found', `target ${id} does not exist`, ['id']);
      checkActionable(id, cur.status as string);
      const n = (await tx.one('target-next-n', { name: 'target_action' }))!.n as number;
      const action = { id: `ta${n}`, n, targetId: id, kind: a.kind, date: a.date, outcome: a.outcome };
      await tx.run('target-action-create', { row: { ...action, actor: ctx.actor, recordedAt: now } });
      return (await readTarget(tx, id))!;
    });
  }
}
