// Deleting an entity or a link in one operation on Neo4j (issue 17), as on SQLite (sqlite/op-removal.ts). When
// other operations hold the fact too, only what the working operation holds of it goes: its place in the fact's
// `ops`, its part of the entity's `opProps`, its reports in the fact's `reports`, its links at the entity that no
// other operation holds (with their calls and reads), and on the links others hold too its membership, reports,
// calls and reads; the entity's properties are rebuilt from the parts left. When the working operation is the
// only holder, the fact goes whole. Runs inside the caller's write transaction.
import type { FactRemoval } from '../graph-store.ts';
import { notInOperation } from '../shared/shared-facts.ts';
import { searchText } from '../shared/values.ts';
import { closeLeftSubject } from './deconfliction.ts';
import { linksWithEvents, recomputeLinks } from './events.ts';
import type { Tx } from './executor.ts';
import { gradesOf } from './graph-load.ts';
import { unionProps } from './op-membership.ts';
import { linkRel, num, parseProps, type EntityNode, type LinkRel } from './rows.ts';

const byNum = (a: string, b: string) => num(a) - num(b);

/** Of `reports` (ids), those operation `op` holds. */
async function reportsOf(tx: Tx, reports: readonly string[], op: string): Promise<Set<string>> {
  if (reports.length === 0) return new Set();
  return new Set(
    (await tx.run('report-grades', { ids: [...reports], ops: [op] })).map((r) => r.id as string),
  );
}

/** Removes the calls and reads of `ids` (only `op`'s when given); how many went. */
async function dropEvents(tx: Tx, ids: string[], op: string | null): Promise<number> {
  if (ids.length === 0) return 0;
  return Number((await tx.one('events-delete-of-links-in-op', { ids, op }))?.n ?? 0);
}

async function dropLinks(tx: Tx, links: LinkRel[]): Promise<number> {
  if (links.length === 0) return 0;
  await tx.run('links-delete', { rows: links.map((l) => ({ from: l.from, to: l.to, id: l.id })) });
  return dropEvents(
    tx,
    links.map((l) => l.id),
    null,
  );
}

/**
 * Operation `op` leaves link `l`, which others keep: its membership, reports, calls and reads go; the grading
 * and counts follow what is left (none of the leaving operation's counts stay when it brought every call).
 */
async function leaveLink(
  tx: Tx,
  l: LinkRel,
  op: string,
  now: string,
): Promise<{ reports: string[]; events: number }> {
  const mine = await reportsOf(tx, l.reports, op);
  const reports = l.reports.filter((r) => !mine.has(r));
  const props: Record<string, unknown> = {
    ops: l.ops.filter((o) => o !== op),
    reports,
    grades: await gradesOf(tx, reports),
    updatedAt: now,
  };
  const events = await dropEvents(tx, [l.id], op);
  if (events > 0 && (await linksWithEvents(tx, [l.id])).size === 0) {
    const p = parseProps(l.props);
    for (const k of ['calls', 'totalDuration', 'reads'] as const) if (k in p) p[k] = 0;
    Object.assign(props, { weight: 1, firstSeen: null, lastSeen: null, firstMs: null, lastMs: null });
    props.props = JSON.stringify(p);
  }
  await tx.run('links-update', { rows: [{ from: l.from, to: l.to, id: l.id, props }] });
  if (events > 0) await recomputeLinks(tx, [l.id], now);
  return { reports: [...mine], events };
}

function removal(
  op: string,
  entities: string[],
  links: string[],
  reports: Iterable<string>,
  events: number,
): FactRemoval {
  return {
    operationId: op,
    entities: [...entities].sort(byNum),
    links: [...new Set(links)].sort(byNum),
    reports: [...new Set(reports)].sort(byNum),
    events,
  };
}

/**
 * Entity `e` deleted in operation `op` by `actor` (see the head of this file). When others keep it, the
 * deconfliction notices between `op` and them on it are resolved: it is no longer shared.
 */
export async function removeEntityFrom(
  tx: Tx,
  e: EntityNode,
  op: string,
  actor: string,
): Promise<FactRemoval> {
  if (e.ops.length > 0 && !e.ops.includes(op)) throw notInOperation('entity', e.id, op);
  const links = (await tx.run('links-of-entity-all', { id: e.id })).map((r) => linkRel(r.l as LinkRel));
  if (e.ops.length <= 1) {
    const events = await dropLinks(tx, links);
    await tx.run('entities-delete', { ids: [e.id] });
    return removal(
      op,
      [e.id],
      links.map((l) => l.id),
      e.reports,
      events,
    );
  }
  const now = new Date().toISOString();
  const reports = await reportsOf(tx, e.reports, op);
  const sole = links.filter((l) => l.ops.length === 1 && l.ops[0] === op);
  const shared = links.filter((l) => l.ops.length > 1 && l.ops.includes(op));
  let events = await dropLinks(tx, sole);
  for (const l of shared) {
    const gone = await leaveLink(tx, l, op, now);
    for (const r of gone.reports) reports.add(r);
    events += gone.events;
  }
  const ops = e.ops.filter((o) => o !== op);
  const parts = JSON.parse(e.opProps || '{}') as Record<string, unknown>;
  delete parts[op];
  const opProps = JSON.stringify(parts);
  const props = unionProps(opProps, ops, '');
  await tx.run('entities-update', {
    rows: [
      {
        id: e.id,
        ops,
        opProps,
        props: JSON.stringify(props),
        search: searchText(props, e.label),
        reports: e.reports.filter((r) => !reports.has(r)),
        updatedAt: now,
      },
    ],
  });
  await closeLeftSubject(tx, op, e.id, now, actor);
  return removal(
    op,
    [e.id],
    [...sole, ...shared].map((l) => l.id),
    reports,
    events,
  );
}

/** Link `l` deleted in operation `op`: it goes whole only when no other operation holds it. */
export async function removeLinkFrom(tx: Tx, l: LinkRel, op: string): Promise<FactRemoval> {
  if (l.ops.length > 0 && !l.ops.includes(op)) throw notInOperation('link', l.id, op);
  if (l.ops.length <= 1) return removal(op, [], [l.id], l.reports, await dropLinks(tx, [l]));
  const gone = await leaveLink(tx, l, op, new Date().toISOString());
  return removal(op, [], [l.id], gone.reports, gone.events);
}
