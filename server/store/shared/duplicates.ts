// What both backends' duplicate queues do alike: a pair's id, input checks, the cursor, which decision may
// follow which, and how a resolver run's proposals meet the pairs already stored.
import { z } from 'zod';
import { StoreError } from '../common.ts';
import {
  MAX_BULK,
  PROPOSAL_STATES,
  proposalInputSchema,
  type Proposal,
  type ProposalInput,
  type ProposalQuery,
  type ProposalScope,
  type ProposalState,
  type SaveProposalsResult,
} from '../duplicates-store.ts';
import { parseId } from './ids.ts';
import { parseOr } from './validate.ts';

export interface Pair {
  id: string;
  aId: string;
  bId: string;
  aN: number;
  bN: number;
}

/** The pair of two entity ids, lower first; its id names both. */
export function pairOf(x: string, y: string, path: (string | number)[] = []): Pair {
  const xn = parseId(x, 'e');
  const yn = parseId(y, 'e');
  if (xn === null || yn === null) {
    throw new StoreError('invalid', `${xn === null ? x : y} is not an entity id`, path);
  }
  if (xn === yn) throw new StoreError('invalid', `a record cannot be a duplicate of itself (${x})`, path);
  const [aN, bN] = xn < yn ? [xn, yn] : [yn, xn];
  return { id: `e${aN}-e${bN}`, aId: `e${aN}`, bId: `e${bN}`, aN, bN };
}

/** The pair a proposal id names, or null when it names none. */
export function parseProposalId(id: string): Pair | null {
  const m = /^e([1-9]\d{0,15})-e([1-9]\d{0,15})$/.exec(id);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a < b ? { id, aId: `e${a}`, bId: `e${b}`, aN: a, bN: b } : null;
}

/** The row numbers of a run's scope; an id that is not an entity's is refused. */
export function scopeNumbers(scope: ProposalScope): number[] {
  if (!Array.isArray(scope.entityIds) || scope.entityIds.length > 1_000_000) {
    throw new StoreError('invalid', 'scope.entityIds must be a list of entity ids', ['scope', 'entityIds']);
  }
  return scope.entityIds.map((id, i) => {
    const n = parseId(id, 'e');
    if (n === null)
      throw new StoreError('invalid', `${JSON.stringify(id)} is not an entity id`, ['scope', 'entityIds', i]);
    return n;
  });
}

export const notFoundProposal = (id: string): StoreError =>
  new StoreError('not_found', `there is no possible duplicate ${JSON.stringify(id)}`, ['id']);

/** A run's input checked; a pair proposed twice keeps its higher weight. */
export function parseProposals(input: ProposalInput[]): Array<ProposalInput & Pair> {
  const byPair = new Map<string, ProposalInput & Pair>();
  input.forEach((raw, i) => {
    const p = parseOr(proposalInputSchema, raw, ['proposals', i]);
    const pair = pairOf(p.aId, p.bId, ['proposals', i]);
    const prev = byPair.get(pair.id);
    if (!prev || prev.weight < p.weight) byPair.set(pair.id, { ...p, ...pair });
  });
  return [...byPair.values()];
}

/** A proposal of a run with the operations its evidence could have been built from (see Proposal.ops). */
export type PlannedProposal = ProposalInput & Pair & { ops: string[] };

export type SaveStep =
  { kind: 'insert' | 'update' | 'reopen'; p: PlannedProposal } | { kind: 'skip'; p: PlannedProposal };

/** What is stored of a pair a run proposes again. */
export interface StoredPair {
  state: ProposalState;
  fingerprint: string;
  ops: readonly string[];
}

function subsetOf(a: readonly string[], b: readonly string[]): boolean {
  const inB = new Set(b);
  return a.every((x) => inB.has(x));
}

/**
 * The operations whose facts a proposal's evidence could have been built from: the memberships of its two
 * records that lie within the run's read scope (every membership for the system's 'all'), sorted.
 */
export function proposalOps(
  memberships: ReadonlyMap<string, readonly string[]>,
  pair: Pick<Pair, 'aId' | 'bId'>,
  scope: readonly string[] | null,
): string[] {
  const all = new Set([...(memberships.get(pair.aId) ?? []), ...(memberships.get(pair.bId) ?? [])]);
  const inScope = scope ? [...all].filter((o) => scope.includes(o)) : [...all];
  return inScope.sort((x, y) => (parseId(x, 'op') ?? 0) - (parseId(y, 'op') ?? 0) || x.localeCompare(y));
}

/**
 * How each proposal of a run meets what is stored: a new pair is inserted; a waiting one (new or deferred)
 * brought up to date; a rejected one with the same fingerprint left alone, with another reopened; an
 * accepted one (its merge still stands) left alone.
 *
 * Need-to-know, narrower wins: a pair is shown only to readers of every operation in its `ops`, so a run
 * whose evidence came from more operations than the stored pair's (a closed operation's member's run, or
 * the system's) leaves the stored pair as it is, and a run from fewer operations replaces the stored
 * evidence with its own (the pair becomes visible to more readers, with only what they may read). A run
 * from other operations, neither fewer nor more, leaves the stored pair too.
 */
export function planSave(
  proposals: PlannedProposal[],
  stored: ReadonlyMap<string, StoredPair>,
): { steps: SaveStep[]; counts: Omit<SaveProposalsResult, 'removed'> } {
  const counts = { created: 0, updated: 0, reopened: 0, stillRejected: 0 };
  const steps: SaveStep[] = proposals.map((p) => {
    const s = stored.get(p.id);
    if (!s) {
      counts.created++;
      return { kind: 'insert', p };
    }
    const narrower = subsetOf(p.ops, s.ops) && p.ops.length < s.ops.length;
    if (!narrower && !(subsetOf(p.ops, s.ops) && subsetOf(s.ops, p.ops))) return { kind: 'skip', p };
    if (s.state === 'rejected') {
      if (s.fingerprint === p.fingerprint) {
        counts.stillRejected++;
        // Same evidence from fewer operations: the pair stays rejected, shown to the wider readership.
        return { kind: narrower ? 'update' : 'skip', p };
      }
      counts.reopened++;
      return { kind: 'reopen', p };
    }
    if (s.state === 'accepted') return { kind: 'skip', p };
    counts.updated++;
    return { kind: 'update', p };
  });
  return { steps, counts };
}

const cursorSchema = z.tuple([z.number().finite(), z.string().max(60)]);

export function encodeCursor(p: Pick<Proposal, 'weight' | 'id'>): string {
  return Buffer.from(JSON.stringify([p.weight, p.id])).toString('base64url');
}

/** [weight, id] of the last item of the previous page. */
export function decodeCursor(cursor: string): [number, string] {
  try {
    const v = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (v.success) return v.data;
  } catch {
    /* falls through to the error below */
  }
  throw new StoreError('invalid', 'cursor is not one this list gave out; start again from the first page', [
    'cursor',
  ]);
}

export const proposalQuerySchema = z.object({
  state: z.enum(PROPOSAL_STATES).optional(),
  type: proposalInputSchema.shape.type.optional(),
  minWeight: z.number().finite().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

export function parseProposalQuery(
  q: ProposalQuery,
): ProposalQuery & { limit: number; after: [number, string] | null } {
  const v = parseOr(proposalQuerySchema, q, []);
  return { ...v, limit: v.limit ?? 50, after: v.cursor ? decodeCursor(v.cursor) : null };
}

export function bulkLimit(limit: number | undefined): number {
  const n = limit ?? MAX_BULK;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BULK) {
    throw new StoreError('invalid', `limit must be a whole number from 1 to ${MAX_BULK}`, ['limit']);
  }
  return n;
}

const STATE_WORDS: Record<ProposalState, string> = {
  new: 'is waiting for a decision',
  deferred: 'was put off for later',
  accepted: 'was accepted and the two records merged',
  rejected: 'was marked as different people or things',
};

/** Refuses a decision the pair's state does not allow, saying what state it is in. */
export function checkDecidable(
  id: string,
  state: ProposalState,
  action: 'accept' | 'reject' | 'defer',
): void {
  const ok = action === 'defer' ? state === 'new' : state === 'new' || state === 'deferred';
  if (!ok) {
    throw new StoreError(
      'conflict',
      `possible duplicate ${id} ${STATE_WORDS[state]}; undo that first to ${action} it`,
      ['state'],
    );
  }
}

export function checkUndoable(id: string, state: ProposalState): void {
  if (state === 'new') {
    throw new StoreError('conflict', `possible duplicate ${id} has no decision to undo`, ['state']);
  }
}

/** The record kept by an accept: the one asked for (it must be one of the pair) or the older one. */
export function keepAndDrop(pair: Pair, keepId?: string): { keep: string; drop: string } {
  if (keepId === undefined || keepId === pair.aId) return { keep: pair.aId, drop: pair.bId };
  if (keepId === pair.bId) return { keep: pair.bId, drop: pair.aId };
  throw new StoreError('invalid', `keepId must be one of the pair (${pair.aId} or ${pair.bId})`, ['keepId']);
}
