// DuplicateStore on SQLite: one row per proposed pair (duplicate_proposals) and an append-only decision log
// (duplicate_decisions). An accept merges through the graph store's merge inside the same transaction
// (better-sqlite3 nests it as a savepoint), so the decision and the merge are written together or not at all.
import type { EntityType, WriteContext } from '../../domain/model.ts';
import type {
  BulkResult,
  Decision,
  DecisionAction,
  DuplicateStore,
  Proposal,
  ProposalInput,
  ProposalPage,
  ProposalQuery,
  ProposalScope,
  ProposalState,
  SaveProposalsResult,
} from '../duplicates-store.ts';
import {
  bulkLimit,
  checkDecidable,
  checkUndoable,
  encodeCursor,
  keepAndDrop,
  notFoundProposal,
  parseProposalId,
  parseProposalQuery,
  parseProposals,
  planSave,
  proposalOps,
  scopeNumbers,
  type Pair,
  type StoredPair,
} from '../shared/duplicates.ts';
import type { ReadScope } from '../../domain/operations.ts';
import type { Param, SqliteConnection } from './connection.ts';
import { opRow } from './workspace.ts';
import { merge as mergeEntities, unmerge as unmergeEntities } from './graph-edit.ts';

interface ProposalRow {
  id: string;
  a_n: number;
  b_n: number;
  type: string;
  weight: number;
  probability: number;
  evidence: string;
  fingerprint: string;
  /** JSON list of operation row numbers. */
  ops: string;
  state: ProposalState;
  decided_by: string | null;
  decided_at: string | null;
  merge_id: string | null;
  kept_id: string | null;
  created_at: string;
  updated_at: string;
}

function toProposal(r: ProposalRow): Proposal {
  return {
    id: r.id,
    aId: `e${r.a_n}`,
    bId: `e${r.b_n}`,
    type: r.type as EntityType,
    weight: r.weight,
    probability: r.probability,
    evidence: JSON.parse(r.evidence) as string[],
    fingerprint: r.fingerprint,
    ops: (JSON.parse(r.ops) as number[]).map((n) => `op${n}`),
    state: r.state,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    mergeId: r.merge_id,
    keptId: r.kept_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Both records of the pair still exist (neither merged away nor deleted). */
const BOTH_LIVE =
  'EXISTS (SELECT 1 FROM entities e WHERE e.id = p.a_n) AND EXISTS (SELECT 1 FROM entities e WHERE e.id = p.b_n)';

/**
 * The pair is visible under the scope (its five parameters are all the scope: null for all, else the JSON
 * list of operation row numbers): every operation its evidence came from (ops) is in the scope, and both
 * records belong to one of its operations; an accepted pair, whose merged-away record is gone, when the
 * record kept does.
 */
const VISIBLE = `(? IS NULL OR (
  NOT EXISTS (SELECT 1 FROM json_each(p.ops) j WHERE j.value NOT IN (SELECT value FROM json_each(?)))
  AND CASE WHEN p.state = 'accepted'
    THEN EXISTS (SELECT 1 FROM entity_ops o WHERE o.entity_id IN (p.a_n, p.b_n) AND o.op_id IN (SELECT value FROM json_each(?)))
    ELSE EXISTS (SELECT 1 FROM entity_ops o WHERE o.entity_id = p.a_n AND o.op_id IN (SELECT value FROM json_each(?)))
     AND EXISTS (SELECT 1 FROM entity_ops o WHERE o.entity_id = p.b_n AND o.op_id IN (SELECT value FROM json_each(?)))
  END))`;

export class SqliteDuplicateStore implements DuplicateStore {
  /** The scope's operation row numbers as JSON; null: all. */
  private readonly ops: string | null;

  constructor(
    private readonly c: SqliteConnection,
    scope: ReadScope = 'all',
  ) {
    this.ops = scope === 'all' ? null : JSON.stringify(scope.operations.map(opRow));
  }

  /** VISIBLE's parameters (the scope, once for each of its five places). */
  private visibleParams(): Param[] {
    return [this.ops, this.ops, this.ops, this.ops, this.ops];
  }

  /**
   * The operations (ids) each record belongs to within this store's scope: what a run under that scope
   * could have read of it.
   */
  private memberships(ids: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const read = this.c.st(
      `SELECT entity_id AS n, op_id AS o FROM entity_ops
       WHERE entity_id IN (SELECT value FROM json_each(?)) AND (? IS NULL OR op_id IN (SELECT value FROM json_each(?)))`,
    );
    for (let i = 0; i < ids.length; i += 5000) {
      const ns = ids.slice(i, i + 5000).map((id) => Number(id.slice(1)));
      for (const r of read.all(JSON.stringify(ns), this.ops, this.ops) as Array<{ n: number; o: number }>) {
        const key = `e${r.n}`;
        const list = out.get(key) ?? [];
        list.push(`op${r.o}`);
        out.set(key, list);
      }
    }
    return out;
  }

  /** The same queue showing only pairs both of whose records the scope's operations hold. */
  scoped(scope: ReadScope): DuplicateStore {
    return scope === 'all' ? this : new SqliteDuplicateStore(this.c, scope);
  }

  private row(id: string): ProposalRow | undefined {
    return this.c
      .st(`SELECT * FROM duplicate_proposals p WHERE p.id = ? AND ${VISIBLE}`)
      .get(id, ...this.visibleParams()) as ProposalRow | undefined;
  }

  private mustRow(id: string): ProposalRow & { pair: Pair } {
    const pair = parseProposalId(id);
    const r = pair ? this.row(id) : undefined;
    if (!pair || !r) throw notFoundProposal(id);
    return { ...r, pair };
  }

  private log(
    id: string,
    action: DecisionAction,
    actor: string,
    at: string,
    fp: string,
    mergeId: string | null,
  ) {
    this.c
      .st(
        'INSERT INTO duplicate_decisions (proposal_id, action, actor, at, fingerprint, merge_id) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, action, actor, at, fp, mergeId);
  }

  async saveProposals(
    input: ProposalInput[],
    ctx: WriteContext,
    scope?: ProposalScope,
  ): Promise<SaveProposalsResult> {
    const proposals = parseProposals(input);
    const scopeNs = scope ? scopeNumbers(scope) : null;
    const now = new Date().toISOString();
    return this.c.immediate(() => {
      const stored = new Map<string, StoredPair>();
      const read = this.c.st(
        'SELECT id, state, fingerprint, ops FROM duplicate_proposals WHERE id IN (SELECT value FROM json_each(?))',
      );
      for (let i = 0; i < proposals.length; i += 5000) {
        const ids = proposals.slice(i, i + 5000).map((p) => p.id);
        for (const r of read.all(JSON.stringify(ids)) as Array<{
          id: string;
          state: ProposalState;
          fingerprint: string;
          ops: string;
        }>)
          stored.set(r.id, { ...r, ops: (JSON.parse(r.ops) as number[]).map((n) => `op${n}`) });
      }
      const members = this.memberships([...new Set(proposals.flatMap((p) => [p.aId, p.bId]))]);
      const scopeOps = this.ops === null ? null : (JSON.parse(this.ops) as number[]).map((n) => `op${n}`);
      const planned = proposals.map((p) => ({ ...p, ops: proposalOps(members, p, scopeOps) }));
      const { steps, counts } = planSave(planned, stored);
      const insert = this.c.st(
        `INSERT INTO duplicate_proposals (id, a_n, b_n, type, weight, probability, evidence, fingerprint, ops,
           state, created_at, updated_at)
         VALUES (@id, @aN, @bN, @type, @weight, @probability, @evidence, @fingerprint, @ops, 'new', @now, @now)`,
      );
      const update = this.c.st(
        `UPDATE duplicate_proposals SET weight = @weight, probability = @probability, evidence = @evidence,
           fingerprint = @fingerprint, ops = @ops, updated_at = @now WHERE id = @id`,
      );
      const reopen = this.c.st(
        `UPDATE duplicate_proposals SET weight = @weight, probability = @probability, evidence = @evidence,
           fingerprint = @fingerprint, ops = @ops, state = 'new', decided_by = NULL, decided_at = NULL, updated_at = @now
         WHERE id = @id`,
      );
      const proposed = new Set<string>();
      for (const s of steps) {
        proposed.add(s.p.id);
        if (s.kind === 'skip') continue;
        const { id, aN, bN, type, weight, probability, fingerprint } = s.p;
        const cols = {
          id,
          aN,
          bN,
          type,
          weight,
          probability,
          fingerprint,
          evidence: JSON.stringify(s.p.evidence),
          ops: JSON.stringify(s.p.ops.map(opRow)),
          now,
        };
        if (s.kind === 'insert') insert.run(cols);
        else if (s.kind === 'update') update.run(cols);
        else {
          reopen.run(cols);
          this.log(id, 'reopen', ctx.actor, now, fingerprint, null);
        }
      }
      // Waiting pairs of the run's scope that it no longer proposes: their evidence has gone. A run under a
      // read scope saw only the pairs that scope sees: it takes off no other (an outsider's run leaves a
      // closed operation's queue as it was).
      const where = scopeNs
        ? "p.state = 'new' AND (p.a_n IN (SELECT value FROM json_each(?)) OR p.b_n IN (SELECT value FROM json_each(?)))"
        : "p.state = 'new'";
      const params: Param[] = scopeNs ? [JSON.stringify(scopeNs), JSON.stringify(scopeNs)] : [];
      const waiting = this.c
        .st(`SELECT p.id FROM duplicate_proposals p WHERE ${where} AND ${VISIBLE}`)
        .pluck()
        .all(...params, ...this.visibleParams()) as string[];
      const gone = waiting.filter((id) => !proposed.has(id));
      const del = this.c.st('DELETE FROM duplicate_proposals WHERE id = ?');
      for (const id of gone) del.run(id);
      return { ...counts, removed: gone.length };
    });
  }

  async getProposal(id: string): Promise<Proposal | null> {
    if (!parseProposalId(id)) return null;
    const r = this.row(id);
    return r ? toProposal(r) : null;
  }

  async listProposals(query: ProposalQuery = {}): Promise<ProposalPage> {
    const q = parseProposalQuery(query);
    const where: string[] = [`(p.state IN ('accepted', 'rejected') OR (${BOTH_LIVE}))`, VISIBLE];
    const params: Param[] = this.visibleParams();
    if (q.state) {
      where.push('p.state = ?');
      params.push(q.state);
    }
    if (q.type) {
      where.push('p.type = ?');
      params.push(q.type);
    }
    if (q.minWeight !== undefined) {
      where.push('p.weight >= ?');
      params.push(q.minWeight);
    }
    const filter = where.join(' AND ');
    const total = this.c
      .st(`SELECT COUNT(*) FROM duplicate_proposals p WHERE ${filter}`)
      .pluck()
      .get(...params) as number;
    const page = q.after
      ? {
          sql: ' AND (p.weight < ? OR (p.weight = ? AND p.id > ?))',
          params: [q.after[0], q.after[0], q.after[1]],
        }
      : { sql: '', params: [] };
    const rows = this.c
      .st(
        `SELECT p.* FROM duplicate_proposals p WHERE ${filter}${page.sql} ORDER BY p.weight DESC, p.id LIMIT ?`,
      )
      .all(...params, ...page.params, q.limit + 1) as ProposalRow[];
    const items = rows.slice(0, q.limit).map(toProposal);
    return { items, total, next: rows.length > q.limit ? encodeCursor(items[items.length - 1]) : null };
  }

  /** Accept inside the caller's transaction: the merge, then the decision that names it. */
  private acceptIn(r: ProposalRow & { pair: Pair }, ctx: WriteContext, now: string, keepId?: string): void {
    checkDecidable(r.id, r.state, 'accept');
    const { keep, drop } = keepAndDrop(r.pair, keepId);
    const m = mergeEntities(this.c, keep, drop, ctx);
    this.c
      .st(
        `UPDATE duplicate_proposals SET state = 'accepted', decided_by = ?, decided_at = ?, merge_id = ?,
           kept_id = ?, updated_at = ? WHERE id = ?`,
      )
      .run(ctx.actor, now, m.id, keep, now, r.id);
    this.log(r.id, 'accept', ctx.actor, now, r.fingerprint, m.id);
  }

  private decideIn(r: ProposalRow, action: 'reject' | 'defer', ctx: WriteContext, now: string): void {
    checkDecidable(r.id, r.state, action);
    this.c
      .st(
        'UPDATE duplicate_proposals SET state = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ?',
      )
      .run(action === 'reject' ? 'rejected' : 'deferred', ctx.actor, now, now, r.id);
    this.log(r.id, action, ctx.actor, now, r.fingerprint, null);
  }

  async accept(id: string, ctx: WriteContext, opts: { keepId?: string } = {}): Promise<Proposal> {
    this.c.immediate(() => this.acceptIn(this.mustRow(id), ctx, new Date().toISOString(), opts.keepId));
    return toProposal(this.row(id)!);
  }

  async reject(id: string, ctx: WriteContext): Promise<Proposal> {
    this.c.immediate(() => this.decideIn(this.mustRow(id), 'reject', ctx, new Date().toISOString()));
    return toProposal(this.row(id)!);
  }

  async defer(id: string, ctx: WriteContext): Promise<Proposal> {
    this.c.immediate(() => this.decideIn(this.mustRow(id), 'defer', ctx, new Date().toISOString()));
    return toProposal(this.row(id)!);
  }

  async undo(id: string, ctx: WriteContext): Promise<Proposal> {
    this.c.immediate(() => {
      const r = this.mustRow(id);
      checkUndoable(id, r.state);
      const now = new Date().toISOString();
      if (r.state === 'accepted' && r.merge_id) unmergeEntities(this.c, r.merge_id);
      this.c
        .st(
          `UPDATE duplicate_proposals SET state = 'new', decided_by = NULL, decided_at = NULL, merge_id = NULL,
             kept_id = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(now, id);
      this.log(id, 'undo', ctx.actor, now, r.fingerprint, r.merge_id);
    });
    return toProposal(this.row(id)!);
  }

  async bulk(
    action: 'accept' | 'reject',
    filter: { minWeight: number; type?: EntityType; limit?: number },
    ctx: WriteContext,
  ): Promise<BulkResult> {
    const limit = bulkLimit(filter.limit);
    const { items } = await this.listProposals({
      state: 'new',
      minWeight: filter.minWeight,
      ...(filter.type ? { type: filter.type } : {}),
      limit,
    });
    const skipped: BulkResult['skipped'] = [];
    const done: string[] = [];
    this.c.immediate(() => {
      const now = new Date().toISOString();
      const live = this.c.st('SELECT 1 FROM entities WHERE id = ?').pluck();
      for (const p of items) {
        const r = this.mustRow(p.id);
        if (r.state !== 'new') continue;
        if (action === 'reject') this.decideIn(r, 'reject', ctx, now);
        else if (!live.get(r.a_n) || !live.get(r.b_n)) {
          skipped.push({
            id: r.id,
            reason: 'one of the two records was merged into another earlier in this batch',
          });
          continue;
        } else this.acceptIn(r, ctx, now);
        done.push(r.id);
      }
    });
    return { done: done.map((id) => toProposal(this.row(id)!)), skipped };
  }

  async listDecisions(proposalId: string): Promise<Decision[]> {
    const rows = this.c
      .st('SELECT * FROM duplicate_decisions WHERE proposal_id = ? ORDER BY seq')
      .all(proposalId) as Array<{
      proposal_id: string;
      action: DecisionAction;
      actor: string;
      at: string;
      fingerprint: string;
      merge_id: string | null;
    }>;
    return rows.map((r) => ({
      proposalId: r.proposal_id,
      action: r.action,
      actor: r.actor,
      at: r.at,
      fingerprint: r.fingerprint,
      mergeId: r.merge_id,
    }));
  }
}
