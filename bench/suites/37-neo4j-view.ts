// Building an analysis view from the Neo4j store: the old way (subgraph(): every link and entity a JS object,
// then buildView) against the streamed read (neo4j/view-load.ts: each link type read in pages by its index on
// l.n, merged in id order, straight into the view builder's typed arrays). Each build runs in a fresh process
// of its own, so its peak RSS is its own; both views are checked to be the same graph (a digest of the CSR's
// arrays, ids and labels).
//
// The network is the seed generator's (people, phones, calls, vehicles, places), written into the test
// server through the store, sized in links. Uses the project's test server (LINKCHART_TEST_NEO4J_HOME/_PORT,
// started if needed) and wipes its database.
// `npm run bench -- 37-neo4j-view [--links=100000] [--keep]` (--keep: reuse the database as it is).
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchSuite } from '../run.ts';
import { arg, loadSeededNetwork } from '../args.ts';
import { buildView, unpackView, viewOptionsSchema, type View } from '../../server/analysis/view.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

const CHILD = 'LINKCHART_NEO4J_VIEW_BENCH_CHILD';
const SELF = fileURLToPath(import.meta.url);

interface ChildResult {
  mode: string;
  seconds: number;
  peakRssMb: number;
  rssBeforeMb: number;
  n: number;
  m: number;
  digest: string;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function digest(v: View): string {
  let h = 0;
  let w = 0;
  const g = v.csr;
  for (const a of [g.offsets, g.targets])
    for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + a[i]) | 0;
  for (let i = 0; i < g.edgeW.length; i++) w += g.edgeW[i] * (1 + (i % 7));
  for (let i = 0; i < g.n; i++)
    for (const c of g.ids[i] + v.labels[i]) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return `${(h >>> 0).toString(16)}/${w.toFixed(3)}`;
}

async function child(mode: string, uri: string, password: string): Promise<void> {
  const stores = new Neo4jStores({ uri, password });
  const options = viewOptionsSchema.parse({ projection: { foldPhones: true } });
  await stores.graph.dataVersion();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let view: View;
  if (mode === 'streamed') {
    const a = await stores.graph.analysisView(options);
    if (a.truncated) throw new Error('truncated');
    view = unpackView(a.view);
  } else view = buildView(await stores.graph.subgraph(options.filter), options, { shared: true });
  const seconds = (performance.now() - t0) / 1000;
  const out: ChildResult = {
    mode,
    seconds,
    rssBeforeMb: rssBefore / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1e3,
    n: view.csr.n,
    m: view.csr.m,
    digest: digest(view),
  };
  await stores.close();
  console.log(JSON.stringify(out));
}

function runChild(mode: string, uri: string, password: string): ChildResult | null {
  try {
    const out = execFileSync('npx', ['tsx', SELF], {
      encoding: 'utf8',
      env: { ...process.env, [CHILD]: JSON.stringify({ mode, uri, password }) },
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
  } catch (e) {
    console.log(`${mode}: failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
    return null;
  }
}

const suite: BenchSuite = {
  title: 'Analysis view from the Neo4j store: streamed pages vs whole subgraph',
  async run(args) {
    const size = arg(args, 'links', 100_000);
    await withTestNeo4j(async ({ server }) => {
      if (!args.includes('--keep')) {
        const store = await server.freshStore();
        const t0 = performance.now();
        const loaded = await loadSeededNetwork(store, size);
        await store.close();
        console.log(`loaded ${loaded} links in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      console.log(`load average at start: ${load()} (2 cores)`);
      const results: ChildResult[] = [];
      for (const mode of ['streamed', 'subgraph', 'streamed', 'subgraph']) {
        const r = runChild(mode, server.uri, server.password);
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
          mode === 'streamed' ? 'streamed pages -> typed arrays -> CSR' : 'subgraph objects -> buildView';
        console.log(
          `| ${name} | ${r.n} | ${r.m} | ${r.seconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.rssBeforeMb.toFixed(0)} | ${r.digest} |`,
        );
      }
      const a = best('subgraph');
      const b = best('streamed');
      if (a && b)
        console.log(
          `same view: ${a.digest === b.digest && a.n === b.n && a.m === b.m ? 'yes' : 'NO'}; streamed ${(a.seconds / b.seconds).toFixed(2)}x the speed, peak RSS ${(a.peakRssMb / b.peakRssMb).toFixed(2)}x lower; load at end ${load()}`,
        );
    });
  },
};

export default suite;

const job = process.env[CHILD];
if (job) {
  const { mode, uri, password } = JSON.parse(job) as { mode: string; uri: string; password: string };
  await child(mode, uri, password);
}
