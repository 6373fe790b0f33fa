// What the steps of one write batch share (graph-write.ts runs them): the transaction, the results so far, the
// reports the batch may cite, and the provenance step that joins each fact to its reports and import.
import type { EntityType } from '../../domain/model.ts';
import type { UpsertCounts, WriteResult } from '../graph-store.ts';
import { invalid } from '../shared/validate.ts';
import type { State } from './context.ts';
import type { Tx } from './executor.ts';
import type { ReportNode } from './rows.ts';

/** One batch in its transaction: what every step reads and adds to. */
export interface BatchRun {
  tx: Tx;
  st: State;
  now: string;
  importId: string | null;
  /** The operation the batch writes in: every fact it creates or touches gains its membership. */
  op: string;
  res: WriteResult;
  /** Whether any fact changed: then the data version rises. */
  changed: boolean;
}

/** A fact the batch writes: its stored form, whether the batch creates it, and whether it must be saved. */
export interface Slot<T> {
  fact: T;
  isNew: boolean;
  dirty: boolean;
  /** A stored fact as it was read (before the batch changed `fact`): only what differs is written back. */
  orig?: T;
}

const same = (a: unknown, b: unknown): boolean =>
  a === b ||
  ((a ?? null) === null && (b ?? null) === null) ||
  (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * The fields of a stored fact the batch changed, for `SET x += $set`: writing only these spares the store
 * rewriting every property (and re-indexing the unchanged text) of each fact met again. A field set to null
 * is removed, as the whole fact written with `+=` would remove it.
 */
export function changedFields<T extends object>(
  orig: T,
  fact: T,
  skip: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const o = orig as Record<string, unknown>;
  for (const [k, v] of Object.entries(fact)) {
    if (skip.includes(k) || same(v, o[k])) continue;
    out[k] = v ?? null;
  }
  return out;
}

/** One mention of a fact in the batch (in input order), the reports it cites and what it did to the fact. */
export interface Mention<T> {
  slot: Slot<T>;
  reports: ReportNode[];
  status: keyof UpsertCounts;
}

export type PathItem = string | number;

export const kk = (type: string, key: string): string => `${type}\u0000${key}`;

/** Entities of the batch by natural key (kk), as written or found. */
export type Keyed = Map<string, { id: string; type: EntityType }>;

/** A stored entity as a natural key names it: its id and type (the batch reads whole only what it locks). */
export interface EntityRef {
  id: string;
  type: EntityType;
}

/** Stored entities by natural key (kk): found by their own key or by one merged into them. */
export async function lookupKeys(
  tx: Tx,
  keys: { type: string; key: string }[],
): Promise<Map<string, EntityRef>> {
  const uniq = [...new Map(keys.map((k) => [kk(k.type, k.key), k])).values()];
  const found = new Map<string, EntityRef>();
  if (uniq.length === 0) return found;
  for (const r of await tx.run('entity-ids-by-key', { keys: uniq })) {
    found.set(kk(r.type as string, r.key as string), { id: r.id as string, type: r.etype as EntityType });
  }
  return found;
}

/** The reports a fact of the batch cites, by ref; each must be in the batch or already stored. */
export function citedReports(known: Map<string, ReportNode>, refs: string[], at: PathItem[]): ReportNode[] {
  return refs.map((ref, j) => {
    const r = known.get(ref);
    if (!r)
      throw invalid(
        [...at, 'reports', j],
        `report ${JSON.stringify(ref)} does not exist; add it to the batch's reports`,
      );
    return r;
  });
}

/**
 * Adds the reports and the import a fact rests on. Returns the fact's new status: an unchanged fact that gained
 * provenance is updated (and stamped); a created or updated one stays as it is.
 */
function joinProvenance(
  fact: { reports: string[]; imports: string[]; updatedAt: string },
  reports: readonly { id: string }[],
  importId: string | null,
  now: string,
  status: keyof UpsertCounts,
): { joined: boolean; status: keyof UpsertCounts } {
  let joined = false;
  for (const r of reports)
    if (!fact.reports.includes(r.id)) {
      fact.reports = [...fact.reports, r.id];
      joined = true;
    }
  if (importId !== null && !fact.imports.includes(importId)) {
    fact.imports = [...fact.imports, importId];
    joined = true;
  }
  if (joined && status === 'unchanged') {
    fact.updatedAt = now;
    return { joined, status: 'updated' };
  }
  return { joined, status };
}

/**
 * The provenance step: every mention, in input order, joins its fact to the reports it cites and to the
 * import; then the mention is counted as created, updated or unchanged.
 */
export function recordProvenance(
  run: BatchRun,
  kind: 'entities' | 'links',
  mentions: Mention<{ reports: string[]; imports: string[]; updatedAt: string }>[],
): void {
  for (const m of mentions) {
    const p = joinProvenance(m.slot.fact, m.reports, run.importId, run.now, m.status);
    if (p.joined) m.slot.dirty = true;
    if (p.status !== 'unchanged') run.changed = true;
    run.res[kind][p.status]++;
  }
}
