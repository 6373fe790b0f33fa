// Targets in the Neo4j store: (:Target) nodes with the tasking record and (:TargetAction) nodes, joined
// by HAS_ACTION, for the append-only action log. The Cypher is in cypher/queries/target*.cypher. Same
// rules as the SQLite side (server/store/sqlite/targets.ts): validated input, one transaction per
// write, optimistic versions, no data-version move.
import type { WriteContext } from '../../domain/model.ts';
import {
  targetActionInputSchema,
  targetRecordSchema,
  TRANSITIONS,
  type Target,
  type TargetAction,
  type TargetActionInput,
  type TargetQuery,
  type TargetRecord,
  type TargetStatus,
} from '../../domain/target.ts';
import { StoreError, type Page } from '../graph-store.ts';
import type { Executor, Row, Tx } from './executor.ts';

const CONSTRAINTS = [
  'CREATE CONSTRAINT target_id IF NOT EXISTS FOR (t:Target) REQUIRE t.id IS UNIQUE',
  'CREATE CONSTRAINT target_action_id IF NOT EXISTS FOR (a:TargetAction) REQUIRE a.id IS UNIQUE',
  'CREATE INDEX target_action_target IF NOT EXISTS FOR (a:TargetAction) ON (a.targetId)',
  'CREATE INDEX target_n IF NOT EXISTS FOR (t:Target) ON (t.n)',
];

function invalid(e: { issues: { path: PropertyKey[]; message: string }[] }, prefix: string): StoreError {
  const first = e.issues[0];
  const path = first.path.filter((p): p is string | number => typeof p !== 'symbol');
  return new StoreError(
    'invalid',
    `${prefix}${path.length ? ` ${path.join('.')}` : ''}: ${first.message}`,
    path,
  );
}

const json = (s: unknown): unknown => (typeof s === 'string' ? JSON.parse(s) : null);

function toAction(r: Row): TargetAction {
  return {
    id: r.id as string,
    targetId: r.targetId as string,
    kind: r.kind as TargetAction['kind'],
    date: r.date as string,
    outcome: (r.outcome as string) ?? '',
    actor: r.actor as string,
    recordedAt: r.recordedAt as string,
  };
}

function toTarget(r: Row, actions: TargetAction[]): Target {
  return {
    id: r.id as string,
    entityId: r.entityId as string,
    entityLabel: r.entityLabel as string,
    entityType: r.entityType as Target['entityType'],
    reason: r.reason as string,
    analysis: json(r.analysis) as Target['analysis'],
    status: r.status as TargetStatus,
    proposedBy: r.proposedBy as string,
    proposedAt: r.proposedAt as string,
    decision: (json(r.decision) as Target['decision']) ?? null,
    review: (json(r.review) as Target['review']) ?? null,
    actions,
    version: r.version as number,
    updatedAt: r.updatedAt as string,
  };
}

export class Neo4jTargets {
  private ready: Promise<void> | null = null;

  constructor(
    private readonly exec: Executor,
    /** The store's own readiness (schema, meta), awaited first. */
    private readonly storeReady: () => Promise<void>,
  ) {}

  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      await this.storeReady();
      for (const c of CONSTRAINTS) await this.exec.autoCommit(c);
    })().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async init(): Promise<void> {
    await this.ensure();
  }

  private async readIn(tx: Tx, id: string): Promise<Target | null> {
    const row = await tx.one('target-by-id', { id });
    if (!row) return null;
    const actions = (await tx.run('target-actions-of', { ids: [id] })).map((r) => toAction(r.a as Row));
    return toTarget(row.t as Row, actions);
  }

  async save(
    input: TargetRecord,
    _ctx: WriteContext,
    opts: { expectedVersion?: number } = {},
  ): Promise<Target> {
    const parsed = targetRecordSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error, 'target');
    const t = parsed.data;
    await this.ensure();
    return this.exec.write(async (tx) => {
      const now = new Date().toISOString();
      const row: Row = {
        entityId: t.entityId,
        entityLabel: t.entityLabel,
        entityType: t.entityType,
        reason: t.reason,
        analysis: JSON.stringify(t.analysis),
        status: t.status,
        proposedBy: t.proposedBy,
        proposedAt: t.proposedAt,
        decision: t.decision ? JSON.stringify(t.decision) : null,
        review: t.review ? JSON.stringify(t.review) : null,
        updatedAt: now,
      };
      let id: string;
      if (t.id === undefined) {
        const n = (await tx.one('target-next-n', { name: 'target' }))!.n as number;
        id = `t${n}`;
        await tx.run('target-create', { row: { ...row, id, n, version: 1 } });
      } else {
        id = t.id;
        const cur = await tx.one('target-lock', { id, now });
        if (!cur) throw new StoreError('not_found', `target ${id} does not exist`, ['id']);
        if (opts.expectedVersion !== undefined && opts.expectedVersion !== cur.version) {
          throw new StoreError(
            'conflict',
            `target ${id} changed since version ${opts.expectedVersion} (now ${cur.version as number}); reload it`,
            ['version'],
          );
        }
        await tx.run('target-update', { id, row });
      }
      return (await this.readIn(tx, id))!;
    });
  }

  async get(id: string): Promise<Target | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
    await this.ensure();
    return this.exec.read((tx) => this.readIn(tx, id));
  }

  async list(q: TargetQuery = {}): Promise<Page<Target>> {
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const limit = Math.min(1000, Math.max(1, Math.floor(q.limit ?? 100)));
    const where = { status: q.status ?? null, entityId: q.entityId ?? null };
    await this.ensure();
    return this.exec.read(async (tx) => {
      const total = (await tx.one('targets-count', where))!.c as number;
      const rows = (await tx.run('targets-list', { ...where, offset, limit })).map((r) => r.t as Row);
      const ids = rows.map((r) => r.id as string);
      const actions = new Map<string, TargetAction[]>();
      for (const r of await tx.run('target-actions-of', { ids })) {
        const a = toAction(r.a as Row);
        let list = actions.get(a.targetId);
        if (!list) actions.set(a.targetId, (list = []));
        list.push(a);
      }
      return { items: rows.map((r) => toTarget(r, actions.get(r.id as string) ?? [])), total, offset, limit };
    });
  }

  async appendAction(id: string, input: TargetActionInput, ctx: WriteContext): Promise<Target> {
    const parsed = targetActionInputSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error, 'action');
    const a = parsed.data;
    await this.ensure();
    return this.exec.write(async (tx) => {
      const now = new Date().toISOString();
      const cur = typeof id === 'string' && id ? await tx.one('target-lock', { id, now }) : undefined;
      if (!cur) throw new StoreError('not_found', `target ${id} does not exist`, ['id']);
      if (!TRANSITIONS.action.includes(cur.status as TargetStatus)) {
        throw new StoreError(
          'conflict',
          `target ${id} is ${cur.status as string}: actions can be logged only once it is approved`,
          ['status'],
        );
      }
      const n = (await tx.one('target-next-n', { name: 'target_action' }))!.n as number;
      await tx.run('target-action-create', {
        row: {
          id: `ta${n}`,
          n,
          targetId: id,
          kind: a.kind,
          date: a.date,
          outcome: a.outcome,
          actor: ctx.actor,
          recordedAt: now,
        },
      });
      return (await this.readIn(tx, id))!;
    });
  }
}
