// Events on Neo4j: the calls and reads behind CALLED and SIGHTED_AT links as (:LinkEvent) nodes (why nodes:
// cypher/schema.cypher). Written by writeBatch in the import's transaction, read a keyset page at a time,
// dropped with their report; a link's counts are derived from its events, as on SQLite (sqlite/events.ts).
import type { EventColumns, EventFilter, EventPage, LinkEvent } from '../../domain/events.ts';
import { EVENT_KINDS, eventCursor, eventPublicId } from '../../domain/events.ts';
import type { Link, ViewFilter } from '../../domain/model.ts';
import {
  EVENT_KIND_CODE,
  aggregateEvents,
  checkEventFilter,
  eventWindowMs,
  isoSecond,
  withCounts,
  type DistinctEvent,
} from '../shared/events.ts';
import { parseProps } from '../shared/values.ts';
import { invalid, type LinkParsed } from '../shared/validate.ts';
import type { Neo4jContext } from './context.ts';
import type { Tx } from './executor.ts';
import type { BatchRun } from './graph-write-batch.ts';
import { opsParam, type Scope } from './op-membership.ts';
import { type ReportNode } from './rows.ts';

/** Events per query: one import must not become one huge parameter. */
const CHUNK = 10_000;
const DIRECTIONS = [null, 'outgoing', 'incoming'] as const;

/**
 * Writes the batch's events after its links (ids in run.res.linkIds, input order); each rests on its link's
 * first report and the batch's import. Links that were there before (`existed`), or that
 * lost a repeated event to the identity key, have their counts recomputed from all their events.
 */
/** An event's identity: the same call from the same report is one node, so a file imported again adds none. */
export function eventKey(e: {
  linkId: string;
  at: number;
  kind: number;
  duration: number | null;
  place: string | null;
  report: string | null;
}): string {
  return JSON.stringify([e.linkId, e.at, e.kind, e.duration, e.place, e.report]);
}

export async function writeEvents(
  run: BatchRun,
  links: LinkParsed[],
  all: Iterable<EventColumns>,
  reports: Map<string, ReportNode>,
  existed: ReadonlySet<string>,
): Promise<void> {
  const linkIds = run.res.linkIds;
  const reportOf = links.map((l) =>
    l.reports[0] === undefined ? null : (reports.get(l.reports[0])?.id ?? null),
  );
  const recompute = new Set<string>();
  let sent = 0;
  let created = 0;
  for (const cols of all) {
    const kind = EVENT_KIND_CODE[cols.kind];
    for (let start = 0; start < cols.count; start += CHUNK) {
      const rows = [];
      const end = Math.min(cols.count, start + CHUNK);
      // Numbers for every row sent: those of rows found already are simply not used.
      await run.st.reserve('event', end - start);
      for (let k = start; k < end; k++) {
        const li = cols.link[k];
        if (li >= links.length) throw invalid(['events', k, 'link'], `event ${k} names no link of the batch`);
        const linkId = linkIds[li];
        if (existed.has(linkId)) recompute.add(linkId);
        const d = cols.duration[k];
        const duration = Number.isNaN(d) ? null : d;
        const p = cols.place[k];
        const place = p < 0 ? null : cols.places[p];
        const at = cols.atMs[k];
        const report = reportOf[li];
        rows.push({
          key: eventKey({ linkId, at, kind, duration, place, report }),
          n: run.st.take('event'),
          linkId,
          kind,
          at,
          duration,
          direction: cols.direction[k],
          place,
          report,
          importId: run.importId,
          op: run.op,
        });
      }
      sent += rows.length;
      created += ((await run.tx.one('events-create', { rows }))?.created as number | undefined) ?? 0;
    }
  }
  if (created > 0) run.changed = true;
  if (created < sent) for (const id of linkIds) recompute.add(id);
  if (recompute.size && (await recomputeLinks(run.tx, [...recompute], run.now)) > 0) run.changed = true;
}

export async function distinctEvents(
  tx: Tx,
  ids: string[],
  fromMs: number,
  toMs: number,
  scope: Scope = null,
): Promise<DistinctEvent[]> {
  const out: DistinctEvent[] = [];
  const ops = opsParam(scope);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await tx.run('events-distinct', { ids: ids.slice(i, i + CHUNK), fromMs, toMs, ops });
    for (const r of rows)
      out.push({
        link: r.link as string,
        at: r.at as number,
        kind: r.kind as number,
        duration: (r.duration as number | null) ?? null,
      });
  }
  return out;
}

/**
 * Sets the counts of the listed links from their events (links with none are left as they are). Returns how
 * many links it changed: a write that only refines a link's figures still moves the data version.
 */
export async function recomputeLinks(tx: Tx, ids: string[], now: string): Promise<number> {
  const agg = aggregateEvents(await distinctEvents(tx, ids, -8.64e15, 8.64e15));
  if (agg.size === 0) return 0;
  const props = new Map<string, string>();
  for (const r of await tx.run('events-link-props', { ids: [...agg.keys()] }))
    props.set(r.id as string, r.props as string);
  const rows = [...agg].map(([id, a]) => ({
    id,
    weight: a.n,
    firstSeen: isoSecond(a.first),
    lastSeen: isoSecond(a.last),
    firstMs: a.first,
    lastMs: a.last,
    props: JSON.stringify(withCounts(parseProps(props.get(id) ?? '{}'), a)),
    updatedAt: now,
  }));
  let changed = 0;
  for (let i = 0; i < rows.length; i += CHUNK)
    changed +=
      ((await tx.one('events-link-counts', { rows: rows.slice(i, i + CHUNK) }))?.changed as number) ?? 0;
  return changed;
}

/** Removes report `reportId`'s events; returns the links they were on. */
export async function dropReportEvents(tx: Tx, reportId: string): Promise<string[]> {
  return (await tx.run('events-drop-report', { id: reportId })).map((r) => r.link as string);
}

/** Of these links, those that still have an event. */
export async function linksWithEvents(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set((await tx.run('events-of-links', { ids })).map((r) => r.id as string));
}

/** Removes the events of links that are gone. */
export async function deleteEventsOfLinks(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length) await tx.run('events-delete-of-links', { ids });
}

export async function listEvents(c: Neo4jContext, filter: EventFilter, scope: Scope): Promise<EventPage> {
  const q = checkEventFilter(filter);
  const ops = opsParam(scope);
  return c.read(async (tx) => {
    // The links asked about (with their ends), when the read is restricted to links or entities.
    let ends: Map<string, { from: string; to: string }> | null = null;
    if (q.entities) {
      ends = new Map();
      const rows = await tx.run('events-entity-links', { ids: q.entities.map((n) => `e${n}`), ops });
      for (const r of rows) ends.set(r.link as string, { from: r.from as string, to: r.to as string });
    }
    if (q.links) {
      const wanted = new Set(q.links.map((n) => `l${n}`));
      if (ends) {
        for (const id of [...ends.keys()]) if (!wanted.has(id)) ends.delete(id);
      } else {
        ends = new Map();
        for (const r of await tx.run('events-link-ends', { ids: [...wanted], ops }))
          ends.set(r.link as string, { from: r.from as string, to: r.to as string });
      }
    }
    if (ends && ends.size === 0) return { events: [], next: null };
    const rows = await tx.run('events-page', {
      links: ends ? [...ends.keys()] : null,
      fromMs: q.fromMs ?? -8.64e15,
      toMs: q.toMs ?? 8.64e15,
      kinds: q.f.kinds ? q.f.kinds.map((k) => EVENT_KIND_CODE[k]) : null,
      afterAt: q.after?.atMs ?? null,
      afterN: q.after?.id ?? null,
      limit: q.f.limit + 1,
      ops,
    });
    const more = rows.length > q.f.limit;
    if (more) rows.length = q.f.limit;
    const vs = rows.map((r) => r.v as EventNode);
    if (!ends) {
      // Every link on the page, looked up once; an event whose link is gone is not shown.
      ends = new Map();
      const ids = [...new Set(vs.map((v) => v.linkId))];
      for (const r of await tx.run('events-link-ends', { ids, ops }))
        ends.set(r.link as string, { from: r.from as string, to: r.to as string });
    }
    const events: LinkEvent[] = [];
    for (const v of vs) {
      const e = ends.get(v.linkId);
      if (e) events.push(toEvent(v, e));
    }
    const last = vs[vs.length - 1];
    return { events, next: more && last ? eventCursor(last.at, last.n) : null };
  });
}

interface EventNode {
  n: number;
  linkId: string;
  kind: number;
  at: number;
  duration: number | null;
  direction: number;
  place: string | null;
  report: string | null;
  importId: string | null;
}

function toEvent(v: EventNode, ends: { from: string; to: string }): LinkEvent {
  return {
    id: eventPublicId(v.n),
    kind: EVENT_KINDS[v.kind],
    at: isoSecond(v.at),
    durationSeconds: v.duration ?? null,
    direction: DIRECTIONS[v.direction] ?? null,
    fromId: ends.from,
    toId: ends.to,
    linkId: v.linkId,
    place: v.place ?? null,
    reportId: v.report ?? null,
    importId: v.importId ?? null,
  };
}

/** A view over a window counts only the calls or reads inside it (as sqlite/events.ts countInWindow). */
export async function countInWindow(
  tx: Tx,
  links: Link[],
  filter: ViewFilter,
  scope: Scope = null,
): Promise<void> {
  if (!filter.from && !filter.to) return;
  const byId = new Map<string, Link>();
  for (const l of links) if (l.type === 'CALLED' || l.type === 'SIGHTED_AT') byId.set(l.id, l);
  if (byId.size === 0) return;
  const w = eventWindowMs(filter);
  const agg = aggregateEvents(await distinctEvents(tx, [...byId.keys()], w.fromMs, w.toMs, scope));
  for (const [id, a] of agg) {
    const l = byId.get(id)!;
    l.weight = a.n;
    l.firstSeen = isoSecond(a.first);
    l.lastSeen = isoSecond(a.last);
    l.properties = withCounts(l.properties, a);
  }
}
