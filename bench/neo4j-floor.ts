// The floor under the Neo4j write path: the very entities and links a run of writeBatch stored, read back and
// written again into an emptied database with nothing but UNWIND ... CREATE in batches of the same size (no
// lookups, locks, merges or id numbers). What the write path costs beyond this is its own; what this costs is
// the stored form itself. Three variants say where that goes: without the entity full-text index; links
// without their four string lists (grades, reports, imports, ops: Neo4j keeps each in a dynamic array record
// of its own); and links stripped to their id and number (what all their other properties cost to store).
import type { Driver } from 'neo4j-driver';
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

export type FloorVariant = 'as stored' | 'no full-text index' | 'links: no lists' | 'links: id and n only';

/** A link's list properties: string lists, which Neo4j keeps in its dynamic array store, a record each. */
const LISTS = new Set(['grades', 'reports', 'imports', 'ops']);

const ENTITIES = 'UNWIND $rows AS row CREATE (e:Entity) SET e = row SET e:$(row.type)';
/** As links-create does it: the ends by id, properties set one by one (`keys`: every property any link has). */
const linksQuery = (keys: string[]): string =>
  'UNWIND $rows AS row MATCH (a:Entity {id: row.from}) USING INDEX a:Entity(id) ' +
  'MATCH (b:Entity {id: row.to}) USING INDEX b:Entity(id) CREATE (a)-[l:$(row.type)]->(b) SET ' +
  keys.map((k) => `l.${k} = row.props.${k}`).join(', ');

/** Writes `stored` again, `batch` rows a transaction, entities first; the caller empties the database first. */
export async function writeFloor(
  driver: Driver,
  stored: Stored,
  batch: number,
  variant: FloorVariant,
): Promise<{ entitySeconds: number; linkSeconds: number }> {
  if (variant === 'no full-text index') await driver.executeQuery('DROP INDEX entity_search IF EXISTS');
  const links =
    variant === 'links: id and n only'
      ? stored.links.map((l) => ({ ...l, props: { id: l.props.id, n: l.props.n } }))
      : variant === 'links: no lists'
        ? stored.links.map((l) => ({
            ...l,
            props: Object.fromEntries(Object.entries(l.props).filter(([k]) => !LISTS.has(k))),
          }))
        : stored.links;
  const session = driver.session();
  try {
    const run = async (text: string, rows: unknown[]) => {
      for (let i = 0; i < rows.length; i += batch)
        await session.executeWrite((tx) => tx.run(text, toNeo({ rows: rows.slice(i, i + batch) }) as Row));
    };
    const t0 = performance.now();
    await run(ENTITIES, stored.entities);
    const t1 = performance.now();
    const keys = new Set<string>();
    for (const l of links) for (const k of Object.keys(l.props)) keys.add(k);
    // Property names come from the database's own links, and are plain words; checked all the same.
    for (const k of keys) if (!/^\w+$/.test(k)) throw new Error(`unexpected link property ${k}`);
    await run(linksQuery([...keys]), links);
    return { entitySeconds: (t1 - t0) / 1000, linkSeconds: (performance.now() - t1) / 1000 };
  } finally {
    await session.close();
  }
}
