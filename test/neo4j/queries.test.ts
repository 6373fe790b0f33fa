// Every named query in cypher/queries parses and plans on the real server (EXPLAIN runs nothing), and the
// schema applies twice without change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, schemaStatements } from '../../server/store/neo4j/queries.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
if (!avail.ok) console.warn(avail.reason);

describe.skipIf(!avail.ok)('cypher/ on Neo4j', () => {
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    if (avail.ok) await avail.server.close();
  });

  it('applies the schema idempotently', async () => {
    if (!avail.ok) return;
    const stores = await avail.server.freshStore();
    const before = await avail.server.driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN count(*) AS c');
    await stores.init();
    await (await avail.server.freshStore()).close();
    const after = await avail.server.driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN count(*) AS c');
    expect(Number(after.records[0].get('c'))).toBe(Number(before.records[0].get('c')));
    expect(Number(after.records[0].get('c'))).toBeGreaterThanOrEqual(
      schemaStatements().filter((s) => s.startsWith('CREATE CONSTRAINT')).length,
    );
    await stores.close();
  });

  it('plans every named query', async () => {
    if (!avail.ok) return;
    expect(queries().size).toBeGreaterThan(50);
    for (const [name, text] of queries()) {
      // Parameters are unknown to EXPLAIN-only planning, which is exactly what is wanted.
      // Batched migrations (CALL ... IN TRANSACTIONS) plan only outside an explicit transaction.
      const plan = text.includes('IN TRANSACTIONS')
        ? (async () => {
            const session = avail.server.driver.session();
            try {
              return await session.run(`EXPLAIN ${text}`);
            } finally {
              await session.close();
            }
          })()
        : avail.server.driver.executeQuery(`EXPLAIN ${text}`);
      await expect(plan, name).resolves.toBeDefined();
    }
  });
});
