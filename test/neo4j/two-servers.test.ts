// Two Linkchart servers on one store, as behind a load balancer: real HTTP to each, each with its own store
// connection (its own Neo4j driver; its own SQLite connection). A session made on one works on the other; a
// write on one is read at once on the other; a job started on one is listed, followed and its result read on
// the other; signing out on one ends the session on the other; a job whose server stops fails when its lease
// runs out. Run on Neo4j (when the test server is there) and on one SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { LEASE_LOST } from '../../server/jobs/job-board.ts';
import { AuditKey } from '../../server/security/audit-chain.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { signBookmarks, verifyBookmarks } from '../../server/security/read-after-cookie.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import type { Stores } from '../../server/store/stores.ts';
import { SESSION_CACHE_MS } from '../../server/store/neo4j/sessions.ts';
import { network } from '../contract/fixtures.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const PASSWORD = 'Kestrel-harbour-lantern-42';
/** How long a request waits for its user's last write to be there (LINKCHART_READ_AFTER_WAIT_MS). */
const READ_AFTER_WAIT_MS = 1_500;
/** The audit key both servers share (as mounted on every machine); it signs the read-after cookie too. */
const SHARED_KEY = new AuditKey('two-servers-shared-audit-key-0123456789abcdef', 'test');

interface Server {
  app: FastifyInstance;
  stores: Stores;
  url: string;
}

type Call = (
  s: Server,
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; json: Record<string, unknown> }>;

/** Signs in on one server and calls any server with the cookies it was given (as a browser) and the CSRF token. */
function client(): {
  call: Call;
  signIn(s: Server): Promise<number>;
  jar: Map<string, string>;
  lastSetCookies: () => string[];
} {
  const jar = new Map<string, string>();
  let csrf = '';
  let last: string[] = [];
  const call: Call = async (s, method, path, body) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(s.url + path, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    last = res.headers.getSetCookie();
    for (const c of last) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const [k, v] = [pair!.slice(0, eq), pair!.slice(eq + 1)];
      if (/Max-Age=0\b/.test(c)) jar.delete(k);
      else jar.set(k, v);
    }
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    call,
    jar,
    lastSetCookies: () => last,
    async signIn(s) {
      const r = await call(s, 'POST', '/api/auth/login', { name: 'ana', password: PASSWORD });
      csrf = String(r.json.csrfToken ?? '');
      return r.status;
    },
  };
}

async function serve(stores: Stores, dir: string): Promise<Server> {
  const app = await buildApp({
    stores,
    config: loadConfig({}, dir),
    limits: { readAfterWaitMs: READ_AFTER_WAIT_MS },
    security: { audit: false },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { app, stores, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A Neo4j 5 bookmark ("FB:" and base64 of a packed list: 0x91, bytes(16) the database id, the transaction id
 * as an integer, an empty list) moved to transaction 10^12, far past any this database will commit.
 */
function aheadOf(bookmark: string): string {
  const raw = Buffer.from(bookmark.slice(3), 'base64');
  expect(bookmark.startsWith('FB:') && raw[0] === 0x91 && raw[1] === 0xcc && raw[2] === 0x10).toBe(true);
  const tx = Buffer.alloc(9);
  tx[0] = 0xcb; // INT_64
  tx.writeBigInt64BE(1_000_000_000_000n, 1);
  return 'FB:' + Buffer.concat([raw.subarray(0, 19), tx, Buffer.from([0x90])]).toString('base64');
}

function twoServers(name: string, open: () => Promise<[Stores, Stores]>, cleanup: () => Promise<void>): void {
  describe(`two servers on one ${name} store`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkchart-two-'));
    let a: Server;
    let b: Server;
    let anaId = '';

    beforeAll(async () => {
      const [sa, sb] = await open();
      await sa.graph.writeBatch(network(), { actor: 'test' });
      anaId = (
        await sa.security.createUser({
          name: 'ana',
          role: 'analyst',
          passwordHash: await hashPassword(PASSWORD),
        })
      ).id;
      a = await serve(sa, dir);
      b = await serve(sb, dir);
    }, 120_000);

    afterAll(async () => {
      await a?.app.close();
      await b?.app.close();
      await a?.stores.close();
      await b?.stores.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a session made on one works on the other, and signing out on either ends it on both', async () => {
      const c = client();
      expect(await c.signIn(a)).toBe(200);
      const there = await c.call(b, 'GET', '/api/auth/whoami');
      expect(there.status).toBe(200);
      expect((there.json.user as { name: string }).name).toBe('ana');
      // A write on the second server with the CSRF token the first gave.
      const note = await c.call(b, 'POST', '/api/entities', { type: 'Person', label: 'Dora Dale' });
      expect(note.status, JSON.stringify(note.json)).toBe(201);
      expect((await c.call(a, 'POST', '/api/auth/logout', {})).status).toBe(200);
      // The other server may reuse the session it read for up to a second (store/neo4j/sessions.ts).
      const gone = await until(
        () => c.call(b, 'GET', '/api/auth/whoami'),
        (r) => r.status === 401,
        SESSION_CACHE_MS + 2_000,
      );
      expect(gone.status).toBe(401);
      expect((await c.call(a, 'GET', '/api/auth/whoami')).status).toBe(401);
    });

    it('a write on one is read at once on the other', async () => {
      const c = client();
      expect(await c.signIn(b)).toBe(200);
      const made = await c.call(a, 'POST', '/api/entities', { type: 'Person', label: 'Edgar Ellis' });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      const id = String(made.json.id);
      const read = await c.call(b, 'GET', `/api/entities/${id}`);
      expect(read.status).toBe(200);
      expect(read.json.label).toBe('Edgar Ellis');
    });

    it('a job started on one is listed on the other, followed there, and its result read there', async () => {
      const c = client();
      expect(await c.signIn(a)).toBe(200);
      const started = await c.call(a, 'POST', '/api/analysis/jobs', {
        request: { kind: 'metric', metric: 'degree' },
      });
      expect(started.status, JSON.stringify(started.json)).toBe(202);
      const id = String(started.json.id);
      const listed = await c.call(b, 'GET', '/api/analysis/jobs');
      expect(listed.status).toBe(200);
      expect((listed.json.jobs as Array<{ id: string }>).map((j) => j.id)).toContain(id);
      const done = await until(
        () => c.call(b, 'GET', `/api/analysis/jobs/${id}`),
        (r) => r.json.state === 'done' || r.json.state === 'failed',
      );
      expect(done.json.state).toBe('done');
      const here = await c.call(a, 'GET', `/api/analysis/jobs/${id}/result`);
      const there = await c.call(b, 'GET', `/api/analysis/jobs/${id}/result`);
      expect(there.status).toBe(200);
      expect(there.json.result).toEqual(here.json.result);
      expect(((there.json.result as { scores: unknown[] }).scores ?? []).length).toBeGreaterThan(0);
      // One page of the ranking, sliced on the server that did not compute it.
      const page = await c.call(b, 'GET', `/api/analysis/jobs/${id}/result?offset=1&limit=2`);
      expect((page.json.result as { scores: unknown[] }).scores).toEqual(
        (here.json.result as { scores: unknown[] }).scores.slice(1, 3),
      );
      // The same analysis asked on the other server joins the finished computation (the cache holds there).
      const again = await c.call(a, 'POST', '/api/analysis/jobs', {
        request: { kind: 'metric', metric: 'degree' },
      });
      expect(again.status).toBe(202);
      expect(again.json.state).toBe('done');
    });

    it('a write on one hands back a signed bookmark, which the other starts its reads with', async (ctx) => {
      const signer = a.stores.readAfter;
      if (!signer) return ctx.skip(); // SQLite: one file, every read sees every commit; no bookmarks
      const c = client();
      expect(await c.signIn(a)).toBe(200);
      const made = await c.call(a, 'POST', '/api/entities', { type: 'Person', label: 'Fern Foster' });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      const cookie = c.lastSetCookies().find((x) => x.startsWith('lc_bm='));
      expect(cookie, 'the write answers with the lc_bm cookie').toBeDefined();
      expect(cookie).toMatch(/HttpOnly/);
      const value = c.jar.get('lc_bm')!;
      const bookmarks = verifyBookmarks(signer, value);
      expect(bookmarks.length).toBeGreaterThan(0);
      // Signed under the key both servers share: the other server accepts it.
      expect(verifyBookmarks(b.stores.readAfter!, value)).toEqual(bookmarks);
      const id = String(made.json.id);
      const read = await c.call(b, 'GET', `/api/entities/${id}`);
      expect(read.status).toBe(200);
      expect(read.json.label).toBe('Fern Foster');

      // The same bookmark moved to a transaction far ahead (Neo4j's bookmark: a packed list holding the
      // database's id and a transaction id), signed as a server would: the other server passes it to the
      // database, which waits for a transaction that will not come; the request answers 503 within the bound.
      const future = bookmarks.map(aheadOf);
      c.jar.set('lc_bm', signBookmarks(signer, future));
      const t0 = Date.now();
      const waited = await c.call(b, 'GET', `/api/entities/${id}`);
      const took = Date.now() - t0;
      expect(waited.status, JSON.stringify(waited.json)).toBe(503);
      expect((waited.json.error as { code: string; message: string }).code).toBe('busy');
      expect((waited.json.error as { message: string }).message).toMatch(
        /not yet caught up with your last change/,
      );
      expect(took).toBeGreaterThanOrEqual(READ_AFTER_WAIT_MS - 50);
      expect(took).toBeLessThan(READ_AFTER_WAIT_MS + 3_000);
      // The answer drops the bookmark, so the next request reads without it.
      expect(c.jar.has('lc_bm')).toBe(false);
      expect((await c.call(b, 'GET', `/api/entities/${id}`)).status).toBe(200);

      // Not signed by a server of the tier (another key, a changed payload, no signature, oversized):
      // ignored, and the read goes on at once.
      const other = new AuditKey('some-other-key-not-shared-by-the-tier-0123', 'forger');
      const forgeries = [
        signBookmarks({ mac: (d) => other.mac(`linkchart bookmark ${d}`) }, future),
        signBookmarks(signer, bookmarks).replace(
          /\.[^.]+\./,
          `.${Buffer.from(JSON.stringify({ b: future, t: Date.now() })).toString('base64url')}.`,
        ),
        `v1.${Buffer.from(JSON.stringify({ b: future, t: Date.now() })).toString('base64url')}`,
        signBookmarks(signer, future) + 'x'.repeat(3000),
        // Signed, but older than the cookie's life.
        signBookmarks(signer, future, Date.now() - 3_600_000),
      ];
      for (const forged of forgeries) {
        c.jar.set('lc_bm', forged);
        const t1 = Date.now();
        const r = await c.call(b, 'GET', `/api/entities/${id}`);
        expect(r.status, forged.slice(0, 40)).toBe(200);
        expect(Date.now() - t1).toBeLessThan(READ_AFTER_WAIT_MS);
      }
    });

    it('holds a user to their job limit on all servers together', async () => {
      const c = client();
      expect(await c.signIn(a)).toBe(200);
      // Three live jobs of hers on servers elsewhere in the tier (the default cap is four).
      const planted = ['elsewhere-1', 'elsewhere-2', 'elsewhere-3'];
      for (const id of planted)
        await a.stores.jobs.putJob({
          id,
          ownerId: anaId,
          ownerName: 'ana',
          key: `k-${id}`,
          server: 'another-server',
          leaseUntil: Date.now() + 120_000,
          status: { state: 'running', error: null, id, createdAt: new Date().toISOString() },
          operations: [],
          notes: [],
          cancelRequested: false,
        });
      // Four different analyses asked at once, two on each server: one place is left, so one starts.
      const metrics = ['inDegree', 'outDegree', 'weightedDegree', 'closeness'];
      const answers = await Promise.all(
        metrics.map((metric, i) =>
          c.call(i % 2 ? b : a, 'POST', '/api/analysis/jobs', { request: { kind: 'metric', metric } }),
        ),
      );
      const statuses = answers.map((r) => r.status);
      expect(
        statuses.filter((x) => x === 202),
        JSON.stringify(statuses),
      ).toHaveLength(1);
      expect(
        statuses.filter((x) => x === 429),
        JSON.stringify(statuses),
      ).toHaveLength(3);
      const refused = answers.find((r) => r.status === 429)!;
      expect((refused.json.error as { message: string }).message).toMatch(
        /you have 4 analysis jobs queued or running \(on every server together\); each user may have 4/,
      );
      // Once one of them is gone, a place frees on either server.
      const started = answers.find((r) => r.status === 202)!;
      await until(
        () => c.call(b, 'GET', `/api/analysis/jobs/${String(started.json.id)}`),
        (r) => r.json.state === 'done' || r.json.state === 'failed',
      );
      // The first server is asked, which refused her before: it counts the store, not its own jobs.
      await a.stores.jobs.dropJob(planted[0]!);
      const again = await c.call(a, 'POST', '/api/analysis/jobs', {
        request: { kind: 'metric', metric: 'harmonic' },
      });
      expect(again.status, JSON.stringify(again.json)).toBe(202);
      for (const id of planted.slice(1)) await a.stores.jobs.dropJob(id);
    });

    it('a job whose server stopped fails once its lease has run out', async () => {
      const s = await a.stores.jobs.getJob('none');
      expect(s).toBeNull();
      await a.stores.jobs.putJob({
        id: 'orphan-1',
        ownerId: 'x',
        ownerName: 'x',
        key: 'k-orphan',
        server: 'gone',
        leaseUntil: Date.now() - 1,
        status: { state: 'running', error: null, id: 'orphan-1' },
        operations: [],
        notes: [],
        cancelRequested: false,
      });
      expect(await b.stores.jobs.failExpired(Date.now(), LEASE_LOST)).toBeGreaterThanOrEqual(1);
      const j = await b.stores.jobs.getJob('orphan-1');
      expect(j?.status.state).toBe('failed');
      expect(j?.status.error).toBe(LEASE_LOST);
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'linkchart-two-sqlite-'));
twoServers(
  'SQLite',
  async () => {
    const path = join(sqliteDir, 'shared.db');
    const first = await openSqliteStores(path);
    return [first, await openSqliteStores(path)];
  },
  async () => rmSync(sqliteDir, { recursive: true, force: true }),
);

if (avail.ok) {
  const server = avail.server;
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    await server.close();
  });
  twoServers(
    'Neo4j',
    async () => {
      await server.wipe();
      // Two drivers, as two machines would have.
      const first = new Neo4jStores({ uri: server.uri, password: server.password, auditKey: SHARED_KEY });
      await first.init();
      const second = new Neo4jStores({ uri: server.uri, password: server.password, auditKey: SHARED_KEY });
      await second.init();
      return [first, second];
    },
    async () => {},
  );
} else {
  describe('two servers on one Neo4j store', () => {
    it.skip(avail.reason, () => {});
  });
}
