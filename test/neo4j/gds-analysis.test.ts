// The app analyses a view in Graph Data Science when the server should not pull it: over real HTTP, on the
// project's Neo4j, a whole-store analysis past LINKCHART_GDS_FROM_LINKS and a view past the server's load
// bound run in the database; the result has the server's shape, scale and ranking (checked against the
// server's own engine on the same view); what GDS cannot run as the server does stays in the server; a
// missing plugin is said in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { planNetwork } from '../../seed/generate.ts';
import { buildView, type ViewOptions } from '../../server/analysis/view.ts';
import { computeMetric, rankScores, type MetricName } from '../../server/analysis/registry.ts';
import { modularity } from '../../server/analysis/modularity.ts';
import { gdsComputation } from '../../server/jobs/gds-analysis.ts';
import type { GdsTarget } from '../../server/store/neo4j/gds.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

interface Ranked {
  id: string;
  label: string;
  score: number;
  rank: number;
  type: string | null;
}
interface JobResult {
  metric: string;
  engine?: string;
  scores?: Ranked[];
  nodes?: Array<{ id: string; community: number }>;
  modularity?: number;
  view: { nodes: number; links: number; notes: string[] };
}

describe.skipIf(!avail.ok)('analysis in Graph Data Science through the API', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;
  let app: FastifyInstance;
  let url = '';
  let auth: Record<string, string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-gds-'));
  let links = 0;

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    stores = await avail.server.freshStore();
    // People, their phones (USES), calls between phones, vehicles and places: the folding has work to do.
    for (const chunk of planNetwork({ seed: 5, size: 1500 }, 500).chunks()) {
      const r = await stores.graph.writeBatch(chunk, { actor: 'test' });
      links += r.links.created;
    }
    app = await buildApp({
      stores,
      config: loadConfig({}, dir),
      // Past 1000 links a whole-store analysis goes to GDS; a view of more than 600 is past the server's bound.
      limits: { gdsFromLinks: 1000, maxAnalysisLinks: 600 },
      security: { audit: false },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const user = await stores.security.createUser({
      name: 'gds-analyst',
      role: 'analyst',
      passwordHash: 'x',
    });
    const { id, session } = await app.security.sessions.create({
      id: user.id,
      name: user.name,
      role: user.role,
    });
    auth = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
  }, LOCK_WAIT_MS + 300_000);

  afterAll(async () => {
    await app?.close();
    await stores?.close();
    release();
    if (avail.ok) await avail.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A job through the first app, as its analyst. */
  const run = (view: ViewOptions, request: Record<string, unknown>) => runAt(url, auth, view, request);

  async function runAt(
    url: string,
    auth: Record<string, string>,
    view: ViewOptions,
    request: Record<string, unknown>,
  ): Promise<{ state: string; error: string | null; result?: JobResult }> {
    const res = await fetch(`${url}/api/analysis/jobs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ view, request }),
    });
    const started = (await res.json()) as { id: string; error?: { message: string } };
    if (res.status !== 202) return { state: 'refused', error: `${res.status} ${started.error?.message}` };
    for (;;) {
      const s = (await (await fetch(`${url}/api/analysis/jobs/${started.id}`, { headers: auth })).json()) as {
        state: string;
        error: string | null;
      };
      if (s.state === 'done') {
        const r = await fetch(`${url}/api/analysis/jobs/${started.id}/result`, { headers: auth });
        return { ...s, result: ((await r.json()) as { result: JobResult }).result };
      }
      if (s.state === 'failed' || s.state === 'cancelled') return s;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The server's own ranking of the same view, as a job on SQLite would give it. */
  async function serverRanking(view: ViewOptions, metric: MetricName) {
    const v = buildView(await stores.graph.subgraph(view.filter ?? {}), view);
    const scores = computeMetric(v.csr, metric);
    return { view: v, ranked: rankScores(v.csr, scores) };
  }

  const folded: ViewOptions = { projection: { foldPhones: true } };
  const plain: ViewOptions = {};

  for (const [name, view] of [
    ['people (phones folded)', folded],
    ['the entity network', plain],
  ] as const) {
    for (const metric of ['pagerank', 'betweenness', 'degree', 'weightedDegree', 'coreNumber'] as const) {
      it(`${metric} of ${name}: in GDS, the server's scores and ranks`, async () => {
        expect(links).toBeGreaterThan(1000);
        const r = await run(view, { kind: 'metric', metric });
        expect(r.error).toBeNull();
        expect(r.result!.engine).toBe('gds');
        expect(r.result!.view.notes.join(' ')).toMatch(/Graph Data Science 2\.13/);
        const mine = await serverRanking(view, metric);
        expect(r.result!.view.nodes).toBe(mine.view.csr.n);
        expect(r.result!.view.links).toBe(mine.view.csr.m);
        const gds = new Map(r.result!.scores!.map((s) => [s.id, s]));
        expect(gds.size).toBe(mine.view.csr.n);
        let worst = 0;
        for (const s of mine.ranked) worst = Math.max(worst, Math.abs(gds.get(s.id)!.score - s.score));
        expect(worst).toBeLessThan(metric === 'pagerank' ? 1e-6 : 1e-9);
        // The same people lead: the top ten agree in order (PageRank: within its tolerance, by score).
        const top = (xs: Array<{ id: string }>) => xs.slice(0, 10).map((x) => x.id);
        if (metric !== 'pagerank') expect(top(r.result!.scores!)).toEqual(top(mine.ranked));
        for (const s of r.result!.scores!.slice(0, 10)) expect(s.label).toBeTruthy();
      }, 120_000);
    }
  }

  it('Louvain communities in GDS: every node placed, modularity as good as the server finds', async () => {
    const r = await run(folded, { kind: 'metric', metric: 'communities' });
    expect(r.error).toBeNull();
    expect(r.result!.engine).toBe('gds');
    const v = buildView(await stores.graph.subgraph({}), folded);
    const comm = new Map(r.result!.nodes!.map((n) => [n.id, n.community]));
    expect(comm.size).toBe(v.csr.n);
    const labels = Int32Array.from(v.csr.ids, (id) => comm.get(id)!);
    // GDS's modularity, recomputed by the server over its own view: the partitions are of the same view.
    expect(Math.abs(modularity(v.csr, labels) - r.result!.modularity!)).toBeLessThan(1e-6);
    const server = computeMetric(v.csr, 'degree');
    expect(server.length).toBe(v.csr.n);
  }, 120_000);

  it('what GDS does not compute as the server does stays in the server', async () => {
    // Closeness is not sent to GDS: the whole store is pulled, past the 600-link bound, so it is refused
    // with the reason GDS could not take it.
    const r = await run(folded, { kind: 'metric', metric: 'closeness' });
    expect(r.state).toBe('refused');
    expect(r.error).toMatch(/413 .*more than 600 links.*closeness runs only in the server/);
  }, 60_000);

  it('a filtered view past the server bound is analysed in GDS with exactly its filter', async () => {
    const view: ViewOptions = { filter: { linkTypes: ['CALLED', 'USES', 'ASSOCIATE_OF'] }, ...folded };
    const r = await run(view, { kind: 'metric', metric: 'betweenness' });
    expect(r.error).toBeNull();
    expect(r.result!.engine).toBe('gds');
    expect(r.result!.view.notes.join(' ')).toMatch(/more than 600 links/);
    const mine = await serverRanking(view, 'betweenness');
    expect(r.result!.view.nodes).toBe(mine.view.csr.n);
    const gds = new Map(r.result!.scores!.map((s) => [s.id, s.score]));
    for (const s of mine.ranked) expect(gds.get(s.id)!).toBeCloseTo(s.score, 9);
  }, 120_000);

  it('need-to-know: a closed operation the analyst is not on stays out of the projection', async () => {
    const closed = await stores.operations.create(
      { ref: 'GDSCLOSED', name: 'Closed supplier', sensitivity: 'closed' },
      { actor: 'boss' },
    );
    const before = (await stores.graph.subgraph({})).nodes.find((n) => n.type === 'Phone')!;
    const w = await stores.graph.writeBatch(
      {
        entities: [
          { type: 'Person', label: 'Closed Supplier' },
          { type: 'Person', label: 'Closed Courier' },
        ],
        links: [
          {
            type: 'ASSOCIATE_OF',
            from: { type: 'Person', key: 'closed supplier' },
            to: { type: 'Person', key: 'closed courier' },
          },
          {
            type: 'USES',
            from: { type: 'Person', key: 'closed supplier' },
            to: { type: 'Phone', key: before.key },
          },
        ],
      },
      { actor: 'boss', operationId: closed.id },
    );
    const hidden = w.entityIds.slice(0, 2);
    const r = await run(plain, { kind: 'metric', metric: 'degree' });
    expect(r.error).toBeNull();
    expect(r.result!.engine).toBe('gds');
    const ids = new Set(r.result!.scores!.map((x) => x.id));
    for (const id of hidden) expect(ids.has(id)).toBe(false);
    // The shared phone is there, with its degree as the analyst's operations hold it.
    const mine = await serverRanking(
      { filter: { operations: await stores.operations.readableBy('gds-analyst') } },
      'degree',
    );
    const gds = new Map(r.result!.scores!.map((x) => [x.id, x.score]));
    expect(gds.get(before.id)).toBe(mine.ranked.find((x) => x.id === before.id)!.score);
    expect(r.result!.view.nodes).toBe(mine.view.csr.n);
  }, 120_000);

  it('each metric from its own threshold: PageRank past its own runs in GDS, degree set to never stays in the server', async () => {
    const perMetric = await buildApp({
      stores,
      config: loadConfig({}, dir),
      limits: {
        gdsFromLinks: null,
        gdsFromLinksByMetric: { pagerank: 1000, degree: null, communities: links * 10 },
        maxAnalysisLinks: 1_000_000,
      },
      security: { audit: false },
    });
    try {
      await perMetric.listen({ port: 0, host: '127.0.0.1' });
      const addr = perMetric.server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      const user = await stores.security.createUser({
        name: 'gds-per-metric',
        role: 'analyst',
        passwordHash: 'x',
      });
      const { id, session } = await perMetric.security.sessions.create({
        id: user.id,
        name: user.name,
        role: user.role,
      });
      const headers = { cookie: `${perMetric.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
      // A new data version: the results of the same requests made above are in the store's job board, and any
      // server joins a finished result of the same data rather than computing it again.
      await stores.graph.writeBatch(
        { entities: [{ type: 'Person', key: 'gds-per-metric', label: 'Per Metric', properties: {} }] },
        { actor: 'test' },
      );
      const pr = await runAt(base, headers, plain, { kind: 'metric', metric: 'pagerank' });
      expect(pr.error).toBeNull();
      expect(pr.result!.engine).toBe('gds');
      expect(pr.result!.view.notes.join(' ')).toMatch(
        /past the 1000 from which Graph Data Science is faster for pagerank/,
      );
      for (const metric of ['degree', 'communities']) {
        const r = await runAt(base, headers, plain, { kind: 'metric', metric });
        expect(r.error, metric).toBeNull();
        expect(r.result!.engine, metric).toBeUndefined();
      }
    } finally {
      await perMetric.close();
    }
  }, 180_000);

  it('says in words when the Graph Data Science plugin is missing', async () => {
    // The same store, answering as a Neo4j without the plugin answers `gds.version()`.
    const withoutGds: GdsTarget = {
      init: () => stores.init(),
      exec: {
        ...stores.exec,
        read: async (work) =>
          stores.exec.read((tx) =>
            work({
              ...tx,
              one: async (name, params) => {
                if (name === 'gds-version')
                  throw new Error('There is no procedure with the name `gds.version` registered');
                return tx.one(name, params);
              },
            } as typeof tx),
          ),
      } as GdsTarget['exec'],
    };
    const c = gdsComputation(
      withoutGds,
      { kind: 'metric', metric: 'pagerank', k: null, seed: 1 },
      {},
      'too big',
    );
    await expect(c.run(() => {})).rejects.toThrow(/Graph Data Science plugin is not installed in this Neo4j/);
  });
});
