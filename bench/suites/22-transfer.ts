// npm run transfer at scale: a generated SQLite store (links, plus a chart, a note, a target with an action and
// an audit trail) moved into an EMPTY Neo4j through neo4j-admin database import, then Neo4j back into a new
// SQLite file; each direction a real child process, timed, with its peak RSS (GNU time's maximum resident set
// size of that one node process), every kind's count and the digest verified by the transfer itself, and the
// digest the same both ways. With --merge also the online path (batched MERGE) into the same Neo4j, emptied.
// Neo4j runs on the project's own settings (cypher/server/neo4j.sh: 512 MB heap, 256 MB page cache) and must
// still answer afterwards.
//
// Each direction's phases (as the transfer logs them: files, importer, start, schema and verification, ...) are
// printed beside its total, so a figure taken on a loaded machine still says where the time went.
//
// `npm run bench -- 22-transfer [--n=100000] [--merge] [--fresh]` (1M: --n=1000000). The source is generated once
// per size and kept in the temp folder (--fresh makes it again). Uses the project's test server
// (LINKCHART_TEST_NEO4J_HOME / LINKCHART_TEST_NEO4J_PORT, .neo4j/test on 7688 by default) and replaces its database:
// it is emptied first (stopped, its database folder removed, started), untimed, so the import goes into an empty
// Neo4j as a first load does.
import { spawnSync } from 'node:child_process';
import neo4j from 'neo4j-driver';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { planNetwork } from '../../seed/generate.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';
import { proposal } from '../../test/contract/cycle-contract.ts';
import { REPO, scriptEnv, TEST_HOME, TEST_PORT } from '../../test/setup/neo4j.ts';

/** Bumped when the generated source changes, so a kept file of an older shape is not reused. */
const SOURCE_VERSION = 1;

async function makeSource(path: string, links: number): Promise<void> {
  const part = `${path}.part`;
  for (const x of ['', '-wal', '-shm']) rmSync(part + x, { force: true });
  const s = await openSqliteStores(part);
  try {
    for (const chunk of planNetwork({ seed: 42, size: links }).chunks())
      await s.graph.writeBatch(chunk, { actor: 'bench', importId: 'bench' });
    const ctx = { actor: 'ana' };
    await s.workspace.saveChart({ name: 'Bench', state: { zoom: 1 } }, ctx);
    await s.workspace.createAnnotation({ target: { kind: 'entity', id: 'e1' }, text: 'bench note' }, ctx);
    const t = await s.cycle.saveTarget(proposal('e1'), ctx);
    await s.cycle.saveTarget({ ...proposal('e1'), id: t.id, status: 'approved' }, ctx);
    await s.cycle.appendTargetAction(t.id, { kind: 'warrant', date: '2024-07-06', outcome: 'Executed' }, ctx);
    for (let i = 0; i < 1_000; i++)
      await s.security.appendAudit({ actor: 'ana', action: `bench ${i}`, outcome: 'ok' });
  } finally {
    await s.close();
  }
  renameSync(part, path);
}

/** The test server's database emptied: stopped, its folders removed, started (a new empty database). */
function emptyNeo4j(): number {
  const t = performance.now();
  const script = join(REPO, 'cypher/server/neo4j.sh');
  spawnSync('bash', [script, 'stop'], { env: scriptEnv(), stdio: 'ignore' });
  for (const d of ['databases', 'transactions'])
    rmSync(join(TEST_HOME, 'data', d, 'neo4j'), { recursive: true, force: true });
  const r = spawnSync('bash', [script, 'start'], { env: scriptEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not start Neo4j again: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

/** The phases a transfer logged ("phases: files 10.1 s, importer 20.3 s, ..."). */
function phasesOf(stdout: string): Array<[string, number]> {
  const line = /^phases: (.*)$/m.exec(stdout)?.[1] ?? '';
  return [...line.matchAll(/(\w+) ([\d.]+) s/g)].map((m) => [m[1], Number(m[2])]);
}

interface Run {
  seconds: number;
  rssMb: number;
  treeMb: number;
  digest: string;
  links: number;
  ok: boolean;
  tail: string;
  phases: Array<[string, number]>;
  /** CPU seconds of each phase as the transfer logged them (this process / its children / the Neo4j server). */
  cpu: string;
}

/** One transfer as a child node process under GNU time. */
function transferRun(args: string[], env: NodeJS.ProcessEnv): Run {
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-v', process.execPath, '--import', 'tsx', 'server/cli/transfer.ts', ...args],
    { cwd: REPO, env, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const seconds = (performance.now() - t0) / 1000;
  // The transfer's own peak (its report); GNU time's figure also counts the importer's JVM, a child it waits for.
  const own = /peak memory (\d+) MB/.exec(r.stdout)?.[1];
  const tree = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  const digest = /content digest ([0-9a-f]+)/.exec(r.stdout)?.[1] ?? '';
  const links = Number(/^links\s+(\d+)\s+(\d+)$/m.exec(r.stdout)?.[2] ?? NaN);
  return {
    seconds,
    rssMb: own ? Number(own) : NaN,
    treeMb: tree ? Number(tree) / 1024 : NaN,
    digest,
    links,
    ok: r.status === 0,
    phases: phasesOf(r.stdout),
    cpu: /^cpu: (.*)$/m.exec(r.stdout)?.[1] ?? '',
    tail: `${r.stdout.slice(-600)}\n${r.stderr
      .split('\n')
      .filter((l) => !/^\s/.test(l))
      .slice(-8)
      .join('\n')}`,
  };
}

const suite: BenchSuite = {
  title:
    'npm run transfer: SQLite -> empty Neo4j (neo4j-admin import) and Neo4j -> SQLite, time and peak RSS',
  async run(args) {
    const n = arg(args, 'n', 100_000);
    await withTestNeo4j(async ({ server }) => {
      const dir = mkdtempSync(join(tmpdir(), 'lc-bench-transfer-'));
      try {
        const src = join(tmpdir(), `linkchart-bench-transfer-${n}-v${SOURCE_VERSION}.db`);
        let t0 = performance.now();
        if (args.includes('--fresh')) for (const x of ['', '-wal', '-shm']) rmSync(src + x, { force: true });
        if (!existsSync(src)) {
          await makeSource(src, n);
          console.log(
            `source: ${n.toLocaleString('en-GB')} links generated in ${((performance.now() - t0) / 1000).toFixed(0)} s (${src})`,
          );
        } else console.log(`source: ${src} (kept from an earlier run; --fresh makes it again)`);
        console.log(
          `load average before: ${loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')} (${TEST_HOME}, port ${TEST_PORT})`,
        );
        const env = {
          ...scriptEnv(),
          NEO4J_URI: server.uri,
          NEO4J_PASSWORD: server.password,
          LINKCHART_AUDIT_KEY: '',
        };
        await server.driver.close();
        console.log(
          `Neo4j emptied (stopped, database removed, started) in ${emptyNeo4j().toFixed(1)} s, untimed`,
        );
        const rows: string[] = [];
        const phaseRows: string[] = [];
        const say = (name: string, r: Run) => {
          rows.push(
            `${name.padEnd(34)} ${r.seconds.toFixed(1).padStart(7)} s ${r.rssMb.toFixed(0).padStart(6)} MB ${r.treeMb.toFixed(0).padStart(6)} MB  ` +
              `${(r.links / r.seconds).toFixed(0).padStart(7)} links/s  ${r.ok ? 'verified' : 'FAILED'} ${r.digest.slice(0, 12)}`,
          );
          const sum = r.phases.reduce((a, [, v]) => a + v, 0);
          phaseRows.push(
            `${name.padEnd(34)} ${r.phases.map(([k, v]) => `${k} ${v.toFixed(1)} s (${((100 * v) / (sum || 1)).toFixed(0)}%)`).join(', ')}`,
          );
          if (r.cpu) phaseRows.push(`${''.padEnd(34)} CPU s (transfer/importer/Neo4j): ${r.cpu}`);
          if (!r.ok) console.log(r.tail);
        };
        t0 = performance.now();
        const into = transferRun(
          ['--from', `sqlite:${src}`, '--to', 'neo4j', '--replace', '--replace', '--restart'],
          env,
        );
        say('SQLite -> empty Neo4j (import)', into);
        const back = transferRun(['--from', 'neo4j', '--to', `sqlite:${join(dir, 'back.db')}`], env);
        say('Neo4j -> SQLite', back);
        if (args.includes('--merge')) {
          // Emptied first, so the online path writes every row (an identical target is left alone).
          const d = neo4j.driver(server.uri, neo4j.auth.basic('neo4j', server.password));
          for (;;) {
            const r = await d.executeQuery(
              'MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS c',
            );
            if (Number(r.records[0].get('c')) === 0) break;
          }
          await d.close();
          const merge = transferRun(['--from', `sqlite:${src}`, '--to', 'neo4j', '--method=merge'], env);
          say('SQLite -> Neo4j (online MERGE)', merge);
        }
        const up = spawnSync('bash', [join(REPO, 'cypher/server/neo4j.sh'), 'status'], { env: scriptEnv() });
        const heap =
          /heap[^\n]*/i.exec(readFileSync(join(TEST_HOME, 'conf', 'neo4j.conf'), 'utf8'))?.[0] ?? '';
        console.log(
          `${'direction'.padEnd(34)} ${'time'.padStart(9)} ${'peak RSS'.padStart(9)} ${'+children'.padStart(9)}`,
        );
        for (const r of rows) console.log(r);
        console.log(
          '\nphases (as each transfer logged them; overlapping work is inside the phase it ended in)',
        );
        for (const r of phaseRows) console.log(r);
        console.log(
          `into Neo4j / back to SQLite: ${(into.seconds / back.seconds).toFixed(2)}x the time; goal into an empty Neo4j: < 60 s at 1M links`,
        );
        console.log(
          `same digest both ways: ${into.digest !== '' && into.digest === back.digest ? 'yes' : 'NO'}; ` +
            `Neo4j still up afterwards: ${up.status === 0 ? 'yes' : 'NO'} ${heap}; ` +
            `load average after: ${loadavg()
              .map((x) => x.toFixed(1))
              .join(' ')}`,
        );
      } finally {
        // The tests wipe the database in slices, which a million links would take minutes over: leave it empty.
        emptyNeo4j();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
};

export default suite;
