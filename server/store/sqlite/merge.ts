// Merging two entities that are the same real thing, and undoing it. The merge records a JSON snapshot of
// every row it changes or removes, as it was before, so unmerge puts back exactly that state.
// Both functions run inside the caller's transaction.
import type Database from 'better-sqlite3';
import { StoreError } from '../common.ts';
import { entityId, linkId } from '../shared/ids.ts';
import { mergeWouldCombine, sameOperations } from '../shared/shared-facts.ts';
import { parseProps, searchText } from '../shared/values.ts';
import { INDEX_ENTITY_SQL } from './schema.ts';
import { recordSharedSubjects } from './deconfliction.ts';

type Row = Record<string, string | number | null>;

interface Joins {
  reports: number[];
  imports: string[];
  /** Operation memberships [op_id, properties (entities only), added_at]; absent in merges made before them. */
  ops?: Array<[number, string | null, string]>;
}
interface EntitySnap extends Joins {
  row: Row;
}
interface LinkSnap extends Joins {
  row: Row;
}
export interface MergeSnapshot {
  keep: EntitySnap;
  drop: EntitySnap & { aliases: { type: string; key: string }[] };
  links: LinkSnap[];
  annotations: number[];
}

const ENTITY_COLUMNS = [
  'id',
  'type',
  'key',
  'label',
  'properties',
  'search_text',
  'review_date',
  'created_at',
  'updated_at',
];
const LINK_COLUMNS = [
  'id',
  'type',
  'from_id',
  'to_id',
  'directed',
  'weight',
  'first_seen',
  'last_seen',
  'first_ms',
  'last_ms',
  'properties',
  'grades',
  'created_at',
  'updated_at',
];

function entityJoins(db: Database.Database, id: number): Joins {
  return {
    reports: db
      .prepare('SELECT report_id FROM entity_reports WHERE entity_id = ?')
      .pluck()
      .all(id) as number[],
    imports: db
      .prepare('SELECT import_id FROM entity_imports WHERE entity_id = ?')
      .pluck()
      .all(id) as string[],
    ops: db
      .prepare('SELECT op_id, properties, added_at FROM entity_ops WHERE entity_id = ?')
      .raw()
      .all(id) as Array<[number, string, string]>,
  };
}
function linkSnap(db: Database.Database, row: Row): LinkSnap {
  return {
    row,
    reports: db
      .prepare('SELECT report_id FROM link_reports WHERE link_id = ?')
      .pluck()
      .all(row.id) as number[],
    imports: db
      .prepare('SELECT import_id FROM link_imports WHERE link_id = ?')
      .pluck()
      .all(row.id) as string[],
    ops: (
      db.prepare('SELECT op_id, added_at FROM link_ops WHERE link_id = ?').raw().all(row.id) as Array<
        [number, string]
      >
    ).map(([op, at]) => [op, null, at]),
  };
}

function linkOps(db: Database.Database, link: number): string[] {
  return (db.prepare('SELECT op_id FROM link_ops WHERE link_id = ?').pluck().all(link) as number[]).map(
    String,
  );
}

/** Recomputes a link's grading mask from the reports now behind it. */
export function recomputeGrades(db: Database.Database, link: number): void {
  const bits = db
    .prepare(
      'SELECT r.grade_bit FROM link_reports lr JOIN reports r ON r.id = lr.report_id WHERE lr.link_id = ?',
    )
    .pluck()
    .all(link) as number[];
  let mask = 0;
  for (const b of bits) mask |= b;
  db.prepare('UPDATE links SET grades = ? WHERE id = ?').run(mask, link);
}

function minDate(a: Row, b: Row, col: 'first' | 'last'): [string | number | null, string | number | null] {
  const sc = `${col}_seen`;
  const mc = `${col}_ms`;
  if (a[mc] === null) return [b[sc], b[mc]];
  if (b[mc] === null) return [a[sc], a[mc]];
  const pickA =
    col === 'first' ? (a[mc] as number) <= (b[mc] as number) : (a[mc] as number) >= (b[mc] as number);
  return pickA ? [a[sc], a[mc]] : [b[sc], b[mc]];
}

/** The two entities' rows, refused unless both exist, are different and are of the same type. */
function mergeable(db: Database.Database, keep: number, drop: number): { keepRow: Row; dropRow: Row } {
  if (keep === drop) {
    throw new StoreError('conflict', `cannot merge entity ${entityId(keep)} with itself`, ['dropId']);
  }
  const keepRow = db.prepare('SELECT * FROM entities WHERE id = ?').get(keep) as Row | undefined;
  const dropRow = db.prepare('SELECT * FROM entities WHERE id = ?').get(drop) as Row | undefined;
  if (!keepRow) throw new StoreError('not_found', `entity ${entityId(keep)} does not exist`, ['keepId']);
  if (!dropRow) throw new StoreError('not_found', `entity ${entityId(drop)} does not exist`, ['dropId']);
  if (keepRow.type !== dropRow.type) {
    throw new StoreError(
      'conflict',
      `cannot merge a ${String(dropRow.type)} into a ${String(keepRow.type)}: only entities of the same type are the same thing`,
      ['dropId'],
    );
  }
  return { keepRow, dropRow };
}

/**
 * Moves `drop`'s links, reports, imports and key to `keep`, then deletes `drop`. A link that would then
 * duplicate one of `keep`'s (same type and ends) is combined into it: reports and imports united, the
 * larger weight, the seen dates widened. A link between the two entities is removed (it would join an
 * entity to itself). Returns the merge id.
 */
export function mergeEntities(
  db: Database.Database,
  keep: number,
  drop: number,
  actor: string,
  now: string,
): number {
  const { keepRow, dropRow } = mergeable(db, keep, drop);
  const mergeId = Number(
    db
      .prepare("INSERT INTO merges (kept_id, merged_id, actor, at, snapshot) VALUES (?, ?, ?, ?, '{}')")
      .run(keep, drop, actor, now).lastInsertRowid,
  );
  const snap: MergeSnapshot = {
    keep: { row: keepRow, ...entityJoins(db, keep) },
    drop: {
      row: dropRow,
      ...entityJoins(db, drop),
      aliases: db.prepare('SELECT type, key FROM entity_aliases WHERE entity_id = ?').all(drop) as {
        type: string;
        key: string;
      }[],
    },
    links: [],
    annotations: db
      .prepare("SELECT id FROM annotations WHERE target_kind = 'entity' AND target_id = ?")
      .pluck()
      .all(entityId(drop)) as number[],
  };
  moveLinks(db, keep, drop, now, snap);
  moveEntity(db, snap, mergeId, now);
  db.prepare('UPDATE merges SET snapshot = ? WHERE id = ?').run(JSON.stringify(snap), mergeId);
  return mergeId;
}

/** Moves each of `drop`'s links to `keep`, snapshotting every link it changes or removes first. */
function moveLinks(
  db: Database.Database,
  keep: number,
  drop: number,
  now: string,
  snap: MergeSnapshot,
): void {
  const snapped = new Set<number>();
  const dropLinks = db.prepare('SELECT * FROM links WHERE from_id = ? OR to_id = ?').all(drop, drop) as Row[];
  const findLink = db.prepare('SELECT * FROM links WHERE from_id = ? AND type = ? AND to_id = ?');
  for (const dl of dropLinks) {
    snap.links.push(linkSnap(db, dl));
    snapped.add(dl.id as number);
    let nf = dl.from_id === drop ? keep : (dl.from_id as number);
    let nt = dl.to_id === drop ? keep : (dl.to_id as number);
    if (nf === nt) {
      db.prepare('DELETE FROM links WHERE id = ?').run(dl.id);
      continue;
    }
    if (dl.directed === 0 && nf > nt) [nf, nt] = [nt, nf];
    const ex = findLink.get(nf, dl.type, nt) as Row | undefined;
    if (!ex) {
      db.prepare('UPDATE links SET from_id = ?, to_id = ?, updated_at = ? WHERE id = ?').run(
        nf,
        nt,
        now,
        dl.id,
      );
      continue;
    }
    // One operation's record of a link is never folded into another's (shared-facts.ts).
    if (!sameOperations(linkOps(db, ex.id as number), linkOps(db, dl.id as number)))
      throw mergeWouldCombine(linkId(dl.id as number), linkId(ex.id as number));
    if (!snapped.has(ex.id as number)) {
      snap.links.push(linkSnap(db, ex));
      snapped.add(ex.id as number);
    }
    combineLinks(db, ex, dl, now);
  }
}

/** Combines link `dl` into `ex`, which joins the same ends, and deletes `dl`. */
function combineLinks(db: Database.Database, ex: Row, dl: Row, now: string): void {
  const [fs, fm] = minDate(ex, dl, 'first');
  const [ls, lm] = minDate(ex, dl, 'last');
  const props = { ...parseProps(dl.properties as string), ...parseProps(ex.properties as string) };
  db.prepare(
    `UPDATE links SET weight = ?, first_seen = ?, first_ms = ?, last_seen = ?, last_ms = ?, properties = ?,
       grades = grades | ?, updated_at = ? WHERE id = ?`,
  ).run(
    Math.max(ex.weight as number, dl.weight as number),
    fs,
    fm,
    ls,
    lm,
    JSON.stringify(props),
    dl.grades,
    now,
    ex.id,
  );
  db.prepare(
    'INSERT OR IGNORE INTO link_reports (link_id, report_id) SELECT ?, report_id FROM link_reports WHERE link_id = ?',
  ).run(ex.id, dl.id);
  db.prepare(
    'INSERT OR IGNORE INTO link_imports (link_id, import_id) SELECT ?, import_id FROM link_imports WHERE link_id = ?',
  ).run(ex.id, dl.id);
  db.prepare(
    'INSERT OR IGNORE INTO link_ops (link_id, op_id, added_at) SELECT ?, op_id, added_at FROM link_ops WHERE link_id = ?',
  ).run(ex.id, dl.id);
  db.prepare('DELETE FROM links WHERE id = ?').run(dl.id);
}

/** Moves the dropped entity's joins, properties, aliases and annotations to the kept one and deletes it. */
function moveEntity(db: Database.Database, snap: MergeSnapshot, mergeId: number, now: string): void {
  const keepRow = snap.keep.row;
  const dropRow = snap.drop.row;
  const keep = keepRow.id as number;
  const drop = dropRow.id as number;
  db.prepare(
    'INSERT OR IGNORE INTO entity_reports (entity_id, report_id) SELECT ?, report_id FROM entity_reports WHERE entity_id = ?',
  ).run(keep, drop);
  db.prepare(
    'INSERT OR IGNORE INTO entity_imports (entity_id, import_id) SELECT ?, import_id FROM entity_imports WHERE entity_id = ?',
  ).run(keep, drop);
  // The kept entity is in every operation either was in; each operation's own properties are merged the
  // same way as the entity's (the kept one's win). Operations new to the kept entity may be held by others.
  const newOps = db
    .prepare(
      'SELECT op_id FROM entity_ops d WHERE d.entity_id = ? AND NOT EXISTS (SELECT 1 FROM entity_ops k WHERE k.entity_id = ? AND k.op_id = d.op_id)',
    )
    .pluck()
    .all(drop, keep) as number[];
  db.prepare(
    `INSERT INTO entity_ops (entity_id, op_id, properties, added_at)
     SELECT ?, op_id, properties, added_at FROM entity_ops WHERE entity_id = ?
     ON CONFLICT (entity_id, op_id) DO UPDATE SET properties = json_patch(excluded.properties, entity_ops.properties)`,
  ).run(keep, drop);
  // DECONFLICTION HOOK: the kept entity joined the merged one's operations.
  for (const op of newOps) recordSharedSubjects(db, op, [keep], now);
  // The kept entity's own properties win; the merged one's fill the gaps.
  const props = { ...parseProps(dropRow.properties as string), ...parseProps(keepRow.properties as string) };
  db.prepare('UPDATE entities SET properties = ?, search_text = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(props),
    searchText(props, keepRow.label as string),
    now,
    keep,
  );
  db.prepare('UPDATE entity_aliases SET entity_id = ? WHERE entity_id = ?').run(keep, drop);
  db.prepare("UPDATE annotations SET target_id = ? WHERE target_kind = 'entity' AND target_id = ?").run(
    entityId(keep),
    entityId(drop),
  );
  db.prepare('DELETE FROM entities WHERE id = ?').run(drop);
  db.prepare('INSERT INTO entity_aliases (type, key, entity_id, merge_id) VALUES (?, ?, ?, ?)').run(
    dropRow.type,
    dropRow.key,
    keep,
    mergeId,
  );
}

function insertRow(db: Database.Database, table: string, cols: string[], row: Row): void {
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
    ...cols.map((c) => row[c]),
  );
}

function restoreJoins(db: Database.Database, kind: 'entity' | 'link', id: number, j: Joins): void {
  const t = kind === 'entity' ? 'entity' : 'link';
  db.prepare(`DELETE FROM ${t}_reports WHERE ${t}_id = ?`).run(id);
  db.prepare(`DELETE FROM ${t}_imports WHERE ${t}_id = ?`).run(id);
  // A report deleted since the merge stays deleted.
  const addReport = db.prepare(
    `INSERT OR IGNORE INTO ${t}_reports (${t}_id, report_id) SELECT ?, id FROM reports WHERE id = ?`,
  );
  for (const r of j.reports) addReport.run(id, r);
  const addImport = db.prepare(`INSERT OR IGNORE INTO ${t}_imports (${t}_id, import_id) VALUES (?, ?)`);
  for (const i of j.imports) addImport.run(id, i);
  // A merge made before operations kept none: the row goes back to GENERAL, where everything was then.
  db.prepare(`DELETE FROM ${t}_ops WHERE ${t}_id = ?`).run(id);
  const ops = j.ops ?? [[1, null, new Date().toISOString()]];
  if (kind === 'entity') {
    const add = db.prepare(
      'INSERT INTO entity_ops (entity_id, op_id, properties, added_at) VALUES (?, ?, ifnull(?, (SELECT properties FROM entities WHERE id = ?)), ?)',
    );
    for (const [op, props, at] of ops) add.run(id, op, props, id, at);
  } else {
    const add = db.prepare('INSERT INTO link_ops (link_id, op_id, added_at) VALUES (?, ?, ?)');
    for (const [op, , at] of ops) add.run(id, op, at);
  }
}

/** Puts back the state before merge `mergeId`. */
export function unmergeEntities(db: Database.Database, mergeId: number): void {
  const m = db.prepare('SELECT * FROM merges WHERE id = ?').get(mergeId) as Row | undefined;
  if (!m) throw new StoreError('not_found', `merge ${mergeId} does not exist`, ['mergeId']);
  if (m.undone) throw new StoreError('conflict', `merge ${mergeId} has already been undone`, ['mergeId']);
  const keep = m.kept_id as number;
  const drop = m.merged_id as number;
  const later = db
    .prepare(
      'SELECT id FROM merges WHERE id > ? AND undone = 0 AND (kept_id = ? OR merged_id = ?) ORDER BY id DESC',
    )
    .pluck()
    .get(mergeId, keep, keep) as number | undefined;
  if (later !== undefined) {
    throw new StoreError('conflict', `undo merge ${later} first: it changed the same entity later`, [
      'mergeId',
    ]);
  }
  if (!db.prepare('SELECT 1 FROM entities WHERE id = ?').get(keep)) {
    throw new StoreError('conflict', `entity ${entityId(keep)} was deleted after merge ${mergeId}`, [
      'mergeId',
    ]);
  }
  const snap = JSON.parse(m.snapshot as string) as MergeSnapshot;
  insertRow(db, 'entities', ENTITY_COLUMNS, snap.drop.row);
  db.prepare(INDEX_ENTITY_SQL).run(drop);
  restoreJoins(db, 'entity', drop, snap.drop);
  db.prepare(
    'UPDATE entities SET label = ?, properties = ?, search_text = ?, review_date = ?, updated_at = ? WHERE id = ?',
  ).run(
    snap.keep.row.label,
    snap.keep.row.properties,
    snap.keep.row.search_text,
    snap.keep.row.review_date,
    snap.keep.row.updated_at,
    keep,
  );
  restoreJoins(db, 'entity', keep, snap.keep);
  db.prepare('DELETE FROM entity_aliases WHERE merge_id = ?').run(mergeId);
  const realias = db.prepare('UPDATE entity_aliases SET entity_id = ? WHERE type = ? AND key = ?');
  for (const a of snap.drop.aliases) realias.run(drop, a.type, a.key);
  const del = db.prepare('DELETE FROM links WHERE id = ?');
  for (const l of snap.links) del.run(l.row.id);
  const exists = db.prepare('SELECT 1 FROM entities WHERE id = ?');
  for (const l of snap.links) {
    // A link whose other end was deleted after the merge stays deleted.
    if (!exists.get(l.row.from_id) || !exists.get(l.row.to_id)) continue;
    insertRow(db, 'links', LINK_COLUMNS, l.row);
    restoreJoins(db, 'link', l.row.id as number, l);
    recomputeGrades(db, l.row.id as number);
  }
  const retarget = db.prepare('UPDATE annotations SET target_id = ? WHERE id = ?');
  for (const a of snap.annotations) retarget.run(entityId(drop), a);
  db.prepare('UPDATE merges SET undone = 1 WHERE id = ?').run(mergeId);
}
