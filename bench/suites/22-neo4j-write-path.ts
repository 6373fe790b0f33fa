// Neo4j without a global lock (issue 21): the online write path (writeBatch, as imports and the batch API
// use it) with 1, 2 and 4 writers at once beside SQLite, its floor (the same records written bare, with as many
// writers, several ways: bench/neo4j-floor.ts), then audited 1-hop expansion through the API with 10
// clients, Neo4j beside SQLite in the same run.
//
// `npm run bench -- 22-neo4j-write-path [--links=100000] [--batch=2000] [--seconds=8] [--writers=1,2,4]
// [--floor=writers|queries|batches|forms|all, several with commas; writers by default]`. Uses the project's test
// server (LINKCHART_TEST_NEO4J_HOME / _PORT; started if needed, stopped again if this run started it) and wipes
// its database.
//
// The generated network's chunks name entities of earlier chunks by key; for writers running at once each
// chunk here carries every entity and report its links name (so the writers overlap, as parallel imports of
// one force's data do), the same input for every run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { countStatements, statementTable } from '../neo4j-statements.ts';
import { floorName, readStored, writeFloor, type FloorRun } from '../neo4j-floor.ts';
import { planNetwork } from '../../seed/generate.ts';
import { signedInApp } from '../signed-in-app.ts';
import type { EntityInput, ReportInput } from '../../server/domain/model.ts';
import type { GraphStore, WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';
import { TEST_HOME } from '../../test/setup/neo4j.ts';

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

/** What a process has used so far, from /proc: CPU seconds, and bytes passed to write() (files and sockets). */
function procUse(pid: string): { cpu: number; wchar: number } | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const io = /wchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command), in clock ticks of 1/100 s.
    return { cpu: (Number(f[11]) + Number(f[12])) / 100, wchar: Number(io?.[1] ?? 0) };
  } catch {
    return null;
  }
}

/** The same for the test Neo4j server (its JVM); null where there is none. */
function neo4jUse(): { cpu: number; wchar: number } | null {
  try {
    return procUse(readFileSync(join(TEST_HOME, 'run', 'neo4j.pid'), 'utf8').trim());
  } catch {
    return null;
  }
}

interface WriteRun {
  seconds: number;
  links: number;
  /** CPU seconds of this process and of the Neo4j server over the run: steadier than wall time under load. */
  nodeCpu: number;
  dbCpu: number | null;
  /** Bytes this process wrote (to Neo4j: its requests) and the Neo4j server wrote (its log, store, answers). */
  nodeBytes: number;
  dbBytes: number | null;
}

/** Writes the batches with `writers` loops at once (batch i to writer i mod writers); links created per s. */
async function write(store: GraphStore, batches: WriteBatch[], writers: number): Promise<WriteRun> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const db0 = neo4jUse();
  const me0 = procUse('self');
  let links = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = w; i < batches.length; i += writers) {
        const r = await store.writeBatch(batches[i], { actor: 'bench', importId: `bench-${w}` });
        links += r.links.created;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const db1 = neo4jUse();
  const me1 = procUse('self');
  return {
    seconds: (performance.now() - t0) / 1000,
    links,
    nodeCpu: (cpu.user + cpu.system) / 1e6,
    dbCpu: db0 === null || db1 === null ? null : db1.cpu - db0.cpu,
    nodeBytes: (me1?.wchar ?? 0) - (me0?.wchar ?? 0),
    dbBytes: db0 === null || db1 === null ? null : db1.wchar - db0.wchar,
  };
}

/** Audited GET /api/entities/:id/neighbourhood?hops=1 with `clients` loops for `seconds`: requests per s. */
async function expansion(stores: Stores, dir: string, clients: number, seconds: number): Promise<number> {
  const { app, url, headers } = await signedInApp(stores, dir);
  try {
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

function flag(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}

function list(args: string[], name: string, dflt: number[]): number[] {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.split('=')[1].split(',').map(Number) : dflt;
}

const load = (): string =>
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;

const suite: BenchSuite = {
  title: 'Neo4j write path with parallel writers (no global lock), audited expansion beside SQLite',
  async run(args) {
    const links = arg(args, 'links', 100_000);
    const batch = arg(args, 'batch', 2_000);
    const seconds = arg(args, 'seconds', 8);
    // --writers=1,2,4 (the default); statements and transactions per batch for Neo4j's runs (--no-breakdown: not);
    // --profile: also a run of one writer with every statement under PROFILE (database hits; slower, not timed);
    // --sizes=1000,2000,5000,10000: Neo4j with one writer at each batch size; --no-expansion: writes only;
    // the floor: the stored entities and links written again with bare UNWIND ... CREATE (bench/neo4j-floor.ts;
    // --no-floor: not).
    const writersList = list(args, 'writers', [1, 2, 4]);
    const breakdown = !flag(args, 'no-breakdown');
    const sizes = list(args, 'sizes', []);
    await withTestNeo4j(async ({ server }) => {
      const dir = mkdtempSync(join(tmpdir(), 'lc-bench-neo4j-write-'));
      try {
        const batches = selfContained(links, batch);
        console.log(
          `${batches.length} batches of about ${batch} links (${links} links generated); ${load()}`,
        );
        // CPU seconds per 1k links (this process; the Neo4j server) hold better than wall time on a loaded machine.
        const rows: string[][] = [
          [
            'store',
            'writers',
            'links',
            'seconds',
            'links/s',
            'vs SQLite',
            'node cpu',
            'db cpu',
            'sent/l',
            'db wr/l',
            'load',
          ],
        ];
        const rate = new Map<string, number>();
        const perK = (cpu: number | null, n: number) => (cpu === null ? '' : ((cpu * 1000) / n).toFixed(3));
        const row = (store: string, writers: number, r: WriteRun) => {
          const lps = r.links / r.seconds;
          rate.set(`${store}/${writers}`, lps);
          const peer = rate.get(`SQLite/${writers}`);
          rows.push([
            store,
            String(writers),
            String(r.links),
            r.seconds.toFixed(1),
            lps.toFixed(0),
            store === 'SQLite' || !peer ? '' : (lps / peer).toFixed(2),
            perK(r.nodeCpu, r.links),
            store === 'SQLite' ? '' : perK(r.dbCpu, r.links),
            store === 'SQLite' ? '' : (r.nodeBytes / r.links).toFixed(0),
            store === 'SQLite' || r.dbBytes === null ? '' : (r.dbBytes / r.links).toFixed(0),
            loadavg()[0].toFixed(1),
          ]);
        };
        let sqlite: Stores | null = null;
        for (const writers of writersList) {
          await sqlite?.close();
          rmSync(join(dir, 'bench.db'), { force: true });
          sqlite = await openSqliteStores(join(dir, 'bench.db'));
          row('SQLite', writers, await write(sqlite.graph, batches, writers));
        }
        let neo: Stores | null = null;
        const notes: string[] = [];
        for (const writers of writersList) {
          await neo?.close();
          neo = await server.freshStore();
          const store = neo.graph;
          const { result, figures } = await countStatements(() => write(store, batches, writers), {
            profile: false,
          });
          row('Neo4j', writers, result);
          if (breakdown)
            notes.push(
              `Neo4j, ${writers} writer(s), ${batches.length} batches, ${result.links} links, ${load()}:\n` +
                statementTable(figures, batches.length, result.links, result.seconds),
            );
        }
        console.log(table(rows));
        console.log(
          '(node cpu, db cpu: CPU seconds per 1k links of this process and of the Neo4j server; sent/l: bytes this ' +
            'process wrote per link, its requests to Neo4j; db wr/l: bytes Neo4j wrote per link: transaction log, ' +
            'store files, indexes, answers)',
        );
        for (const n of notes) console.log(`\n${n}`);
        if (flag(args, 'profile')) {
          // Database hits come from PROFILE, which slows every statement: a run of its own, not timed.
          await neo?.close();
          neo = await server.freshStore();
          const store = neo.graph;
          const { result, figures } = await countStatements(() => write(store, batches, 1), {
            profile: true,
          });
          console.log(
            `\nNeo4j under PROFILE, 1 writer (times include PROFILE's own cost), ${load()}:\n` +
              statementTable(figures, batches.length, result.links, result.seconds),
          );
        }
        if (sizes.length) {
          const bs: string[][] = [
            ['batch', 'batches', 'seconds', 'links/s', 'node cpu', 'db cpu', 'sent/l', 'db wr/l', 'load'],
          ];
          for (const size of sizes) {
            await neo?.close();
            neo = await server.freshStore();
            const those = selfContained(links, size);
            const r = await write(neo.graph, those, 1);
            bs.push([
              String(size),
              String(those.length),
              r.seconds.toFixed(1),
              (r.links / r.seconds).toFixed(0),
              perK(r.nodeCpu, r.links),
              perK(r.dbCpu, r.links),
              (r.nodeBytes / r.links).toFixed(0),
              r.dbBytes === null ? '' : (r.dbBytes / r.links).toFixed(0),
              loadavg()[0].toFixed(1),
            ]);
          }
          console.log(`\nNeo4j, one writer, by batch size (${links} links):\n${table(bs)}`);
        }

        if (!flag(args, 'no-expansion')) {
          const rs = await expansion(sqlite!, dir, 10, seconds);
          const rn = await expansion(neo!, dir, 10, seconds);
          console.log(
            `\naudited 1-hop expansion, 10 clients, ${seconds} s each, ${links} links:\n` +
              `  SQLite ${rs.toFixed(0)} req/s   Neo4j ${rn.toFixed(0)} req/s   Neo4j/SQLite ${(rn / rs).toFixed(2)}`,
          );
        }
        if (!flag(args, 'no-floor') && neo) {
          // The floor: what the write path stored, written again with bare UNWIND ... CREATE (bench/neo4j-floor.ts).
          const stored = await readStored(server.driver);
          const one = rate.get('Neo4j/1') ?? rate.get(`Neo4j/${writersList[0]}`) ?? 0;
          const fl: string[][] = [
            [
              'floor run',
              'entity s',
              'link s',
              'links/s',
              'retries',
              'node cpu',
              'db cpu',
              'db wr/l',
              'load',
            ],
          ];
          for (const run of floorRuns(args, batch)) {
            await neo.close();
            neo = await server.freshStore();
            const u0 = neo4jUse();
            const c0 = process.cpuUsage();
            const r = await writeFloor(server.driver, stored, run);
            const c = process.cpuUsage(c0);
            const u1 = neo4jUse();
            const n = stored.links.length;
            const lps = n / (r.entitySeconds + r.linkSeconds);
            fl.push([
              floorName(run),
              r.entitySeconds.toFixed(1),
              r.linkSeconds.toFixed(1),
              lps.toFixed(0),
              String(r.attempts - r.transactions),
              perK((c.user + c.system) / 1e6, n),
              u0 && u1 ? perK(u1.cpu - u0.cpu, n) : '',
              u0 && u1 ? ((u1.wchar - u0.wchar) / n).toFixed(0) : '',
              loadavg()[0].toFixed(1),
            ]);
            console.log(`  floor: ${fl[fl.length - 1].join(' ')}`);
          }
          console.log(
            `\nThe floor: the ${stored.entities.length} entities and ${stored.links.length} links the write path ` +
              `stored, written again with bare UNWIND ... CREATE (form, link query, writers at once on disjoint ` +
              `batches, rows a transaction; the write path with one writer ran ${one.toFixed(0)} links/s; ` +
              `retries: transactions run again after a deadlock):\n` +
              fl.map((r) => r.map((c, i) => (i ? c.padStart(9) : c.padEnd(44))).join(' ')).join('\n'),
          );
        }
        await sqlite?.close();
        await neo?.close();
        await server.wipe();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
};

/**
 * The floor runs asked for (--floor=GROUP,...; default writers; all: every group):
 * writers: as stored with 1, 2 and 4 writers; queries: each way of creating links with 1 and 2 writers;
 * batches: 1k, 5k and 10k rows a transaction with 2 writers; forms: each stored form with 2 writers.
 */
function floorRuns(args: string[], batch: number): FloorRun[] {
  const a = args.find((x) => x.startsWith('--floor='));
  const groups = new Set((a ? a.split('=')[1] : 'writers').split(','));
  const all = groups.has('all');
  const base: FloorRun = { form: 'as stored', query: 'dynamic type', writers: 1, batch };
  const runs: FloorRun[] = [];
  if (all || groups.has('writers')) for (const writers of [1, 2, 4]) runs.push({ ...base, writers });
  if (all || groups.has('queries'))
    for (const writers of [1, 2])
      for (const query of ['static types', 'SET l = row', 'SET l += row'] as const)
        runs.push({ ...base, query, writers });
  if (all || groups.has('batches'))
    for (const size of [1_000, 5_000, 10_000]) runs.push({ ...base, writers: 2, batch: size });
  if (all || groups.has('forms'))
    for (const form of [
      'no full-text index',
      'links: no lists',
      'links: int lists',
      'links: id and n only',
    ] as const)
      runs.push({ ...base, form, writers: 2 });
  return runs;
}

function table(rows: string[][]): string {
  return rows.map((r) => r.map((c, i) => (i ? c.padStart(9) : c.padEnd(7))).join(' ')).join('\n');
}

export default suite;
