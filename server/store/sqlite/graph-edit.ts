// GraphStore edits on SQLite, each one transaction that moves the data version when it changes anything:
// patching or deleting one entity or link, disposing of a report and what rests on it alone, moving a
// report's review date, and merging two entities (and undoing it; the row work is in merge.ts).
import { z } from 'zod';
import type { EntityDetail, LinkDetail, Report, WriteContext } from '../../domain/model.ts';
import { reportInputSchema } from '../../domain/model.ts';
import { normaliseName } from '../../domain/normalise.ts';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import type { EntityPatch, FactRemoval, LinkPatch, MergeRecord } from '../graph-store.ts';
import type { SqliteConnection } from './connection.ts';
import { entityRowId, getEntity, getLink, linkRowId, reportByRowId, reportRowId } from './graph-read.ts';
import { mergeEntities, recomputeGrades, unmergeEntities } from './merge.ts';
import { dropReportEvents, linksWithEvents, recomputeLinks } from './events.ts';
import { MERGE_COLS, toMerge, type MergeRow } from './rows.ts';
import { dateMs, parseProps, searchText, seen } from '../shared/values.ts';
import { entityId, linkId, parseId, parsePlainId } from '../shared/ids.ts';
import { MERGE_KEY } from '../shared/list-key.ts';
import { entityPatchSchema, invalid, linkPatchSchema, parseOr } from '../shared/validate.ts';
import { recordSharedSubjects } from './deconfliction.ts';
import { writeOperation } from './operations.ts';
import { entityVisible, type SqlScope } from './scope.ts';
import { removeEntityFrom, removeLinkFrom } from './op-removal.ts';
import { sharedEntityEdit, sharedLinkEdit, sharedMerge, unreadableHolders } from '../shared/shared-facts.ts';
import { operationId } from '../shared/ids.ts';

const reviewDateSchema = z.object({ reviewDate: reportInputSchema.shape.date });

/** Report row ids by ref; a report of an operation the writer cannot read is one that does not exist. */
function reportIdsFor(
  c: SqliteConnection,
  refs: string[],
  at: (string | number)[],
  ctx: WriteContext,
): number[] {
  const byRef = c.st('SELECT id, op_id FROM reports WHERE ref = ?');
  return refs.map((ref, j) => {
    const r = byRef.get(ref) as { id: number; op_id: number } | undefined;
    if (r === undefined || unreadableHolders([operationId(r.op_id)], ctx).length)
      throw invalid([...at, j], `report ${JSON.stringify(ref)} does not exist`);
    return r.id;
  });
}

/** The operations (ids) holding entity or link `n`. */
function holders(c: SqliteConnection, kind: 'entity' | 'link', n: number): string[] {
  return (c.st(`SELECT op_id FROM ${kind}_ops WHERE ${kind}_id = ?`).pluck().all(n) as number[]).map(
    operationId,
  );
}

/**
 * Attaches and detaches the patch's reports of entity or link `n`; true when a join row changed. Unknown
 * refs are refused before any is written.
 */
function patchReports(
  c: SqliteConnection,
  kind: 'entity' | 'link',
  n: number,
  p: { addReports?: string[]; removeReports?: string[] },
  ctx: WriteContext,
): boolean {
  const add = reportIdsFor(c, p.addReports ?? [], ['addReports'], ctx);
  const remove = reportIdsFor(c, p.removeReports ?? [], ['removeReports'], ctx);
  let changed = false;
  for (const r of add)
    if (c.st(`INSERT OR IGNORE INTO ${kind}_reports VALUES (?, ?)`).run(n, r).changes) changed = true;
  for (const r of remove)
    if (c.st(`DELETE FROM ${kind}_reports WHERE ${kind}_id = ? AND report_id = ?`).run(n, r).changes)
      changed = true;
  return changed;
}

/**
 * Entity `n` edited in operation `op`: it joins the operation, whose own copy of its properties becomes
 * `props` when given; returns the properties of the entity row (the union: the other operations' copies,
 * this one's over them) and whether the membership changed.
 */
function editInOperation(
  c: SqliteConnection,
  n: number,
  op: number,
  props: string | undefined,
  now: string,
): { union: string | undefined; changed: boolean } {
  const mine = c
    .st('SELECT properties FROM entity_ops WHERE entity_id = ? AND op_id = ?')
    .pluck()
    .get(n, op) as string | undefined;
  let changed = false;
  if (mine === undefined) {
    c.st('INSERT INTO entity_ops (entity_id, op_id, properties, added_at) VALUES (?, ?, ?, ?)').run(
      n,
      op,
      props ?? '{}',
      now,
    );
    // DECONFLICTION HOOK: the entity joined this operation.
    recordSharedSubjects(c.db, op, [n], now);
    changed = true;
  } else if (props !== undefined && props !== mine) {
    c.st('UPDATE entity_ops SET properties = ? WHERE entity_id = ? AND op_id = ?').run(props, n, op);
    changed = true;
  }
  if (props === undefined) return { union: undefined, changed };
  const others = c
    .st('SELECT properties FROM entity_ops WHERE entity_id = ? AND op_id <> ? ORDER BY op_id')
    .pluck()
    .all(n, op) as string[];
  if (others.length === 0) return { union: props, changed };
  const union = Object.assign({}, ...others.map(parseProps), parseProps(props)) as Record<string, unknown>;
  return { union: JSON.stringify(union), changed };
}

export function updateEntity(
  c: SqliteConnection,
  id: string,
  patch: EntityPatch,
  ctx: WriteContext,
): EntityDetail {
  const p = parseOr(entityPatchSchema, patch, []);
  c.tx(() => {
    const op = writeOperation(c, ctx);
    const n = entityRowId(c, id);
    // The name and review date are the entity's in every operation: changed only by a writer who reads them all.
    const hidden = unreadableHolders(holders(c, 'entity', n), ctx).length > 0;
    const now = new Date().toISOString();
    const inOp = editInOperation(
      c,
      n,
      op,
      p.properties !== undefined ? JSON.stringify(p.properties) : undefined,
      now,
    );
    const row = c.st('SELECT label, properties, review_date FROM entities WHERE id = ?').get(n) as {
      label: string;
      properties: string;
      review_date: string | null;
    };
    const label = p.label !== undefined ? normaliseName(p.label) : row.label;
    const props = inOp.union ?? row.properties;
    const review = p.reviewDate !== undefined ? p.reviewDate : row.review_date;
    if (hidden && label !== row.label) throw sharedEntityEdit(id, 'label');
    if (hidden && review !== row.review_date) throw sharedEntityEdit(id, 'reviewDate');
    const changedRow = label !== row.label || props !== row.properties || review !== row.review_date;
    const changedJoins = patchReports(c, 'entity', n, p, ctx);
    if (!changedRow && !changedJoins && !inOp.changed) return;
    c.st(
      'UPDATE entities SET label = ?, properties = ?, search_text = ?, review_date = ?, updated_at = ? WHERE id = ?',
    ).run(label, props, searchText(parseProps(props), label), review, now, n);
    c.bump();
  });
  return getEntity(c, id)!;
}

export function updateLink(c: SqliteConnection, id: string, patch: LinkPatch, ctx: WriteContext): LinkDetail {
  const p = parseOr(linkPatchSchema, patch, []);
  c.tx(() => {
    const op = writeOperation(c, ctx);
    const n = linkRowId(c, id);
    const now = new Date().toISOString();
    const joined =
      c.st('INSERT OR IGNORE INTO link_ops (link_id, op_id, added_at) VALUES (?, ?, ?)').run(n, op, now)
        .changes > 0;
    const row = c.st('SELECT weight, first_seen, last_seen, properties FROM links WHERE id = ?').get(n) as {
      weight: number;
      first_seen: string | null;
      last_seen: string | null;
      properties: string;
    };
    const weight = p.weight ?? row.weight;
    const first = p.firstSeen !== undefined ? p.firstSeen : row.first_seen;
    const last = p.lastSeen !== undefined ? p.lastSeen : row.last_seen;
    if (first && last && dateMs(first) > dateMs(last, true)) {
      throw invalid(['lastSeen'], `lastSeen ${last} is before firstSeen ${first}`);
    }
    const props = p.properties !== undefined ? JSON.stringify(p.properties) : row.properties;
    const changedRow =
      weight !== row.weight || first !== row.first_seen || last !== row.last_seen || props !== row.properties;
    // A link keeps one weight, one pair of dates and one set of properties for every operation holding it.
    if (changedRow && unreadableHolders(holders(c, 'link', n), ctx).length) throw sharedLinkEdit(id);
    const changedJoins = patchReports(c, 'link', n, p, ctx);
    if (!changedRow && !changedJoins && !joined) return;
    const s = seen(first, last);
    c.st(
      `UPDATE links SET weight = ?, first_seen = ?, last_seen = ?, first_ms = ?, last_ms = ?, properties = ?,
         updated_at = ? WHERE id = ?`,
    ).run(weight, s.first, s.last, s.firstMs, s.lastMs, props, now, n);
    recomputeGrades(c.db, n);
    c.bump();
  });
  return getLink(c, id)!;
}

/** Deletes the entity in the working operation (op-removal.ts: only that operation's part when others hold it). */
export function deleteEntity(c: SqliteConnection, id: string, ctx: WriteContext): FactRemoval {
  return c.tx(() => {
    const op = writeOperation(c, ctx);
    const done = removeEntityFrom(c, entityRowId(c, id), op, ctx.actor);
    c.bump();
    return done;
  });
}

export function deleteLink(c: SqliteConnection, id: string, ctx: WriteContext): FactRemoval {
  return c.tx(() => {
    const op = writeOperation(c, ctx);
    const done = removeLinkFrom(c, linkRowId(c, id), op);
    c.bump();
    return done;
  });
}

const reportNotFound = (id: string): StoreError =>
  new StoreError('not_found', `report ${JSON.stringify(id)} does not exist`, ['id']);

/** Row ids of the `kind`s that rest on report `rid` and on no other. */
function restingOnlyOn(c: SqliteConnection, kind: 'entity' | 'link', rid: number): number[] {
  const t = `${kind}_reports`;
  const col = `${kind}_id`;
  return c
    .st(
      `SELECT j.${col} FROM ${t} j WHERE j.report_id = ?
         AND NOT EXISTS (SELECT 1 FROM ${t} o WHERE o.${col} = j.${col} AND o.report_id <> j.report_id)`,
    )
    .pluck()
    .all(rid) as number[];
}

export function deleteReport(c: SqliteConnection, id: string): { entities: string[]; links: string[] } {
  return c.tx(() => {
    const rid = reportRowId(c, id);
    if (rid === null) throw reportNotFound(id);
    // What rests on this report alone goes with it; links of a removed entity go too. A link whose calls
    // or reads came from this report keeps the events other sources gave it, and its counts follow.
    const evented = dropReportEvents(c, rid);
    const stillEvented = linksWithEvents(c, evented);
    const soleLinks = restingOnlyOn(c, 'link', rid).filter((l) => !stillEvented.has(l));
    const soleEntities = restingOnlyOn(c, 'entity', rid);
    const entityList = JSON.stringify(soleEntities);
    const otherLinks = c
      .st(
        'SELECT id FROM links WHERE from_id IN (SELECT value FROM json_each(?)) OR to_id IN (SELECT value FROM json_each(?))',
      )
      .pluck()
      .all(entityList, entityList) as number[];
    const removedLinks = [...new Set([...soleLinks, ...otherLinks])].sort((a, b) => a - b);
    const affected = c
      .st('SELECT link_id FROM link_reports WHERE report_id = ?')
      .pluck()
      .all(rid) as number[];
    c.st('DELETE FROM events WHERE link_id IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(removedLinks),
    );
    c.st('DELETE FROM links WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(removedLinks));
    c.st('DELETE FROM entities WHERE id IN (SELECT value FROM json_each(?))').run(entityList);
    c.st('DELETE FROM reports WHERE id = ?').run(rid);
    const gone = new Set(removedLinks);
    for (const l of affected) if (!gone.has(l)) recomputeGrades(c.db, l);
    recomputeLinks(
      c,
      [...stillEvented].filter((l) => !gone.has(l)),
      new Date().toISOString(),
    );
    c.bump();
    return { entities: soleEntities.sort((a, b) => a - b).map(entityId), links: removedLinks.map(linkId) };
  });
}

/** Retention review (retain): moves the review date on. Nothing else about a report ever changes. */
export function setReportReviewDate(c: SqliteConnection, id: string, reviewDate: string): Report {
  const date = parseOr(reviewDateSchema, { reviewDate }, []).reviewDate;
  return c.tx(() => {
    const n = reportRowId(c, id);
    if (n === null) throw reportNotFound(id);
    if (
      c.st('UPDATE reports SET review_date = ? WHERE id = ? AND review_date IS NOT ?').run(date, n, date)
        .changes
    )
      c.bump();
    return reportByRowId(c, n);
  });
}

function mergeRecord(c: SqliteConnection, id: number): MergeRecord {
  return toMerge(c.st(`SELECT ${MERGE_COLS} FROM merges WHERE id = ?`).get(id) as MergeRow);
}

export function merge(c: SqliteConnection, keepId: string, dropId: string, ctx: WriteContext): MergeRecord {
  const id = c.tx(() => {
    if (keepId === dropId) {
      throw new StoreError('conflict', `cannot merge entity ${JSON.stringify(keepId)} with itself`, [
        'dropId',
      ]);
    }
    const keep = parseId(keepId, 'e');
    const drop = parseId(dropId, 'e');
    if (keep === null)
      throw new StoreError('not_found', `entity ${JSON.stringify(keepId)} does not exist`, ['keepId']);
    if (drop === null)
      throw new StoreError('not_found', `entity ${JSON.stringify(dropId)} does not exist`, ['dropId']);
    // Both entities' records change: the merger must read every operation holding either.
    if (unreadableHolders(holders(c, 'entity', keep), ctx).length) throw sharedMerge(keepId, 'keepId');
    if (unreadableHolders(holders(c, 'entity', drop), ctx).length) throw sharedMerge(dropId, 'dropId');
    const mid = mergeEntities(c.db, keep, drop, ctx.actor, new Date().toISOString());
    c.bump();
    return mid;
  });
  return mergeRecord(c, id);
}

export function unmerge(c: SqliteConnection, mergeId: string): void {
  c.tx(() => {
    const n = parsePlainId(mergeId);
    if (n === null)
      throw new StoreError('not_found', `merge ${JSON.stringify(mergeId)} does not exist`, ['mergeId']);
    unmergeEntities(c.db, n);
    c.bump();
  });
}

/** Merges, newest first; under a scope those whose kept entity it sees. */
export function listMerges(
  c: SqliteConnection,
  opts: ListOptions,
  s: SqlScope | null = null,
): Page<MergeRecord> {
  const where = s ? entityVisible('merges.kept_id', s) : '1';
  return c.keyedPageOf(opts, MERGE_KEY, { cols: MERGE_COLS, from: 'merges', where, keyCol: 'id' }, toMerge);
}
