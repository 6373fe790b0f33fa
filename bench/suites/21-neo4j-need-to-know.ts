// Need-to-know on Neo4j (issue 17): what the membership filter in the Cypher costs. A generated network of about
// 10,000 entities is written in chunks, the last one in a closed operation (its links reach entities of the
// others by key, so those become shared). Then, in the same run and interleaved seed by seed: 1-hop expansion
// latency and the whole-graph view build (subgraph read + buildView), unscoped (the store itself, no filter),
// through a scope naming every operation (the filter runs and passes everything) and through a reader's scope
// that hides the closed operation. Target: scoped within 1.5x of unscoped.
//
// `npm run bench -- 21-neo4j [--links=21700] [--samples=300] [--views=5]`. Uses the Neo4j test server (as
// 20-neo4j.ts: LINKCHART_TEST_NEO4J_HOME/_PORT pick another) and wipes its database.
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { planNetwork } from '../../seed/generate.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { buildView } from '../../server/analysis/view.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Deterministic seeds (mulberry32), so every run expands the same entities. */
function pick<T>(items: T[], n: number, seed = 7): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => items[Math.floor(rnd() * items.length)]);
}

const suite: BenchSuite = {
  title: 'Neo4j need-to-know: 1-hop expansion and view build, scoped beside unscoped',
  async run(args) {
    const links = arg(args, 'links', 21_700);
    const samples = arg(args, 'samples', 300);
    const views = arg(args, 'views', 5);
    await withTestNeo4j(async ({ server }) => {
      const stores = await server.freshStore();
      const open = await stores.operations.create(
        { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
        { actor: 'bench' },
      );
      const closed = await stores.operations.create(
        { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
        { actor: 'boss' },
      );
      const chunks = [...planNetwork({ seed: 42, size: links }, 5_000).chunks()];
      // The last chunk goes to the closed operation: with one chunk, the hiding scope would see nothing to expand.
      if (chunks.length < 2) {
        console.log(`skipped: --links=${links} makes one chunk of 5,000 links; give more than 5,000`);
        return;
      }
      for (const [i, chunk] of chunks.entries()) {
        const op = i === chunks.length - 1 ? closed.id : open.id;
        await stores.graph.writeBatch(chunk, { actor: 'bench', operationId: op });
      }
      const general = (await stores.operations.defaultOperation()).id;
      const reads: Record<string, GraphStore> = {
        unscoped: stores.graph,
        'every operation': stores.graph.scoped({ operations: [general, open.id, closed.id] }),
        'closed one hidden': stores.graph.scoped({ operations: await stores.operations.readableBy('bench') }),
      };
      const counts = await server.driver.executeQuery(
        `MATCH (e:Entity) RETURN count(e) AS all, count(CASE WHEN $c IN e.ops THEN 1 END) AS inClosed,
           count(CASE WHEN $c IN e.ops AND size(e.ops) > 1 THEN 1 END) AS shared`,
        { c: closed.id },
      );
      const c = counts.records[0].toObject() as Record<string, unknown>;
      console.log(
        `${String(c.all)} entities, ${String(c.inClosed)} in the closed operation (${String(c.shared)} shared with the open one), ${chunks.length} chunks of 5,000 links`,
      );

      // Seeds the hiding scope can see, so every store expands the same entity.
      const visible = (await reads['closed one hidden'].subgraph({})).nodes.map((n) => n.id);
      const seeds = pick(visible, samples);
      const names = Object.keys(reads);
      const lat = new Map(names.map((n) => [n, [] as number[]]));
      const nodes = new Map(names.map((n) => [n, 0]));
      for (const s of seeds.slice(0, 50))
        for (const n of names) await reads[n].neighbourhood([s], { hops: 1 });
      for (const s of seeds) {
        for (const n of names) {
          const t0 = performance.now();
          const g = await reads[n].neighbourhood([s], { hops: 1 });
          lat.get(n)!.push(performance.now() - t0);
          nodes.set(n, nodes.get(n)! + g.nodes.length);
        }
      }
      const viewT = new Map(names.map((n) => [n, [] as number[]]));
      const viewSize = new Map<string, string>();
      for (let i = 0; i < views; i++) {
        for (const n of names) {
          const t0 = performance.now();
          const sg = await reads[n].subgraph({});
          const v = buildView(sg);
          viewT.get(n)!.push(performance.now() - t0);
          viewSize.set(n, `${v.csr.n} / ${v.csr.m}`);
        }
      }
      const base = {
        p99: quantile(
          [...lat.get('unscoped')!].sort((a, b) => a - b),
          0.99,
        ),
        view: quantile(
          [...viewT.get('unscoped')!].sort((a, b) => a - b),
          0.5,
        ),
      };
      console.log(
        '\n| read | 1-hop median ms | 1-hop p99 ms | x unscoped | mean nodes | view build median s | x unscoped | view nodes / links |',
      );
      console.log('|---|---|---|---|---|---|---|---|');
      for (const n of names) {
        const l = [...lat.get(n)!].sort((a, b) => a - b);
        const v = [...viewT.get(n)!].sort((a, b) => a - b);
        const p99 = quantile(l, 0.99);
        const vm = quantile(v, 0.5);
        console.log(
          `| ${n} | ${quantile(l, 0.5).toFixed(2)} | ${p99.toFixed(2)} | ${(p99 / base.p99).toFixed(2)} | ${(nodes.get(n)! / samples).toFixed(1)} | ${(vm / 1000).toFixed(2)} | ${(vm / base.view).toFixed(2)} | ${viewSize.get(n)} |`,
        );
      }
      console.log(`(${samples} seeds, each expanded by every read in turn; ${views} view builds each)`);
      await stores.close();
      await server.wipe();
    });
  },
};

export default suite;
