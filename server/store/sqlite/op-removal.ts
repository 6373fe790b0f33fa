// Deleting an entity or a link in one operation on SQLite (issue 17). When other operations hold the fact too,
// only what the working operation holds of it goes: its membership and its copy of the entity's properties,
// its reports attached to the fact, its links at the entity that no other operation holds (with their calls
// and reads), and on the links others hold too its membership, reports, calls and reads; the entity's union of
// properties is rebuilt from the copies left. When the working operation is the only one, the fact goes whole,
// as before operations. Runs inside the caller's transaction.
import type { Properties } from '../../domain/model.ts';
import type { FactRemoval } from '../graph-store.ts';
import { entityId, linkId, operationId, reportId } from '../shared/ids.ts';
import { notInOperation } from '../shared/shared-facts.ts';
import { parseProps, searchText } from '../shared/values.ts';
import type { SqliteConnection } from './connection.ts';
import { closeLeftSubject } from './deconfliction.ts';
import { recomputeLinks } from './events.ts';
import { recomputeGrades } from './merge.ts';

const byId = (a: number, b: number) => a - b;

function opsOf(c: SqliteConnection, kind: 'entity' | 'link', n: number): number[] {
  return c.st(`SELECT op_id FROM ${kind}_ops WHERE ${kind}_id = ?`).pluck().all(n) as number[];
}

/** Deletes links `ids` whole, with their calls and reads; returns how many events went. */
function dropLinks(c: SqliteConnection, ids: number[]): number {
  if (ids.length === 0) return 0;
  const list = JSON.stringify(ids);
  const events = c
    .st('DELETE FROM events WHERE link_id IN (SELECT value FROM json_each(?))')
    .run(list).changes;
  c.st('DELETE FROM links WHERE id IN (SELECT value FROM json_each(?))').run(list);
  return events;
}

/** Report ids of operation `op` attached to `kind` `n`, detached here. */
function detachReports(c: SqliteConnection, kind: 'entity' | 'link', n: number, op: number): number[] {
  const t = `${kind}_reports`;
  const col = `${kind}_id`;
  const ids = c
    .st(
      `SELECT j.report_id FROM ${t} j JOIN reports r ON r.id = j.report_id WHERE j.${col} = ? AND r.op_id = ?`,
    )
    .pluck()
    .all(n, op) as number[];
  if (ids.length)
    c.st(`DELETE FROM ${t} WHERE ${col} = ? AND report_id IN (SELECT value FROM json_each(?))`).run(
      n,
      JSON.stringify(ids),
    );
  return ids;
}

/**
 * Operation `op` leaves link `n`, which others keep: its membership, reports, calls and reads go; the link's
 * grading and counts follow what is left. Returns the reports detached and the events removed.
 */
function leaveLink(
  c: SqliteConnection,
  n: number,
  op: number,
  now: string,
): { reports: number[]; events: number } {
  c.st('DELETE FROM link_ops WHERE link_id = ? AND op_id = ?').run(n, op);
  const reports = detachReports(c, 'link', n, op);
  if (reports.length) recomputeGrades(c.db, n);
  const events = c.st('DELETE FROM events WHERE link_id = ? AND op_id = ?').run(n, op).changes;
  if (events > 0) {
    if (c.st('SELECT 1 FROM events WHERE link_id = ? LIMIT 1').get(n)) recomputeLinks(c, [n], now);
    else clearCounts(c, n, now);
  }
  if (reports.length || events) c.st('UPDATE links SET updated_at = ? WHERE id = ?').run(now, n);
  return { reports, events };
}

/** A link whose calls or reads were all the leaving operation's: no counts of theirs stay on it. */
function clearCounts(c: SqliteConnection, n: number, now: string): void {
  const props = parseProps(c.st('SELECT properties FROM links WHERE id = ?').pluck().get(n) as string);
  for (const k of ['calls', 'totalDuration', 'reads'] as const) if (k in props) props[k] = 0;
  c.st(
    `UPDATE links SET weight = 1, first_seen = NULL, last_seen = NULL, first_ms = NULL, last_ms = NULL,
       properties = ?, updated_at = ? WHERE id = ?`,
  ).run(JSON.stringify(props), now, n);
}

/** The entity's properties rebuilt from the copies the operations still holding it keep, in joining order. */
function rebuildUnion(c: SqliteConnection, n: number, now: string): void {
  const copies = c
    .st('SELECT properties FROM entity_ops WHERE entity_id = ? ORDER BY added_at, op_id')
    .pluck()
    .all(n) as string[];
  const props = Object.assign({}, ...copies.map(parseProps)) as Properties;
  const label = c.st('SELECT label FROM entities WHERE id = ?').pluck().get(n) as string;
  c.st('UPDATE entities SET properties = ?, search_text = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(props),
    searchText(props, label),
    now,
    n,
  );
}

function removal(
  op: number,
  entities: number[],
  links: number[],
  reports: number[],
  events: number,
): FactRemoval {
  return {
    operationId: operationId(op),
    entities: entities.sort(byId).map(entityId),
    links: [...new Set(links)].sort(byId).map(linkId),
    reports: [...new Set(reports)].sort(byId).map(reportId),
    events,
  };
}

/**
 * Entity `n` deleted in operation `op` by `actor` (see the head of this file). When others keep it, the
 * deconfliction notices between `op` and them on it are resolved: it is no longer shared.
 */
export function removeEntityFrom(c: SqliteConnection, n: number, op: number, actor: string): FactRemoval {
  const ops = opsOf(c, 'entity', n);
  if (ops.length > 0 && !ops.includes(op)) throw notInOperation('entity', entityId(n), operationId(op));
  const links = c
    .st('SELECT id FROM links WHERE from_id = ? UNION SELECT id FROM links WHERE to_id = ?')
    .pluck()
    .all(n, n) as number[];
  if (ops.length <= 1) {
    const reports = c
      .st('SELECT report_id FROM entity_reports WHERE entity_id = ?')
      .pluck()
      .all(n) as number[];
    const events = dropLinks(c, links);
    c.st('DELETE FROM entities WHERE id = ?').run(n);
    return removal(op, [n], links, reports, events);
  }
  const now = new Date().toISOString();
  const sole: number[] = [];
  const left: number[] = [];
  let events = 0;
  const reports = detachReports(c, 'entity', n, op);
  for (const l of links) {
    const held = opsOf(c, 'link', l);
    if (!held.includes(op)) continue;
    if (held.length === 1) {
      sole.push(l);
      continue;
    }
    const gone = leaveLink(c, l, op, now);
    left.push(l);
    reports.push(...gone.reports);
    events += gone.events;
  }
  events += dropLinks(c, sole);
  c.st('DELETE FROM entity_ops WHERE entity_id = ? AND op_id = ?').run(n, op);
  closeLeftSubject(c, op, n, now, actor);
  rebuildUnion(c, n, now);
  return removal(op, [n], [...sole, ...left], reports, events);
}

/** Link `n` deleted in operation `op`: it goes whole only when no other operation holds it. */
export function removeLinkFrom(c: SqliteConnection, n: number, op: number): FactRemoval {
  const ops = opsOf(c, 'link', n);
  if (ops.length > 0 && !ops.includes(op)) throw notInOperation('link', linkId(n), operationId(op));
  if (ops.length <= 1) {
    const reports = c.st('SELECT report_id FROM link_reports WHERE link_id = ?').pluck().all(n) as number[];
    return removal(op, [], [n], reports, dropLinks(c, [n]));
  }
  const gone = leaveLink(c, n, op, new Date().toISOString());
  return removal(op, [], [n], gone.reports, gone.events);
}
