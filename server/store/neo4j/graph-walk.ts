// Walks and views on Neo4j: the neighbourhood of some entities, all shortest paths between two, and the
// filtered graph a view is built from. Walks go breadth first, one query per ring, so the view filter applies
// to every link they cross.
import type { Entity, PathResult, Subgraph, ViewFilter } from '../../domain/model.ts';
import { StoreError } from '../common.ts';
import type { NeighbourhoodOptions, PathOptions } from '../graph-store.ts';
import { checkFilter, filtersLinks } from '../shared/view-filter.ts';
import { parseId } from '../shared/ids.ts';
import { invalid, neighbourhoodOptions, tooManyLinks } from '../shared/validate.ts';
import type { Neo4jContext } from './context.ts';
import { countInWindow } from './events.ts';
import type { Row, Tx } from './executor.ts';
import { filterParams } from './query-params.ts';
import { narrowScope, opsParam, wholeInScope, type Scope } from './op-membership.ts';
import { toLink, type EntityNode, type LinkRel } from './rows.ts';
import { scopedEntity, scopedLinks } from './scope-facts.ts';

type Neighbours = Map<string, { other: string; l: LinkRel; o: EntityNode | null }[]>;

/**
 * Each frontier node's links that pass the filter, with the entity at the other end, grouped by node. The
 * scope's filter is in `fp.ops` (filterParams): a link of another operation, or to an entity the scope does
 * not see, is never crossed.
 */
async function neighbours(
  tx: Tx,
  ids: string[],
  fp: Row,
  otherTypes: readonly string[] | undefined,
  among: readonly string[] | null = null,
  ends = false,
): Promise<Neighbours> {
  const out: Neighbours = new Map();
  for (const id of ids) out.set(id, []);
  if (ids.length === 0) return out;
  for (const r of await tx.run('neighbours', { ids, ...fp, types: otherTypes ?? null, among, ends })) {
    out
      .get(r.u as string)!
      .push({ other: r.other as string, l: r.l as LinkRel, o: (r.o as EntityNode) ?? null });
  }
  for (const list of out.values()) list.sort((a, b) => a.l.n - b.l.n);
  return out;
}

/** A link of walk-one-hop.cypher, as a list in the order of its query. */
type LinkList = [
  string,
  number,
  boolean,
  number,
  string | null,
  string | null,
  string,
  string[] | null,
  string[] | null,
  string[] | null,
  string,
  string,
  LinkRel['type'],
  string,
  string,
];
/** An entity of walk-one-hop.cypher, as a list in the order of its query. */
type EntityList = [
  string,
  number,
  EntityNode['type'],
  string,
  string,
  string,
  string | null,
  string,
  string,
  string[] | null,
  string,
];
/** A row of walk-one-hop.cypher's hop or among: the frontier entity, the other end, the link, the other entity. */
type HopRow = [string, string, LinkList, EntityList?];

function linkOf(x: LinkList): LinkRel {
  const [id, n, directed, weight, firstSeen, lastSeen, props, grades, reports, ops, createdAt, updatedAt] = x;
  const [type, from, to] = [x[12], x[13], x[14]];
  return {
    ...{ id, n, directed, weight, firstSeen, lastSeen, props, createdAt, updatedAt, type, from, to },
    ...{ grades: grades!, reports: reports!, imports: [], ops: ops! },
  };
}

function entityOf(x: EntityList): EntityNode {
  const [id, n, type, key, label, props, reviewDate, createdAt, updatedAt, ops, opProps] = x;
  return {
    id,
    n,
    type,
    key,
    label,
    props,
    reviewDate,
    createdAt,
    updatedAt,
    ops: ops!,
    opProps,
    search: '',
    reports: [],
    imports: [],
  };
}

/** The one-hop query's links grouped by frontier entity, in link order (as neighbours() gives them). */
function grouped(ids: string[], rows: HopRow[]): Neighbours {
  const out: Neighbours = new Map();
  for (const id of ids) out.set(id, []);
  for (const [u, other, l, o] of rows) out.get(u)?.push({ other, l: linkOf(l), o: o ? entityOf(o) : null });
  for (const list of out.values()) list.sort((a, b) => a.l.n - b.l.n);
  return out;
}

/** Entities by id the scope sees, in the order they were created. */
async function entitiesById(tx: Tx, ids: Iterable<string>, scope: Scope): Promise<Entity[]> {
  return (await tx.run('entities-by-id', { ids: [...ids], ops: opsParam(scope) }))
    .map((r) => r.e as EntityNode)
    .sort((a, b) => a.n - b.n)
    .map((e) => scopedEntity(e, scope));
}

export async function neighbourhood(
  c: Neo4jContext,
  seedIds: string[],
  opts: NeighbourhoodOptions,
  scope: Scope = null,
): Promise<Subgraph> {
  const { hops, filter, limit, types, maxLinks } = neighbourhoodOptions(opts);
  scope = narrowScope(scope, filter.operations);
  const fp = { ...filterParams(filter), ops: opsParam(scope) };
  const keep = (links: Map<string, LinkRel>, l: LinkRel): void => {
    links.set(l.id, l);
    if (links.size > maxLinks) throw tooManyLinks(maxLinks);
  };
  const ids = seedIds.filter((s) => typeof s === 'string');
  // One hop, the usual expansion, is one query (walk-one-hop.cypher) in a transaction of its own; a later step
  // that needs the store (a walk cut short, links shared with an operation outside the scope) reads in one
  // more. Deeper walks go ring by ring, in one transaction.
  if (hops === 1) {
    await c.ensureReady();
    const [one] = await c.exec.query('READ', 'walk-one-hop', { ...fp, ids, types: types ?? null, limit });
    return walked(one, (work) => c.read(work));
  }
  return c.read((tx) => walked(null, (work) => work(tx)));

  async function walked(one: Row | null, read: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>) {
    const start = one ? null : await read((tx) => tx.run('walk-seeds', { ids, ops: opsParam(scope) }));
    const dataVersion = ((one ?? start![0])?.v as number | undefined) ?? 0;
    // A scope reading every operation there is sees every fact: the walk's queries skip the scope's tests.
    if ((one ?? start![0])?.outside === 0) fp.ops = null;
    const found = new Map<string, EntityNode>();
    for (const e of one
      ? (one.seeds as EntityList[]).map(entityOf)
      : start!.map((r) => r.e as EntityNode | null))
      if (e) found.set(e.id, e);
    seedIds.forEach((s, i) => {
      if (parseId(s, 'e') === null || !found.has(s))
        throw new StoreError('not_found', `entity ${JSON.stringify(s)} does not exist`, ['seedIds', i]);
    });
    const nodes = new Set<string>(seedIds);
    const links = new Map<string, LinkRel>();
    let truncated = false;
    let frontier = [...nodes];
    for (let h = 0; h < hops && frontier.length > 0; h++) {
      const next: string[] = [];
      const nb = one
        ? grouped(frontier, one.hop as HopRow[])
        : await read((tx) => neighbours(tx, frontier, fp, types, null, true));
      for (const u of frontier) {
        for (const r of nb.get(u)!) {
          if (!nodes.has(r.other)) {
            if (nodes.size >= limit) {
              truncated = true;
              continue;
            }
            nodes.add(r.other);
            next.push(r.other);
            if (r.o) found.set(r.other, r.o);
          }
          keep(links, r.l);
        }
      }
      frontier = next;
    }
    // Links among the outermost ring, so the result is the whole graph induced on its nodes: only those whose
    // other end is in the result come back. The one-hop query read them already unless it was cut short.
    if (one?.among) {
      for (const [u, other, l] of one.among as HopRow[])
        if (nodes.has(u) && nodes.has(other)) keep(links, linkOf(l));
    } else if (frontier.length > 0) {
      const nb = await read((tx) => neighbours(tx, frontier, fp, types, [...nodes]));
      for (const u of frontier) for (const r of nb.get(u)!) if (nodes.has(r.other)) keep(links, r.l);
    }
    const sorted = [...links.values()].sort((a, b) => a.n - b.n);
    return {
      dataVersion,
      nodes: [...nodes]
        .map((id) => found.get(id)!)
        .sort((a, b) => a.n - b.n)
        .map((e) => scopedEntity(e, scope)),
      links: sorted.every((l) => wholeInScope(l.ops, scope))
        ? sorted.map(toLink)
        : await read((tx) => scopedLinks(tx, sorted, scope)),
      truncated,
    };
  }
}

/** Every shortest path from `fromId` to `toId` as recorded by `preds`, walked back from the target. */
function walkBack(
  preds: Map<string, { other: string; link: string }[]>,
  fromId: string,
  toId: string,
  limit: number,
) {
  // The same order as the SQLite store (server/store/sqlite/paths.ts): predecessors by entity number, then
  // link number, so the first `limit` of many equal paths are the same paths on both stores.
  const e = (id: string): number => parseId(id, 'e') ?? 0;
  const l = (id: string): number => parseId(id, 'l') ?? 0;
  for (const list of preds.values()) list.sort((a, b) => e(a.other) - e(b.other) || l(a.link) - l(b.link));
  const out: PathResult[] = [];
  const ns: string[] = [toId];
  const ls: string[] = [];
  const walk = (v: string): void => {
    if (out.length >= limit) return;
    if (v === fromId) {
      out.push({ nodes: [...ns].reverse(), links: [...ls].reverse() });
      return;
    }
    for (const p of preds.get(v) ?? []) {
      ns.push(p.other);
      ls.push(p.link);
      walk(p.other);
      ns.pop();
      ls.pop();
      if (out.length >= limit) return;
    }
  };
  walk(toId);
  return out;
}

export async function shortestPaths(
  c: Neo4jContext,
  fromId: string,
  toId: string,
  opts: PathOptions = {},
  scope: Scope = null,
): Promise<PathResult[]> {
  const filter = checkFilter(opts.filter);
  scope = narrowScope(scope, filter.operations);
  const maxHops = opts.maxHops ?? 6;
  const limit = opts.limit ?? 10;
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 12)
    throw invalid(['maxHops'], 'maxHops must be a whole number from 1 to 12');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalid(['limit'], 'limit must be a whole number from 1 to 1000');
  const fp = { ...filterParams(filter), ops: opsParam(scope) };
  return c.read(async (tx) => {
    for (const id of [fromId, toId]) {
      if (parseId(id, 'e') === null || !(await tx.one('entity-visible', { id, ops: fp.ops }))) {
        throw new StoreError('not_found', `entity ${JSON.stringify(id)} does not exist`, ['id']);
      }
    }
    if (fromId === toId) return [{ nodes: [fromId], links: [] }];
    // Breadth first by layers, one query per layer; then every shortest path walked back from the target.
    const dist = new Map<string, number>([[fromId, 0]]);
    const preds = new Map<string, { other: string; link: string }[]>();
    let frontier = [fromId];
    let found = false;
    for (let d = 0; d < maxHops && frontier.length > 0 && !found; d++) {
      const next: string[] = [];
      const nb = await neighbours(tx, frontier, fp, filter.entityTypes);
      for (const u of frontier) {
        for (const s of nb.get(u)!) {
          const dv = dist.get(s.other);
          if (dv === undefined) {
            dist.set(s.other, d + 1);
            preds.set(s.other, [{ other: u, link: s.l.id }]);
            next.push(s.other);
            if (s.other === toId) found = true;
          } else if (dv === d + 1) {
            preds.get(s.other)!.push({ other: u, link: s.l.id });
          }
        }
      }
      frontier = next;
    }
    return found ? walkBack(preds, fromId, toId, limit) : [];
  });
}

/** The filtered graph a view is built from: its links, and their ends (or every entity of the types). */
export async function subgraph(
  c: Neo4jContext,
  filterIn: ViewFilter,
  opts: { limit?: number } = {},
  scope: Scope = null,
): Promise<Subgraph> {
  const filter = checkFilter(filterIn);
  const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
  scope = narrowScope(scope, filter.operations);
  const fp = { ...filterParams(filter), ops: opsParam(scope) };
  const types = filter.entityTypes ?? null;
  return c.read(async (tx) => {
    const dataVersion = await c.versionIn(tx);
    const rows = await tx.run('subgraph-links', {
      ...fp,
      types,
      limit: Math.min(limit, Number.MAX_SAFE_INTEGER - 1) + 1,
    });
    let truncated = false;
    if (rows.length > limit) {
      truncated = true;
      rows.length = limit;
    }
    const links = await scopedLinks(
      tx,
      rows.map((r) => r.l as LinkRel),
      scope,
    );
    await countInWindow(tx, links, filter, scope);
    let nodes: Entity[];
    if (!filtersLinks(filter) && !truncated) {
      nodes = (await tx.run('entities-of-types', { types, ops: fp.ops })).map((r) =>
        scopedEntity(r.e as EntityNode, scope),
      );
    } else {
      nodes = await entitiesById(tx, new Set(links.flatMap((l) => [l.from, l.to])), scope);
    }
    return { dataVersion, nodes, links, truncated };
  });
}
