// The stores contract on a real Neo4j server (the test server the harness starts; see test/neo4j/harness.ts).
// Community Edition has one database, so every store starts by wiping it, and this file holds the database lock.
// Not run here: the audit tamper hook. Neo4j Community has no triggers, so the store keeps the audit log
// append-only by never updating it, and the hash chain (npm run audit:verify) shows any edit made behind it.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from '../neo4j/harness.ts';
import { storesContract } from './stores-contract.ts';

const avail = await neo4jForTests();

if (!avail.ok) {
  describe('Stores contract: neo4j', () => {
    it.skip(avail.reason, () => {});
  });
} else {
  const server = avail.server;
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    await server.close();
  });
  storesContract('neo4j', () => server.freshStore());
}
