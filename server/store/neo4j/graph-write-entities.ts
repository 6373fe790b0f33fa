// The entity steps of a write batch: resolve every entity's natural key (and find the stored entities those
// keys already name), lock the stored ones, then upsert them by key: each new entity is created once, whole, on
// its (type, key) constraint; each stored one met again has only the fields the batch changed written back.
// Provenance and the counts follow in graph-write-batch.ts.
import type { Properties } from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { normaliseName } from '../../domain/normalise.ts';
import { nfcKey, searchText } from '../shared/values.ts';
import { invalid, type EntityParsed } from '../shared/validate.ts';
import { lockEntities, WriteRace } from './context.ts';
import type { Tx } from './executor.ts';
import {
  changedFields,
  citedReports,
  kk,
  lookupKeys,
  recordProvenance,
  type EntityRef as StoredRef,
  type BatchRun,
  type Keyed,
  type Mention,
  type Slot,
} from './graph-write-batch.ts';
import { joinOp, withOpProps } from './op-membership.ts';
import { entityNode, parseProps, type EntityNode, type ReportNode } from './rows.ts';

export interface KeyedInput {
  e: EntityParsed;
  label: string;
  key: string;
}

export interface ResolvedKeys {
  /** The batch's entities with their normalised labels and natural keys, in input order. */
  inputs: KeyedInput[];
  /** Stored entities by natural key (kk): as looked up (id and type), then whole once locked (lockExisting). */
  existing: Map<string, EntityNode>;
  /** What the lookup found, by natural key. */
  found: Map<string, StoredRef>;
  /** Entities this batch creates, by natural key, with the numbers they take (numberNewEntities). */
  claimed: Map<string, { id: string; n: number }>;
}

export interface EntityUpserts {
  byId: Map<string, Slot<EntityNode>>;
  keyed: Keyed;
  mentions: Mention<EntityNode>[];
  /** Stored entities that joined the batch's operation (deconfliction looks at these). */
  joined: string[];
}

/** Natural keys of the batch's entities (an empty one is refused), and the stored entities they name. */
export async function resolveKeys(tx: Tx, entities: EntityParsed[]): Promise<ResolvedKeys> {
  const inputs = entities.map((e, i) => {
    const label = normaliseName(e.label);
    const key = e.key ? nfcKey(e.key) : naturalKey(e.type, label, e.properties);
    if (!key) throw invalid(['entities', i, 'key'], 'the natural key is empty');
    return { e, label, key };
  });
  const found = await lookupKeys(
    tx,
    inputs.map((p) => ({ type: p.e.type, key: p.key })),
  );
  return { inputs, existing: new Map(), found, claimed: new Map() };
}

/**
 * Locks the stored entities the batch names (so no other writer changes them until it commits) and takes
 * them as they are now, not as first looked up.
 */
export async function lockExisting(run: BatchRun, keys: ResolvedKeys): Promise<void> {
  const ids = new Set([...keys.found.values()].map((e) => e.id));
  const fresh = new Map(
    (await lockEntities(run.tx, ids)).map((e) => [e.id as string, e as unknown as EntityNode]),
  );
  for (const [k, e] of keys.found) {
    const now = fresh.get(e.id);
    // Removed or merged away since it was looked up: the batch starts again and finds what is there now.
    if (!now || now.type !== e.type) throw new WriteRace(`or removed entity ${e.id}`);
    keys.existing.set(k, now);
  }
}

/** The natural keys found nowhere, in input order (of their first mention): the entities the batch creates. */
export function newKeys(keys: ResolvedKeys): string[] {
  const out = new Set<string>();
  for (const p of keys.inputs) {
    const k = kk(p.e.type, p.key);
    if (!keys.existing.has(k)) out.add(k);
  }
  return [...out];
}

/** Numbers for the entities the batch creates, in input order (as SQLite numbers them); reserved before. */
function numberNewEntities(run: BatchRun, keys: ResolvedKeys): void {
  for (const k of newKeys(keys)) {
    if (keys.claimed.has(k)) continue;
    const n = run.st.take('entity');
    keys.claimed.set(k, { id: `e${n}`, n });
  }
}

function newEntity(
  run: BatchRun,
  { e, label, key }: KeyedInput,
  claimed: { id: string; n: number },
): Slot<EntityNode> {
  return {
    fact: {
      id: claimed.id,
      n: claimed.n,
      type: e.type,
      key,
      label,
      props: JSON.stringify(e.properties),
      search: searchText(e.properties, label),
      reviewDate: e.reviewDate ?? null,
      createdAt: run.now,
      updatedAt: run.now,
      reports: [],
      imports: [],
      ops: [run.op],
      opProps: JSON.stringify({ [run.op]: e.properties }),
    },
    isNew: true,
    dirty: true,
  };
}

/** An entity met again takes the new label, gains the new properties and keeps a review date it had. */
function mergeEntity(
  run: BatchRun,
  slot: Slot<EntityNode>,
  { e, label }: KeyedInput,
): 'updated' | 'unchanged' {
  const node = slot.fact;
  const hasProps = Object.keys(e.properties).length > 0;
  // What this operation wrote is kept apart too: a reader outside the others sees only that.
  const opProps = hasProps ? withOpProps(node.opProps, run.op, e.properties) : node.opProps;
  if (opProps !== node.opProps) {
    node.opProps = opProps;
    slot.dirty = true;
  }
  const merged: Properties = hasProps ? { ...parseProps(node.props), ...e.properties } : {};
  const props = hasProps ? JSON.stringify(merged) : node.props;
  const review = e.reviewDate ?? node.reviewDate ?? null;
  if (label === node.label && props === node.props && review === (node.reviewDate ?? null))
    return 'unchanged';
  node.label = label;
  node.props = props;
  node.search = searchText(parseProps(props), label);
  node.reviewDate = review;
  node.updatedAt = run.now;
  slot.dirty = true;
  return 'updated';
}

/** Entities by natural key: one slot per entity however often the batch names it, in memory until saved. */
export function upsertEntities(
  run: BatchRun,
  { inputs, existing, claimed }: ResolvedKeys,
  reports: Map<string, ReportNode>,
): EntityUpserts {
  const out: EntityUpserts = { byId: new Map(), keyed: new Map(), mentions: [], joined: [] };
  for (const [i, input] of inputs.entries()) {
    const cited = citedReports(reports, input.e.reports, ['entities', i]);
    const k = kk(input.e.type, input.key);
    const hitId = out.keyed.get(k)?.id ?? existing.get(k)?.id;
    let slot = hitId ? out.byId.get(hitId) : undefined;
    if (!slot && hitId) {
      const stored = entityNode(existing.get(k)!);
      slot = { fact: { ...stored }, isNew: false, dirty: false, orig: stored };
      out.byId.set(hitId, slot);
    }
    let status: Mention<EntityNode>['status'];
    if (!slot) {
      slot = newEntity(run, input, claimed.get(k)!);
      out.byId.set(slot.fact.id, slot);
      status = 'created';
    } else {
      // Met in another operation: "the same phone in two operations is one entity", now a member of both.
      const joined = joinOp(slot.fact, run.op);
      if (joined) {
        slot.dirty = true;
        out.joined.push(slot.fact.id);
      }
      status = mergeEntity(run, slot, input);
      if (joined && status === 'unchanged') {
        slot.fact.updatedAt = run.now;
        status = 'updated';
      }
    }
    out.mentions.push({ slot, reports: cited, status });
    run.res.entityIds.push(slot.fact.id);
    out.keyed.set(k, { id: slot.fact.id, type: input.e.type });
  }
  return out;
}

/** The fields of an entity the batch creates that every other one it creates has alike. */
const COMMON = ['createdAt', 'updatedAt', 'ops', 'imports'] as const;

/**
 * Creates the batch's new entities, whole, in key order (two writers creating overlapping keys take the
 * constraint's locks in one order, so neither waits on the other in a cycle). A key another writer created
 * after the lookup is not created again: MERGE waits on the constraint until that writer commits, then finds
 * its entity (locked for this batch in turn), which is returned, by natural key, to be met as a stored one.
 */
async function createEntities(run: BatchRun, { byId }: EntityUpserts): Promise<Map<string, EntityNode>> {
  const fresh = [...byId.values()].filter((s) => s.isNew).map((s) => s.fact);
  const lost = new Map<string, EntityNode>();
  if (fresh.length === 0) return lost;
  // What every new entity of the batch has alike (its operation, import and time) is sent once ($common), not
  // entity by entity; type and key go only in the row's own fields.
  const first = fresh[0];
  const alike = fresh.every((e) =>
    COMMON.every((k) => {
      const a = e[k];
      const b = first[k];
      return Array.isArray(a) && Array.isArray(b) ? a.join('\u0000') === b.join('\u0000') : a === b;
    }),
  );
  const common: Record<string, unknown> = {};
  if (alike) for (const k of COMMON) common[k] = first[k];
  const rows = fresh
    .map((f) => {
      const { type, key, ...rest } = f;
      const e: Record<string, unknown> = rest;
      if (alike) for (const k of COMMON) delete e[k];
      return { k: kk(type, key), row: { type, key, e } };
    })
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((r) => r.row);
  for (const r of await run.tx.run('entities-merge-new', { rows, common }))
    lost.set(kk(r.type as string, r.key as string), r.e as unknown as EntityNode);
  return lost;
}

/** Writes back the fields the batch changed on the stored entities it met again: one query. */
async function saveChanged(run: BatchRun, { byId }: EntityUpserts): Promise<void> {
  const rows = [];
  for (const s of byId.values()) {
    if (s.isNew || !s.dirty) continue;
    const set = changedFields(s.orig!, s.fact);
    if (Object.keys(set).length) rows.push({ id: s.fact.id, set });
  }
  if (rows.length) await run.tx.run('entities-set', { rows });
}

/** The entity steps after the lookup and the locks: plan in memory, create the new ones, save the changed. */
export async function writeEntities(
  run: BatchRun,
  keys: ResolvedKeys,
  reports: Map<string, ReportNode>,
): Promise<EntityUpserts> {
  numberNewEntities(run, keys);
  const before = { res: structuredClone(run.res), changed: run.changed };
  const plan = (): EntityUpserts => {
    const u = upsertEntities(run, keys, reports);
    recordProvenance(run, 'entities', u.mentions);
    return u;
  };
  let entities = plan();
  const lost = await createEntities(run, entities);
  if (lost.size) {
    // Created by another writer since the lookup: planned again as stored entities (the batch's own new
    // entities come out as before, numbers and all); the number each would have taken goes back.
    for (const [k, e] of lost) {
      keys.existing.set(k, e);
      run.st.release('entity', keys.claimed.get(k)!.n);
      keys.claimed.delete(k);
    }
    run.res = before.res;
    run.changed = before.changed;
    entities = plan();
  }
  await saveChanged(run, entities);
  return entities;
}
