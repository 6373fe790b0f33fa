// A transfer with --replace into a Neo4j that a Linkchart server still serves. The new data comes with its own
// ids and data version, which may repeat those the server saw of the old data: a report id it remembers
// (graph-write-reports.ts SeenReports), the spare id numbers it holds (context.ts IdPool), totals keyed by
// data version. Each load gives the store a new epoch, and the server drops those memories when it sees one
// (context.ts seeEpoch): other content under a remembered report is refused, a new link gets a free number,
// and the server's caches start again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportInput } from '../../server/domain/model.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import { transfer, type Endpoint } from '../../server/cli/transfer.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const ctx = { actor: 'tester' };

const report: ReportInput = {
  ref: 'R-EPOCH',
  date: '2024-03-01',
  author: 'DC Before',
  text: 'what the store held before the transfer',
  source: 2,
  intel: 'B',
  handling: 'P',
};
/** The report the source holds under the same ref (and, both stores being new, the same id). */
const replaced: ReportInput = { ...report, author: 'DC After', text: 'what the transfer brought' };

const pair = (r: ReportInput, a: string, b: string): WriteBatch => ({
  reports: [r],
  entities: [
    { type: 'Person', label: a, key: a, reports: [r.ref] },
    { type: 'Person', label: b, key: b, reports: [r.ref] },
  ],
  links: [
    {
      type: 'ASSOCIATE_OF',
      from: { type: 'Person', key: a },
      to: { type: 'Person', key: b },
      reports: [r.ref],
    },
  ],
});

describe.skipIf(!avail.ok)('a transfer replacing the data under a running server', () => {
  let release: () => void = () => {};
  const dir = mkdtempSync(join(tmpdir(), 'lc-epoch-'));
  let server: Neo4jStores;

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    await avail.server.wipe();
    server = new Neo4jStores({ uri: avail.server.uri, password: avail.server.password });
    await server.init();
  }, LOCK_WAIT_MS);

  afterAll(async () => {
    await server?.close();
    if (avail.ok) await avail.server.wipe();
    rmSync(dir, { recursive: true, force: true });
    release();
  });

  it('forgets the reports, spare ids and caches of the data it replaced', async () => {
    if (!avail.ok) return;
    const neo: Endpoint = {
      kind: 'neo4j',
      uri: avail.server.uri,
      user: 'neo4j',
      password: avail.server.password,
    };
    // The running server writes a report, and the same batch again: the link exists, so the number it
    // reserved for it goes back to the server's pool as a spare.
    const first = await server.graph.writeBatch(pair(report, 'ann', 'bob'), ctx);
    const again = await server.graph.writeBatch(pair(report, 'ann', 'bob'), ctx);
    expect(again.links).toMatchObject({ created: 0 });
    const forgotten: string[] = [];
    server.onReplaced(() => forgotten.push('replaced'));

    // Another store, whose first report has the same id under the same ref, and more links.
    const src = join(dir, 'src.db');
    const s = await openSqliteStores(src);
    let srcLinks: string[];
    let srcReport: string;
    try {
      const w = await s.graph.writeBatch(pair(replaced, 'cat', 'dan'), ctx);
      srcReport = w.reportIds[0]!;
      for (const [a, b] of [
        ['dan', 'eve'],
        ['eve', 'fay'],
        ['fay', 'gus'],
      ])
        await s.graph.writeBatch(pair(replaced, a!, b!), ctx);
      srcLinks = (await s.graph.listLinks({ limit: 100 })).items.map((l) => l.id).sort();
    } finally {
      await s.close();
    }
    expect(srcReport).toBe(first.reportIds[0]);
    expect(srcLinks.length).toBe(4);

    const done = await transfer({ kind: 'sqlite', path: src }, neo, {
      log: () => {},
      replace: true,
      replaceAudit: true,
      method: 'merge',
    });
    expect(done.status).toBe('copied');

    // The server reads the data as it now is, and has dropped what it knew of the old.
    const version = await server.graph.dataVersion();
    expect(forgotten).toEqual(['replaced']);
    // The old content under the remembered id and ref is another report now: refused, not cited.
    const cite = (r: ReportInput): WriteBatch => ({
      reports: [r],
      entities: [{ type: 'Person', label: 'jon', key: 'jon', reports: [r.ref] }],
    });
    await expect(server.graph.writeBatch(cite(report), ctx)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/R-EPOCH/),
    });
    // The source's content is cited as the stored report.
    const cited = await server.graph.writeBatch(pair(replaced, 'hal', 'ian'), ctx);
    expect(cited.reports).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(cited.reportIds).toEqual([srcReport]);
    // The new link has a number of its own: none of the source's, whose ids the old spare may repeat.
    expect(cited.links).toMatchObject({ created: 1 });
    const links = (await server.graph.listLinks({ limit: 100 })).items.map((l) => l.id);
    expect(links.length).toBe(5);
    expect(new Set(links).size).toBe(5);
    for (const id of srcLinks) expect(links).toContain(id);
    expect(await server.graph.dataVersion()).toBe(version + 1);
    // The epoch is seen once: later reads of the same data forget nothing more.
    expect(forgotten).toEqual(['replaced']);
  });
});
