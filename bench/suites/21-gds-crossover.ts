// Where GDS overtakes the server: for growing networks held in Neo4j, one whole-graph metric end to end both
// ways. The server's way is what a job does on the Neo4j store: pull the view (subgraph), build the CSR, run
// the metric. GDS's way: project the same view in the database, run, stream the scores back, drop it. The
// crossover is the smallest size at which GDS's total is below the server's for that metric.
//
// `npm run bench -- 21-gds-crossover [--sizes=20000,100000,300000]` (sizes in generated links; entities come
// to about 0.4 per link). Uses the project's test server (started if needed) and wipes its database.
import type { BenchSuite } from '../run.ts';
import { planNetwork } from '../../seed/generate.ts';
import { buildView } from '../../server/analysis/view.ts';
import { pagerank } from '../../server/analysis/pagerank.ts';
import { louvain } from '../../server/analysis/louvain.ts';
import { connectedComponents } from '../../server/analysis/components.ts';
import { gdsComponents, gdsLouvain, gdsPageRank, gdsVersion } from '../../server/store/neo4j/gds.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

function sizesArg(args: string[]): number[] {
  const a = args.find((x) => x.startsWith('--sizes='));
  return a ? a.slice('--sizes='.length).split(',').map(Number) : [20_000, 100_000, 300_000];
}

/** The better of two runs: the first of each kind also pays for compiling the code and warming caches. */
async function time<T>(f: () => Promise<T> | T): Promise<[number, T]> {
  let best = Infinity;
  let r!: T;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    r = await f();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return [best, r];
}

const METRICS = ['PageRank', 'Louvain', 'components'] as const;

const suite: BenchSuite = {
  title: 'GDS crossover: whole-view metrics on the Neo4j store, server (pull + build + run) beside GDS',
  async run(args) {
    const sizes = sizesArg(args);
    await withTestNeo4j(async ({ server }) => {
      const store = await server.freshStore();
      const version = await gdsVersion(store);
      if (!version) {
        console.log('skipped: the Graph Data Science plugin is not installed in the test server');
        return;
      }
      console.log(`GDS ${version}; server metrics single-threaded in this process`);
      const rows: string[][] = [
        [
          'links',
          'nodes',
          'edges',
          'metric',
          'pull s',
          'build s',
          'run s',
          'server s',
          'GDS s',
          'GDS/server',
        ],
      ];
      let loaded = 0;
      const plan = planNetwork({ seed: 7, size: Math.max(...sizes) }, 2_000);
      const chunks = plan.chunks();
      for (const size of [...sizes].sort((a, b) => a - b)) {
        // Grow the same network chunk by chunk, so each size is a prefix of the next.
        while (loaded < size) {
          const c = chunks.next();
          if (c.done) break;
          const r = await store.graph.writeBatch(c.value, { actor: 'bench', importId: 'bench' });
          loaded += r.links.created + r.links.updated + r.links.unchanged;
        }
        const [tPull, sg] = await time(() => store.graph.subgraph({}));
        const [tBuild, view] = await time(() => buildView(sg));
        const g = view.csr;
        const server: Record<(typeof METRICS)[number], () => unknown> = {
          PageRank: () => pagerank(g, { weighted: true }),
          Louvain: () => louvain(g, { seed: 1 }),
          components: () => connectedComponents(g),
        };
        const gds: Record<(typeof METRICS)[number], () => Promise<unknown>> = {
          PageRank: () => gdsPageRank(store, { weighted: true }),
          Louvain: () => gdsLouvain(store, { weighted: true }),
          components: () => gdsComponents(store),
        };
        for (const m of METRICS) {
          const [tRun] = await time(server[m]);
          const [tGds] = await time(gds[m]);
          const total = tPull + tBuild + tRun;
          rows.push([
            String(loaded),
            String(g.n),
            String(g.m),
            m,
            tPull.toFixed(2),
            tBuild.toFixed(2),
            tRun.toFixed(2),
            total.toFixed(2),
            tGds.toFixed(2),
            `${(tGds / total).toFixed(2)}x`,
          ]);
        }
      }
      console.log(rows.map((r) => r.map((c) => c.padStart(11)).join(' ')).join('\n'));
      console.log(
        '(GDS/server below 1x means GDS is faster end to end; pull = the view read from Neo4j into the server)',
      );
      await store.close();
      await server.wipe();
    });
  },
};

export default suite;
