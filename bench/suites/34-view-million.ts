// Building an analysis view from a SQLite file of 1M entities and 5M links: today's read (every row a
// Link or Entity object, then buildView) against the streamed read (view-load.ts: each row straight into
// typed arrays, then the CSR). Each runs in a fresh process of its own, so its peak RSS is its own; both
// views are checked to be the same graph (node and link counts, and a digest of the CSR).
//
// The file (people in communities of 50, 10% mixing, strengths 1..5, dated and graded, the real schema
// with its full-text index) is generated once and kept in the temp directory.
// `npm run bench -- 34-view-million [--n=1000000] [--degree=10] [--fresh]`.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSuite } from '../run.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { buildView, viewOptionsSchema, type View } from '../../server/analysis/view.ts';
import { SqliteConnection } from '../../server/store/sqlite/connection.ts';
import { migrate } from '../../server/store/sqlite/schema.ts';
import { subgraph } from '../../server/store/sqlite/graph-walk.ts';
import { streamView } from '../../server/store/sqlite/view-load.ts';

const CHILD = 'LINKCHART_VIEW_BENCH_CHILD';
const SELF = fileURLToPath(import.meta.url);

interface ChildResult {
  mode: string;
  seconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
  n: number;
  m: number;
  digest: string;
}

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

function makeFile(path: string, n: number, meanDegree: number): void {
  const t0 = performance.now();
  const e = communityGraph({ n, meanDegree, seed: 42 });
  const c = new SqliteConnection(path);
  migrate(c.db);
  const now = '2026-01-01T00:00:00.000Z';
  const addEntity = c.st(
    "INSERT INTO entities (type, key, label, properties, search_text, created_at, updated_at) VALUES ('Person', ?, ?, '{}', '', ?, ?)",
  );
  const addLink = c.st(
    `INSERT INTO links (type, from_id, to_id, directed, weight, first_seen, last_seen, first_ms, last_ms, properties, grades, created_at, updated_at)
     VALUES ('ASSOCIATE_OF', ?, ?, 0, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
  );
  c.db.transaction(() => {
    for (let i = 0; i < n; i++) addEntity.run(`P${i}`, `Person ${i}`, now, now);
    for (let i = 0; i < e.us.length; i++) {
      const day = 1 + (i % 28);
      const first = `2025-0${1 + (i % 9)}-${String(day).padStart(2, '0')}`;
      const last = `2025-1${i % 3}-${String(day).padStart(2, '0')}`;
      const [a, b] = e.us[i] < e.vs[i] ? [e.us[i], e.vs[i]] : [e.vs[i], e.us[i]];
      addLink.run(
        a + 1,
        b + 1,
        e.ws[i],
        first,
        last,
        Date.parse(first),
        Date.parse(last),
        1 << (i % 15),
        now,
        now,
      );
    }
    c.db.prepare("UPDATE meta SET v = v + 1 WHERE k = 'data_version'").run();
  })();
  c.close();
  console.log(
    `generated ${path}: ${n} entities, ${e.us.length} links, ${(statSync(path).size / 1e9).toFixed(2)} GB in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

function digest(v: View): string {
  let h = 0;
  let w = 0;
  const g = v.csr;
  for (let i = 0; i < g.offsets.length; i++) h = (Math.imul(h, 31) + g.offsets[i]) | 0;
  for (let i = 0; i < g.targets.length; i++) h = (Math.imul(h, 31) + g.targets[i]) | 0;
  for (let i = 0; i < g.edgeW.length; i++) w += g.edgeW[i];
  return `${(h >>> 0).toString(16)}/${w.toFixed(3)}/${v.csr.ids[g.n - 1]}/${v.labels[g.n - 1]}`;
}

/** One build in this (child) process. */
function child(mode: string, path: string): void {
  const c = new SqliteConnection(path, { createDir: false, readOnly: true });
  const options = viewOptionsSchema.parse({});
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const view: View =
    mode === 'streamed'
      ? streamView(c, options, { shared: true })!
      : buildView(subgraph(c, options.filter, {}), options, { shared: true });
  const seconds = (performance.now() - t0) / 1000;
  const out: ChildResult = {
    mode,
    seconds,
    rssBeforeMb: rssBefore / 1e6,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1e3,
    n: view.csr.n,
    m: view.csr.m,
    digest: digest(view),
  };
  console.log(JSON.stringify(out));
}

function runChild(mode: string, path: string): ChildResult | null {
  try {
    const out = execFileSync('npx', ['tsx', SELF], {
      encoding: 'utf8',
      env: { ...process.env, [CHILD]: `${mode}:${path}`, NODE_OPTIONS: '--max-old-space-size=16000' },
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
  } catch (e) {
    console.log(`${mode}: failed: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

const suite: BenchSuite = {
  title: 'Analysis view from a 1M-entity / 5M-link SQLite file: streamed vs whole subgraph',
  async run(args) {
    const nArg = args.find((a) => a.startsWith('--n='));
    const dArg = args.find((a) => a.startsWith('--degree='));
    const n = nArg ? Number(nArg.slice(4)) : 1_000_000;
    const degree = dArg ? Number(dArg.slice(9)) : 10;
    const path = join(tmpdir(), `linkchart-bench-view-${n}-${degree}.db`);
    if (args.includes('--fresh')) for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
    if (!existsSync(path)) makeFile(path, n, degree);
    console.log(`load average at start: ${load()} (2 cores)`);
    const results: ChildResult[] = [];
    // Streamed first, then today's, then streamed again: the page cache is warm for both measured runs.
    for (const mode of ['streamed', 'subgraph', 'streamed']) {
      const r = runChild(mode, path);
      if (r) results.push(r);
      console.log(
        `${mode}: ${r ? `${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB` : '-'} (load ${load()})`,
      );
    }
    const best = (mode: string) =>
      results.filter((r) => r.mode === mode).sort((a, b) => a.seconds - b.seconds)[0];
    console.log('');
    console.log('| build | nodes | links | seconds | peak RSS (MB) | RSS before build (MB) | digest |');
    console.log('|---|---:|---:|---:|---:|---:|---|');
    for (const mode of ['subgraph', 'streamed']) {
      const r = best(mode);
      if (!r) continue;
      const name =
        mode === 'streamed' ? 'streamed rows -> typed arrays -> CSR' : 'subgraph objects -> buildView';
      console.log(
        `| ${name} | ${r.n} | ${r.m} | ${r.seconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.rssBeforeMb.toFixed(0)} | ${r.digest} |`,
      );
    }
    const a = best('subgraph');
    const b = best('streamed');
    if (a && b) {
      console.log(
        `same view: ${a.digest === b.digest && a.n === b.n && a.m === b.m ? 'yes' : 'NO'}; streamed is ${(a.seconds / b.seconds).toFixed(2)}x faster, peak RSS ${(a.peakRssMb / b.peakRssMb).toFixed(2)}x lower`,
      );
    }
  },
};

export default suite;

const job = process.env[CHILD];
if (job) {
  const at = job.indexOf(':');
  child(job.slice(0, at), job.slice(at + 1));
}
