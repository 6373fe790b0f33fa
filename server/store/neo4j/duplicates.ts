// DuplicateStore on Neo4j: (:DuplicateProposal) nodes, one per pair, and append-only (:DuplicateDecision)
// nodes; the Cypher is in cypher/queries/dup-*.cypher. Same rules as the SQLite side (sqlite/duplicates.ts,
// with shared/duplicates.ts): an accept merges with the graph store's merge inside the same write
// transaction, an undo unmerges inside the same transaction as the decision.
import type { EntityType, WriteContext } from '../../domain/model.ts';
import type { ReadScope } from '../../domain/operations.ts';
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
import type { Neo4jContext, State } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { mergeIn, unmergeIn } from './graph-merge.ts';

const CONSTRAINTS = [
  'CREATE CONSTRAINT duplicate_proposal_id IF NOT EXISTS FOR (p:DuplicateProposal) REQUIRE p.id IS UNIQUE',
  'CREATE INDEX duplicate_proposal_state IF NOT EXISTS FOR (p:DuplicateProposal) ON (p.state)',
  'CREATE INDEX duplicate_decision_proposal IF NOT EXISTS FOR (d:DuplicateDecision) ON (d.proposalId)',
];

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function toProposal(r: Row): Proposal {
  return {
    id: r.id as string,
    aId: r.aId as string,
    bId: r.bId as string,
    type: r.type as EntityType,
    weight: r.weight as number,
    probability: r.probability as number,
    evidence: JSON.parse(r.evidence as string) as string[],
    fingerprint: r.fingerprint as string,
    ops: Array.isArray(r.ops) ? (r.ops as string[]) : [],
    state: r.state as ProposalState,
    decidedBy: str(r.decidedBy),
    decidedAt: str(r.decidedAt),
    mergeId: str(r.mergeId),
    keptId: str(r.keptId),
    createdAt: r.createdAt as string,
    updatedAt: r.updatedAt as string,
  };
}

type Stored = Proposal & { pair: Pair };

export class Neo4jDuplicateStore implements DuplicateStore {
  private ready: Promise<void> | null = null;
  /** The scope's operation ids; null: all. */
  private readonly ops: string[] | null;

  constructor(
    private readonly c: Neo4jContext,
    scope: ReadScope = 'all',
    private readonly parent: Neo4jDuplicateStore | null = null,
  ) {
    this.ops = scope === 'all' ? null : [...scope.operations];
  }

  scoped(scope: ReadScope): DuplicateStore {
    return scope === 'all' ? this : new Neo4jDuplicateStore(this.c, scope, this.parent ?? this);
  }

  /** The graph's schema first, then the queue's constraints; retried after a failure. */
  ensureReady(): Promise<void> {
    if (this.parent) return this.parent.ensureReady();
    this.ready ??= (async () => {
      await this.c.ensureReady();
      for (const s of CONSTRAINTS) await this.c.exec.autoCommit(s);
      // Pairs from before they recorded their operations: every operation either record belongs to (what
      // the run that found them could have read). Until then such a pair is shown to no scoped reader.
      await this.c.exec.write((tx) => tx.run('dup-ops-backfill', {}));
    })().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  private async write<T>(work: (tx: Tx, st: State) => Promise<T>): Promise<T> {
    await this.ensureReady();
    return this.c.write(work);
  }

  private async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    await this.ensureReady();
    return this.c.read(work);
  }

  private async mustGet(tx: Tx, id: string): Promise<Stored> {
    const pair = parseProposalId(id);
    const r = pair ? await tx.one('dup-by-id', { id, ops: this.ops }) : undefined;
    if (!pair || !r) throw notFoundProposal(id);
    return { ...toProposal(r.p as Row), pair };
  }

  private async log(
    tx: Tx,
    p: Proposal,
    action: DecisionAction,
    actor: string,
    at: string,
    mergeId: string | null,
  ) {
    await tx.run('dup-decision', { id: p.id, action, actor, at, fingerprint: p.fingerprint, mergeId });
  }

  private async set(
    tx: Tx,
    id: string,
    state: ProposalState,
    now: string,
    by: { actor: string; mergeId?: string; keptId?: string } | null,
  ) {
    await tx.run('dup-set', {
      id,
      state,
      now,
      decidedBy: by?.actor ?? null,
      decidedAt: by ? now : null,
      mergeId: by?.mergeId ?? null,
      keptId: by?.keptId ?? null,
    });
  }

  async saveProposals(
    input: ProposalInput[],
    ctx: WriteContext,
    scope?: ProposalScope,
  ): Promise<SaveProposalsResult> {
    const proposals = parseProposals(input);
    const scopeNs = scope ? scopeNumbers(scope) : null;
    const now = new Date().toISOString();
    return this.write(async (tx) => {
      const stored = new Map<string, StoredPair>();
      for (let i = 0; i < proposals.length; i += 5000) {
        const ids = proposals.slice(i, i + 5000).map((p) => p.id);
        for (const r of await tx.run('dup-by-ids', { ids })) {
          stored.set(r.id as string, {
            state: r.state as ProposalState,
            fingerprint: r.fingerprint as string,
            ops: Array.isArray(r.ops) ? (r.ops as string[]) : [],
          });
        }
      }
      // Each record's operations within the store's scope: what a run under that scope could have read.
      const members = new Map<string, string[]>();
      const recordIds = [...new Set(proposals.flatMap((p) => [p.aId, p.bId]))];
      for (let i = 0; i < recordIds.length; i += 5000) {
        for (const r of await tx.run('dup-entity-ops', { ids: recordIds.slice(i, i + 5000) }))
          members.set(r.id as string, r.ops as string[]);
      }
      const planned = proposals.map((p) => ({ ...p, ops: proposalOps(members, p, this.ops) }));
      const { steps, counts } = planSave(planned, stored);
      const rows = { insert: [] as Row[], update: [] as Row[], reopen: [] as Row[] };
      for (const s of steps) {
        if (s.kind === 'skip') continue;
        const { id, aId, bId, aN, bN, type, weight, probability, fingerprint } = s.p;
        rows[s.kind].push({
          id,
          aId,
          bId,
          an: aN,
          bn: bN,
          type,
          weight,
          probability,
          fingerprint,
          evidence: JSON.stringify(s.p.evidence),
          ops: s.p.ops,
        });
      }
      for (let i = 0; i < rows.insert.length; i += 5000) {
        await tx.run('dup-insert', { rows: rows.insert.slice(i, i + 5000), now });
      }
      for (let i = 0; i < rows.update.length; i += 5000) {
        await tx.run('dup-update', { rows: rows.update.slice(i, i + 5000), now, reopen: false });
      }
      if (rows.reopen.length) await tx.run('dup-update', { rows: rows.reopen, now, reopen: true });
      for (const r of rows.reopen) {
        await tx.run('dup-decision', {
          id: r.id,
          action: 'reopen',
          actor: ctx.actor,
          at: now,
          fingerprint: r.fingerprint,
          mergeId: null,
        });
      }
      const proposed = new Set(proposals.map((p) => p.id));
      // Under a read scope the run saw only the pairs the scope sees: it takes off no other.
      const waiting = (await tx.run('dup-waiting', { scope: scopeNs, ops: this.ops })).map(
        (r) => r.id as string,
      );
      const gone = waiting.filter((id) => !proposed.has(id));
      for (let i = 0; i < gone.length; i += 5000)
        await tx.run('dup-delete', { ids: gone.slice(i, i + 5000) });
      return { ...counts, removed: gone.length };
    });
  }

  async getProposal(id: string): Promise<Proposal | null> {
    if (!parseProposalId(id)) return null;
    return this.read(async (tx) => {
      const r = await tx.one('dup-by-id', { id, ops: this.ops });
      return r ? toProposal(r.p as Row) : null;
    });
  }

  async listProposals(query: ProposalQuery = {}): Promise<ProposalPage> {
    const q = parseProposalQuery(query);
    const params = {
      state: q.state ?? null,
      type: q.type ?? null,
      minWeight: q.minWeight ?? null,
      ops: this.ops,
    };
    return this.read(async (tx) => {
      const rows = await tx.run('dup-list', {
        ...params,
        afterW: q.after?.[0] ?? null,
        afterId: q.after?.[1] ?? null,
        limit: q.limit + 1,
      });
      const total = (await tx.one('dup-count', params))!.c as number;
      const items = rows.slice(0, q.limit).map((r) => toProposal(r.p as Row));
      return { items, total, next: rows.length > q.limit ? encodeCursor(items[items.length - 1]) : null };
    });
  }

  private async acceptIn(tx: Tx, st: State, p: Stored, ctx: WriteContext, now: string, keepId?: string) {
    checkDecidable(p.id, p.state, 'accept');
    const { keep, drop } = keepAndDrop(p.pair, keepId);
    const mergeId = await mergeIn(tx, st, keep, drop, ctx);
    await this.set(tx, p.id, 'accepted', now, { actor: ctx.actor, mergeId, keptId: keep });
    await this.log(tx, p, 'accept', ctx.actor, now, mergeId);
  }

  private async decideIn(tx: Tx, p: Stored, action: 'reject' | 'defer', ctx: WriteContext, now: string) {
    checkDecidable(p.id, p.state, action);
    await this.set(tx, p.id, action === 'reject' ? 'rejected' : 'deferred', now, { actor: ctx.actor });
    await this.log(tx, p, action, ctx.actor, now, null);
  }

  private async reread(id: string): Promise<Proposal> {
    return (await this.getProposal(id))!;
  }

  async accept(id: string, ctx: WriteContext, opts: { keepId?: string } = {}): Promise<Proposal> {
    await this.write(async (tx, st) =>
      this.acceptIn(tx, st, await this.mustGet(tx, id), ctx, new Date().toISOString(), opts.keepId),
    );
    return this.reread(id);
  }

  async reject(id: string, ctx: WriteContext): Promise<Proposal> {
    await this.write(async (tx) =>
      this.decideIn(tx, await this.mustGet(tx, id), 'reject', ctx, new Date().toISOString()),
    );
    return this.reread(id);
  }

  async defer(id: string, ctx: WriteContext): Promise<Proposal> {
    await this.write(async (tx) =>
      this.decideIn(tx, await this.mustGet(tx, id), 'defer', ctx, new Date().toISOString()),
    );
    return this.reread(id);
  }

  async undo(id: string, ctx: WriteContext): Promise<Proposal> {
    await this.write(async (tx, st) => {
      const p = await this.mustGet(tx, id);
      checkUndoable(id, p.state);
      const now = new Date().toISOString();
      if (p.state === 'accepted' && p.mergeId) await unmergeIn(tx, st, p.mergeId);
      await this.set(tx, id, 'new', now, null);
      await this.log(tx, p, 'undo', ctx.actor, now, p.mergeId);
    });
    return this.reread(id);
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
    const done = await this.write(async (tx, st) => {
      const now = new Date().toISOString();
      const ids: string[] = [];
      for (const item of items) {
        const p = await this.mustGet(tx, item.id);
        if (p.state !== 'new') continue;
        if (action === 'reject') await this.decideIn(tx, p, 'reject', ctx, now);
        else {
          const a = await tx.one('entity-by-id', { id: p.aId });
          const b = await tx.one('entity-by-id', { id: p.bId });
          if (!a || !b) {
            skipped.push({
              id: p.id,
              reason: 'one of the two records was merged into another earlier in this batch',
            });
            continue;
          }
          await this.acceptIn(tx, st, p, ctx, now);
        }
        ids.push(p.id);
      }
      return ids;
    });
    const out: Proposal[] = [];
    for (const id of done) out.push(await this.reread(id));
    return { done: out, skipped };
  }

  async listDecisions(proposalId: string): Promise<Decision[]> {
    return this.read(async (tx) =>
      (await tx.run('dup-decisions-of', { id: proposalId })).map((r) => {
        const d = r.d as Row;
        return {
          proposalId: d.proposalId as string,
          action: d.action as DecisionAction,
          actor: d.actor as string,
          at: d.at as string,
          fingerprint: d.fingerprint as string,
          mergeId: str(d.mergeId),
        };
      }),
    );
  }
}
