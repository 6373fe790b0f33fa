// writeBatch step (graph-write.ts): entities, by natural key (or an alias a merge left), created or
// updated with their properties merged, and put into the full-text index.
import type Database from 'better-sqlite3';
import type { Properties } from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { normaliseName } from '../../domain/normalise.ts';
import {
  joinProvenance,
  joinStatements,
  resolveReports,
  tally,
  type Batch,
  type Joins,
  type Status,
} from './graph-write-batch.ts';
import { entityId } from '../shared/ids.ts';
import { nfcKey, parseProps, searchText } from '../shared/values.ts';
import { INDEX_NEW_ENTITIES_SQL } from './schema.ts';
import { invalid, type EntityParsed } from '../shared/validate.ts';

interface ExistingEntity {
  id: number;
  label: string;
  properties: string;
  review_date: string | null;
}

interface EntityStep {
  get: Database.Statement;
  getAliased: Database.Statement;
  ins: Database.Statement;
  upd: Database.Statement;
  joins: Joins;
  /** The first row id this batch created (0: none yet, or indexed already). */
  firstNew: number;
  /** The first row id this batch created (0: none), for their operation memberships. */
  firstCreated: number;
  opProps: Database.Statement;
  opJoin: Database.Statement;
  opSet: Database.Statement;
}

export function upsertEntities(b: Batch, entities: EntityParsed[]): void {
  if (entities.length === 0) return;
  const c = b.c;
  const s: EntityStep = {
    get: c.st('SELECT id, label, properties, review_date FROM entities WHERE type = ? AND key = ?'),
    getAliased: c.st(
      `SELECT e.id, e.label, e.properties, e.review_date FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
       WHERE a.type = ? AND a.key = ?`,
    ),
    ins: c.st(
      `INSERT INTO entities (type, key, label, properties, search_text, review_date, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (type, key) DO NOTHING`,
    ),
    upd: c.st(
      'UPDATE entities SET label = ?, properties = ?, search_text = ?, review_date = ?, updated_at = ? WHERE id = ?',
    ),
    joins: joinStatements(b, 'entity'),
    firstNew: 0,
    firstCreated: 0,
    opProps: c.st('SELECT properties FROM entity_ops WHERE entity_id = ? AND op_id = ?').pluck(),
    opJoin: c.st('INSERT INTO entity_ops (entity_id, op_id, properties, added_at) VALUES (?, ?, ?, ?)'),
    opSet: c.st('UPDATE entity_ops SET properties = ? WHERE entity_id = ? AND op_id = ?'),
  };
  for (let i = 0; i < entities.length; i++) upsertEntity(b, s, entities[i], i);
  s.joins.pend.flush();
  // The batch's new entities are its operation's alone, with every property it wrote (ids only grow).
  if (s.firstCreated !== 0)
    c.st(
      `INSERT INTO entity_ops (entity_id, op_id, properties, added_at)
       SELECT id, ?, properties, created_at FROM entities WHERE id >= ?
       ON CONFLICT (entity_id, op_id) DO UPDATE SET properties = excluded.properties`,
    ).run(b.op, s.firstCreated);
  // Ids only grow (AUTOINCREMENT), so everything from the first new id on was made by this batch.
  indexNewEntities(b, s);
}

/** Puts the entities this batch created into the full-text index (a trigger keeps it after that). */
function indexNewEntities(b: Batch, s: EntityStep): void {
  if (s.firstNew === 0) return;
  b.c.st(INDEX_NEW_ENTITIES_SQL).run(s.firstNew);
  s.firstNew = 0;
}

function upsertEntity(b: Batch, s: EntityStep, e: EntityParsed, i: number): void {
  const label = normaliseName(e.label);
  const key = e.key ? nfcKey(e.key) : naturalKey(e.type, label, e.properties);
  if (!key) throw invalid(['entities', i, 'key'], 'the natural key is empty');
  const rs = resolveReports(b, e.reports, ['entities', i]);
  // Without aliases an insert that conflicts proves the key exists, so new rows skip the look-up.
  let ex = b.anyAlias
    ? ((s.get.get(e.type, key) ?? s.getAliased.get(e.type, key)) as ExistingEntity | undefined)
    : undefined;
  const newId = ex ? 0 : insertEntity(b, s, e, key, label);
  let id: number;
  let status: Status;
  if (newId !== 0) {
    id = newId;
    status = 'created';
    if (s.firstNew === 0) s.firstNew = id;
    if (s.firstCreated === 0) s.firstCreated = id;
    s.joins.pend.add(id, rs);
  } else {
    ex ??= s.get.get(e.type, key) as ExistingEntity | undefined;
    if (!ex) throw new Error('unreachable: an entity insert neither wrote nor conflicted');
    s.joins.pend.flush();
    id = ex.id;
    status = joinProvenance(b, s.joins, id, rs, updateEntity(b, s, ex, e, label));
    if (joinOperation(b, s, id, e.properties) && status === 'unchanged') {
      s.joins.touch.run(b.now, id);
      status = 'updated';
    }
  }
  b.inOp.add(id);
  tally(b, b.res.entities, status);
  b.res.entityIds.push(entityId(id));
  b.keyed.set(`${e.type}\u0000${key}`, { id, type: e.type });
}

/** Inserts a new entity; its row id, or 0 when one with its key exists already. */
function insertEntity(b: Batch, s: EntityStep, e: EntityParsed, key: string, label: string): number {
  const ins = s.ins.run(
    e.type,
    key,
    label,
    JSON.stringify(e.properties),
    searchText(e.properties, label),
    e.reviewDate ?? null,
    b.now,
    b.now,
  );
  return ins.changes === 1 ? Number(ins.lastInsertRowid) : 0;
}

/** An existing entity written again: the new label and review date, properties merged over the old. */
function updateEntity(b: Batch, s: EntityStep, ex: ExistingEntity, e: EntityParsed, label: string): Status {
  const hasProps = Object.keys(e.properties).length > 0;
  const merged: Properties = hasProps ? { ...parseProps(ex.properties), ...e.properties } : {};
  const props = hasProps ? JSON.stringify(merged) : ex.properties;
  const review = e.reviewDate ?? ex.review_date;
  if (label === ex.label && props === ex.properties && review === ex.review_date) return 'unchanged';
  // The update trigger takes the old text out of the index: it must be in there first.
  if (s.firstNew !== 0 && ex.id >= s.firstNew) indexNewEntities(b, s);
  const text = searchText(hasProps ? merged : parseProps(ex.properties), label);
  s.upd.run(label, props, text, review, b.now, ex.id);
  return 'updated';
}

/**
 * An entity that was there before, written by the batch's operation: it joins the operation (the same phone
 * in two operations is one entity) and the operation's own copy of its properties takes the new ones. True
 * when that changed anything.
 */
function joinOperation(b: Batch, s: EntityStep, id: number, props: Properties): boolean {
  if (s.firstCreated !== 0 && id >= s.firstCreated) return false; // the batch's own: written at the end
  const mine = s.opProps.get(id, b.op) as string | undefined;
  if (mine === undefined) {
    s.opJoin.run(id, b.op, JSON.stringify(props), b.now);
    b.joined.push(id);
    return true;
  }
  if (Object.keys(props).length === 0) return false;
  const merged = JSON.stringify({ ...parseProps(mine), ...props });
  if (merged === mine) return false;
  s.opSet.run(merged, id, b.op);
  return true;
}
