// Neo4j reads that must not scan the whole graph, measured where they run: a page of GET /api/links at the
// start, middle and end of the list by key (`after`) and by offset up to its 5,000 bound (and of GET /api/entities
// the same way), unscoped, scoped to
// every operation and to all but one (a closed operation the reader is not in), both in the store (listLinks)
// and through the API as a signed-in analyst, Neo4j beside SQLite of the same network; the link totals; the
// reports due for review (retention); audit totals filtered by actor, action and time; and the counts behind
// health and start-up. Each read is timed (median of 15 after one warm-up) and its Cypher PROFILEd: the
// database hits say whether the cost grows with the store (a scan) or stays flat (index and count-store reads).
//
// `npm run bench -- 22-neo4j-reads [--links=1000000] [--keep]`. Uses the project's test server (its home and
// port from LINKCHART_TEST_NEO4J_HOME / _PORT); loads the generated network once (bench/neo4j-kept-store.ts)
// and with --keep reuses it.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { arg } from '../args.ts';
import { signedInApp } from '../signed-in-app.ts';
import type { Stores } from '../../server/store/stores.ts';
import { linkPageRanges } from '../../server/store/neo4j/graph-read.ts';
import { MAX_LINK_OFFSET } from '../../server/store/shared/link-cursor.ts';
import { MAX_LIST_OFFSET } from '../../server/store/shared/list-key.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { profileNamed } from '../neo4j-statements.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { keptNeo4jStore } from '../neo4j-kept-store.ts';
import { withTestNeo4j } from '../with-test-neo4j.ts';

async function median(f: () => Promise<unknown>, runs = 15): Promise<number> {
  await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

/** Database hits of one named query, PROFILEd with the parameters the store would pass. */
const dbHits = (stores: Neo4jStores, name: string, params: Record<string, unknown>) =>
  profileNamed(stores.exec.driver, name, params);

/** A closed operation (made once): a scope that leaves it out is one the count store cannot answer. */
async function closedOperation(stores: Stores) {
  return (
    (await stores.operations.getByRef('BENCH-CLOSED')) ??
    (await stores.operations.create(
      { ref: 'BENCH-CLOSED', name: 'Bench closed operation', sensitivity: 'closed' },
      { actor: 'bench' },
    ))
  );
}

/**
 * A started app on `stores` with a signed-in analyst who is a member of the closed operation (so reads every
 * operation unless a request names fewer): GET a path, the answer read whole.
 */
async function signedIn(stores: Stores) {
  const dir = mkdtempSync(join(tmpdir(), 'lc-bench-reads-'));
  const { app, url, headers: signed, user } = await signedInApp(stores, dir);
  await stores.operations.setMember((await closedOperation(stores)).id, user.name, 'analyst', {
    actor: 'bench',
  });
  const { cookie } = signed;
  return {
    /** GET `path` as the analyst; the answer is read whole. Milliseconds taken. */
    async get(path: string, headers: Record<string, string> = {}): Promise<number> {
      const t0 = performance.now();
      const res = await fetch(`${url}${path}`, { headers: { cookie, ...headers } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 300)}`);
      return performance.now() - t0;
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const suite: BenchSuite = {
  title: 'Neo4j reads without scans: link pages by key, totals and counts from the count store',
  async run(args) {
    const links = arg(args, 'links', 1_000_000);
    const keep = args.includes('--keep');
    await withTestNeo4j(async ({ server }) => {
      const { stores, source } = await keptNeo4jStore(server, links, keep);
      const sqlite = await openSqliteStores(source);
      const counts = await stores.counts();
      const n = counts.links;
      const all = stores.graph;
      // What a signed-in analyst's request reads: scoped to the operations they may read, all of them (the usual
      // case, totals from the count store), or all but a closed one they are not in (no count store answer).
      const closed = await closedOperation(stores);
      const ops = (await stores.operations.list({ limit: 1000 })).items.map((o) => o.id);
      const open = ops.filter((o) => o !== closed.id);
      const scopes: Array<[string, string[] | null]> = [
        ['unscoped', null],
        ['every operation', ops],
        ['one left out', open],
      ];
      const take = 100;
      const rows: string[][] = [['read', 'store ms', 'db hits', 'API Neo4j', 'API SQLite', 'ratio']];
      /**
       * Database hits of a page as listLinks reads it: each range tried until one holds the page; a scope of
       * every operation read as unscoped.
       */
      const pageHits = async (after: number, offset: number, scopeAsked: string[] | null) => {
        const scope = scopeAsked === ops ? null : scopeAsked;
        let hits = 0;
        for (const upto of linkPageRanges(after, offset + take + 1)) {
          const p = { type: null, after, offset, limit: take + 1, take: offset + take + 1, ops: scope, upto };
          const h = await dbHits(stores, 'links-page', p);
          hits += h.hits;
          if (h.rows > take) break;
        }
        return hits;
      };
      const neoApi = await signedIn(stores);
      const sqlApi = await signedIn(sqlite);
      const bound = MAX_LINK_OFFSET.toLocaleString('en-GB');
      const pages: Array<[string, number, number]> = [
        ['by key, first', 0, 0],
        ['by key, middle', Math.floor(n / 2), 0],
        ['by key, last', n - take, 0],
        [`by offset ${(MAX_LINK_OFFSET / 2).toLocaleString('en-GB')}`, 0, MAX_LINK_OFFSET / 2],
        [`by offset ${bound} (the bound)`, 0, MAX_LINK_OFFSET],
      ];
      // A server just started runs its first requests through code the JIT has not compiled yet (36 ms more
      // a page than later ones, last measured). Those are timed once, apart; the table is of a server in use:
      // every page read twice through each API before the timing starts.
      const coldPaths = pages.map(
        ([, at, offset]) => `/api/links?limit=${take}&offset=${offset}${at ? `&after=l${at}` : ''}`,
      );
      const cold = [await neoApi.get(coldPaths[0]), await sqlApi.get(coldPaths[0])];
      for (let round = 0; round < 2; round++)
        for (const path of coldPaths)
          for (const h of [{}, { 'x-linkchart-operation': 'op1' }] as Record<string, string>[]) {
            await neoApi.get(path, h);
            await sqlApi.get(path, h);
          }
      console.log(
        `the first page asked of an app just started: Neo4j ${cold[0].toFixed(1)} ms, SQLite ${cold[1].toFixed(1)} ms` +
          ' (then every page twice through each API before timing)',
      );
      for (const [label, at, offset] of pages) {
        for (const [scopeName, scope] of scopes) {
          const g = scope === null ? all : all.scoped({ operations: scope });
          const opts = { limit: take, offset, ...(at ? { after: `l${at}` } : {}) };
          const qs = `limit=${take}&offset=${offset}${at ? `&after=l${at}` : ''}`;
          // Every operation: no header (the member reads them all); one left out: only the general one named.
          const header: Record<string, string> = scope === open ? { 'x-linkchart-operation': 'op1' } : {};
          // The API reads as the signed-in analyst: every operation they may read, or the ones named.
          const apiNeo = scope === null ? NaN : await median(() => neoApi.get(`/api/links?${qs}`, header));
          const apiSql = scope === null ? NaN : await median(() => sqlApi.get(`/api/links?${qs}`, header));
          rows.push([
            `page ${label}, ${scopeName}`,
            (await median(() => g.listLinks(opts))).toFixed(1),
            String(await pageHits(at, offset, scope)),
            Number.isNaN(apiNeo) ? '-' : apiNeo.toFixed(1),
            Number.isNaN(apiSql) ? '-' : apiSql.toFixed(1),
            Number.isNaN(apiNeo) ? '-' : (apiSql / apiNeo).toFixed(2),
          ]);
        }
      }
      // Entities read by key (shared/list-key.ts), as the analyst (every operation: the total from the count
      // store), beside SQLite.
      const e = counts.entities;
      const entityPages: Array<[string, number, number]> = [
        ['by key, first', 0, 0],
        ['by key, middle', Math.floor(e / 2), 0],
        ['by key, last', e - take, 0],
        [`by offset ${bound} (the bound)`, 0, MAX_LIST_OFFSET],
      ];
      for (const [label, at, offset] of entityPages) {
        const qs = `limit=${take}&offset=${offset}${at ? `&after=e${at}` : ''}`;
        for (let i = 0; i < 2; i++) {
          await neoApi.get(`/api/entities?${qs}`);
          await sqlApi.get(`/api/entities?${qs}`);
        }
        const apiNeo = await median(() => neoApi.get(`/api/entities?${qs}`));
        const apiSql = await median(() => sqlApi.get(`/api/entities?${qs}`));
        const opts = { limit: take, offset, ...(at ? { after: `e${at}` } : {}) };
        const p = { type: null, importId: null, ops: null, after: at, offset, limit: take + 1 };
        rows.push([
          `entities page ${label}, every operation`,
          (await median(() => all.listEntities(opts))).toFixed(1),
          String(
            (await dbHits(stores, 'entities-list', p)).hits +
              (await dbHits(stores, 'count-entities-by-type', {})).hits,
          ),
          apiNeo.toFixed(1),
          apiSql.toFixed(1),
          (apiSql / apiNeo).toFixed(2),
        ]);
      }
      const scopedPage = await all.scoped({ operations: open }).listLinks({ limit: take });
      rows.push([
        'link total (count store)',
        '-',
        String((await dbHits(stores, 'links-page-count', { type: null })).hits),
      ]);
      rows.push([
        `link total, one operation left out (${scopedPage.totalAtLeast ? 'at least ' : ''}${scopedPage.total})`,
        '-',
        '-',
      ]);
      rows.push([
        '  what counting that scope would read',
        '-',
        String((await dbHits(stores, 'links-scoped-count', { type: null, ops: open })).hits),
      ]);
      const due = { due: '2025-01-01', ops: null };
      rows.push([
        'reports due for review (retention), list + total',
        (await median(() => all.listReports({ dueBefore: '2025-01-01', limit: take }))).toFixed(1),
        String(
          (await dbHits(stores, 'reports-due-list', { ...due, after: 0, offset: 0, limit: take })).hits +
            (await dbHits(stores, 'reports-due-count', due)).hits,
        ),
      ]);
      const since = new Date(Date.now() - 60_000).toISOString();
      for (const [label, q] of [
        ['audit total, all', {}],
        ['audit total, one actor', { actor: 'bench' }],
        ['audit total, one action', { action: 'expand' }],
        ['audit total, the last minute', { since }],
      ] as const) {
        const p = {
          actor: null,
          action: null,
          objectId: null,
          since: null,
          until: null,
          ops: null,
          within: null,
          ...q,
        };
        const name =
          'actor' in q
            ? 'audit-count-actor'
            : 'action' in q
              ? 'audit-count-action'
              : 'since' in q
                ? 'audit-count-time'
                : 'audit-count';
        rows.push([
          `${label} (${(await stores.security.listAudit({ ...q, limit: 1 })).total} records)`,
          (await median(() => stores.security.listAudit({ ...q, limit: take }))).toFixed(1),
          String((await dbHits(stores, name, p)).hits),
        ]);
      }
      rows.push([
        'store counts (health, start-up)',
        (await median(() => stores.counts())).toFixed(1),
        String(
          (await dbHits(stores, 'count-entities-by-type', {})).hits +
            (await dbHits(stores, 'count-links-by-type', {})).hits +
            (await dbHits(stores, 'count-others', {})).hits,
        ),
      ]);
      console.log(
        `${n} links, ${counts.entities} entities; pages of ${take}; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
      console.log(
        'API: GET /api/links as a signed-in analyst (session, need-to-know, audit record), median ms; ratio: SQLite ms / Neo4j ms',
      );
      console.log(rows.map((r) => r.map((c, i) => (i ? c.padStart(10) : c.padEnd(62))).join(' ')).join('\n'));
      await neoApi.close();
      await sqlApi.close();
      await sqlite.close();
      await stores.close();
    });
  },
};

export default suite;
