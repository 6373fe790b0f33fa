// A write batch on Neo4j does not send again the content of a report its server has seen stored with that
// content (graph-write-reports.ts SeenReports): it reads the stored report's id (and review date) only. These
// check that reports stay immutable through it, with two stores standing for two servers on one database:
// the same report is cited, other content or another review date under its ref is refused, and a report
// deleted and made again by the other server (same ref, new id, other content) is compared in full.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportInput } from '../../server/domain/model.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

const report: ReportInput = {
  ref: 'R-SEEN',
  date: '2024-03-01',
  author: 'DC Seen',
  text: 'the report written once',
  source: 2,
  intel: 'B',
  handling: 'P',
  reviewDate: '2026-03-01',
};

const batch = (r: ReportInput, n: number): WriteBatch => ({
  reports: [r],
  entities: [{ type: 'Person', label: `Person ${n}`, key: `seen-${n}`, reports: [r.ref] }],
});

describe.skipIf(!avail.ok)('Neo4j write batches and the reports their server has seen', () => {
  let release: () => void = () => {};
  let a: Neo4jStores;
  let b: Neo4jStores;
  const ctx = { actor: 'tester' };

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    await avail.server.wipe();
    const open = () => new Neo4jStores({ uri: avail.server.uri, password: avail.server.password });
    a = open();
    b = open();
    await a.init();
    await b.init();
  }, LOCK_WAIT_MS);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (avail.ok) await avail.server.wipe();
    release();
  });

  const storedIds = async (): Promise<string[]> => {
    if (!avail.ok) return [];
    const r = await avail.server.driver.executeQuery(
      'MATCH (r:Report {ref: $ref}) RETURN r.id AS id ORDER BY id',
      { ref: report.ref },
    );
    return r.records.map((x) => x.get('id') as string);
  };

  it('cites a report seen before, and refuses other content or another review date under its ref', async () => {
    const first = await a.graph.writeBatch(batch(report, 1), ctx);
    expect(first.reports).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const again = await a.graph.writeBatch(batch(report, 2), ctx);
    expect(again.reports).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.reportIds).toEqual(first.reportIds);
    // The entity rests on the stored report.
    const e = await a.graph.getEntity(again.entityIds[0]);
    expect(e?.reports.map((r) => r.id)).toEqual(first.reportIds);
    // Given without a review date: "as recorded".
    const { reviewDate: _omit, ...noReview } = report;
    expect((await a.graph.writeBatch(batch(noReview, 3), ctx)).reports.unchanged).toBe(1);
    await expect(a.graph.writeBatch(batch({ ...report, text: 'changed' }, 4), ctx)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      a.graph.writeBatch(batch({ ...report, reviewDate: '2027-01-01' }, 5), ctx),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await storedIds()).toEqual(first.reportIds);
  });

  it('compares in full a report deleted and made again by another server', async () => {
    if (!avail.ok) return;
    const [before] = await storedIds();
    // Server B: the report goes (as a disposal takes it) and comes back under the same ref with other content.
    await avail.server.driver.executeQuery('MATCH (r:Report {ref: $ref}) DETACH DELETE r', {
      ref: report.ref,
    });
    const other = { ...report, text: 'another report under the same ref' };
    const made = await b.graph.writeBatch(batch(other, 6), ctx);
    expect(made.reports.created).toBe(1);
    expect(made.reportIds[0]).not.toBe(before);
    // Server A still remembers the old report under that ref: its content is refused, the new one cited.
    await expect(a.graph.writeBatch(batch(report, 7), ctx)).rejects.toMatchObject({ code: 'conflict' });
    const cited = await a.graph.writeBatch(batch(other, 8), ctx);
    expect(cited.reports.unchanged).toBe(1);
    expect(cited.reportIds).toEqual(made.reportIds);
    // Deleted again, A's own report comes back as a new one (not cited under the id it remembers).
    await avail.server.driver.executeQuery('MATCH (r:Report {ref: $ref}) DETACH DELETE r', {
      ref: report.ref,
    });
    const back = await a.graph.writeBatch(batch(other, 9), ctx);
    expect(back.reports.created).toBe(1);
    expect(await storedIds()).toEqual(back.reportIds);
  });
});
