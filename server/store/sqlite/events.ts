// Events on SQLite: the calls and reads behind CALLED and SIGHTED_AT links (schema.ts, version 7). Written by
// writeBatch in the import's transaction, read a keyset page at a time, dropped with their report. A link's
// counts (weight, calls or reads, total duration, first and last) are derived from its events.
import type { EventColumns, EventFilter, EventPage, LinkEvent } from '../../domain/events.ts';
import { EVENT_KINDS, eventCursor, eventPublicId } from '../../domain/events.ts';
import type { Link, ViewFilter } from '../../domain/model.ts';
import type { SqliteConnection } from './connection.ts';
import type { Batch } from './graph-write-batch.ts';
import { linkVisible, opVisible, type SqlScope } from './scope.ts';
import { entityId, linkId, parseId, reportId } from '../shared/ids.ts';
import {
  checkEventFilter,
  EVENT_KIND_CODE as KIND_CODE,
  eventWindowMs,
  isoSecond,
  withCounts,
} from '../shared/events.ts';
import { invalid, type LinkParsed } from '../shared/validate.ts';

/** Rows per INSERT: 9 parameters a row, well under SQLite's 32,766. */
const CHUNK = 200;
const DIRECTIONS = [null, 'outgoing', 'incoming'] as const;

/** A batch of at least this many events may rebuild the time index instead of growing it (below). */
const REBUILD_AT = 50_000;
/** The page cache (and so the sort's memory) while the time index is built: 16 MiB. */
const SORT_CACHE_KIB = -16_384;

/**
 * Writes the batch's events after its links (their ids are in b.res.linkIds, in input order). Each event
 * rests on its link's first report and on the batch's import. Links this batch created already carry the
 * counts of exactly these events; the counts of links that were there before (or that lost a repeated
 * row to the unique index) are recomputed from all their events.
 *
 * The events go in (link, time) order, so the (link, at) index grows at its end; the time index cannot
 * (calls come in every order across pairs), and inserting into it row by row is most of what keeping calls
 * costs. So a large batch (at least REBUILD_AT events, and at least half as many as the store held) drops
 * it and builds it again from a sort before the commit: readers keep the old index until then, and time
 * queries never scan.
 */
export function writeEvents(
  b: Batch,
  links: LinkParsed[],
  all: Iterable<EventColumns>,
  linkFloor: number,
): void {
  const linkRow = new Float64Array(links.length);
  const reportRow: (number | null)[] = new Array<number | null>(links.length);
  for (let i = 0; i < links.length; i++) {
    linkRow[i] = parseId(b.res.linkIds[i], 'l')!;
    const ref = links[i].reports[0];
    reportRow[i] = ref === undefined ? null : (b.refs.get(ref)?.id ?? null);
  }
  const held = b.c.st('SELECT ifnull(max(id), 0) FROM events').pluck().get() as number;
  let dropped = false;
  const full = b.c.st(insertSql(CHUNK));
  const recompute = new Set<number>();
  let sent = 0;
  let inserted = 0;
  for (const cols of all) {
    if (!dropped && sent + cols.count >= REBUILD_AT && 2 * (sent + cols.count) >= held) {
      b.c.db.exec('DROP INDEX IF EXISTS events_at');
      dropped = true;
    }
    const kind = KIND_CODE[cols.kind];
    const params: (number | string | null)[] = [];
    const flush = (rows: number) => {
      if (rows === 0) return;
      const st = rows === CHUNK ? full : b.c.st(insertSql(rows));
      inserted += st.run(params).changes;
      params.length = 0;
    };
    let rows = 0;
    for (const k of linkOrder(cols, links.length)) {
      const li = cols.link[k];
      const lid = linkRow[li];
      if (lid <= linkFloor) recompute.add(lid);
      const d = cols.duration[k];
      const p = cols.place[k];
      params.push(
        lid,
        kind,
        cols.atMs[k],
        Number.isNaN(d) ? null : d,
        cols.direction[k],
        p < 0 ? null : cols.places[p],
        reportRow[li],
        b.importId,
        b.op,
      );
      sent++;
      if (++rows === CHUNK) {
        flush(rows);
        rows = 0;
      }
    }
    flush(rows);
  }
  if (dropped) {
    // The sort behind the index may take as much memory as the page cache is allowed: a smaller budget for
    // its duration keeps a large import's memory flat (the sort spills to temporary files instead).
    const cache = b.c.db.pragma('cache_size', { simple: true }) as number;
    b.c.db.pragma(`cache_size = ${SORT_CACHE_KIB}`);
    try {
      b.c.db.exec('CREATE INDEX IF NOT EXISTS events_at ON events (at_ms)');
    } finally {
      b.c.db.pragma(`cache_size = ${cache}`);
    }
  }
  if (inserted > 0) b.changed = true;
  if (inserted < sent) for (const id of linkRow) recompute.add(id);
  if (recompute.size && recomputeLinks(b.c, [...recompute], b.now) > 0) b.changed = true;
}

/**
 * The events in (link, time) order: the order of the (link, at) index, so its B-tree grows at the end
 * instead of at a random page per row (a file lists calls in time order across all its pairs). A counting
 * sort by link over the links the block touches, then each link's few events by time.
 */
function linkOrder(cols: EventColumns, links: number): Uint32Array {
  let lo = links;
  let hi = -1;
  for (let k = 0; k < cols.count; k++) {
    const li = cols.link[k];
    if (li >= links) throw invalid(['events', k, 'link'], `event ${k} names no link of the batch`);
    if (li < lo) lo = li;
    if (li > hi) hi = li;
  }
  const span = Math.max(0, hi - lo + 1);
  const start = new Uint32Array(span + 1);
  for (let k = 0; k < cols.count; k++) start[cols.link[k] - lo + 1]++;
  for (let i = 0; i < span; i++) start[i + 1] += start[i];
  const fill = start.slice(0, span);
  const order = new Uint32Array(cols.count);
  for (let k = 0; k < cols.count; k++) order[fill[cols.link[k] - lo]++] = k;
  const at = cols.atMs;
  const byTime = (x: number, y: number) => at[x] - at[y];
  for (let i = 0; i < span; i++) {
    if (start[i + 1] - start[i] > 16) {
      order.subarray(start[i], start[i + 1]).sort(byTime);
      continue;
    }
    // Insertion sort for the usual pair of a few calls.
    for (let a = start[i] + 1; a < start[i + 1]; a++) {
      const k = order[a];
      let b = a - 1;
      while (b >= start[i] && at[order[b]] > at[k]) {
        order[b + 1] = order[b];
        b--;
      }
      order[b + 1] = k;
    }
  }
  return order;
}

function insertSql(rows: number): string {
  const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
  return `INSERT OR IGNORE INTO events (link_id, kind, at_ms, duration, direction, place, report_id, import_id, op_id) VALUES ${Array<string>(rows).fill(row).join(', ')}`;
}

/**
 * Sets the counts of the listed links from their events: weight and calls (or reads) = number of distinct
 * events (the same call in two reports is one call), total duration, first and last. Links with no events
 * are left as they are. Returns how many links it changed: a write that only refines a link's figures (a
 * file loaded again, whose calls were all there, gives its links their exact first and last times) still
 * moves the data version, or a cached view would keep the old figures.
 */
export function recomputeLinks(c: SqliteConnection, ids: number[], now: string): number {
  const iso = (col: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', ${col} / 1000, 'unixepoch')`;
  return c
    .st(
      `UPDATE links SET weight = a.n, first_ms = a.f, last_ms = a.l, first_seen = a.fs, last_seen = a.ls,
       properties = a.p, updated_at = ?
     FROM (SELECT g.link_id, g.n, g.f, g.l, ${iso('g.f')} AS fs, ${iso('g.l')} AS ls,
             CASE g.k
               WHEN 0 THEN json_set(x.properties, '$.calls', g.n, '$.totalDuration', iif(g.d = cast(g.d AS INTEGER), cast(g.d AS INTEGER), g.d))
               ELSE json_set(x.properties, '$.reads', g.n) END AS p
           FROM (SELECT link_id, count(*) AS n, total(duration) AS d, min(at_ms) AS f, max(at_ms) AS l, min(kind) AS k
                 FROM (SELECT DISTINCT link_id, at_ms, kind, duration, place FROM events
                       WHERE link_id IN (SELECT value FROM json_each(?)))
                 GROUP BY link_id) AS g
           JOIN links AS x ON x.id = g.link_id) AS a
     WHERE links.id = a.link_id
       AND (links.weight IS NOT a.n OR links.first_ms IS NOT a.f OR links.last_ms IS NOT a.l
            OR links.first_seen IS NOT a.fs OR links.last_seen IS NOT a.ls OR links.properties IS NOT a.p)`,
    )
    .run(now, JSON.stringify(ids)).changes;
}

/**
 * Removes report `rid`'s events; returns the links they were on (their counts need recomputing, and those
 * left with no event and no other report go).
 */
export function dropReportEvents(c: SqliteConnection, rid: number): number[] {
  const links = c.st('SELECT DISTINCT link_id FROM events WHERE report_id = ?').pluck().all(rid) as number[];
  if (links.length) c.st('DELETE FROM events WHERE report_id = ?').run(rid);
  return links;
}

/** Of these links, those that still have an event. */
export function linksWithEvents(c: SqliteConnection, ids: number[]): Set<number> {
  if (ids.length === 0) return new Set();
  return new Set(
    c
      .st('SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM events WHERE link_id = value)')
      .pluck()
      .all(JSON.stringify(ids)) as number[],
  );
}

type EventRow = [
  number,
  number,
  number,
  number | null,
  number,
  number,
  number,
  number,
  string | null,
  number | null,
  string | null,
];

const COLS =
  'e.id, e.kind, e.at_ms, e.duration, e.direction, l.from_id, l.to_id, e.link_id, e.place, e.report_id, e.import_id';

function toEvent(r: EventRow): LinkEvent {
  return {
    id: eventPublicId(r[0]),
    kind: EVENT_KINDS[r[1]],
    at: isoSecond(r[2]),
    durationSeconds: r[3],
    direction: DIRECTIONS[r[4]] ?? null,
    fromId: entityId(r[5]),
    toId: entityId(r[6]),
    linkId: linkId(r[7]),
    place: r[8],
    reportId: r[9] === null ? null : reportId(r[9]),
    importId: r[10],
  };
}

export function listEvents(c: SqliteConnection, filter: EventFilter, s: SqlScope | null = null): EventPage {
  const q = checkEventFilter(filter);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (s) {
    // The calls and reads of the scope's operations, on links it sees.
    where.push(opVisible('e.op_id', s), linkVisible('l', s).sql);
  }
  if (q.links) {
    where.push('e.link_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.links));
  }
  if (q.entities) {
    // Link ids first (two index lookups an entity), then each link's events by the (link, at) index.
    where.push(
      `e.link_id IN (SELECT id FROM links WHERE from_id IN (SELECT value FROM json_each(?))
                     UNION SELECT id FROM links WHERE to_id IN (SELECT value FROM json_each(?)))`,
    );
    const list = JSON.stringify(q.entities);
    params.push(list, list);
  }
  if (q.fromMs !== null) {
    where.push('e.at_ms >= ?');
    params.push(q.fromMs);
  }
  if (q.toMs !== null) {
    where.push('e.at_ms <= ?');
    params.push(q.toMs);
  }
  if (q.f.kinds) {
    where.push(`e.kind IN (${q.f.kinds.map(() => '?').join(',')})`);
    params.push(...q.f.kinds.map((k) => KIND_CODE[k]));
  }
  if (q.after) {
    where.push('(e.at_ms > ? OR (e.at_ms = ? AND e.id > ?))');
    params.push(q.after.atMs, q.after.atMs, q.after.id);
  }
  const rows = c
    .raw(
      `SELECT ${COLS} FROM events e JOIN links l ON l.id = e.link_id
       WHERE ${where.length ? where.join(' AND ') : '1'} ORDER BY e.at_ms, e.id LIMIT ?`,
    )
    .all(...params, q.f.limit + 1) as EventRow[];
  const more = rows.length > q.f.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { events: rows.map(toEvent), next: more && last ? eventCursor(last[2], last[0]) : null };
}

/**
 * A view over a time window counts only the calls or reads inside it: each CALLED or SIGHTED_AT link of
 * `links` with events there gets its weight, counts, and first and last from those events alone (the
 * same call in two reports counted once). Links are changed in place.
 */
export function countInWindow(c: SqliteConnection, links: Link[], filter: ViewFilter): void {
  if (!filter.from && !filter.to) return;
  const byRow = new Map<number, Link>();
  for (const l of links)
    if (l.type === 'CALLED' || l.type === 'SIGHTED_AT') byRow.set(parseId(l.id, 'l')!, l);
  for (const [id, n, d, f, t, kind] of windowCounts(c, [...byRow.keys()], filter)) {
    const l = byRow.get(id)!;
    l.weight = n;
    l.firstSeen = isoSecond(f);
    l.lastSeen = isoSecond(t);
    l.properties = withCounts(l.properties, { n, duration: d, first: f, last: t, kind });
  }
}

/**
 * Per link row id (CALLED or SIGHTED_AT) with events in the filter's window: [id, count, total duration,
 * first, last, kind], the same call in two reports counted once. Shared by countInWindow and the streamed
 * view (view-load.ts).
 */
export function windowCounts(
  c: SqliteConnection,
  linkRows: number[],
  filter: ViewFilter,
): Array<[number, number, number, number, number, number]> {
  if (linkRows.length === 0) return [];
  const w = eventWindowMs(filter);
  return c
    .raw(
      `SELECT link_id, count(*), total(duration), min(at_ms), max(at_ms), min(kind)
       FROM (SELECT DISTINCT link_id, at_ms, kind, duration, place FROM events
             WHERE link_id IN (SELECT value FROM json_each(?)) AND at_ms >= ? AND at_ms <= ?)
       GROUP BY link_id`,
    )
    .all(JSON.stringify(linkRows), w.fromMs, w.toMs) as Array<
    [number, number, number, number, number, number]
  >;
}
