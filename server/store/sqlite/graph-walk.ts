// GraphStore walks and views on SQLite: neighbourhood expansion, shortest paths and the filtered subgraph a
// view is built from. The read pool's workers (read-worker.ts) run these same functions on their own
// connections.
import type { Entity, Link, PathResult, Subgraph, ViewFilter } from '../../domain/model.ts';
import { StoreError } from '../common.ts';
import type { NeighbourhoodOptions, PathOptions } from '../graph-store.ts';
import { placeholders, type RawRow, type SqliteConnection } from './connection.ts';
import { linkCondition, typeCondition } from './filters.ts';
import { countInWindow } from './events.ts';
import { checkFilter, filtersLinks } from '../shared/view-filter.ts';
import { entityRowId } from './graph-read.ts';
import { eventWindowMs } from '../shared/events.ts';
import {
  rawLinkVisible,
  resolveScope,
  scopeEntities,
  scopeLinks,
  scopeSets,
  type SqlScope,
} from './scope.ts';
import { allShortestPaths, toPathResult, type Step } from './paths.ts';
import { ENTITY_COLS, LINK_COLS, toEntityRaw, toLinkRaw } from './rows.ts';
import { entityId, linkId, parseId } from '../shared/ids.ts';
import { invalid, neighbourhoodOptions, tooManyLinks } from '../shared/validate.ts';

/** Where neighbourQuery's rows carry the other end's row id: after the LINK_COLS. */
const OTHER = LINK_COLS.split(',').length;

/**
 * Statement listing each link of a node that passes the filter, with the entity at the other end, as
 * row arrays: LINK_COLS, then the other end's row id at OTHER. Arrays, because building a keyed object
 * per row cost twice the query itself on the 1-hop path.
 */
function neighbourQuery(
  c: SqliteConnection,
  filter: ViewFilter,
  otherTypes: readonly string[] | undefined,
  s: SqlScope | null,
) {
  const lc = linkCondition(filter, s);
  const tc = typeCondition('e.type', otherTypes);
  // The other end's entity is joined only when its type matters.
  const join = (end: string) => (otherTypes ? `JOIN entities e ON e.id = l.${end}` : '');
  const sql = `SELECT ${LINK_COLS}, l.to_id AS other FROM links l ${join('to_id')}
      WHERE l.from_id = ? AND ${lc.sql} AND ${tc.sql}
    UNION ALL
    SELECT ${LINK_COLS}, l.from_id AS other FROM links l ${join('from_id')}
      WHERE l.to_id = ? AND ${lc.sql} AND ${tc.sql}`;
  const stmt = c.raw(sql);
  const params = [...lc.params, ...tc.params];
  if (!s) return (node: number) => stmt.all(node, ...params, node, ...params) as RawRow[];
  // Hidden links and ends are dropped here from sets built once per store state: per row a few set
  // look-ups rather than three index probes in the query.
  const sets = scopeSets(c, s);
  return (node: number) =>
    (stmt.all(node, ...params, node, ...params) as RawRow[]).filter((r) =>
      rawLinkVisible(sets, r[0] as number, r[2] as number, r[3] as number),
    );
}

/**
 * Links passing the filter with both ends in the outermost ring, as LINK_COLS row arrays. Links from
 * the ring to inner nodes were all found when the inner nodes were expanded, so only ring-to-ring links
 * are missing; one direction suffices because both ends are in the same set.
 */
function linksWithinRing(
  c: SqliteConnection,
  filter: ViewFilter,
  ring: number[],
  s: SqlScope | null,
): RawRow[] {
  if (ring.length < 2) return [];
  // The (from_id, type, to_id) index answers "which links join two ring nodes" without reading link
  // rows; ring-to-ring links are rare, so the few found are read whole (and filtered) afterwards. Small
  // rings bind their ids as plain parameters (one statement per ring size, cached), which measured
  // 2-3x faster than a statement per ring node or json_each lists; large rings use json_each.
  const ids = (
    ring.length <= 100
      ? c
          .st(
            `SELECT id FROM links WHERE from_id IN (${placeholders(ring.length)}) AND to_id IN (${placeholders(ring.length)})`,
          )
          .pluck()
          .all(...ring, ...ring)
      : c
          .st(
            'SELECT id FROM links WHERE from_id IN (SELECT value FROM json_each(@r)) AND to_id IN (SELECT value FROM json_each(@r))',
          )
          .pluck()
          .all({ r: JSON.stringify(ring) })
  ) as number[];
  if (ids.length === 0) return [];
  const lc = linkCondition(filter, s);
  const rows = c
    .raw(`SELECT ${LINK_COLS} FROM links l WHERE l.id IN (SELECT value FROM json_each(?)) AND ${lc.sql}`)
    .all(JSON.stringify(ids), ...lc.params) as RawRow[];
  if (!s) return rows;
  const sets = scopeSets(c, s);
  return rows.filter((r) => rawLinkVisible(sets, r[0] as number, r[2] as number, r[3] as number));
}

/** Entities by row id, in id order; ids with no entity are left out. */
function entitiesByIds(c: SqliteConnection, ids: Iterable<number>): Entity[] {
  const list = [...ids];
  // A handful of primary-key lookups costs half of building a json_each list for them; larger sets
  // go through the list in one statement.
  if (list.length <= 64) {
    const one = c.raw(`SELECT ${ENTITY_COLS} FROM entities e WHERE e.id = ?`);
    const out: Entity[] = [];
    for (const id of list.sort((a, b) => a - b)) {
      const r = one.get(id) as RawRow | undefined;
      if (r) out.push(toEntityRaw(r));
    }
    return out;
  }
  return (
    c
      .raw(
        `SELECT ${ENTITY_COLS} FROM entities e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
      )
      .all(JSON.stringify(list)) as RawRow[]
  ).map(toEntityRaw);
}

export function neighbourhood(c: SqliteConnection, seedIds: string[], opts: NeighbourhoodOptions): Subgraph {
  const { hops, filter, limit, types, maxLinks } = neighbourhoodOptions(opts);
  const s = resolveScope(c, filter.operations);
  const unknownSeed = (i: number): StoreError =>
    new StoreError('not_found', `entity ${JSON.stringify(seedIds[i])} does not exist`, ['seedIds', i]);
  const hidden = s ? scopeSets(c, s).hiddenEntities : null;
  const seeds = seedIds.map((id, i) => {
    const n = parseId(id, 'e');
    // A hidden seed is as unknown as a missing one.
    if (n === null || hidden?.has(n)) throw unknownSeed(i);
    return n;
  });
  // One read transaction, so every statement sees the same snapshot.
  return c.tx(() => {
    const dataVersion = c.version();
    const neighbours = neighbourQuery(c, filter, types, s);
    const nodes = new Set<number>(seeds);
    const links = new Map<number, RawRow>();
    let truncated = false;
    let frontier = [...nodes];
    for (let h = 0; h < hops && frontier.length > 0; h++) {
      const next: number[] = [];
      for (const u of frontier) {
        for (const r of neighbours(u)) {
          const other = r[OTHER] as number;
          if (!nodes.has(other)) {
            if (nodes.size >= limit) {
              truncated = true;
              continue;
            }
            nodes.add(other);
            next.push(other);
          }
          links.set(r[0] as number, r);
          if (links.size > maxLinks) throw tooManyLinks(maxLinks);
        }
      }
      frontier = next;
    }
    // Links among the outermost ring, so the result is the whole graph induced on its nodes.
    for (const r of linksWithinRing(c, filter, frontier, s)) {
      links.set(r[0] as number, r);
      if (links.size > maxLinks) throw tooManyLinks(maxLinks);
    }
    const entities = entitiesByIds(c, nodes);
    // Seeds are checked here rather than one query each up front: a seed that does not exist has no
    // links, so it only shows up as missing from the entities read.
    if (entities.length < nodes.size) {
      const found = new Set(entities.map((e) => e.id));
      const i = seeds.findIndex((n) => !found.has(entityId(n)));
      if (i >= 0) throw unknownSeed(i);
    }
    const sorted = [...links.values()].sort((a, b) => (a[0] as number) - (b[0] as number));
    const out = sorted.map(toLinkRaw);
    if (s) {
      scopeEntities(c, s, entities);
      scopeLinks(c, s, out);
    }
    return { dataVersion, nodes: entities, links: out, truncated };
  });
}

export function shortestPaths(
  c: SqliteConnection,
  fromId: string,
  toId: string,
  opts: PathOptions,
): PathResult[] {
  const filter = checkFilter(opts.filter);
  const maxHops = opts.maxHops ?? 6;
  const limit = opts.limit ?? 10;
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 12)
    throw invalid(['maxHops'], 'maxHops must be a whole number from 1 to 12');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalid(['limit'], 'limit must be a whole number from 1 to 1000');
  const s = resolveScope(c, filter.operations);
  const a = visibleRowId(c, fromId, s);
  const b = visibleRowId(c, toId, s);
  const neighbours = neighbourQuery(c, filter, filter.entityTypes, s);
  const steps = (n: number): Step[] =>
    neighbours(n).map((r) => ({ other: r[OTHER] as number, link: r[0] as number }));
  return c.tx(() =>
    allShortestPaths(a, b, steps, { maxHops, limit }).map((p) => toPathResult(p, entityId, linkId)),
  );
}

/**
 * The graph a view is built from, in one streaming pass over the links. Nodes: the ends of every link
 * that passes; when the filter restricts only entity types (or nothing), entities without links too.
 */
export function subgraph(c: SqliteConnection, filterIn: ViewFilter, opts: { limit?: number }): Subgraph {
  const filter = checkFilter(filterIn);
  const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
  const s = resolveScope(c, filter.operations);
  const sets = s ? scopeSets(c, s) : null;
  const lc = linkCondition(filter, s);
  const types = filter.entityTypes;
  return c.tx(() => {
    const dataVersion = c.version();
    const links: Link[] = [];
    const nodeIds = new Set<number>();
    let truncated = false;
    const join = types
      ? `JOIN entities ef ON ef.id = l.from_id JOIN entities et ON et.id = l.to_id
         WHERE ef.type IN (${placeholders(types.length)}) AND et.type IN (${placeholders(types.length)}) AND`
      : 'WHERE';
    const stmt = c.raw(`SELECT ${LINK_COLS} FROM links l ${join} ${lc.sql} ORDER BY l.id`);
    const params = types ? [...types, ...types, ...lc.params] : lc.params;
    for (const r of stmt.iterate(...params) as IterableIterator<RawRow>) {
      if (sets && !rawLinkVisible(sets, r[0] as number, r[2] as number, r[3] as number)) continue;
      if (links.length >= limit) {
        truncated = true;
        break;
      }
      links.push(toLinkRaw(r));
      nodeIds.add(r[2] as number);
      nodeIds.add(r[3] as number);
    }
    countInWindow(c, links, filter);
    // Without link filters every entity of the allowed types is in the view; otherwise only the ends of
    // the links found, fetched by id rather than by reading every entity.
    const all = !filtersLinks(filter) && !truncated;
    const tc = typeCondition('e.type', types);
    const rows = all
      ? c.raw(`SELECT ${ENTITY_COLS} FROM entities e WHERE ${tc.sql} ORDER BY e.id`).iterate(...tc.params)
      : c
          .raw(
            `SELECT ${ENTITY_COLS} FROM entities e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
          )
          .iterate(JSON.stringify([...nodeIds]));
    const nodes: Entity[] = [];
    const hidden = sets?.hiddenEntities;
    for (const r of rows as IterableIterator<RawRow>)
      if (!hidden?.has(r[0] as number)) nodes.push(toEntityRaw(r));
    if (s) {
      scopeEntities(c, s, nodes, sets!);
      scopeLinks(c, s, links, filter.from || filter.to ? eventWindowMs(filter) : null, sets!);
    }
    return { dataVersion, nodes, links, truncated };
  });
}

/** entityRowId, with a hidden entity as unknown as a missing one. */
function visibleRowId(c: SqliteConnection, id: string, s: SqlScope | null): number {
  const n = entityRowId(c, id);
  if (s && scopeSets(c, s).hiddenEntities.has(n))
    throw new StoreError('not_found', `entity ${JSON.stringify(id)} does not exist`, ['id']);
  return n;
}
