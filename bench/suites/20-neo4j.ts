// Neo4j beside SQLite: import throughput of the seeded network (writeBatch per 10,000-link chunk: batched
// UNWIND into Neo4j, one transaction per chunk, against the SQLite store on a temp file), then PageRank and
// betweenness in the database (GDS) against the server's own analysis on the same whole-graph view.
//
// `npm run bench -- 20-neo4j [--links=100000] [--analysis-links=10000]`. Uses the project's test server
// (.neo4j/test, port 7688: started if needed, stopped again if this run started it) and wipes its database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { planNetwork } from '../../seed/generate.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { gdsBetweenness, gdsPageRank } from '../../server/store/neo4j/gds.ts';
import { buildView } from '../../server/analysis/view.ts';
import { pagerank } from '../../server/analysis/pagerank.ts';
import { betweenness } from '../../server/analysis/betweenness.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

async function importInto(
  store: GraphStore,
  links: number,
): Promise<{ seconds: number; links: number; entities: number }> {
  const plan = planNetwork({ seed: 42, size: links });
  const t0 = performance.now();
  let l = 0;
  let e = 0;
  for (const chunk of plan.chunks()) {
    const r = await store.writeBatch(chunk, { actor: 'bench', importId: 'bench' });
    l += r.links.created;
    e += r.entities.created;
  }
  return { seconds: (performance.now() - t0) / 1000, links: l, entities: e };
}

async function time<T>(f: () => Promise<T> | T): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [(performance.now() - t0) / 1000, r];
}

const suite: BenchSuite = {
  title: 'Neo4j store: batched import beside SQLite, GDS beside in-server analysis',
  async run(args) {
    const links = arg(args, 'links', 100_000);
    const analysisLinks = arg(args, 'analysis-links', 10_000);
    await withTestNeo4j(async ({ server }) => {
      const dir = mkdtempSync(join(tmpdir(), 'lc-bench-neo4j-'));
      try {
        const rows: string[][] = [['store', 'links', 'entities', 'seconds', 'links/s']];
        const sqlite = await openSqliteStores(join(dir, 'bench.db'));
        const s = await importInto(sqlite.graph, links);
        await sqlite.close();
        rows.push([
          'SQLite',
          String(s.links),
          String(s.entities),
          s.seconds.toFixed(1),
          (s.links / s.seconds).toFixed(0),
        ]);
        const neo = await server.freshStore();
        const n = await importInto(neo.graph, links);
        rows.push([
          'Neo4j',
          String(n.links),
          String(n.entities),
          n.seconds.toFixed(1),
          (n.links / n.seconds).toFixed(0),
        ]);
        console.log(
          rows.map((r) => r.map((c, i) => (i ? c.padStart(10) : c.padEnd(8))).join(' ')).join('\n'),
        );
        console.log(
          `Neo4j / SQLite throughput: ${(n.links / n.seconds / (s.links / s.seconds)).toFixed(2)}x`,
        );

        // Analysis on a smaller network: exact betweenness on the whole 100k-link view takes minutes either way.
        const a = await server.freshStore();
        await importInto(a.graph, analysisLinks);
        const [tPull, sg] = await time(() => a.graph.subgraph({}));
        const view = buildView(sg);
        console.log(
          `\nanalysis view: ${view.csr.n} nodes, ${view.csr.m} edges (${analysisLinks} links generated)`,
        );
        const [tPr, pr] = await time(() => pagerank(view.csr, { weighted: true }));
        const [tGpr, gpr] = await time(() => gdsPageRank(a, { weighted: true }));
        const [tBc, bc] = await time(() => betweenness(view.csr, { weighted: false, normalized: true }));
        const [tGbc, gbc] = await time(() => gdsBetweenness(a, { normalized: true }));
        let dPr = 0;
        let dBc = 0;
        view.csr.ids.forEach((id, i) => {
          dPr = Math.max(dPr, Math.abs(gpr.get(id)! - pr[i]));
          dBc = Math.max(dBc, Math.abs(gbc.get(id)! - bc[i]));
        });
        console.log(
          [
            ['metric', 'server s', 'GDS s', 'max |diff|'],
            ['subgraph pull', tPull.toFixed(2), '-', '-'],
            ['PageRank', tPr.toFixed(2), tGpr.toFixed(2), dPr.toExponential(1)],
            ['betweenness', tBc.toFixed(2), tGbc.toFixed(2), dBc.toExponential(1)],
          ]
            .map((r) => r.map((c, i) => (i ? c.padStart(10) : c.padEnd(14))).join(' '))
            .join('\n'),
        );
        console.log(
          '(server: in-process over the pulled view; GDS: projection + stream + drop, in the database)',
        );
        await neo.close();
        await a.close();
        await server.wipe();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
};

export default suite;
