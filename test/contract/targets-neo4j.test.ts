// The target contract on the Neo4j store (the real test server; skipped with the reason when there is none).
import { afterAll, beforeAll } from 'vitest';
import { lockDatabase, neo4jForTests } from '../neo4j/harness.ts';
import { targetsContract } from './targets-contract.ts';

const avail = await neo4jForTests();
if (!avail.ok) console.warn(avail.reason);

let release: () => void = () => {};
beforeAll(async () => {
  if (avail.ok) release = await lockDatabase();
});
afterAll(async () => {
  release();
  if (avail.ok) await avail.server.close();
});

targetsContract('neo4j', async () => {
  if (!avail.ok) return null;
  const store = await avail.server.freshStore();
  await store.init();
  return { store, cleanup: () => store.close() };
});
