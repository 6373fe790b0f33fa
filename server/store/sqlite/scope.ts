// Need-to-know on SQLite: what a read scope (some operations) sees. A fact is hidden when every operation it
// belongs to is outside the scope (a link also when either end is hidden); a visible fact that some
// out-of-scope operation also holds ("partial") shows only what the scope's operations hold of it: an
// entity the merge of their copies of its properties, a link the grading of in-scope reports and the counts
// of in-scope calls and reads. Reads ask resolveScope first: null (the scope covers every operation there is)
// is the fast path, today's reads unchanged.
import type { Entity, Link } from '../../domain/model.ts';
import type { ReadScope } from '../../domain/operations.ts';
import { isoSecond, withCounts } from '../shared/events.ts';
import { parseProps } from '../shared/values.ts';
import { parseId } from '../shared/ids.ts';
import type { SqliteConnection } from './connection.ts';
import { operationRowIds } from './operations.ts';
import { gradingFromMask } from './rows.ts';

/** A scope as SQL needs it: operation row ids in it and (existing ones) out of it. */
export interface SqlScope {
  readonly in: readonly number[];
  readonly out: readonly number[];
  /** Identifies the scope among others of the same store state (the sets' cache key). */
  readonly key: string;
}

/**
 * The scope of a read: `ops` (operation ids; absent or 'all': everything). Null when it hides nothing,
 * i.e. every operation there is lies in it: the read goes as it always has.
 */
export function resolveScope(
  c: SqliteConnection,
  ops: ReadScope | readonly string[] | undefined,
): SqlScope | null {
  if (ops === undefined || ops === 'all') return null;
  const list = Array.isArray(ops) ? ops : (ops as { operations: readonly string[] }).operations;
  const inIds = [...new Set(operationRowIds(list))].sort((a, b) => a - b);
  // Read each time, not cached: an operation made a moment ago must be hidden from the first read on.
  const out = c
    .st(`SELECT id FROM operations WHERE id NOT IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .pluck()
    .all(JSON.stringify(inIds)) as number[];
  if (out.length === 0) return null;
  return { in: inIds, out, key: `${inIds.join(',')}|${out.join(',')}` };
}

/** Effective operations of a scoped read given a view's own (`filter.operations`): their intersection. */
export function narrowOps(
  scope: ReadScope,
  own: readonly string[] | undefined,
): readonly string[] | undefined {
  if (scope === 'all') return own;
  if (!own) return scope.operations;
  const allowed = new Set(scope.operations);
  return own.filter((o) => allowed.has(o));
}

const ids = (list: readonly number[]): string => (list.length ? list.join(',') : 'NULL');

/**
 * `alias`.id (an entity) is visible: it belongs to no out-of-scope operation, or to one in scope. The ids
 * are row numbers from the operations table, written into the SQL (no user text), so statements stay few.
 */
export function entityVisible(col: string, s: SqlScope): string {
  return `(NOT EXISTS (SELECT 1 FROM entity_ops xo WHERE xo.entity_id = ${col} AND xo.op_id IN (${ids(s.out)}))
    OR EXISTS (SELECT 1 FROM entity_ops xi WHERE xi.entity_id = ${col} AND xi.op_id IN (${ids(s.in)})))`;
}

/** Link `alias` is visible: its own membership as entityVisible's, and both its ends visible. */
export function linkVisible(alias: string, s: SqlScope): { sql: string; params: [] } {
  const own = `(NOT EXISTS (SELECT 1 FROM link_ops yo WHERE yo.link_id = ${alias}.id AND yo.op_id IN (${ids(s.out)}))
    OR EXISTS (SELECT 1 FROM link_ops yi WHERE yi.link_id = ${alias}.id AND yi.op_id IN (${ids(s.in)})))`;
  return {
    sql: `(${own} AND ${entityVisible(`${alias}.from_id`, s)} AND ${entityVisible(`${alias}.to_id`, s)})`,
    params: [],
  };
}

/** A report (alias `r`) or event is visible when its operation is not out of scope. */
export function opVisible(col: string, s: SqlScope): string {
  return `${col} NOT IN (${ids(s.out)})`;
}

/** Which facts a scope hides or sees only in part; built once per store state and scope. */
export interface ScopeSets {
  hiddenEntities: Set<number>;
  hiddenLinks: Set<number>;
  partialEntities: Set<number>;
  partialLinks: Set<number>;
}

const cache = new WeakMap<SqliteConnection, { version: number; sets: Map<string, ScopeSets> }>();

/**
 * The hidden and partial facts of scope `s`, from the out-of-scope operations' rows only (a closed
 * operation's size, not the store's). Cached until the data version moves.
 */
export function scopeSets(c: SqliteConnection, s: SqlScope): ScopeSets {
  const version = c.version();
  let entry = cache.get(c);
  if (!entry || entry.version !== version) {
    entry = { version, sets: new Map() };
    cache.set(c, entry);
  }
  const hit = entry.sets.get(s.key);
  if (hit) return hit;
  const out = ids(s.out);
  const inn = ids(s.in);
  const split = (table: 'entity' | 'link') => {
    const t = `${table}_ops`;
    const col = `${table}_id`;
    const rows = c
      .raw(
        `SELECT DISTINCT o.${col}, EXISTS (SELECT 1 FROM ${t} i WHERE i.${col} = o.${col} AND i.op_id IN (${inn}))
         FROM ${t} o WHERE o.op_id IN (${out})`,
      )
      .all() as [number, number][];
    const hidden = new Set<number>();
    const partial = new Set<number>();
    for (const [id, seen] of rows) (seen ? partial : hidden).add(id);
    // Facts resting on an out-of-scope report show without it (its grading goes).
    const viaReports = c
      .st(
        `SELECT DISTINCT j.${col} FROM reports r JOIN ${table}_reports j ON j.report_id = r.id
         WHERE r.op_id IN (${out})`,
      )
      .pluck()
      .all() as number[];
    for (const id of viaReports) if (!hidden.has(id)) partial.add(id);
    return { hidden, partial };
  };
  const e = split('entity');
  const l = split('link');
  const sets = {
    hiddenEntities: e.hidden,
    hiddenLinks: l.hidden,
    partialEntities: e.partial,
    partialLinks: l.partial,
  };
  if (entry.sets.size > 32) entry.sets.clear();
  entry.sets.set(s.key, sets);
  return sets;
}

/** Whether link row `r` (LINK_COLS order: id, type, from_id, to_id, ...) is visible under the sets. */
export function rawLinkVisible(sets: ScopeSets, id: number, from: number, to: number): boolean {
  return !sets.hiddenLinks.has(id) && !sets.hiddenEntities.has(from) && !sets.hiddenEntities.has(to);
}

/** Entity properties as the scope's operations hold them (their copies merged, in operation order). */
function scopedProperties(c: SqliteConnection, n: number, s: SqlScope): Entity['properties'] {
  const copies = c
    .st(
      `SELECT properties FROM entity_ops WHERE entity_id = ? AND op_id IN (SELECT value FROM json_each(?))
       ORDER BY added_at, op_id`,
    )
    .pluck()
    .all(n, JSON.stringify(s.in)) as string[];
  return Object.assign({}, ...copies.map(parseProps)) as Entity['properties'];
}

/** Entities shown as the scope sees them: partial ones get the in-scope copy of their properties. In place. */
export function scopeEntities(
  c: SqliteConnection,
  s: SqlScope,
  list: Entity[],
  sets = scopeSets(c, s),
): void {
  if (sets.partialEntities.size === 0) return;
  for (const e of list) {
    const n = parseId(e.id, 'e')!;
    if (sets.partialEntities.has(n)) e.properties = scopedProperties(c, n, s);
  }
}

/**
 * Links shown as the scope sees them: a partial link's grading from in-scope reports, and, when it has calls
 * or reads, its weight, counts, first and last from in-scope ones (within `window` when given). In place.
 */
export function scopeLinks(
  c: SqliteConnection,
  s: SqlScope,
  list: Link[],
  window: { fromMs: number; toMs: number } | null = null,
  sets = scopeSets(c, s),
): void {
  if (sets.partialLinks.size === 0) return;
  const partial = new Map<number, Link>();
  for (const l of list) {
    const n = parseId(l.id, 'l')!;
    if (sets.partialLinks.has(n)) partial.set(n, l);
  }
  if (partial.size === 0) return;
  const keys = JSON.stringify([...partial.keys()]);
  const grades = c
    .raw(
      `SELECT lr.link_id, r.grade_bit FROM link_reports lr JOIN reports r ON r.id = lr.report_id
       WHERE lr.link_id IN (SELECT value FROM json_each(?)) AND ${opVisible('r.op_id', s)}`,
    )
    .all(keys) as [number, number][];
  const mask = new Map<number, number>();
  for (const [id, bit] of grades) mask.set(id, (mask.get(id) ?? 0) | bit);
  for (const [id, l] of partial) l.grading = gradingFromMask(mask.get(id) ?? 0);
  const evented = new Set(
    c
      .st('SELECT DISTINCT link_id FROM events WHERE link_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(keys) as number[],
  );
  if (evented.size === 0) return;
  const w = window ?? { fromMs: -8.64e15, toMs: 8.64e15 };
  const rows = c
    .raw(
      `SELECT link_id, count(*), total(duration), min(at_ms), max(at_ms), min(kind)
       FROM (SELECT DISTINCT link_id, at_ms, kind, duration, place FROM events
             WHERE link_id IN (SELECT value FROM json_each(?)) AND at_ms >= ? AND at_ms <= ?
               AND ${opVisible('op_id', s)})
       GROUP BY link_id`,
    )
    .all(JSON.stringify([...evented]), w.fromMs, w.toMs) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ][];
  const counted = new Set<number>();
  for (const [id, n, d, f, t, kind] of rows) {
    const l = partial.get(id)!;
    counted.add(id);
    l.weight = n;
    l.firstSeen = isoSecond(f);
    l.lastSeen = isoSecond(t);
    l.properties = withCounts(l.properties, { n, duration: d, first: f, last: t, kind });
  }
  // Calls or reads all out of scope: none of them shows.
  for (const id of evented) {
    if (counted.has(id)) continue;
    const l = partial.get(id)!;
    l.weight = 1;
    l.firstSeen = null;
    l.lastSeen = null;
    const p = { ...l.properties };
    if ('calls' in p) p.calls = 0;
    if ('totalDuration' in p) p.totalDuration = 0;
    if ('reads' in p) p.reads = 0;
    l.properties = p;
  }
}
