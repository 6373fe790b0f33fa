// The entity steps of a write batch: resolve every entity's natural key (and find the stored entities those
// keys already name), then upsert them by key. Provenance and the counts follow in graph-write-batch.ts.
import type { Properties } from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { normaliseName } from '../../domain/normalise.ts';
import { nfcKey, searchText } from '../shared/values.ts';
import { invalid, type EntityParsed } from '../shared/validate.ts';
import { lockEntities, WriteRace } from './context.ts';
import type { Tx } from './executor.ts';
import {
  citedReports,
  kk,
  lookupKeys,
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
  /** Stored entities by natural key (kk). */
  existing: Map<string, EntityNode>;
  /** Entities this batch creates, by natural key: claimed bare by lockEntitiesOf, filled in by saveEntities. */
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
  const existing = await lookupKeys(
    tx,
    inputs.map((p) => ({ type: p.e.type, key: p.key })),
  );
  return { inputs, existing, claimed: new Map() };
}

/**
 * Locks the stored entities the batch names (so no other writer changes them until it commits) and takes
 * them as they are now, not as first looked up; reserves numbers for the entities it will create.
 */
export async function lockEntitiesOf(run: BatchRun, keys: ResolvedKeys): Promise<void> {
  const ids = new Set([...keys.existing.values()].map((e) => e.id));
  const fresh = new Map(
    (await lockEntities(run.tx, ids)).map((e) => [e.id as string, e as unknown as EntityNode]),
  );
  for (const [k, e] of keys.existing) {
    const now = fresh.get(e.id);
    // Removed or merged away since it was looked up: the batch starts again and finds what is there now.
    if (!now || now.type !== e.type) throw new WriteRace(`or removed entity ${e.id}`);
    keys.existing.set(k, now);
  }
  // The keys found nowhere are claimed (created bare, in key order) now, so a writer creating the same entity
  // at the same moment waits here and then finds it, rather than both creating it.
  const claim = new Map<string, { type: string; key: string }>();
  for (const p of keys.inputs) {
    const k = kk(p.e.type, p.key);
    if (!keys.existing.has(k)) claim.set(k, { type: p.e.type, key: p.key });
  }
  if (claim.size === 0) return;
  await run.st.reserve('entity', claim.size);
  // Numbered in input order (as SQLite numbers them), claimed in key order (two writers claiming overlapping
  // keys take their locks in one order, so neither waits on the other in a cycle).
  const rows = [...claim.entries()]
    .map(([k, c]) => {
      const n = run.st.take('entity');
      return { k, row: { ...c, id: `e${n}`, n } };
    })
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((r) => r.row);
  for (const r of await run.tx.run('entities-claim', { rows })) {
    const k = kk(r.type as string, r.key as string);
    const e = r.e as unknown as EntityNode;
    if (r.created) keys.claimed.set(k, { id: e.id, n: e.n });
    else keys.existing.set(k, e);
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
      slot = { fact: entityNode(existing.get(k)!), isNew: false, dirty: false };
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

/** Writes the entities the batch created (claimed bare) or changed: one query. */
export async function saveEntities(run: BatchRun, { byId }: EntityUpserts): Promise<void> {
  const rows = [...byId.values()].filter((s) => s.isNew || s.dirty).map((s) => s.fact);
  if (rows.length) await run.tx.run('entities-update', { rows });
}
