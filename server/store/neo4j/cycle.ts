// CycleStore on Neo4j: (:Target) nodes with the tasking record and (:TargetAction) nodes, joined by
// HAS_ACTION, for the append-only action log. The Cypher is in cypher/queries/target*.cypher. Same rules as the
// SQLite side (server/store/sqlite/cycle.ts), with the same checks (sqlite/validate.ts): validated input, one
// transaction per write, optimistic versions, no data-version move.
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
import { TARGET_KEY, listCursor } from '../shared/list-key.ts';
import { writeOperation } from '../workspace-store.ts';
import { checkActionable, parseTargetAction, parseTargetRecord } from '../shared/validate.ts';
import { keyedRows, type Neo4jContext } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { toTarget, toTargetAction } from './rows.ts';

const CONSTRAINTS = [
  'CREATE CONSTRAINT target_id IF NOT EXISTS FOR (t:Target) REQUIRE t.id IS UNIQUE',
  'CREATE CONSTRAINT target_action_id IF NOT EXISTS FOR (a:TargetAction) REQUIRE a.id IS UNIQUE',
  'CREATE INDEX target_action_target IF NOT EXISTS FOR (a:TargetAction) ON (a.targetId)',
  'CREATE INDEX target_n IF NOT EXISTS FOR (t:Target) ON (t.n)',
  'CREATE INDEX target_op IF NOT EXISTS FOR (t:Target) ON (t.op)',
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

/** A target's operation as stored (targets from before operations have none: GENERAL's). */
const opOf = (t: Row): string => (t.op as string | null | undefined) ?? 'op1';

async function readTarget(tx: Tx, id: string, ops: string[] | null): Promise<Target | null> {
  const row = await tx.one('target-by-id', { id });
  if (!row || (ops !== null && !ops.includes(opOf(row.t as Row)))) return null;
  const actions = (await tx.run('target-actions-of', { ids: [id] })).map((r) => toTargetAction(r.a as Row));
  return toTarget(row.t as Row, actions);
}

/** Replaces a stored target, if it is still at the version the caller saw. */
async function replaceTarget(
  tx: Tx,
  id: string,
  row: Row,
  now: string,
  ops: string[] | null,
  expectedVersion?: number,
) {
  const cur = await lockTarget(tx, id, now, ops);
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

/** The target's version and status under a write lock, when it is there and in the scope. */
async function lockTarget(tx: Tx, id: string, now: string, ops: string[] | null): Promise<Row | undefined> {
  if (typeof id !== 'string' || !id) return undefined;
  const cur = await tx.one('target-lock', { id, now });
  return cur && (ops === null || ops.includes((cur.op as string | null | undefined) ?? 'op1'))
    ? cur
    : undefined;
}

export class Neo4jCycleStore implements CycleStore {
  private ready: Promise<void> | null = null;
  /** The scope's operation ids; null: all (the store itself). */
  private readonly ops: string[] | null;

  constructor(
    private readonly c: Neo4jContext,
    scope: ReadScope = 'all',
    /** A scoped store shares the unscoped one's readiness (constraints made once). */
    private readonly base?: Neo4jCycleStore,
  ) {
    this.ops = scope === 'all' ? null : [...scope.operations];
  }

  scoped(scope: ReadScope): CycleStore {
    return scope === 'all' ? this : new Neo4jCycleStore(this.c, scope, this.base ?? this);
  }

  /** The store's own schema first, then the targets' constraints; retried after a failure. */
  ensureReady(): Promise<void> {
    if (this.base) return this.base.ensureReady();
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
    ctx: WriteContext,
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
        await tx.run('target-create', { row: { ...row, id, n, version: 1, op: writeOperation(ctx) } });
      } else {
        await replaceTarget(tx, id, row, now, this.ops, opts.expectedVersion);
      }
      return (await readTarget(tx, id, this.ops))!;
    });
  }

  async getTarget(id: string): Promise<Target | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
    await this.ensureReady();
    return this.c.exec.read((tx) => readTarget(tx, id, this.ops));
  }

  async listTargets(q: TargetQuery = {}): Promise<Page<Target>> {
    const { offset, limit } = this.c.page(q);
    const after = listCursor(q, TARGET_KEY);
    const where = { status: q.status ?? null, entityId: q.entityId ?? null, ops: this.ops };
    await this.ensureReady();
    return this.c.exec.read(async (tx) => {
      const total = (await tx.one('targets-count', where))!.c as number;
      const found = await keyedRows(tx, 'targets', { offset, limit }, after, TARGET_KEY, where);
      const rows = found.rows.map((r) => r.t as Row);
      const ids = rows.map((r) => r.id as string);
      const actions = new Map<string, TargetAction[]>();
      for (const r of await tx.run('target-actions-of', { ids })) {
        const a = toTargetAction(r.a as Row);
        let list = actions.get(a.targetId);
        if (!list) actions.set(a.targetId, (list = []));
        list.push(a);
      }
      const items = rows.map((r) => toTarget(r, actions.get(r.id as string) ?? []));
      return { items, total, offset, limit, next: found.next };
    });
  }

  async appendTargetAction(id: string, input: TargetActionInput, ctx: WriteContext): Promise<Target> {
    const a = parseTargetAction(input);
    await this.ensureReady();
    return this.c.exec.write(async (tx) => {
      const now = new Date().toISOString();
      const cur = await lockTarget(tx, id, now, this.ops);
      if (!cur) throw new StoreError('not_found', `target ${id} does not exist`, ['id']);
      checkActionable(id, cur.status as string);
      const n = (await tx.one('target-next-n', { name: 'target_action' }))!.n as number;
      const action = { id: `ta${n}`, n, targetId: id, kind: a.kind, date: a.date, outcome: a.outcome };
      await tx.run('target-action-create', { row: { ...action, actor: ctx.actor, recordedAt: now } });
      return (await readTarget(tx, id, this.ops))!;
    });
  }
}
