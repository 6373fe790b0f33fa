// npm run transfer into an EMPTY Neo4j through neo4j-admin database import, on the real test server (stopped,
// its database replaced, started again): everything arrives with its ids (every scope of a closed operation
// reads Neo4j as it read SQLite), counts, digest and audit chain verified, the importer refused without
// --restart, and the copy numbers new records after the copied ones. Then the online MERGE path into the same,
// now non-empty, database with --replace twice, to the same digest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { schemaStatements } from '../../server/store/neo4j/queries.ts';
import { transfer, TransferError, type Endpoint } from '../../server/cli/transfer.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { operationsRecord, scopedReads, writeOperations } from '../store/transfer-ops-fixture.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';
import { TEST_HOME, noteTestServerRestarted } from '../setup/neo4j.ts';

const avail = await neo4jForTests();
const quiet = { log: () => {}, auditKey: null };

describe.skipIf(!avail.ok)('transfer into an empty Neo4j through neo4j-admin import', () => {
  let release: () => void = () => {};
  const dir = mkdtempSync(join(tmpdir(), 'lc-transfer-import-'));
  const home = process.env.LINKCHART_NEO4J_HOME;
  beforeAll(async () => {
    release = await lockDatabase();
    if (avail.ok) await avail.server.wipe();
    process.env.LINKCHART_NEO4J_HOME = TEST_HOME;
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    if (home === undefined) delete process.env.LINKCHART_NEO4J_HOME;
    else process.env.LINKCHART_NEO4J_HOME = home;
    release();
    rmSync(dir, { recursive: true, force: true });
    if (avail.ok) await avail.server.close().catch(() => undefined);
  });

  it('imports, verifies, and reads as the source did', { timeout: 600_000 }, async () => {
    if (!avail.ok) return;
    const neo: Endpoint = {
      kind: 'neo4j',
      uri: avail.server.uri,
      user: 'neo4j',
      password: avail.server.password,
    };
    const src = join(dir, 'ops.db');
    const s = await openSqliteStores(src);
    const w = await writeOperations(s);
    for (let i = 0; i < 3; i++)
      await s.security.appendAudit({
        actor: 'ana',
        action: `step ${i}`,
        outcome: 'ok',
        objectIds: i === 1 ? ['e-watched'] : [],
      });
    const outsider = { operations: await s.operations.readableBy('demo') };
    const member = { operations: await s.operations.readableBy('ana') };
    const before = {
      outsider: await scopedReads(s, w, outsider),
      member: await scopedReads(s, w, member),
      all: await scopedReads(s, w, 'all'),
      record: await operationsRecord(s),
    };
    const lastEntity = (await s.counts()).entities;
    await s.close();

    const refused = await transfer({ kind: 'sqlite', path: src }, neo, { ...quiet, method: 'import' }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TransferError);
    expect((refused as TransferError).message).toMatch(/--restart/);

    const r = await transfer({ kind: 'sqlite', path: src }, neo, { ...quiet, restart: true }).finally(
      noteTestServerRestarted,
    );
    expect(r).toMatchObject({ status: 'copied', method: 'import' });
    expect(r.counts).toMatchObject({ operations: 3, deconflictionNotices: 3, audit: 3 });
    const stores = new Neo4jStores({ uri: avail.server.uri, user: 'neo4j', password: avail.server.password });
    try {
      // Every index and constraint of cypher/schema.cypher (built in one transaction) is online, and the
      // operations migration is marked done, so no start-up scans the copy for records without operations.
      const names = schemaStatements().flatMap(
        (x) => /^CREATE (?:FULLTEXT )?(?:INDEX|CONSTRAINT) (\w+)/.exec(x)?.[1] ?? [],
      );
      expect(names.length).toBeGreaterThan(60);
      const shown = await stores.exec.driver.executeQuery(
        'SHOW INDEXES YIELD name, state RETURN name, state',
      );
      const state = new Map(shown.records.map((x) => [x.get('name') as string, x.get('state') as string]));
      expect(names.filter((n) => state.get(n) !== 'ONLINE')).toEqual([]);
      const meta = await stores.exec.driver.executeQuery(
        "MATCH (m:Meta {k: 'state'}) RETURN m.opsMigrated AS done",
      );
      expect(meta.records.map((x) => x.get('done') as unknown)).toEqual([true]);
      expect(await scopedReads(stores, w, outsider)).toEqual(before.outsider);
      expect(await scopedReads(stores, w, member)).toEqual(before.member);
      expect(await scopedReads(stores, w, 'all')).toEqual(before.all);
      expect(await operationsRecord(stores)).toEqual(before.record);
      expect(verifyAuditChain((await stores.security.listAudit({ limit: 100 })).items)).toBeNull();
      // The importer writes no audit index entries: start-up filled them (who read a record is found).
      expect((await stores.security.listAudit({ objectId: 'e-watched' })).items.map((a) => a.action)).toEqual(
        ['step 1'],
      );
      // The schema is there (a second entity with the same natural key is refused) and numbering goes on.
      const made = await stores.graph.writeBatch(
        { entities: [{ type: 'Person', label: 'New Person' }] },
        { actor: 'ana' },
      );
      expect(made.entityIds).toHaveLength(1);
      expect(Number(made.entityIds[0].slice(1))).toBeGreaterThan(lastEntity);
      expect((await stores.security.appendAudit({ actor: 'ana', action: 'after', outcome: 'ok' })).seq).toBe(
        4,
      );
    } finally {
      await stores.close();
    }

    // Online into the now non-empty database: --replace twice empties it, MERGE batches fill it.
    const again = await transfer({ kind: 'sqlite', path: src }, neo, {
      ...quiet,
      replace: true,
      replaceAudit: true,
      method: 'merge',
      batch: 7,
    });
    expect(again).toMatchObject({ status: 'copied', method: 'merge', digest: r.digest });
  });
});
