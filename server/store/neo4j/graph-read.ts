// Reads of graph facts on Neo4j: entities, links and reports by id, key or page, and full-text search. An id
// of the wrong shape is simply not found.
import type { Entity, EntityDetail, EntityType, Link, LinkDetail, Report } from '../../domain/model.ts';
import { ENTITY_TYPES } from '../../domain/model.ts';
import type { ListOptions, Page } from '../common.ts';
import type { LinkListOptions, SearchHit } from '../graph-store.ts';
import { linkCursor } from '../shared/link-cursor.ts';
import { nfcKey, searchText } from '../shared/values.ts';
import { parseId } from '../shared/ids.ts';
import { ENTITY_KEY, REPORT_KEY } from '../shared/list-key.ts';
import { invalid } from '../shared/validate.ts';
import { seenRows, type Neo4jContext, type SeenRows } from './context.ts';
import type { Row, Tx } from './executor.ts';
import { findReport } from './graph-load.ts';
import { luceneFuzzyQuery, luceneQuery } from './query-params.ts';
import { exactThenSimilar, ftsTokens } from '../shared/search-tokens.ts';
import { normalisePhone } from '../../domain/normalise.ts';
import { opsParam, scopedProps, wholeInScope, type Scope } from './op-membership.ts';
import { toReport, toReports, type EntityNode, type LinkRel, type ReportNode } from './rows.ts';
import { scopedEntity, scopedLinks } from './scope-facts.ts';

// Every read takes the scope: its query sees only facts of those operations (a hidden one is absent), and
// scope-facts.ts shows a shared fact as the scope's operations hold it.

export async function getEntity(c: Neo4jContext, id: string, scope: Scope): Promise<EntityDetail | null> {
  if (parseId(id, 'e') === null) return null;
  return c.read(async (tx) => {
    const r = await tx.one('entity-detail', { id, ops: opsParam(scope) });
    if (!r) return null;
    const reports = toReports(r.reports as ReportNode[]);
    const aliases = (r.aliases as string[]).sort();
    return { ...scopedEntity(r.e as EntityNode, scope), reports, aliases };
  });
}

export async function getEntities(c: Neo4jContext, ids: string[], scope: Scope): Promise<Entity[]> {
  const valid = ids.filter((i) => parseId(i, 'e') !== null);
  if (valid.length === 0) return [];
  return c.read(async (tx) => {
    const rows = (await tx.run('entities-by-id', { ids: valid, ops: opsParam(scope) })).map(
      (r) => r.e as EntityNode,
    );
    const byId = new Map(rows.map((e) => [e.id, e]));
    // In the order asked for; unknown ids are left out.
    return valid.filter((i) => byId.has(i)).map((i) => scopedEntity(byId.get(i)!, scope));
  });
}

export async function findEntity(
  c: Neo4jContext,
  type: EntityType,
  key: string,
  scope: Scope,
): Promise<Entity | null> {
  if (!ENTITY_TYPES.includes(type)) return null;
  return c.read(async (tx) => {
    const r = await tx.one('entities-by-key', { keys: [{ type, key: nfcKey(key) }], ops: opsParam(scope) });
    return r ? scopedEntity(r.e as EntityNode, scope) : null;
  });
}

export async function listEntities(
  c: Neo4jContext,
  opts: ListOptions & { type?: EntityType; importId?: string } = {},
  scope: Scope = null,
): Promise<Page<Entity>> {
  const type = opts.type ?? null;
  const importId = opts.importId ?? null;
  const ops = opsParam(scope);
  const map = (r: Row) => scopedEntity(r as unknown as EntityNode, scope);
  // The page is read along entity_n; the total is the count store's when nothing but a type filters the list,
  // else a bounded count (boundedTotal), like the links'.
  return c.keyedPage('entities', opts, ENTITY_KEY, { type, importId, ops }, 'e', map, async (tx, seen) => {
    const sees = (await readsEverything(tx, ops)) ? null : ops;
    const byType = async (t: string | null) => {
      const rows = await tx.run('count-entities-by-type');
      return rows.reduce((n, r) => (t === null || r.t === t ? n + (r.c as number) : n), 0);
    };
    if (sees === null && importId === null) return { total: await byType(type) };
    return boundedTotal(c, tx, {
      stored: () => byType(null),
      exact: async () => (await tx.one('entities-count', { type, importId, ops: sees }))!.c as number,
      key: `entities|${type ?? ''}|${importId ?? ''}|${sees ? [...sees].sort().join(',') : '*'}`,
      seen,
    });
  });
}

/** Whether a scope reads every operation there is (the usual case): then it sees every fact, and counts as none. */
async function readsEverything(tx: Tx, ops: string[] | null): Promise<boolean> {
  return ops === null || ((await tx.one('operations-outside', { ops }))!.c as number) === 0;
}

export async function getLink(c: Neo4jContext, id: string, scope: Scope): Promise<LinkDetail | null> {
  if (parseId(id, 'l') === null) return null;
  const ops = opsParam(scope);
  return c.read(async (tx) => {
    const r = await tx.one('link-by-id', { id, ops });
    if (!r) return null;
    const l = r.l as LinkRel;
    const reports = l.reports?.length
      ? toReports((await tx.run('reports-by-id', { ids: l.reports, ops })).map((x) => x.r as ReportNode))
      : [];
    return { ...(await scopedLinks(tx, [l], scope))[0], reports };
  });
}

export async function listLinks(
  c: Neo4jContext,
  opts: LinkListOptions = {},
  scope: Scope = null,
): Promise<Page<Link>> {
  const after = linkCursor(opts);
  const ops = opsParam(scope);
  if (opts.entityId !== undefined) {
    const params = { type: opts.type ?? null, entity: opts.entityId, ops };
    const page = await c.listPage('links-of-entity', opts, params, 'l', (r) => r as unknown as LinkRel);
    return { ...page, items: await c.read((tx) => scopedLinks(tx, page.items, scope)) };
  }
  // Each type's index on n gives its links in order (links-page.cypher), the scope's filter applied as they
  // are read; the count store gives the total, or for a scope a count of what it sees.
  const { offset, limit } = c.page(opts);
  return c.read(async (tx) => {
    // A scope reading every operation there is (the usual case) sees every link: its page is read as an
    // unscoped one, without testing each link and both its ends against the scope.
    const pageOps = (await readsEverything(tx, ops)) ? null : ops;
    const params = {
      type: opts.type ?? null,
      after,
      offset,
      limit: limit + 1,
      take: offset + limit + 1,
      ops: pageOps,
    };
    let rels: LinkRel[] = [];
    for (const upto of linkPageRanges(after, params.take)) {
      rels = (await tx.run('links-page', { ...params, upto })).map((r) => r.l as LinkRel);
      if (rels.length > limit) break;
    }
    const more = rels.length > limit;
    if (more) rels.length = limit;
    const rows = await scopedLinks(tx, rels, scope);
    const seen = seenRows(offset, rows.length, more, after === 0);
    const { total, atLeast } = await linkTotal(c, tx, params.type, pageOps, seen);
    const next = more ? rows[rows.length - 1].id : null;
    return { items: rows, total, offset, limit, next, ...(atLeast ? { totalAtLeast: true } : {}) };
  });
}

/**
 * The upper ends of the ranges of link numbers a page is looked for in, one after another until a range holds
 * the page. Link numbers run as one sequence over every type with few gaps, so the `take` links after `after`
 * lie a little past it: a range about the page's size first (each type reads only its share of it), ten times
 * that if it held too few (gaps, a narrow scope), and only then no bound (each type's next `take`: the end of
 * the list, or a scope that sees few links).
 */
export function linkPageRanges(after: number, take: number): Array<number | null> {
  return [after + Math.ceil(take * 1.25) + 100, after + take * 10 + 1000, null];
}

/**
 * A scope that leaves out an operation is counted only on a store of at most this many links (the count reads
 * each of them); past it the total says only what the pages read so far show: at least that many.
 */
export const SCOPED_COUNT_MAX = 20_000;

/**
 * Scoped link totals already counted, per store, by data version, type and scope: the count a scope that
 * leaves out an operation needs is paid once per write, not on every page. Few scopes are live at once; the
 * map is emptied past 256 of them.
 */
const scopedTotals = new WeakMap<Neo4jContext, Map<string, number>>();

/**
 * How many links a list reads. Unscoped, or scoped to every operation there is (the usual case), from the
 * count store (a dozen lookups). A scope leaving an operation out cannot be answered by the count store:
 * on a store of up to SCOPED_COUNT_MAX links it is counted (links-scoped-count, once per data version);
 * on a larger one no page reads the whole store, so the total is what the page shows (`seen`) and, unless
 * that is the whole list, a lower bound (`atLeast`).
 */
async function linkTotal(
  c: Neo4jContext,
  tx: Tx,
  type: string | null,
  ops: string[] | null,
  seen: SeenRows,
): Promise<{ total: number; atLeast: boolean }> {
  const count = async (t: string | null) => (await tx.one('links-page-count', { type: t }))!.c as number;
  // `ops` null: unscoped, or a scope reading every operation (listLinks).
  if (ops === null) return { total: await count(type), atLeast: false };
  return boundedTotal(c, tx, {
    stored: () => count(null),
    exact: async () => (await tx.one('links-scoped-count', { type, ops }))!.c as number,
    key: `links|${type ?? ''}|${[...ops].sort().join(',')}`,
    seen,
  });
}

/**
 * The total of a list the count store cannot answer (a scope leaving an operation out, or entities of one
 * import). On a store of up to SCOPED_COUNT_MAX (`stored`, from the count store) it is counted (`exact`, once
 * per data version and `key`); on a larger one no page reads the whole store, so the total is what the pages
 * show (`seen`) and, unless that is the whole list, a lower bound (`atLeast`).
 */
async function boundedTotal(
  c: Neo4jContext,
  tx: Tx,
  o: { stored: () => Promise<number>; exact: () => Promise<number>; key: string; seen: SeenRows },
): Promise<{ total: number; atLeast: boolean }> {
  if ((await o.stored()) > SCOPED_COUNT_MAX) return { total: o.seen.n, atLeast: !o.seen.exact };
  let cache = scopedTotals.get(c);
  if (!cache) {
    const made = new Map<string, number>();
    scopedTotals.set(c, (cache = made));
    c.onReplaced(() => made.clear());
  }
  const key = `${await c.versionIn(tx)}|${o.key}`;
  const known = cache.get(key);
  if (known !== undefined) return { total: known, atLeast: false };
  const n = await o.exact();
  if (cache.size >= 256) cache.clear();
  cache.set(key, n);
  return { total: n, atLeast: false };
}

export async function getReport(c: Neo4jContext, idOrRef: string, scope: Scope): Promise<Report | null> {
  if (typeof idOrRef !== 'string') return null;
  return c.read(async (tx) => {
    const r = await findReport(tx, idOrRef, opsParam(scope));
    return r ? toReport(r) : null;
  });
}

export async function listReports(
  c: Neo4jContext,
  opts: ListOptions & { dueBefore?: string } = {},
  scope: Scope = null,
): Promise<Page<Report>> {
  const ops = opsParam(scope);
  const params = { due: opts.dueBefore ?? null, ops };
  const map = (r: Row) => toReport(r as unknown as ReportNode);
  // Reports due for review (retention) are read along the review-date index, never the whole list; the
  // whole list along report_n, counted by the count store unless a scope leaves an operation out.
  if (opts.dueBefore !== undefined) return c.keyedPage('reports-due', opts, REPORT_KEY, params, 'r', map);
  return c.keyedPage('reports', opts, REPORT_KEY, params, 'r', map, async (tx, seen) => {
    const all = async () => (await tx.one('reports-stored'))!.c as number;
    if (await readsEverything(tx, ops)) return { total: await all() };
    return boundedTotal(c, tx, {
      stored: all,
      exact: async () => (await tx.one('reports-count', params))!.c as number,
      key: `reports|${[...ops!].sort().join(',')}`,
      seen,
    });
  });
}

/** Plain text, never a query language: see luceneQuery. */
export async function search(
  c: Neo4jContext,
  query: string,
  opts: { types?: EntityType[]; limit?: number } = {},
  scope: Scope = null,
): Promise<SearchHit[]> {
  if (typeof query !== 'string') throw invalid(['query'], 'search text must be a string');
  const q = luceneQuery(query);
  if (!q) return [];
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 20)), 500);
  const fuzzy = luceneFuzzyQuery(query);
  return c.read(async (tx) => {
    const run = async (text: string, exactPass: boolean) =>
      (await tx.run('search', { q: text, types: opts.types ?? null, limit, ops: opsParam(scope) }))
        // A shared entity is found only by what the scope may read of it (the sound-alike pass matches keys
        // made from the label alone, which every scope reads).
        .filter((r) => !exactPass || readableMatch(query, r.e as EntityNode, scope))
        .map((r) => ({ entity: scopedEntity(r.e as EntityNode, scope), score: r.score as number }));
    const exact = await run(q, true);
    // Fewer exact hits than asked for: the forgiving pass fills up with names that sound or are spelt alike.
    return exactThenSimilar(exact, fuzzy && exact.length < limit ? await run(fuzzy, false) : [], limit);
  });
}

/** Words of a text as the full-text index cuts them (letters and digits, lower case). */
const words = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u);

/**
 * Whether search text `query` finds entity `e` in what the scope reads of it: the label, the key and the
 * in-scope operations' properties (the same test as luceneQuery: every word, the last one as a prefix, or a
 * phone number's digits). Entities wholly in scope need no test: the index matched what they are.
 */
function readableMatch(query: string, e: EntityNode, scope: Scope): boolean {
  if (wholeInScope(e.ops, scope)) return true;
  const have = words(`${e.label} ${e.key} ${searchText(scopedProps(e, scope), e.label)}`);
  const want = ftsTokens(query).map((t) => t.toLowerCase());
  const all = want.every((t, i) =>
    i === want.length - 1 ? have.some((h) => h.startsWith(t)) : have.includes(t),
  );
  if (all) return true;
  const digits = query.replace(/[\s()-]/g, '');
  const e164 = /^\+?\d{6,}$/.test(digits) ? normalisePhone(digits) : null;
  return e164 !== null && have.includes(e164.slice(1));
}
