// Audited 1-hop expansion at scale (issue 21: at least a quarter of SQLite's rate on a 1M-link store with 10
// clients): GET /api/entities/:id/neighbourhood?hops=1 through the real API (session, need-to-know, the
// audit record written before the answer leaves), SQLite and Neo4j of the same generated network in the same
// run. For Neo4j it also says where a request's time goes: transactions and queries per request, each named
// query's calls per request and mean time in flight, the expansion query's database hits (PROFILE), and the
// CPU the bench process (Node, the server in it) and the Neo4j server each spent per request.
//
// `npm run bench -- 22-neo4j-audited-reads [--links=1000000] [--keep] [--seconds=10] [--clients=10]
// [--passes=4]`: Neo4j runs `passes` timed passes, the first what a user meets after a start, the last the warm
// rate (a server just started still compiles its query code and fills its page cache for a minute). Uses the
// project's test server (LINKCHART_TEST_NEO4J_HOME / _PORT); the store is loaded once (bench/neo4j-kept-store.ts)
// and with --keep reused; the SQLite file of the same network is kept beside it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { signedInApp } from '../signed-in-app.ts';
import type { Stores } from '../../server/store/stores.ts';
import { Neo4jExecutor, Tx, type Row } from '../../server/store/neo4j/executor.ts';
import { profileNamed } from '../neo4j-statements.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';
import { TEST_HOME } from '../../test/setup/neo4j.ts';
import { keptNeo4jStore } from '../neo4j-kept-store.ts';

/** Every transaction and named query of the Neo4j store, counted and timed (wall clock while in flight). */
const seen = { reads: 0, writes: 0, queries: new Map<string, { n: number; ms: number }>() };
let counting = false;
function instrument(): void {
  const proto = Neo4jExecutor.prototype;
  const read = proto.read;
  const write = proto.write;
  proto.read = function <T>(this: Neo4jExecutor, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (counting) seen.reads++;
    return read.call(this, work) as Promise<T>;
  };
  proto.write = function <T>(this: Neo4jExecutor, work: (tx: Tx) => Promise<T>): Promise<T> {
    if (counting) seen.writes++;
    return write.call(this, work) as Promise<T>;
  };
  // A query that is a transaction of its own (auto-commit): a transaction and a query.
  const query = proto.query;
  proto.query = async function (this: Neo4jExecutor, mode: 'READ' | 'WRITE', name: string, params?: Row) {
    if (counting) seen[mode === 'READ' ? 'reads' : 'writes']++;
    const t0 = performance.now();
    try {
      return await query.call(this, mode, name, params);
    } finally {
      if (counting) {
        const q = seen.queries.get(name) ?? { n: 0, ms: 0 };
        q.n++;
        q.ms += performance.now() - t0;
        seen.queries.set(name, q);
      }
    }
  };
  const timed = <A extends unknown[]>(f: (this: Tx, name: string, ...a: A) => Promise<unknown>) =>
    async function (this: Tx, name: string, ...a: A) {
      const t0 = performance.now();
      try {
        return await f.call(this, name, ...a);
      } finally {
        if (counting) {
          const q = seen.queries.get(name) ?? { n: 0, ms: 0 };
          q.n++;
          q.ms += performance.now() - t0;
          seen.queries.set(name, q);
        }
      }
    };
  Tx.prototype.run = timed(Tx.prototype.run) as Tx['run'];
  Tx.prototype.runForType = timed(Tx.prototype.runForType) as Tx['runForType'];
}

/** CPU seconds the Neo4j server has used so far (utime + stime of its JVM). */
function neo4jCpu(): number {
  try {
    const pid = readFileSync(join(TEST_HOME, 'run', 'neo4j.pid'), 'utf8').trim();
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Bytes the Neo4j server has read so far through read calls (rchar): its page cache's misses, from the disk or
 * the OS's cache (which often holds the store, so the disk alone would not show them), and its Bolt sockets.
 */
function neo4jDiskReads(): number {
  try {
    const pid = readFileSync(join(TEST_HOME, 'run', 'neo4j.pid'), 'utf8').trim();
    return Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

interface Run {
  rate: number;
  requests: number;
  failed: number;
  nodeCpuMs: number;
  neo4jCpuMs: number;
  p50: number;
  p95: number;
  /** Per request: KB the Neo4j server read (a cold page cache's misses; its sockets' few KB). */
  diskKb: number;
  /** Per request: read and write transactions, queries. */
  reads: number;
  writes: number;
  queries: number;
}

/**
 * Audited 1-hop expansions with `clients` loops for `seconds`, through the real API, once per pass: after a
 * short warm-up (connections, plans), each pass is timed and counted on its own.
 */
async function expansion(
  stores: Stores,
  dir: string,
  clients: number,
  seconds: number,
  passes = 1,
): Promise<Run[]> {
  const { app, url, headers } = await signedInApp(stores, dir);
  try {
    const seeds = (await stores.graph.listEntities({ limit: 500 })).items.map((e) => e.id);
    // Warm-up (plans, connections), not counted: a few requests per client, too few to fill a cold page cache.
    const get = (i: number) =>
      fetch(`${url}/api/entities/${seeds[i % seeds.length]}/neighbourhood?hops=1`, { headers });
    await Promise.all(Array.from({ length: clients * 5 }, async (_, i) => (await get(i)).arrayBuffer()));
    const runs: Run[] = [];
    for (let p = 0; p < passes; p++) {
      // Before each later pass, every seed once more (untimed): after a start, one pass of a few seconds does
      // not reach every seed, so the next would still be filling the page cache.
      if (p > 0)
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            for (let i = c; i < seeds.length; i += clients) await (await get(i)).arrayBuffer();
          }),
        );
      seen.reads = 0;
      seen.writes = 0;
      seen.queries.clear();
      counting = true;
      const cpu0 = process.cpuUsage();
      const neo0 = neo4jCpu();
      const disk0 = neo4jDiskReads();
      const end = performance.now() + seconds * 1000;
      let done = 0;
      let failed = 0;
      const lat: number[] = [];
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = c + p * 7919; performance.now() < end; i += clients) {
            const t0 = performance.now();
            const res = await get(i);
            await res.arrayBuffer();
            lat.push(performance.now() - t0);
            if (res.status === 200) done++;
            else failed++;
          }
        }),
      );
      counting = false;
      const cpu = process.cpuUsage(cpu0);
      const neo = neo4jCpu() - neo0;
      const disk = neo4jDiskReads() - disk0;
      lat.sort((a, b) => a - b);
      const per = Math.max(1, done + failed);
      runs.push({
        rate: done / seconds,
        requests: done,
        failed,
        nodeCpuMs: (cpu.user + cpu.system) / 1000 / per,
        neo4jCpuMs: (neo * 1000) / per,
        p50: lat[Math.floor(lat.length / 2)] ?? NaN,
        p95: lat[Math.floor(lat.length * 0.95)] ?? NaN,
        diskKb: disk / 1024 / per,
        reads: seen.reads / per,
        writes: seen.writes / per,
        queries: [...seen.queries.values()].reduce((s, q) => s + q.n, 0) / per,
      });
    }
    return runs;
  } finally {
    await app.close();
  }
}

/** Database hits of one named query, PROFILEd. */
const dbHits = async (stores: Neo4jStores, name: string, params: Record<string, unknown>): Promise<number> =>
  (await profileNamed(stores.exec.driver, name, params)).hits;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

const suite: BenchSuite = {
  title: 'Audited 1-hop expansion through the API, 10 clients: Neo4j beside SQLite, where the time goes',
  async run(args) {
    const links = arg(args, 'links', 1_000_000);
    const seconds = arg(args, 'seconds', 10);
    const passes = Math.max(2, arg(args, 'passes', 4));
    const clients = arg(args, 'clients', 10);
    const keep = args.includes('--keep');
    await withTestNeo4j(async ({ server, wasRunning }) => {
      const dir = mkdtempSync(join(tmpdir(), 'lc-bench-audited-'));
      try {
        const { stores: neo, source } = await keptNeo4jStore(server, links, keep);
        const sqlite = await openSqliteStores(source);
        instrument();
        console.log(
          `${links} links; ${clients} clients, ${seconds} s a pass; Neo4j ${wasRunning ? 'was running already' : 'started by this run'}; ` +
            `load average before: ${load()}`,
        );
        const [rs] = await expansion(sqlite, dir, clients, seconds);
        const loadMid = load();
        // Two Neo4j passes: the first is what a user meets after a start (the page cache cold when this run
        // started the server), the second, after every seed has been read once more, the warm rate, the figure
        // the goal is about.
        const neoRuns = await expansion(neo, dir, clients, seconds, passes);
        const [cold, warm] = [neoRuns[0], neoRuns[neoRuns.length - 1]];
        const row = (name: string, r: Run) =>
          `${name.padEnd(13)} ${r.rate.toFixed(0).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ` +
          `${r.nodeCpuMs.toFixed(2).padStart(9)} ${Number.isNaN(r.neo4jCpuMs) ? '        -' : r.neo4jCpuMs.toFixed(2).padStart(9)} ` +
          `${Number.isNaN(r.diskKb) ? '     -' : r.diskKb.toFixed(0).padStart(6)} ${r.reads.toFixed(2).padStart(6)} ${r.writes.toFixed(2).padStart(6)} ${r.queries.toFixed(2).padStart(7)}` +
          (r.failed ? `  (${r.failed} failed)` : '');
        console.log(
          'store          req/s   p50 ms   p95 ms  Node CPU Neo4j CPU  read  reads writes queries\n' +
            '                                        ms/req    ms/req  KB/req (transactions and queries per request)\n' +
            `${row('SQLite', { ...rs, neo4jCpuMs: NaN, diskKb: NaN, reads: 0, writes: 0, queries: 0 })}\n` +
            neoRuns
              .map((r, i) =>
                row(i === 0 ? 'Neo4j first' : i === neoRuns.length - 1 ? 'Neo4j warm' : `Neo4j ${i + 1}`, r),
              )
              .join('\n'),
        );
        console.log(
          `Neo4j/SQLite: ${(warm.rate / rs.rate).toFixed(2)} warm (goal 0.25), ${(cold.rate / rs.rate).toFixed(2)} first pass` +
            `   load average: ${loadMid} -> ${load()}`,
        );
        const per = Math.max(1, warm.requests + warm.failed);
        console.log('  warm pass: query                calls/req   mean ms in flight');
        for (const [name, q] of [...seen.queries].sort((a, b) => b[1].ms - a[1].ms))
          console.log(
            `  ${name.padEnd(30)} ${(q.n / per).toFixed(3).padStart(9)} ${(q.ms / q.n).toFixed(2).padStart(12)}`,
          );
        // The expansion of the first seed, PROFILEd: the one query a 1-hop walk now runs, then the two walks it
        // replaced (its links, then the links among its ring, what makes the result the induced graph).
        const seed = (await neo.graph.listEntities({ limit: 1 })).items[0].id;
        const ops = (await neo.operations.list({ limit: 1000 })).items.map((o) => o.id);
        const fp = {
          linkTypes: null,
          windowed: false,
          fromMs: null,
          toMs: null,
          grades: null,
          ops,
          types: null,
          ends: false,
        };
        const ring = [
          ...new Set((await neo.graph.neighbourhood([seed], { hops: 1 })).nodes.map((e) => e.id)),
        ].filter((id) => id !== seed);
        const one = await dbHits(neo, 'walk-one-hop', { ...fp, ids: [seed], limit: 2000 });
        const hop = await dbHits(neo, 'neighbours', { ...fp, ids: [seed], among: null });
        const among = await dbHits(neo, 'neighbours', { ...fp, ids: ring, among: [seed, ...ring] });
        const all = await dbHits(neo, 'neighbours', { ...fp, ids: ring, among: null });
        console.log(
          `expansion of ${seed} (${ring.length} neighbours), scoped to every operation: db hits ${one} in ` +
            `one query (walk-one-hop); the two walks it replaced: ${hop} (its links) + ${among} (links among its ` +
            `ring; ${all} reading every link of the ring)`,
        );
        await sqlite.close();
        await neo.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
};

export default suite;
