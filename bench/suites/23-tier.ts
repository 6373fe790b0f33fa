// What the stateless tier costs per request on Neo4j, two servers (two drivers) on one database:
//   - read-your-writes across servers: a read on server B carrying the bookmark of a write made on server A
//     (checked once per request by an empty transaction begun with it, server/store/neo4j/executor.ts
//     catchUp) against the same read without one (the peer), and against one carrying a bookmark B handed
//     out itself (no check);
//   - the per-user job limit counted in the store: claiming a job's place (the owner's lock, a count of their
//     live jobs, the write) against writing the same record plainly (putJob, the peer).
// Each row is the median of many sequential calls (their latency is round trips, not CPU), with the load.
// Uses the project's test server (LINKCHART_TEST_NEO4J_HOME/_PORT, started if needed) and wipes its database.
// `npm run bench -- 23-tier [--calls=300]`
import { loadavg } from 'node:os';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { ReadAfter, runWithReadAfter } from '../../server/store/read-after.ts';
import type { StoredJob } from '../../server/store/job-store.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { network } from '../../test/contract/fixtures.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function timeEach(calls: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await f(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => xs[Math.floor(xs.length * 0.95)]!;

const job = (id: string, ownerId: string): StoredJob => ({
  id,
  ownerId,
  ownerName: ownerId,
  key: `k-${id}`,
  server: 'bench',
  leaseUntil: Date.now() + 600_000,
  status: { id, state: 'done', error: null, createdAt: new Date().toISOString() },
  operations: [],
  notes: [],
  cancelRequested: false,
});

const suite: BenchSuite = {
  title: 'Stateless tier on Neo4j: read-your-writes across servers, per-user job limit in the store',
  async run(args) {
    const calls = arg(args, 'calls', 300);
    await withTestNeo4j(async ({ server }) => {
      await server.wipe();
      const a = new Neo4jStores({ uri: server.uri, password: server.password });
      const b = new Neo4jStores({ uri: server.uri, password: server.password });
      await a.init();
      await b.init();
      await a.graph.writeBatch(network(), { actor: 'bench' });
      const id = (await a.graph.listEntities({ limit: 1 })).items[0]!.id;
      // A write on A in a request's scope: the bookmark it hands back.
      const onA = new ReadAfter([], 3_000);
      await runWithReadAfter(onA, () =>
        a.graph.updateEntity(id, { label: 'Bench Person 2' }, { actor: 'bench' }),
      );
      const fromA = onA.written ?? [];
      const onB = new ReadAfter([], 3_000);
      await runWithReadAfter(onB, () =>
        b.graph.updateEntity(id, { label: 'Bench Person 3' }, { actor: 'bench' }),
      );
      const fromB = onB.written ?? [];
      if (fromA.length === 0 || fromB.length === 0) throw new Error('a write handed back no bookmark');
      const read = (incoming: readonly string[]) =>
        runWithReadAfter(new ReadAfter(incoming, 3_000), () => b.graph.getEntity(id));
      for (let i = 0; i < 30; i++) await read([]);

      console.log(`load average at start: ${load()} (2 cores); ${calls} calls per row`);
      console.log('');
      console.log('| call | transactions | median (ms) | p95 (ms) | / peer (median) |');
      console.log('|---|---:|---:|---:|---:|');
      const plain = await timeEach(calls, () => read([]));
      const own = await timeEach(calls, () => read(fromB));
      const other = await timeEach(calls, () => read(fromA));
      const row = (name: string, tx: number, xs: number[], peer: number[]) =>
        console.log(
          `| ${name} | ${tx} | ${median(xs).toFixed(2)} | ${p95(xs).toFixed(2)} | ${(median(xs) / median(peer)).toFixed(2)} |`,
        );
      row('read on B, no bookmark (peer)', 1, plain, plain);
      row("read on B with B's own bookmark (no check)", 1, own, plain);
      row("read on B with A's bookmark (checked once)", 2, other, plain);

      const put = await timeEach(calls, (i) => a.jobs.putJob(job(`put-${i}`, `u-put-${i % 10}`)));
      const claim = await timeEach(calls, (i) =>
        a.jobs.claimJob(job(`claim-${i}`, `u-claim-${i % 10}`), 1_000_000, Date.now()),
      );
      row('job record written plainly (putJob, peer)', 1, put, put);
      row('job place claimed (lock, count, write; claimJob)', 1, claim, put);
      console.log(`load average at end: ${load()}`);
      await a.close();
      await b.close();
    });
  },
};

export default suite;
