// Entities and reports are listed by key on Neo4j (shared/list-key.ts): a page deep in the list is read along
// the entity_n / report_n index from its cursor, so it touches about a page's worth of the store, where a page
// by offset read every entity before it; and the totals of the whole list come from the count store. The very
// queries the store runs are PROFILEd on 3,000 entities and 1,000 reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileNamed } from '../../bench/neo4j-statements.ts';
import type { EntityInput, ReportInput } from '../../server/domain/model.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const ENTITIES = 3_000;
const REPORTS = 1_000;
const ctx = { actor: 'keys', importId: 'imp-keys' };

describe.skipIf(!avail.ok)('Neo4j lists read by key', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    stores = await avail.server.freshStore();
    const reports: ReportInput[] = Array.from({ length: REPORTS }, (_, i) => ({
      ref: `KR-${i}`,
      date: '2024-01-01',
      author: 'DC Key',
      text: `report ${i}`,
      source: 2,
      intel: 'B',
      handling: 'P',
    }));
    const entities: EntityInput[] = Array.from({ length: ENTITIES }, (_, i) =>
      i % 3 === 2
        ? { type: 'Phone', key: `+4477009${String(i).padStart(5, '0')}`, label: `phone ${i}` }
        : { type: 'Person', key: `keyed person ${i}`, label: `Keyed Person ${i}` },
    );
    for (let i = 0; i < ENTITIES; i += 1000)
      await stores.graph.writeBatch(
        { entities: entities.slice(i, i + 1000), ...(i === 0 ? { reports } : {}) },
        ctx,
      );
  }, LOCK_WAIT_MS);

  afterAll(async () => {
    await stores?.close();
    if (avail.ok) await avail.server.wipe();
    release();
  });

  it('walks the whole list by key and agrees with its totals', async () => {
    if (!avail.ok) return;
    const seen: string[] = [];
    for (let after: string | null | undefined; ;) {
      const page = await stores.graph.listEntities({ limit: 1000, ...(after ? { after } : {}) });
      expect(page.total).toBe(ENTITIES);
      seen.push(...page.items.map((e) => e.id));
      after = page.next;
      if (!after) break;
    }
    expect(new Set(seen).size).toBe(ENTITIES);
    expect((await stores.graph.listEntities({ type: 'Phone', limit: 1 })).total).toBe(ENTITIES / 3);
    expect((await stores.graph.listReports({ limit: 1 })).total).toBe(REPORTS);
  });

  it('reads a deep page along the index, not every row before it', async () => {
    if (!avail.ok) return;
    const base = { type: null, importId: null, ops: null, offset: 0, limit: 51 };
    const deep = await profileNamed(avail.server.driver, 'entities-list', { ...base, after: ENTITIES - 100 });
    expect(deep.rows).toBe(51);
    // The plan is a seek along entity_n from the cursor: one hit per index entry read (52), then the 51 rows'
    // properties for the answer (about 27 each). By offset the same page read every entity before it first.
    expect(deep.hits).toBeLessThan(2_000);
    const byOffset = await profileNamed(avail.server.driver, 'entities-list', {
      ...base,
      after: 0,
      offset: ENTITIES - 100,
    });
    expect(byOffset.hits - deep.hits).toBeGreaterThan(ENTITIES - 200);
    // One type among others (a third): the seek reads the others on its way, three times the entries.
    const phones = await profileNamed(avail.server.driver, 'entities-list', {
      ...base,
      type: 'Phone',
      after: ENTITIES - 400,
    });
    expect(phones.rows).toBe(51);
    expect(phones.hits).toBeLessThan(2_500);
    const reports = await profileNamed(avail.server.driver, 'reports-list', {
      due: null,
      ops: null,
      offset: 0,
      limit: 51,
      after: REPORTS - 100,
    });
    expect(reports.rows).toBe(51);
    expect(reports.hits).toBeLessThan(2_000);
    // Totals of the whole list from the count store: no entity or report is read.
    expect((await profileNamed(avail.server.driver, 'count-entities-by-type', {})).hits).toBeLessThan(50);
    expect((await profileNamed(avail.server.driver, 'reports-stored', {})).hits).toBeLessThan(10);
  });
});
