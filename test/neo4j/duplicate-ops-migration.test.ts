// A possible duplicate kept on Neo4j before pairs recorded their operations has no `ops`: on start the store
// gives it every operation of its two records (what the run that found it could have read), so a pair
// touching a closed operation's record leaves the sight of those outside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const pair = (aId: string, bId: string, weight: number) => ({
  aId,
  bId,
  type: 'Person' as const,
  weight,
  probability: 0.9,
  evidence: ['same name'],
  fingerprint: `fp-${weight}`,
});

describe.skipIf(!avail.ok)('Neo4j possible duplicates from before operations', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;
  beforeAll(async () => {
    release = await lockDatabase();
    if (avail.ok) stores = await avail.server.freshStore();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    await stores?.close();
    release();
    if (avail.ok) await avail.server.close();
  });

  it("gives a pair without operations both records' operations when the store starts", async () => {
    if (!avail.ok) return;
    const closed = await stores.operations.create(
      { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
      { actor: 'dsmith' },
    );
    const open = await stores.graph.writeBatch(
      {
        entities: [
          { type: 'Person', label: 'Ada Brook', key: 'ab-1' },
          { type: 'Person', label: 'Ada Brook', key: 'ab-2' },
        ],
      },
      { actor: 'ana' },
    );
    const [ab1, ab2] = open.entityIds;
    await stores.graph.writeBatch(
      { entities: [{ type: 'Person', label: 'Ada Brook', key: 'ab-2' }] },
      { actor: 'dsmith', operationId: closed.id },
    );
    await stores.duplicates.saveProposals([pair(ab1, ab2, 12)], { actor: 'seed' });
    await avail.server.driver.executeQuery('MATCH (p:DuplicateProposal) REMOVE p.ops');
    const { uri, password, driver } = avail.server;
    const again = new Neo4jStores({ uri, password, driver });
    await again.init();
    const outsider = again.duplicates.scoped({ operations: ['op1'] });
    // Started again, the store has made the pair the closed operation's too: an outsider no longer sees it.
    expect((await outsider.listProposals()).total).toBe(0);
    expect((await again.duplicates.listProposals()).items.map((p) => p.ops)).toEqual([['op1', closed.id]]);
    const member = again.duplicates.scoped({ operations: ['op1', closed.id] });
    expect((await member.listProposals()).total).toBe(1);
    await again.close();
  });
});
