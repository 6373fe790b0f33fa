// An analysis view streamed from SQLite: the same rows subgraph() reads (graph-walk.ts), in the same order,
// but each row goes straight into a ViewBuilder instead of becoming a Link or an Entity. A 1M-node /
// 5M-link view then never holds five million objects (bench/suites/34-view-million.ts).
import type { LinkType } from '../../domain/model.ts';
import type { EntityType } from '../../domain/model.ts';
import { ViewBuilder } from '../../analysis/view-builder.ts';
import type { ParsedViewOptions, View } from '../../analysis/view-options.ts';
import { entityId, parseId } from '../shared/ids.ts';
import { isoSecond } from '../shared/events.ts';
import { checkFilter, filtersLinks } from '../shared/view-filter.ts';
import { placeholders, type RawRow, type SqliteConnection } from './connection.ts';
import { windowCounts } from './events.ts';
import { linkCondition, typeCondition } from './filters.ts';
import { gradingFromMask, LINK_COLS, toLinkRaw } from './rows.ts';
import {
  rawLinkVisible,
  resolveScope,
  scopeLinks,
  scopeSets,
  type ScopeSets,
  type SqlScope,
} from './scope.ts';
import type { Link, ViewFilter } from '../../domain/model.ts';
import { eventWindowMs } from '../shared/events.ts';

const LINK_FIELDS =
  'l.id, l.type, l.from_id, l.to_id, l.directed, l.weight, l.first_seen, l.last_seen, l.grades';

/**
 * The view of `options`, or null when the filter passes more than `limit` links (nothing is built then).
 * `only`: just these entities and the links between them (a chart's view).
 */
export function streamView(
  c: SqliteConnection,
  options: ParsedViewOptions,
  opts: { limit?: number; only?: readonly string[] | null; shared?: boolean } = {},
): View | null {
  const filter = checkFilter(options.filter);
  const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
  // Need-to-know, as subgraph() applies it: hidden facts are skipped, and a link shared with an operation
  // outside the scope comes with what the scope's operations hold of it (scope.ts scopeLinks).
  const s = resolveScope(c, filter.operations);
  const sets = s ? scopeSets(c, s) : null;
  const lc = linkCondition(filter, s);
  const types = filter.entityTypes;
  const windowed = Boolean(filter.from || filter.to);
  return c.tx(() => {
    const dataVersion = c.version();
    const b = new ViewBuilder({ ...options, filter }, { only: opts.only ?? null });
    const partial = s && sets && sets.partialLinks.size > 0 ? partialLinks(c, s, sets, filter) : null;
    const join = types
      ? `JOIN entities ef ON ef.id = l.from_id JOIN entities et ON et.id = l.to_id
         WHERE ef.type IN (${placeholders(types.length)}) AND et.type IN (${placeholders(types.length)}) AND`
      : 'WHERE';
    const stmt = c.raw(`SELECT ${LINK_FIELDS} FROM links l ${join} ${lc.sql} ORDER BY l.id`);
    const params = types ? [...types, ...types, ...lc.params] : lc.params;
    // Links whose calls or reads in the window replace their counts: row id, builder index.
    const counted: number[] = [];
    const countedAt: number[] = [];
    let read = 0;
    for (const r of stmt.iterate(...params) as IterableIterator<RawRow>) {
      if (sets && !rawLinkVisible(sets, r[0] as number, r[2] as number, r[3] as number)) continue;
      if (read++ >= limit) return null;
      const type = r[1] as LinkType;
      const seen = partial?.get(r[0] as number);
      const at = seen
        ? b.addLink(
            r[2] as number,
            r[3] as number,
            type,
            r[4] === 1,
            seen.weight,
            seen.firstSeen,
            seen.lastSeen,
            seen.grading,
          )
        : b.addLink(
            r[2] as number,
            r[3] as number,
            type,
            r[4] === 1,
            r[5] as number,
            r[6] as string | null,
            r[7] as string | null,
            gradingFromMask(r[8] as number),
          );
      // A partial link's window counts are its in-scope calls in the window already.
      if (!seen && windowed && at >= 0 && (type === 'CALLED' || type === 'SIGHTED_AT')) {
        counted.push(r[0] as number);
        countedAt.push(at);
      }
    }
    if (counted.length) {
      const at = new Map<number, number>(counted.map((id, k) => [id, countedAt[k]]));
      for (const [id, n, , f, t] of windowCounts(c, counted, filter))
        b.setCounts(at.get(id)!, n, isoSecond(f), isoSecond(t));
    }
    // Without link filters every entity of the allowed types is in the view; otherwise only the ends of
    // the links found, fetched by id rather than by reading every entity.
    const tc = typeCondition('e.type', types);
    const rows = !filtersLinks(filter)
      ? c
          .raw(`SELECT e.id, e.type, e.label FROM entities e WHERE ${tc.sql} ORDER BY e.id`)
          .iterate(...tc.params)
      : c
          .raw(
            `SELECT e.id, e.type, e.label FROM entities e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
          )
          .iterate(JSON.stringify(b.linkEnds()));
    const hidden = sets?.hiddenEntities;
    for (const r of rows as IterableIterator<RawRow>)
      if (!hidden?.has(r[0] as number))
        b.addEntity(r[0] as number, entityId(r[0] as number), r[1] as EntityType, r[2] as string);
    return b.finish(dataVersion, opts.shared ?? false);
  });
}

/**
 * The links shared with an operation outside the scope, as the scope sees them (grading from in-scope
 * reports; weight, first and last from in-scope calls within the window): few, so read as Link objects.
 */
function partialLinks(
  c: SqliteConnection,
  s: SqlScope,
  sets: ScopeSets,
  filter: ViewFilter,
): Map<number, Link> {
  const ids = [...sets.partialLinks];
  const list = (
    c
      .raw(`SELECT ${LINK_COLS} FROM links l WHERE l.id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as RawRow[]
  ).map((r) => toLinkRaw(r));
  scopeLinks(c, s, list, filter.from || filter.to ? eventWindowMs(filter) : null, sets);
  return new Map(list.map((l) => [parseId(l.id, 'l')!, l]));
}
