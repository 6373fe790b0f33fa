// How long building a Neo4j analysis view holds up the server's other requests. The view is read a page at
// a time (neo4j/view-load.ts), which leaves the thread free between pages; its last steps (the builder's
// finish(): projection, weights, CSR; then packing it for the job workers) run in one piece. This measures,
// during one build of a view over the whole store:
//   - the longest stretch the thread was held (a 2 ms timer's worst lateness) and the time in finish() alone;
//   - the latency of another request's store read, issued back to back all the while (worst and median),
//     against the same read on an idle server (the peer).
// The network is the seed generator's, written through the store, sized in links. Uses the project's test
// server (LINKCHART_TEST_NEO4J_HOME/_PORT, started if needed) and wipes its database.
// `npm run bench -- 38-neo4j-view-block [--links=100000] [--keep] [--rounds=3] [--view='{"projection":{}}']`
import { loadavg } from 'node:os';
import type { BenchSuite } from '../run.ts';
import { arg, loadSeededNetwork } from '../args.ts';
import { ViewBuilder } from '../../server/analysis/view-builder.ts';
import { viewOptionsSchema } from '../../server/analysis/view.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Time spent in ViewBuilder.finish(), summed over the build (timed by wrapping it for this bench only). */
let finishMs = 0;
let finishCpuMs = 0;
const original = ViewBuilder.prototype.finish;
ViewBuilder.prototype.finish = function (this: ViewBuilder, ...a: Parameters<typeof original>) {
  const t = performance.now();
  const c = process.cpuUsage();
  try {
    return original.apply(this, a);
  } finally {
    finishMs += performance.now() - t;
    const d = process.cpuUsage(c);
    finishCpuMs += (d.user + d.system) / 1000;
  }
};

/**
 * While `work` runs, a 2 ms timer: its worst lateness (the longest the thread was held, as another request
 * feels it, inflated by the OS on a loaded machine) and the most CPU time the process spent between two of
 * its turns (the same stretch counted in CPU work, which a loaded machine does not inflate much).
 */
async function heldWhile<T>(
  work: () => Promise<T>,
): Promise<{ value: T; worstMs: number; worstCpuMs: number; samples: number }> {
  let worst = 0;
  let worstCpu = 0;
  let samples = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let on = true;
  const tick = () => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    worst = Math.max(worst, now - last - 2);
    worstCpu = Math.max(worstCpu, (cpu.user + cpu.system) / 1000);
    samples++;
    last = now;
    lastCpu = process.cpuUsage();
    if (on) setTimeout(tick, 2);
  };
  setTimeout(tick, 2);
  try {
    return { value: await work(), worstMs: worst, worstCpuMs: worstCpu, samples };
  } finally {
    on = false;
  }
}

/** Another request's read, back to back while `busy()` says so: each one's latency. */
async function readLatencies(stores: Neo4jStores, id: string, busy: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (busy()) {
    const t = performance.now();
    await stores.graph.getEntity(id);
    out.push(performance.now() - t);
  }
  return out;
}

const suite: BenchSuite = {
  title: 'Neo4j analysis view: how long its build holds up other requests',
  async run(args) {
    const size = arg(args, 'links', 100_000);
    const rounds = arg(args, 'rounds', 3);
    await withTestNeo4j(async ({ server }) => {
      if (!args.includes('--keep')) {
        const store = await server.freshStore();
        const t0 = performance.now();
        const loaded = await loadSeededNetwork(store, size);
        await store.close();
        console.log(`loaded ${loaded} links in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      const stores = new Neo4jStores({ uri: server.uri, password: server.password });
      // --view='<json>': the view's options (default: phones folded into their people, as the app opens).
      const vArg = args.find((a) => a.startsWith('--view='));
      const options = viewOptionsSchema.parse(
        vArg ? (JSON.parse(vArg.slice(7)) as unknown) : { projection: { foldPhones: true } },
      );
      const someone = (await stores.graph.listEntities({ limit: 1 })).items[0]!.id;
      // Warm: the driver's pool, the page cache, the JIT.
      await stores.graph.analysisView(options);
      for (let i = 0; i < 20; i++) await stores.graph.getEntity(someone);

      console.log(`load average at start: ${load()} (2 cores)`);
      console.log('');
      console.log(
        '| round | view nodes | view links | build (ms) | finish() (ms) | finish() CPU (ms) | thread held at most (ms) | its CPU work (ms) | other read during: worst / median (ms) | reads | idle read: worst / median (ms) |',
      );
      console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|');
      for (let round = 1; round <= rounds; round++) {
        // The peer: the same read, back to back, with nothing else running (as long as a build takes).
        let idleOn = true;
        const idleFor = setTimeout(() => (idleOn = false), 1_000);
        const idle = await readLatencies(stores, someone, () => idleOn);
        clearTimeout(idleFor);

        finishMs = 0;
        finishCpuMs = 0;
        let building = true;
        const t0 = performance.now();
        const during = readLatencies(stores, someone, () => building);
        const {
          value: view,
          worstMs,
          worstCpuMs,
        } = await heldWhile(async () => {
          try {
            return await stores.graph.analysisView(options);
          } finally {
            building = false;
          }
        });
        const buildMs = performance.now() - t0;
        const reads = await during;
        if (view.truncated) throw new Error('the view was truncated');
        console.log(
          `| ${round} | ${view.view.n} | ${view.view.m} | ${buildMs.toFixed(0)} | ${finishMs.toFixed(0)} | ${finishCpuMs.toFixed(0)} | ${worstMs.toFixed(0)} | ${worstCpuMs.toFixed(0)} | ` +
            `${quantile(reads, 1).toFixed(0)} / ${quantile(reads, 0.5).toFixed(1)} | ${reads.length} | ` +
            `${quantile(idle, 1).toFixed(0)} / ${quantile(idle, 0.5).toFixed(1)} |`,
        );
      }
      console.log(`load average at end: ${load()}`);
      await stores.close();
    });
  },
};

export default suite;
