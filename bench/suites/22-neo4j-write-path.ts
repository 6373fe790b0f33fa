// Neo4j without a global lock (issue 21): the online write path (writeBatch, as imports and the batch API
// use it) with 1 and 4 writers at once beside SQLite, then audited 1-hop expansion through the API with 10
// clients, Neo4j beside SQLite in the same run.
//
// `npm run bench -- 22-neo4j-write-path [--links=100000] [--batch=2000] [--seconds=8]`. Uses the project's test
// server (LINKCHART_TEST_NEO4J_HOME / _PORT; started if needed, stopped again if this run started it) and wipes
// its database.
//
// The generated network's chunks name entities of earlier chunks by key; for writers running at once each
// chunk here carries every entity and report its links name (so the writers overlap, as parallel imports of
// one force's data do), the same input for every run.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BenchSuite } from '../run.ts';
import { planNetwork } from '../../seed/generate.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { EntityInput, ReportInput } from '../../server/domain/model.ts';
import type { GraphStore, WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { lockDatabase, neo4jForTests } from '../../test/neo4j/harness.ts';
import { REPO, scriptEnv } from '../../test/setup/neo4j.ts';

function arg(args: string[], name: string, dflt: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
}

/** The network in self-contained batches of `batch` links: each with the entities and reports it names. */
function selfContained(links: number, batch: number): WriteBatch[] {
  const entities = new Map<string, EntityInput>();
  const reports = new Map<string, ReportInput>();
  const out: WriteBatch[] = [];
  const key = (type: string, k: string) => `${type}\u0000${k}`;
  for (const chunk of planNetwork({ seed: 42, size: links }, batch).chunks()) {
    for (const r of chunk.reports ?? []) reports.set(r.ref, r);
    for (const e of chunk.entities ?? []) if (e.key) entities.set(key(e.type, e.key), e);
    const have = new Set((chunk.entities ?? []).map((e) => key(e.type, e.key ?? '')));
    const extra: EntityInput[] = [];
    const refs = new Set<string>();
    for (const l of chunk.links ?? []) {
      for (const end of [l.from, l.to]) {
        if (!('key' in end)) continue;
        const k = key(end.type, end.key);
        const e = entities.get(k);
        if (!have.has(k) && e) {
          have.add(k);
          extra.push(e);
        }
      }
      for (const r of l.reports ?? []) refs.add(r);
    }
    for (const e of [...(chunk.entities ?? []), ...extra]) for (const r of e.reports ?? []) refs.add(r);
    const own = new Set((chunk.reports ?? []).map((r) => r.ref));
    const cited = [...refs].filter((r) => !own.has(r)).map((r) => reports.get(r)!);
    out.push({
      ...chunk,
      reports: [...(chunk.reports ?? []), ...cited],
      entities: [...(chunk.entities ?? []), ...extra],
    });
  }
  return out;
}

/** Writes the batches with `writers` loops at once (batch i to writer i mod writers); links created per s. */
async function write(
  store: GraphStore,
  batches: WriteBatch[],
  writers: number,
): Promise<{ seconds: number; links: number }> {
  const t0 = performance.now();
  let links = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = w; i < batches.length; i += writers) {
        const r = await store.writeBatch(batches[i], { actor: 'bench', importId: `bench-${w}` });
        links += r.links.created;
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, links };
}

/** Audited GET /api/entities/:id/neighbourhood?hops=1 with `clients` loops for `seconds`: requests per s. */
async function expansion(stores: Stores, dir: string, clients: number, seconds: number): Promise<number> {
  const app: FastifyInstance = await buildApp({ stores, config: loadConfig({}, dir) });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const user = await stores.security.createUser({
      name: `bench-${Math.random().toString(36).slice(2, 8)}`,
      role: 'analyst',
      passwordHash: 'x',
    });
    const { id, session } = await app.security.sessions.create({
      id: user.id,
      name: user.name,
      role: user.role,
    });
    const headers = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
    const seeds = (await stores.graph.listEntities({ limit: 500 })).items.map((e) => e.id);
    const end = performance.now() + seconds * 1000;
    let done = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = c; performance.now() < end; i += clients) {
          const res = await fetch(`${url}/api/entities/${seeds[i % seeds.length]}/neighbourhood?hops=1`, {
            headers,
          });
          await res.arrayBuffer();
          if (res.status === 200) done++;
          else failed++;
        }
      }),
    );
    if (failed) console.log(`  (${failed} requests failed)`);
    return done / seconds;
  } finally {
    await app.close();
  }
}

const suite: BenchSuite = {
  title: 'Neo4j write path with parallel writers (no global lock), audited expansion beside SQLite',
  async run(args) {
    const links = arg(args, 'links', 100_000);
    const batch = arg(args, 'batch', 2_000);
    const seconds = arg(args, 'seconds', 8);
    const script = join(REPO, 'cypher/server/neo4j.sh');
    const wasRunning = spawnSync('bash', [script, 'status'], { env: scriptEnv() }).status === 0;
    const avail = await neo4jForTests();
    if (!avail.ok) {
      console.log(`skipped: ${avail.reason}`);
      return;
    }
    const release = await lockDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'lc-bench-neo4j-write-'));
    try {
      const batches = selfContained(links, batch);
      console.log(`${batches.length} batches of about ${batch} links (${links} links generated)`);
      const rows: string[][] = [['store', 'writers', 'links', 'seconds', 'links/s']];
      const row = (store: string, writers: number, r: { seconds: number; links: number }) =>
        rows.push([
          store,
          String(writers),
          String(r.links),
          r.seconds.toFixed(1),
          (r.links / r.seconds).toFixed(0),
        ]);
      let sqlite: Stores | null = null;
      for (const writers of [1, 4]) {
        await sqlite?.close();
        rmSync(join(dir, 'bench.db'), { force: true });
        sqlite = await openSqliteStores(join(dir, 'bench.db'));
        row('SQLite', writers, await write(sqlite.graph, batches, writers));
      }
      let neo: Stores | null = null;
      for (const writers of [1, 4]) {
        await neo?.close();
        neo = await avail.server.freshStore();
        row('Neo4j', writers, await write(neo.graph, batches, writers));
      }
      console.log(rows.map((r) => r.map((c, i) => (i ? c.padStart(9) : c.padEnd(7))).join(' ')).join('\n'));

      const rs = await expansion(sqlite!, dir, 10, seconds);
      const rn = await expansion(neo!, dir, 10, seconds);
      console.log(
        `\naudited 1-hop expansion, 10 clients, ${seconds} s each, ${links} links:\n` +
          `  SQLite ${rs.toFixed(0)} req/s   Neo4j ${rn.toFixed(0)} req/s   Neo4j/SQLite ${(rn / rs).toFixed(2)}`,
      );
      await sqlite!.close();
      await neo!.close();
      await avail.server.wipe();
    } finally {
      release();
      await avail.server.close();
      rmSync(dir, { recursive: true, force: true });
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { env: scriptEnv(), stdio: 'inherit' });
    }
  },
};

export default suite;
