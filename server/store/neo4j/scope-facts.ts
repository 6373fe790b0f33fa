// What a scoped read returns of the facts its query let through (the filter itself is in the Cypher). A fact all
// of whose operations are in scope reads as stored (the usual case, nothing more to do); an entity shared with
// an operation outside the scope shows what the in-scope operations wrote of it; such a link shows the gradings
// of its in-scope reports and the counts of its in-scope calls or reads.
import type { Entity, Link } from '../../domain/model.ts';
import { aggregateEvents, isoSecond, withCounts } from '../shared/events.ts';
import { distinctEvents } from './events.ts';
import type { Tx } from './executor.ts';
import { opsParam, scopedProps, wholeInScope, type Scope } from './op-membership.ts';
import { linkRel, toEntity, toLink, type EntityNode, type LinkRel } from './rows.ts';

const ALL_TIME = { fromMs: -8.64e15, toMs: 8.64e15 };

export function scopedEntity(e: EntityNode, scope: Scope): Entity {
  const out = toEntity(e);
  if (!wholeInScope(e.ops, scope)) out.properties = scopedProps(e, scope);
  return out;
}

/** Links as the scope sees them, in the order given. */
export async function scopedLinks(tx: Tx, rels: LinkRel[], scope: Scope): Promise<Link[]> {
  const partial = rels.filter((l) => !wholeInScope(l.ops, scope)).map(linkRel);
  if (partial.length === 0) return rels.map(toLink);
  const reportIds = [...new Set(partial.flatMap((l) => l.reports))];
  const grade = new Map<string, string>();
  if (reportIds.length)
    for (const r of await tx.run('report-grades', { ids: reportIds, ops: opsParam(scope) }))
      grade.set(r.id as string, r.grade as string);
  const fixed = new Map<string, Link>();
  for (const l of partial) {
    const grades = [...new Set(l.reports.filter((id) => grade.has(id)).map((id) => grade.get(id)!))];
    fixed.set(l.id, toLink({ ...l, grades }));
  }
  const evented = partial.filter((l) => l.type === 'CALLED' || l.type === 'SIGHTED_AT').map((l) => l.id);
  if (evented.length) {
    const agg = aggregateEvents(await distinctEvents(tx, evented, ALL_TIME.fromMs, ALL_TIME.toMs, scope));
    for (const [id, a] of agg) {
      const l = fixed.get(id)!;
      l.weight = a.n;
      l.firstSeen = isoSecond(a.first);
      l.lastSeen = isoSecond(a.last);
      l.properties = withCounts(l.properties, a);
    }
  }
  return rels.map((l) => fixed.get(l.id) ?? toLink(l));
}
