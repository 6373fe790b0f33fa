// Who read or changed a record: the audit filtered by the object a record names is read along the audit_object
// index (cypher/schema.cypher), not over every record of an audit that grows with every request. The very
// queries listAudit runs touch a number of records set by the matches, not by the audit's length (PROFILE);
// pages and totals match a count made by hand; and a store whose records have no index entries (from before
// the index, or loaded by the offline importer) gets them at start-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../server/domain/model.ts';
import { profileNamed } from '../../bench/neo4j-statements.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const RECORDS = 3_000;

const inputs: AuditInput[] = Array.from({ length: RECORDS }, (_, i) => ({
  actor: `user${i % 7}`,
  action: 'entity.read',
  outcome: 'ok' as const,
  objectIds: i === 5 ? [] : i % 100 === 0 ? [`e${i}`, 'shared'] : [`e${i}`],
}));

/** The seqs of the records naming `objectId` (and of `actor`), counted from the input. */
const byHand = (q: { objectId: string; actor?: string }): number[] =>
  inputs
    .map((x, i) => ({ ...x, seq: i + 1 }))
    .filter((x) => x.objectIds!.includes(q.objectId) && (!q.actor || x.actor === q.actor))
    .map((x) => x.seq);

describe.skipIf(!avail.ok)('the Neo4j audit by the object a record names', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    stores = await avail.server.freshStore();
    for (let i = 0; i < inputs.length; i += 500)
      await stores.security.appendAuditBatch(inputs.slice(i, i + 500));
  }, LOCK_WAIT_MS);

  afterAll(async () => {
    await stores?.close();
    if (avail.ok) await avail.server.wipe();
    release();
  });

  const check = async (s: Neo4jStores) => {
    for (const q of [{ objectId: 'shared' }, { objectId: 'e1234' }, { objectId: 'shared', actor: 'user3' }]) {
      const page = await s.security.listAudit({ ...q, limit: 100 });
      expect([page.total, page.items.map((a) => a.seq)], JSON.stringify(q)).toEqual([
        byHand(q).length,
        byHand(q),
      ]);
    }
    const second = await s.security.listAudit({ objectId: 'shared', limit: 5, offset: 5 });
    expect(second.items.map((a) => a.seq)).toEqual(byHand({ objectId: 'shared' }).slice(5, 10));
    expect((await s.security.listAudit({ objectId: 'nothing' })).total).toBe(0);
  };

  it('lists and counts the records naming an object from its index, exactly', async () => {
    if (!avail.ok) return;
    await check(stores);
    const params = {
      objectId: 'shared',
      actor: null,
      action: null,
      since: null,
      until: null,
      ops: null,
      within: null,
      after: 0,
      before: Number.MAX_SAFE_INTEGER,
      offset: 0,
      limit: 11,
    };
    // The newest page (audit-list-desc) is read backwards along the sequence index, not after every other.
    for (const name of [
      'audit-list-object',
      'audit-list-object-desc',
      'audit-count-object',
      'audit-list-desc',
    ]) {
      // 30 records name it: about 20 hits each, most reading a listed record's properties. Testing every
      // record would take at least two per record: 6,000.
      expect((await profileNamed(avail.server.driver, name, params)).hits, name).toBeLessThan(RECORDS / 2);
    }
  });

  it('fills the index at start-up for records written without it', async () => {
    if (!avail.ok) return;
    await avail.server.driver.executeQuery(
      "MATCH (x:AuditObject) DETACH DELETE x WITH count(*) AS c MATCH (m:Meta {k: 'state'}) REMOVE m.auditObjects",
    );
    expect((await stores.security.listAudit({ objectId: 'shared' })).total).toBe(0);
    const again = new Neo4jStores({ uri: avail.server.uri, password: avail.server.password });
    try {
      await again.init();
      await check(again);
      const n = await avail.server.driver.executeQuery('MATCH (x:AuditObject) RETURN count(x) AS c');
      expect(Number(n.records[0].get('c'))).toBe(inputs.reduce((k, x) => k + x.objectIds!.length, 0));
    } finally {
      await again.close();
    }
  });
});
