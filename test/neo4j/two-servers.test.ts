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
import { hashPassword } from '../../server/security/passwords.ts';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import type { Stores } from '../../server/store/stores.ts';
import { SESSION_CACHE_MS } from '../../server/store/neo4j/sessions.ts';
import { network } from '../contract/fixtures.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();
const PASSWORD = 'Kestrel-harbour-lantern-42';

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

/** Signs in on one server and calls any server with that session's cookie and CSRF token. */
function client(): { call: Call; signIn(s: Server): Promise<number> } {
  let cookie = '';
  let csrf = '';
  const call: Call = async (s, method, path, body) => {
    const res = await fetch(s.url + path, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('linkchart_session='));
    if (session) cookie = session.split(';')[0];
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    call,
    async signIn(s) {
      const r = await call(s, 'POST', '/api/auth/login', { name: 'ana', password: PASSWORD });
      csrf = String(r.json.csrfToken ?? '');
      return r.status;
    },
  };
}

async function serve(stores: Stores, dir: string): Promise<Server> {
  const app = await buildApp({ stores, config: loadConfig({}, dir), security: { audit: false } });
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

function twoServers(name: string, open: () => Promise<[Stores, Stores]>, cleanup: () => Promise<void>): void {
  describe(`two servers on one ${name} store`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkchart-two-'));
    let a: Server;
    let b: Server;

    beforeAll(async () => {
      const [sa, sb] = await open();
      await sa.graph.writeBatch(network(), { actor: 'test' });
      await sa.security.createUser({
        name: 'ana',
        role: 'analyst',
        passwordHash: await hashPassword(PASSWORD),
      });
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
      const again = await c.call(b, 'POST', '/api/analysis/jobs', {
        request: { kind: 'metric', metric: 'degree' },
      });
      expect(again.status).toBe(202);
      expect(again.json.state).toBe('done');
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
      const first = new Neo4jStores({ uri: server.uri, password: server.password });
      await first.init();
      const second = new Neo4jStores({ uri: server.uri, password: server.password });
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
