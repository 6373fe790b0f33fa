// Writes without one global lock (issue 21), on the real test server, with two Neo4jStores standing for two
// Linkchart servers on one database:
//  - four importers writing overlapping entities, links and one shared report at once end with no duplicate
//    entity, link or report, the counts the input implies (worked out here from the input alone), every
//    importer's properties on every entity it wrote (no update lost), and the created counts adding up;
//  - two apps on one Neo4j answering 200 concurrent audited requests between them leave one unbroken keyed
//    chain that `npm run audit:verify` (its command, in this process) accepts, with every seq once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { verifyCommand } from '../../server/cli/audit-verify.ts';
import { loadConfig } from '../../server/config.ts';
import type { EntityInput, LinkInput, ReportInput } from '../../server/domain/model.ts';
import { AuditKey } from '../../server/security/audit-chain.ts';
import type { WriteBatch, WriteResult } from '../../server/store/graph-store.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

/** A small seeded generator, so a failure can be run again as it was. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PEOPLE = 80;
const PHONES = 40;
const WRITERS = 4;
const BATCHES = 6;

const shared: ReportInput = {
  ref: 'R-SHARED',
  date: '2024-02-01',
  author: 'DC Shared',
  text: 'the report every importer cites',
  source: 2,
  intel: 'B',
  handling: 'P',
};

/** One importer's batches: people and phones drawn from a common pool, links among them. */
function batchesOf(w: number): WriteBatch[] {
  const r = rng(17 + w);
  const out: WriteBatch[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const own: ReportInput = { ...shared, ref: `R-${w}-${b}`, text: `importer ${w} batch ${b}` };
    const people = [...new Set(Array.from({ length: 25 }, () => Math.floor(r() * PEOPLE)))];
    const phones = [...new Set(Array.from({ length: 10 }, () => Math.floor(r() * PHONES)))];
    const entities: EntityInput[] = [
      ...people.map((p) => ({
        type: 'Person' as const,
        label: `Person ${p}`,
        key: `person-${p}`,
        properties: { [`w${w}`]: true },
        reports: [shared.ref, own.ref],
      })),
      ...phones.map((p) => ({
        type: 'Phone' as const,
        label: `phone ${p}`,
        key: `phone-${p}`,
        properties: { [`w${w}`]: true },
        reports: [own.ref],
      })),
    ];
    const links: LinkInput[] = [];
    for (let i = 0; i < 30; i++) {
      const a = people[Math.floor(r() * people.length)];
      const c = people[Math.floor(r() * people.length)];
      if (a === c) continue;
      links.push({
        type: 'ASSOCIATE_OF',
        from: { type: 'Person', key: `person-${a}` },
        to: { type: 'Person', key: `person-${c}` },
        reports: [own.ref],
      });
    }
    for (const p of phones)
      links.push({
        type: 'USES',
        from: { type: 'Person', key: `person-${people[p % people.length]}` },
        to: { type: 'Phone', key: `phone-${p}` },
        reports: [shared.ref],
      });
    out.push({ reports: [shared, own], entities, links });
  }
  return out;
}

/** What the input implies: the distinct entities (with the importers that wrote each) and links. */
function expected(all: WriteBatch[][]) {
  const writers = new Map<string, Set<string>>();
  const links = new Set<string>();
  const reports = new Set<string>();
  all.forEach((batches, w) => {
    for (const b of batches) {
      for (const rep of b.reports ?? []) reports.add(rep.ref);
      for (const e of b.entities ?? []) {
        const k = `${e.type}:${e.key}`;
        if (!writers.has(k)) writers.set(k, new Set());
        writers.get(k)!.add(`w${w}`);
      }
      for (const l of b.links ?? []) {
        const end = (x: unknown) => {
          const k = x as { type: string; key: string };
          return `${k.type}:${k.key}`;
        };
        const f = end(l.from);
        const t = end(l.to);
        // ASSOCIATE_OF is undirected: one link whichever way round it is named.
        links.add(l.type === 'ASSOCIATE_OF' ? `${l.type}:${[f, t].sort().join('|')}` : `${l.type}:${f}|${t}`);
      }
    }
  });
  return { writers, links, reports };
}

describe.skipIf(!avail.ok)('Neo4j writes without a global lock', () => {
  let release: () => void = () => {};
  let a: Neo4jStores;
  let b: Neo4jStores;
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-nolock-'));
  const key = new AuditKey('nolock-test-audit-key-0123456789abcdef', 'the test');

  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    await avail.server.wipe();
    // Two stores with their own driver each: two servers, each with its own id numbers and audit writer.
    const open = () =>
      new Neo4jStores({ uri: avail.server.uri, password: avail.server.password, auditKey: key });
    a = open();
    b = open();
    await a.init();
    await b.init();
  }, LOCK_WAIT_MS);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    release();
    if (avail.ok) await avail.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parallel imports of overlapping entities leave no duplicate, lose no update, and count right', async () => {
    const all = Array.from({ length: WRITERS }, (_, w) => batchesOf(w));
    const results: WriteResult[] = [];
    await Promise.all(
      all.map(async (batches, w) => {
        const store = w % 2 === 0 ? a : b;
        for (const batch of batches)
          results.push(
            await store.graph.writeBatch(batch, {
              actor: `importer${w}`,
              importId: `imp-${w}`,
              importRun: (res) => ({ entities: res.entities }),
            }),
          );
      }),
    );
    const want = expected(all);
    if (!avail.ok) return;
    const driver = avail.server.driver;
    const q = async (text: string) => (await driver.executeQuery(text)).records;
    const count = async (text: string) => Number((await q(text))[0].get('c'));

    expect(await count('MATCH (e:Entity) RETURN count(e) AS c')).toBe(want.writers.size);
    expect(await count('MATCH ()-[l]->() WHERE l.id IS NOT NULL RETURN count(l) AS c')).toBe(want.links.size);
    expect(await count('MATCH (r:Report) RETURN count(r) AS c')).toBe(want.reports.size);
    // No pair joined twice by one type, either way round.
    expect(
      await count(
        'MATCH (x:Entity)-[l]-(y:Entity) WHERE x.id < y.id WITH x, y, type(l) AS t, count(l) AS n ' +
          'WHERE n > 1 RETURN count(*) AS c',
      ),
    ).toBe(0);
    // Each id once, though two servers handed them out.
    expect(
      await count('MATCH (e:Entity) WITH e.n AS n, count(*) AS k WHERE k > 1 RETURN count(*) AS c'),
    ).toBe(0);
    expect(
      await count(
        'MATCH ()-[l]->() WHERE l.n IS NOT NULL WITH l.n AS n, count(*) AS k WHERE k > 1 RETURN count(*) AS c',
      ),
    ).toBe(0);

    // Every importer's property is on every entity it wrote: no writer overwrote another's update.
    const stored = await q('MATCH (e:Entity) RETURN e.type AS type, e.key AS key, e.props AS props');
    for (const r of stored) {
      const k = `${r.get('type') as string}:${r.get('key') as string}`;
      const props = Object.keys(JSON.parse(r.get('props') as string) as object).sort();
      expect(props, k).toEqual([...want.writers.get(k)!].sort());
    }

    // The batches' own counts add up to what is stored: each entity and link created exactly once.
    const sum = (f: (r: WriteResult) => number) => results.reduce((s, r) => s + f(r), 0);
    expect(sum((r) => r.entities.created)).toBe(want.writers.size);
    expect(sum((r) => r.links.created)).toBe(want.links.size);
    expect(sum((r) => r.reports.created)).toBe(want.reports.size);
    // One import run per batch, numbered once each.
    expect(await count('MATCH (r:ImportRun) RETURN count(DISTINCT r.seq) AS c')).toBe(WRITERS * BATCHES);
    expect(await count('MATCH (r:ImportRun) RETURN max(r.seq) AS c')).toBe(WRITERS * BATCHES);
    // Every batch changed the data: the version rose once for each, however they interleaved.
    expect(await a.graph.dataVersion()).toBe(WRITERS * BATCHES);
  }, 300_000);

  describe('two apps on one Neo4j', () => {
    let apps: FastifyInstance[] = [];
    const urls: string[] = [];
    const auth: Record<string, string>[] = [];

    beforeAll(async () => {
      for (const stores of [a, b]) {
        const app = await buildApp({ stores, config: loadConfig({}, dir) });
        await app.listen({ port: 0, host: '127.0.0.1' });
        const addr = app.server.address();
        urls.push(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
        apps.push(app);
      }
      const user = await a.security.createUser({ name: 'two-servers', role: 'analyst', passwordHash: 'x' });
      for (const app of apps) {
        const { id, session } = await app.security.sessions.create({
          id: user.id,
          name: user.name,
          role: user.role,
        });
        auth.push({ cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf });
      }
    });

    afterAll(async () => {
      for (const app of apps) await app.close();
      apps = [];
    });

    it('200 concurrent audited requests over both leave one chain audit:verify accepts', async () => {
      const before = (await a.security.listAudit({ limit: 1 })).total;
      const requests = Array.from({ length: 200 }, async (_, i) => {
        const s = i % 2;
        const res =
          i % 4 < 2
            ? await fetch(`${urls[s]}/api/batch`, {
                method: 'POST',
                headers: { ...auth[s], 'content-type': 'application/json' },
                body: JSON.stringify({
                  entities: [
                    { type: 'Person', label: `Caller ${i % 7}`, key: `caller-${i % 7}` },
                    { type: 'Phone', label: `line ${i % 5}`, key: `line-${i % 5}` },
                  ],
                  links: [
                    {
                      type: 'USES',
                      from: { type: 'Person', key: `caller-${i % 7}` },
                      to: { type: 'Phone', key: `line-${i % 5}` },
                    },
                  ],
                }),
              })
            : await fetch(`${urls[s]}/api/entities?limit=5`, { headers: auth[s] });
        return res.status;
      });
      const statuses = await Promise.all(requests);
      expect(statuses.filter((x) => x !== 200)).toEqual([]);

      const page = await a.security.listAudit({ offset: 0, limit: 5000 });
      expect(page.total - before).toBeGreaterThanOrEqual(200);
      const seqs = page.items.map((e) => e.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

      const out: string[] = [];
      const err: string[] = [];
      const code = await verifyCommand(
        [],
        {
          NEO4J_URI: avail.ok ? avail.server.uri : '',
          NEO4J_PASSWORD: avail.ok ? avail.server.password : '',
          LINKCHART_AUDIT_KEY: 'nolock-test-audit-key-0123456789abcdef',
        },
        { out: (s) => out.push(s), err: (s) => err.push(s) },
      );
      expect({ code, err }).toEqual({ code: 0, err: [] });
      expect(out.join('\n')).toMatch(new RegExp(`${page.total}`));
    }, 300_000);
  });
});
