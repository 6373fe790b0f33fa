// The embedded store: seeding throughput into SQLite for a generated county-lines network, beside a plain
// better-sqlite3 bulk insert of the same rows (the raw-INSERT peer, measured in the same run), then
// neighbourhood-expansion latency (1 and 2 hops) from random seeds, and a whole-graph subgraph read; then
// the same 1-hop expansions and a view build with a read scope that hides a closed operation, beside unscoped.
//
// `npm run bench -- 10-store [--links=100000] [--samples=2000]`
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { planNetwork } from '../../seed/generate.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';
import { buildView } from '../../server/analysis/view.ts';
import type { EntityType } from '../../server/domain/model.ts';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The same rows by plain INSERTs: entities keyed in a JS map, links with their ends resolved from it. */
/** CPU seconds of this process since `from`: less thrown about than wall time on a shared machine. */
function cpuSince(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

function rawInsert(path: string, chunks: WriteBatch[]): { wall: number; cpu: number } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE entities (id INTEGER PRIMARY KEY, type TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,
             properties TEXT NOT NULL, UNIQUE (type, key));
           CREATE TABLE links (id INTEGER PRIMARY KEY, type TEXT NOT NULL, from_id INTEGER NOT NULL, to_id INTEGER NOT NULL,
             weight REAL NOT NULL, first_seen TEXT, last_seen TEXT, properties TEXT NOT NULL);
           CREATE INDEX links_from ON links (from_id); CREATE INDEX links_to ON links (to_id);`);
  const insE = db.prepare('INSERT INTO entities (type, key, label, properties) VALUES (?, ?, ?, ?)');
  const insL = db.prepare(
    'INSERT INTO links (type, from_id, to_id, weight, first_seen, last_seen, properties) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const ids = new Map<string, number>();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const c of chunks) {
    db.transaction(() => {
      for (const e of c.entities ?? []) {
        const id = Number(
          insE.run(e.type, e.key!, e.label, JSON.stringify(e.properties ?? {})).lastInsertRowid,
        );
        ids.set(`${e.type}|${e.key}`, id);
      }
      for (const l of c.links ?? []) {
        const f = l.from as { type: string; key: string };
        const t = l.to as { type: string; key: string };
        insL.run(
          l.type,
          ids.get(`${f.type}|${f.key}`)!,
          ids.get(`${t.type}|${t.key}`)!,
          l.weight ?? 1,
          l.firstSeen ?? null,
          l.lastSeen ?? null,
          JSON.stringify(l.properties ?? {}),
        );
      }
    })();
  }
  const r = { wall: (performance.now() - t0) / 1000, cpu: cpuSince(c0) };
  db.close();
  return r;
}

/**
 * Need-to-know: a closed operation (a tenth of the network's size, generated from another seed, so some of
 * its people and phones are the main network's too) is written, and the same reads are timed unscoped and
 * with a scope that hides it (GENERAL only), interleaved seed by seed so both see the same machine.
 */
async function needToKnow(
  stores: SqliteStores,
  seeds: string[],
  nLinks: number,
  fmt: (n: number) => string,
): Promise<void> {
  const closed = await stores.operations.create(
    { ref: 'BENCH-CLOSED', name: 'hidden', sensitivity: 'closed' },
    { actor: 'bench' },
  );
  const before = (await stores.counts()).entities;
  let written = 0;
  for (const c of planNetwork({ seed: 43, size: Math.max(100, Math.round(nLinks / 10)) }, 10_000).chunks()) {
    const r = await stores.graph.writeBatch(c, { actor: 'bench', operationId: closed.id });
    written += r.entityIds.length;
  }
  const added = (await stores.counts()).entities - before;
  const general = (await stores.operations.defaultOperation()).id;
  const unscoped = stores.graph;
  const scoped = stores.graph.scoped({ operations: [general] });
  console.log(
    `\nneed-to-know: closed operation of ${fmt(written)} entity rows (${fmt(written - added)} shared with the open network), hidden by the scope`,
  );
  console.log('| 1-hop expansion | median ms | p99 ms (pass 1) | p99 ms (better of 2 passes) | mean nodes |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const times = { unscoped: [[], []] as number[][], scoped: [[], []] as number[][] };
  const nodes = { unscoped: 0, scoped: 0 };
  for (const s of seeds.slice(0, 50)) {
    await unscoped.neighbourhood([s], { hops: 1 });
    await scoped.neighbourhood([s], { hops: 1 });
  }
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < seeds.length; i++) {
      // Alternate which goes first, so neither always finds the cache warmed by the other.
      const order = (i + pass) % 2 ? (['unscoped', 'scoped'] as const) : (['scoped', 'unscoped'] as const);
      for (const k of order) {
        const g = k === 'scoped' ? scoped : unscoped;
        const t = performance.now();
        const sub = await g.neighbourhood([seeds[i]], { hops: 1 });
        times[k][pass].push(performance.now() - t);
        if (pass === 0) nodes[k] += sub.nodes.length;
      }
    }
  }
  const p99s: Record<string, number> = {};
  for (const k of ['unscoped', 'scoped'] as const) {
    const [a, b] = times[k];
    const first = [...a].sort((x, y) => x - y);
    const best = a.map((t, i) => Math.min(t, b[i])).sort((x, y) => x - y);
    p99s[k] = quantile(best, 0.99);
    console.log(
      `| ${k} | ${quantile(first, 0.5).toFixed(3)} | ${quantile(first, 0.99).toFixed(3)} | ${p99s[k].toFixed(3)} | ${(nodes[k] / seeds.length).toFixed(1)} |`,
    );
  }
  console.log(
    `1-hop p99 ratio scoped/unscoped (better of 2 passes): ${(p99s.scoped / p99s.unscoped).toFixed(2)}`,
  );
  // A view of about 10k nodes: People and Phones, read and built, three times each, interleaved.
  const filter = { entityTypes: ['Person', 'Phone'] as EntityType[] };
  const build: Record<string, number[]> = { unscoped: [], scoped: [] };
  const size: Record<string, string> = {};
  for (let rep = 0; rep < 3; rep++) {
    for (const k of rep % 2 ? (['unscoped', 'scoped'] as const) : (['scoped', 'unscoped'] as const)) {
      const g = k === 'scoped' ? scoped : unscoped;
      const t = performance.now();
      const view = buildView(await g.subgraph(filter));
      build[k].push(performance.now() - t);
      size[k] = `${fmt(view.csr.ids.length)} nodes, ${fmt(view.csr.m)} edges`;
    }
  }
  console.log('| view (read + build) | median ms | nodes and edges |');
  console.log('| --- | ---: | --- |');
  const med: Record<string, number> = {};
  for (const k of ['unscoped', 'scoped'] as const) {
    med[k] = [...build[k]].sort((x, y) => x - y)[1];
    console.log(`| ${k} | ${med[k].toFixed(1)} | ${size[k]} |`);
  }
  console.log(`view build ratio scoped/unscoped (median of 3): ${(med.scoped / med.unscoped).toFixed(2)}`);
}

const suite: BenchSuite = {
  title: 'SQLite store: seeding throughput and neighbourhood latency',
  async run(args) {
    const nLinks = arg(args, 'links', 100_000);
    const samples = arg(args, 'samples', 2_000);
    const dir = mkdtempSync(join(tmpdir(), 'linkchart-bench-store-'));
    try {
      // Generated up front so only the writes are timed.
      const tg = performance.now();
      const chunks = [...planNetwork({ seed: 42, size: nLinks }, 10_000).chunks()];
      const genS = (performance.now() - tg) / 1000;
      const nEntities = chunks.reduce((a, c) => a + (c.entities?.length ?? 0), 0);

      const stores = await openSqliteStores(join(dir, 'store.db'));
      const store = stores.graph;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const c of chunks) await store.writeBatch(c, { actor: 'bench', importId: 'bench' });
      const storeS = (performance.now() - t0) / 1000;
      const storeCpu = cpuSince(c0);
      const raw = rawInsert(join(dir, 'raw.db'), chunks);

      const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
      console.log(
        `network: ${fmt(nLinks)} links, ${fmt(nEntities)} entities (generated in ${genS.toFixed(2)} s)`,
      );
      console.log(
        `load average when measured: ${loadavg()
          .map((x) => x.toFixed(1))
          .join(', ')} (2 cores)`,
      );
      console.log('| write path | wall s | links/s | CPU s | links per CPU-s | ratio to raw (CPU) |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
      console.log(
        `| GraphStore.writeBatch (validated, upsert, provenance, FTS) | ${storeS.toFixed(2)} | ${fmt(nLinks / storeS)} | ${storeCpu.toFixed(2)} | ${fmt(nLinks / storeCpu)} | ${(raw.cpu / storeCpu).toFixed(2)} |`,
      );
      console.log(
        `| raw better-sqlite3 INSERT (peer) | ${raw.wall.toFixed(2)} | ${fmt(nLinks / raw.wall)} | ${raw.cpu.toFixed(2)} | ${fmt(nLinks / raw.cpu)} | 1.00 |`,
      );

      const ids = (stores.db.prepare('SELECT id FROM entities').pluck().all() as number[]).map(
        (n) => `e${n}`,
      );
      const rng = mulberry32(7);
      const seeds = Array.from({ length: samples }, () => ids[Math.floor(rng() * ids.length)]);
      // Each seed is timed in two passes. On a shared machine a single sample is sometimes held up by the
      // scheduler (a 2-node expansion taking 100 ms once and 0.05 ms the next time), so the table shows the
      // first pass as measured and, beside it, the p99 of each seed's better pass, which removes those stalls
      // but not the real cost of large neighbourhoods.
      console.log(
        '\n| expansion | median ms | p99 ms (pass 1) | p99 ms (better of 2 passes) | max ms | mean nodes |',
      );
      console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const [hops, filter] of [
        [1, undefined],
        [2, undefined],
        [1, { from: '2024-03-01', to: '2024-06-30', minGrading: { source: 2, intel: 'C' } }],
      ] as const) {
        for (const s of seeds.slice(0, 50)) await store.neighbourhood([s], { hops, filter }); // warm up
        const pass = async (): Promise<{ times: number[]; nodes: number }> => {
          const times: number[] = [];
          let nodes = 0;
          for (const s of seeds) {
            const t = performance.now();
            const g = await store.neighbourhood([s], { hops, filter });
            times.push(performance.now() - t);
            nodes += g.nodes.length;
          }
          return { times, nodes };
        };
        const a = await pass();
        const b = await pass();
        const best = a.times.map((t, i) => Math.min(t, b.times[i])).sort((x, y) => x - y);
        const first = [...a.times].sort((x, y) => x - y);
        console.log(
          `| ${hops} hop${hops > 1 ? 's' : ''}${filter ? ' (time window + grading)' : ''} | ${quantile(first, 0.5).toFixed(3)} | ${quantile(first, 0.99).toFixed(3)} | ${quantile(best, 0.99).toFixed(3)} | ${first[first.length - 1].toFixed(1)} | ${(a.nodes / samples).toFixed(1)} |`,
        );
      }
      const ts = performance.now();
      const sg = await store.subgraph({});
      console.log(
        `\nsubgraph({}) of the whole store: ${fmt(sg.links.length)} links, ${fmt(sg.nodes.length)} nodes in ${((performance.now() - ts) / 1000).toFixed(2)} s`,
      );
      await needToKnow(stores, seeds, nLinks, fmt);
      await stores.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
