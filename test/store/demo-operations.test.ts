// The demo's operations (seed/demo-operations.ts): the county-lines network in the open KESTREL owned by the
// demo user, a closed HALYARD owned by dsmith sharing two phones and a vehicle with it, three notices waiting,
// and the demo user's figures (549 entities, 1092 links, 64 reports) the same as before operations existed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHalyard, seedDemo } from '../../seed/demo-operations.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-demo-ops-'));
let stores: SqliteStores;

beforeAll(async () => {
  stores = await openSqliteStores(join(dir, 'demo.db'));
  await seedDemo(stores);
}, 120_000);
afterAll(async () => {
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function figures(graph: GraphStore) {
  return {
    entities: (await graph.listEntities({ limit: 1 })).total,
    links: (await graph.listLinks({ limit: 1 })).total,
    reports: (await graph.listReports({ limit: 1 })).total,
  };
}

describe('the demo operations', () => {
  it('KESTREL is open and the demo user’s; HALYARD is closed and dsmith’s; demo is on KESTREL only', async () => {
    const kestrel = (await stores.operations.getByRef('KESTREL'))!;
    const halyard = (await stores.operations.getByRef('HALYARD'))!;
    expect(kestrel).toMatchObject({ sensitivity: 'open', owner: 'demo', name: 'County lines' });
    expect(halyard).toMatchObject({ sensitivity: 'closed', owner: 'dsmith', name: 'Supplier' });
    expect((await stores.operations.membershipsOf('demo')).map((m) => [m.operationId, m.role])).toEqual([
      [kestrel.id, 'owner'],
    ]);
    const readable = await stores.operations.readableBy('demo');
    expect(readable).toContain(kestrel.id);
    expect(readable).not.toContain(halyard.id);
    expect(await stores.operations.readableBy('dsmith')).toContain(halyard.id);
  });

  it('the demo user sees the demo as before: 549 entities, 1092 links, 64 reports, none of HALYARD', async () => {
    const asDemo = stores.graph.scoped({ operations: await stores.operations.readableBy('demo') });
    expect(await figures(asDemo)).toEqual({ entities: 549, links: 1092, reports: 64 });
    expect((await asDemo.search('Zielinski')).length).toBe(0);
    expect(await asDemo.getReport('HAL-2024-0007')).toBeNull();
    // The force-wide store holds HALYARD's four entities of its own, its links and two reports besides.
    const all = await stores.counts();
    expect([all.entities, all.reports]).toEqual([549 + 4, 64 + 2]);
    expect(all.links).toBeGreaterThan(1092);
  });

  it('three notices wait: two phones and a vehicle HALYARD brought in that KESTREL holds', async () => {
    const kestrel = (await stores.operations.getByRef('KESTREL'))!;
    const halyard = (await stores.operations.getByRef('HALYARD'))!;
    const notices = (await stores.deconfliction.list()).items;
    expect(notices.map((n) => [n.newOpId, n.heldOpId, n.state])).toEqual([
      [halyard.id, kestrel.id, 'new'],
      [halyard.id, kestrel.id, 'new'],
      [halyard.id, kestrel.id, 'new'],
    ]);
    const types = await Promise.all(
      notices.map(async (n) => (await stores.graph.getEntity(n.entityId))!.type),
    );
    expect(types.sort()).toEqual(['Phone', 'Phone', 'Vehicle']);
    // Run again, it finds HALYARD there and adds nothing.
    await addHalyard(stores);
    expect((await stores.deconfliction.list()).total).toBe(3);
  });
});
