// The operations migration on Neo4j (issue 17): a graph written before operations existed (no `ops` on its
// entities and links, no `op` on its reports and calls, no GENERAL node) goes into the open GENERAL operation
// when the store starts, with each entity's properties as GENERAL's; starting again changes nothing. Then the
// scoped reads see it through GENERAL and a scope without GENERAL sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
if (!avail.ok) console.warn(avail.reason);

const batch = {
  reports: [
    { ref: 'R-1', date: '2024-01-02', author: 'pc1', text: 'seen', source: 2, intel: 'B', handling: 'P' },
  ],
  entities: [
    { type: 'Person', label: 'Ann Old', properties: { nickname: 'Annie' }, reports: ['R-1'] },
    { type: 'Phone', label: '07700 900123' },
  ],
  links: [
    {
      type: 'USES',
      from: { type: 'Person', key: 'ann old' },
      to: { type: 'Phone', key: '+447700900123' },
      reports: ['R-1'],
    },
  ],
} as const;

describe.skipIf(!avail.ok)('operations migration on Neo4j', () => {
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    if (avail.ok) await avail.server.close();
  });

  it('puts a graph from before operations into GENERAL at start-up, once', async () => {
    if (!avail.ok) return;
    const { driver, uri, password } = avail.server;
    const first = await avail.server.freshStore();
    const w = await first.graph.writeBatch(structuredClone(batch) as never, { actor: 'pc1' });
    await first.close();
    // Back to how a store from before operations kept it.
    for (const q of [
      'MATCH (e:Entity) REMOVE e.ops, e.opProps',
      'MATCH (:Entity)-[l]->(:Entity) REMOVE l.ops',
      'MATCH (r:Report) REMOVE r.op',
      'MATCH (o:Operation) DETACH DELETE o',
      'MATCH (m:OperationMember) DETACH DELETE m',
      "MATCH (m:Meta {k: 'state'}) REMOVE m.operation, m.opsMigrated",
    ])
      await driver.executeQuery(q);
    const stateOf = async () =>
      (
        await driver.executeQuery(
          `MATCH (e:Entity) WITH collect([e.id, e.ops, e.opProps]) AS es
           MATCH (:Entity)-[l]->(:Entity) WITH es, collect([l.id, l.ops]) AS ls
           MATCH (r:Report) WITH es, ls, collect([r.id, r.op]) AS rs
           MATCH (o:Operation) RETURN es, ls, rs, collect(o {.id, .ref, .sensitivity}) AS os`,
        )
      ).records[0].toObject();

    const again = new Neo4jStores({ uri, password, driver });
    await again.init();
    const after = await stateOf();
    const [ann, phone] = w.entityIds;
    expect(after.os).toEqual([{ id: 'op1', ref: 'GENERAL', sensitivity: 'open' }]);
    expect(new Map(after.es.map((x: unknown[]) => [x[0], x.slice(1)]))).toEqual(
      new Map([
        [ann, [['op1'], JSON.stringify({ op1: { nickname: 'Annie' } })]],
        [phone, [['op1'], JSON.stringify({ op1: {} })]],
      ]),
    );
    expect(after.ls).toEqual([[w.linkIds[0], ['op1']]]);
    expect(after.rs).toEqual([[w.reportIds[0], 'op1']]);
    // The next operation is op2, not a second op1.
    const op = await again.operations.create({ ref: 'NEW', name: 'New' }, { actor: 'pc1' });
    expect(op.id).toBe('op2');

    // Started again: nothing changes.
    const third = new Neo4jStores({ uri, password, driver });
    await third.init();
    const later = await stateOf();
    expect(later.es).toEqual(after.es);
    expect(later.ls).toEqual(after.ls);
    expect(later.rs).toEqual(after.rs);
    expect(later.os).toHaveLength(2);

    // Read through GENERAL: all of it; through the new closed operation alone: none of it.
    const general = third.graph.scoped({ operations: ['op1'] });
    expect((await general.listEntities()).total).toBe(2);
    expect((await general.getEntity(ann))!.properties).toEqual({ nickname: 'Annie' });
    expect((await general.listLinks()).total).toBe(1);
    const other = third.graph.scoped({ operations: [op.id] });
    expect((await other.listEntities()).total).toBe(0);
    expect(await other.getReport('R-1')).toBeNull();
    expect((await other.listLinks()).total).toBe(0);
    await again.close();
    await third.close();
  });
});
