// Neo4j reads that must not scan the whole graph, measured where they run: a page of GET /api/links (the
// store's listLinks) at the start, middle and end of the list, read by key (`after`) and, for comparison,
// by offset; the link total, unscoped and for a scope reading every operation; and the counts behind health
// and start-up. Each read is timed (median of 15 after one warm-up) and its Cypher PROFILEd: the database
// hits say whether the cost grows with the store (a scan) or stays flat (index and count-store reads).
//
// `npm run bench -- 22-neo4j-reads [--links=100000] [--keep]`. Uses the project's test server (its home and
// port from LINKCHART_TEST_NEO4J_HOME / _PORT); wipes its database and loads the seeded network, or with
// --keep reuses a store that already holds at least that many links (so a 1M-link store is loaded once).
import { spawnSync, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { planNetwork } from '../../seed/generate.ts';
import { cypher } from '../../server/store/neo4j/queries.ts';
import { toNeo } from '../../server/store/neo4j/executor.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { lockDatabase, neo4jForTests } from '../../test/neo4j/harness.ts';
import { REPO, scriptEnv } from '../../test/setup/neo4j.ts';

function arg(args: string[], name: string, dflt: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
}

async function median(f: () => Promise<unknown>, runs = 15): Promise<number> {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

/** Database hits of one named query, PROFILEd with the parameters the store would pass. */
async function dbHits(stores: Neo4jStores, name: string, params: Record<string, unknown>): Promise<number> {
  const session = stores.exec.driver.session();
  try {
    const res = await session.run(`PROFILE ${cypher(name)}`, toNeo(params) as Record<string, unknown>);
    let hits = 0;
    const walk = (p: { dbHits: number; children: unknown[] }): void => {
      hits += p.dbHits;
      for (const c of p.children) walk(c as { dbHits: number; children: unknown[] });
    };
    walk(res.summary.profile as unknown as { dbHits: number; children: unknown[] });
    return hits;
  } finally {
    await session.close();
  }
}

const suite: BenchSuite = {
  title: 'Neo4j reads without scans: link pages by key, totals and counts from the count store',
  async run(args) {
    const links = arg(args, 'links', 100_000);
    const keep = args.includes('--keep');
    const script = join(REPO, 'cypher/server/neo4j.sh');
    const wasRunning = spawnSync('bash', [script, 'status'], { env: scriptEnv() }).status === 0;
    const avail = await neo4jForTests();
    if (!avail.ok) {
      console.log(`skipped: ${avail.reason}`);
      return;
    }
    const release = await lockDatabase();
    try {
      let stores: Neo4jStores;
      const have = keep ? await avail.server.dbCounts() : { nodes: 0, rels: 0 };
      if (keep && have.rels >= links) {
        stores = new Neo4jStores({ uri: avail.server.uri, password: avail.server.password });
        await stores.init();
        console.log(`reusing the store: ${have.rels} relationships`);
      } else {
        stores = await avail.server.freshStore();
        const t0 = performance.now();
        for (const chunk of planNetwork({ seed: 42, size: links }).chunks())
          await stores.graph.writeBatch(chunk, { actor: 'bench', importId: 'bench' });
        console.log(`loaded ${links} links in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      const counts = await stores.counts();
      const n = counts.links;
      const all = stores.graph;
      // What a signed-in analyst's request reads: scoped to the operations they may read (here all of them).
      const ops = (await stores.operations.list({ limit: 1000 })).items.map((o) => o.id);
      const scoped = all.scoped({ operations: ops });
      const take = 100;
      const rows: string[][] = [['read', 'ms (median)', 'db hits']];
      const pageParams = (after: number, offset = 0) => ({
        type: null,
        after,
        offset,
        limit: take + 1,
        take: offset + take + 1,
        ops: null,
      });
      for (const [label, at] of [
        ['first', 0],
        ['middle', Math.floor(n / 2)],
        ['last', n - take],
      ] as const) {
        const after = at === 0 ? undefined : `l${at}`;
        const opts = { limit: take, ...(after ? { after } : {}) };
        rows.push([
          `page by key, ${label} (after=l${at})`,
          (await median(() => all.listLinks(opts))).toFixed(1),
          String(await dbHits(stores, 'links-page', pageParams(at))),
        ]);
        rows.push([
          `  same, scoped to every operation`,
          (await median(() => scoped.listLinks(opts))).toFixed(1),
          String(await dbHits(stores, 'links-page', { ...pageParams(at), ops })),
        ]);
      }
      for (const offset of [0, 5_000, 10_000]) {
        rows.push([
          `page by offset=${offset} (bounded at 10,000)`,
          (await median(() => all.listLinks({ limit: take, offset }))).toFixed(1),
          String(await dbHits(stores, 'links-page', pageParams(0, offset))),
        ]);
      }
      rows.push([
        'link total (count store)',
        '-',
        String(await dbHits(stores, 'links-page-count', { type: null })),
      ]);
      rows.push([
        'link total a scope counts (what the count store replaces)',
        '-',
        String(await dbHits(stores, 'links-scoped-count', { type: null, ops })),
      ]);
      rows.push([
        'store counts (health, start-up)',
        (await median(() => stores.counts())).toFixed(1),
        String(
          (await dbHits(stores, 'count-entities-by-type', {})) +
            (await dbHits(stores, 'count-links-by-type', {})) +
            (await dbHits(stores, 'count-others', {})),
        ),
      ]);
      console.log(`${n} links, ${counts.entities} entities; pages of ${take}`);
      console.log(rows.map((r) => r.map((c, i) => (i ? c.padStart(12) : c.padEnd(58))).join(' ')).join('\n'));
      await stores.close();
    } finally {
      release();
      await avail.server.close();
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { env: scriptEnv(), stdio: 'inherit' });
    }
  },
};

export default suite;
