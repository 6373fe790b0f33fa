// The floor under the Neo4j write path: the very entities and links a run of writeBatch stored, read back and
// written again into an emptied database with nothing but UNWIND ... CREATE (no lookups, locks, merges or id
// numbers). What the write path costs beyond this is its own; what this costs is the stored form itself.
//
// A floor run is named by four things, so each can be changed alone:
// - writers: sessions writing at once, on disjoint batches (batch i to writer i mod writers), entities first,
//   then links; a deadlock between two (a link locks its ends) is retried by the driver, and counted;
// - query: how links are created: the relationship type as `$(row.type)` and properties set one by one (as
//   links-create does), the type spelled out in one statement per link type of the batch, or `SET l = row` /
//   `SET l += row` (one map);
// - batch: rows a transaction;
// - form: the records as stored, or without the entity full-text index, links without their four string lists
//   (grades, reports, imports, ops: Neo4j keeps each in a dynamic array record of its own), those lists as
//   integer lists (which Neo4j can pack into the property record), or links stripped to their id and number.
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { LINK_TYPES } from '../server/domain/model.ts';
import { fromNeo, toNeo, type Row } from '../server/store/neo4j/executor.ts';

export interface Stored {
  entities: Row[];
  links: { from: string; to: string; type: string; props: Row }[];
}

/** Every entity and link now in the database, in the stored form, in id order. */
export async function readStored(driver: Driver): Promise<Stored> {
  const q = async (text: string) =>
    (await driver.executeQuery(text)).records.map((r) => fromNeo(r.toObject()) as Row);
  const entities = (await q('MATCH (e:Entity) RETURN e {.*} AS e ORDER BY e.n')).map((r) => r.e as Row);
  const links = (
    await q(
      'MATCH (a:Entity)-[l]->(b:Entity) WHERE l.id IS NOT NULL ' +
        'RETURN a.id AS from, b.id AS to, type(l) AS type, l {.*} AS props ORDER BY l.n',
    )
  ).map((r) => ({
    from: r.from as string,
    to: r.to as string,
    type: r.type as string,
    props: r.props as Row,
  }));
  return { entities, links };
}

export type FloorForm =
  'as stored' | 'no full-text index' | 'links: no lists' | 'links: int lists' | 'links: id and n only';

export type LinkQuery = 'dynamic type' | 'static types' | 'SET l = row' | 'SET l += row';

export interface FloorRun {
  form: FloorForm;
  query: LinkQuery;
  writers: number;
  batch: number;
}

export interface FloorResult {
  entitySeconds: number;
  linkSeconds: number;
  /** Transactions committed, and attempts the driver made (more when writers deadlocked and were retried). */
  transactions: number;
  attempts: number;
}

export const floorName = (r: FloorRun): string => `${r.form}, ${r.query}, ${r.writers}w, ${r.batch / 1000}k`;

/** A link's list properties: string lists, which Neo4j keeps in its dynamic array store, a record each. */
const LISTS = new Set(['grades', 'reports', 'imports', 'ops']);

const ENTITIES = 'UNWIND $rows AS row CREATE (e:Entity) SET e = row SET e:$(row.type)';
const ENDS =
  'UNWIND $rows AS row MATCH (a:Entity {id: row.from}) USING INDEX a:Entity(id) ' +
  'MATCH (b:Entity {id: row.to}) USING INDEX b:Entity(id) ';

/** The links query of a variant; `type` for 'static types' (one of LINK_TYPES), `keys` every property name. */
function linksQuery(query: LinkQuery, keys: string[], type?: string): string {
  const each = keys.map((k) => `l.${k} = row.props.${k}`).join(', ');
  switch (query) {
    case 'dynamic type':
      return `${ENDS}CREATE (a)-[l:$(row.type)]->(b) SET ${each}`;
    case 'static types':
      return `${ENDS}CREATE (a)-[l:${type}]->(b) SET ${each}`;
    case 'SET l = row':
      return `${ENDS}CREATE (a)-[l:$(row.type)]->(b) SET l = row.props`;
    case 'SET l += row':
      return `${ENDS}CREATE (a)-[l:$(row.type)]->(b) SET l += row.props`;
  }
}

/** The links as the form stores them. */
function linksOf(stored: Stored, form: FloorForm): Stored['links'] {
  if (form === 'links: id and n only')
    return stored.links.map((l) => ({ ...l, props: { id: l.props.id, n: l.props.n } }));
  if (form === 'links: no lists')
    return stored.links.map((l) => ({
      ...l,
      props: Object.fromEntries(Object.entries(l.props).filter(([k]) => !LISTS.has(k))),
    }));
  if (form === 'links: int lists') {
    // Each distinct string of a list numbered once (as a dictionary kept elsewhere would): the same lists as
    // whole numbers, which Neo4j packs into the property record when they are short.
    const codes = new Map<string, number>();
    const code = (s: string) => {
      let c = codes.get(s);
      if (c === undefined) codes.set(s, (c = codes.size + 1));
      return c;
    };
    return stored.links.map((l) => ({
      ...l,
      props: Object.fromEntries(
        Object.entries(l.props).map(([k, v]) =>
          LISTS.has(k) && Array.isArray(v) ? [k, (v as string[]).map(code)] : [k, v],
        ),
      ),
    }));
  }
  return stored.links;
}

/**
 * Writes `stored` again as `run` says; the caller empties the database first (and puts the full-text index back
 * after 'no full-text index').
 */
export async function writeFloor(driver: Driver, stored: Stored, run: FloorRun): Promise<FloorResult> {
  if (run.form === 'no full-text index') await driver.executeQuery('DROP INDEX entity_search IF EXISTS');
  const links = linksOf(stored, run.form);
  const keys = new Set<string>();
  for (const l of links) for (const k of Object.keys(l.props)) keys.add(k);
  // Property names come from the database's own links, and are plain words; checked all the same.
  for (const k of keys) if (!/^\w+$/.test(k)) throw new Error(`unexpected link property ${k}`);
  for (const l of links)
    if (!(LINK_TYPES as readonly string[]).includes(l.type)) throw new Error(`not a link type: ${l.type}`);
  const out: FloorResult = { entitySeconds: 0, linkSeconds: 0, transactions: 0, attempts: 0 };
  /** Every batch of `rows`, `run.writers` sessions at once; `each` runs one batch's statements. */
  const parallel = async <T>(rows: T[], each: (tx: ManagedTransaction, rows: T[]) => Promise<void>) => {
    const batches: T[][] = [];
    for (let i = 0; i < rows.length; i += run.batch) batches.push(rows.slice(i, i + run.batch));
    await Promise.all(
      Array.from({ length: run.writers }, async (_, w) => {
        const session = driver.session();
        try {
          for (let i = w; i < batches.length; i += run.writers) {
            await session.executeWrite(async (tx) => {
              out.attempts++;
              await each(tx, batches[i]);
            });
            out.transactions++;
          }
        } finally {
          await session.close();
        }
      }),
    );
  };
  const t0 = performance.now();
  await parallel(stored.entities, async (tx, rows) => {
    await tx.run(ENTITIES, toNeo({ rows }) as Row);
  });
  const t1 = performance.now();
  const names = [...keys];
  await parallel(links, async (tx, rows) => {
    if (run.query !== 'static types') {
      await tx.run(linksQuery(run.query, names), toNeo({ rows }) as Row);
      return;
    }
    const byType = new Map<string, typeof rows>();
    for (const l of rows) {
      const list = byType.get(l.type) ?? [];
      list.push(l);
      byType.set(l.type, list);
    }
    for (const [type, list] of byType)
      await tx.run(linksQuery('static types', names, type), toNeo({ rows: list }) as Row);
  });
  out.entitySeconds = (t1 - t0) / 1000;
  out.linkSeconds = (performance.now() - t1) / 1000;
  return out;
}
