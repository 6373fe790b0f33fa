// An import run kept on Neo4j before runs recorded their operation has no `op`: it is GENERAL's (op1), read by
// everyone who reads GENERAL and by no scope without it; a run made afterwards records its operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const run = (importId: string) => ({ actor: 'importer', importId, importRun: () => ({ importId }) });

describe.skipIf(!avail.ok)('Neo4j import runs from before operations', () => {
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

  it('reads a run without an operation as GENERAL’s', async () => {
    if (!avail.ok) return;
    await stores.graph.writeBatch({ entities: [{ type: 'Person', label: 'Old Person' }] }, run('imp-old'));
    await avail.server.driver.executeQuery('MATCH (r:ImportRun) REMOVE r.op');
    const closed = await stores.operations.create(
      { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
      { actor: 'dsmith' },
    );
    await stores.graph.writeBatch(
      { entities: [{ type: 'Person', label: 'New Person' }] },
      { ...run('imp-new'), operationId: closed.id },
    );
    expect((await stores.imports.listImportRuns()).items.map((r) => [r.importId, r.operationId])).toEqual([
      ['imp-new', closed.id],
      ['imp-old', 'op1'],
    ]);
    const general = stores.imports.scoped({ operations: ['op1'] });
    expect((await general.listImportRuns()).items.map((r) => r.importId)).toEqual(['imp-old']);
    const inside = stores.imports.scoped({ operations: [closed.id] });
    expect((await inside.listImportRuns()).items.map((r) => r.importId)).toEqual(['imp-new']);
  });
});
