// 1,000 scripted operations over HTTP against the real app produce exactly the audit records expected,
// each with every field; the chain verifies; editing one row in the SQLite file makes
// `npm run audit:verify` fail and name that record.
import './fast-kdf.ts';
import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuditEvent } from '../../server/domain/model.ts';
import { LoginThrottle } from '../../server/security/sessions.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { verifyStoreAudit } from '../../server/cli/audit-verify.ts';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { securedApp } from './app.ts';
import {
  TEST_PASSWORD,
  createRoleUsers,
  signIn,
  tempStore,
  type SignedIn,
  type TempStore,
} from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;

interface Expected {
  actor: string;
  action: string;
  route: string;
  outcome: AuditEvent['outcome'];
  ids: string[];
  justification?: string;
  recipient?: string;
}

/** Deterministic choice of operations (mulberry32), so a failure repeats. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.store, ROLES);
  app = await securedApp(ts.store, {
    throttle: new LoginThrottle({ maxPerAddress: 1_000_000, maxFailures: 1_000_000 }),
  });
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('audit', () => {
  it('1,000 scripted operations produce exactly the expected records, each with every field', async () => {
    const before = (await ts.store.listAudit({ limit: 1 })).total;
    const analyst: SignedIn = await signIn(app, 'analyst');
    const viewer: SignedIn = await signIn(app, 'viewer');
    const supervisor: SignedIn = await signIn(app, 'supervisor');
    const userId = (await ts.store.getUserByName('analyst'))!.id;
    const expected: Expected[] = [
      { actor: 'analyst', action: 'login', route: 'POST /api/auth/login', outcome: 'ok', ids: [userId] },
      { actor: 'viewer', action: 'login', route: 'POST /api/auth/login', outcome: 'ok', ids: [] },
      { actor: 'supervisor', action: 'login', route: 'POST /api/auth/login', outcome: 'ok', ids: [] },
    ];
    const live: string[] = [];
    const rand = rng(7);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    let ops = 3;
    let n = 0;
    while (ops < 1000) {
      const kind =
        live.length < 3
          ? 'create'
          : pick([
              'create',
              'read',
              'readMissing',
              'list',
              'search',
              'expand',
              'update',
              'delete',
              'denied',
              'unauth',
              'loginFail',
              'loginOk',
              'auditRead',
              'whoami',
              'health',
            ]);
      n++;
      switch (kind) {
        case 'create': {
          const res = await app.inject({
            method: 'POST',
            url: '/api/entities',
            headers: analyst.headers,
            payload: { type: 'Person', label: `Person ${n}`, key: `person-${n}` },
          });
          expect(res.statusCode, res.body).toBeLessThan(300);
          const id = res.json().id as string;
          live.push(id);
          expected.push({
            actor: 'analyst',
            action: 'change',
            route: 'POST /api/entities',
            outcome: 'ok',
            ids: [id],
          });
          break;
        }
        case 'read': {
          const id = pick(live);
          expect((await app.inject({ url: `/api/entities/${id}`, headers: viewer.headers })).statusCode).toBe(
            200,
          );
          expected.push({
            actor: 'viewer',
            action: 'read',
            route: 'GET /api/entities/:id',
            outcome: 'ok',
            ids: [id],
          });
          break;
        }
        case 'readMissing': {
          expect(
            (await app.inject({ url: '/api/entities/999999999', headers: viewer.headers })).statusCode,
          ).toBe(404);
          expected.push({
            actor: 'viewer',
            action: 'read',
            route: 'GET /api/entities/:id',
            outcome: 'failed',
            ids: ['999999999'],
          });
          break;
        }
        case 'list': {
          const res = await app.inject({ url: '/api/entities?limit=3', headers: analyst.headers });
          const ids = (res.json().items as Array<{ id: string }>).map((e) => e.id);
          expected.push({ actor: 'analyst', action: 'read', route: 'GET /api/entities', outcome: 'ok', ids });
          break;
        }
        case 'search': {
          const res = await app.inject({ url: `/api/search?q=Person`, headers: analyst.headers });
          expect(res.statusCode, res.body).toBe(200);
          const ids = (res.json().items as Array<{ entity: { id: string } }>).map((h) => h.entity.id);
          expected.push({ actor: 'analyst', action: 'search', route: 'GET /api/search', outcome: 'ok', ids });
          break;
        }
        case 'expand': {
          const id = pick(live);
          const res = await app.inject({
            url: `/api/entities/${id}/neighbourhood?hops=1`,
            headers: analyst.headers,
          });
          expect(res.statusCode, res.body).toBe(200);
          expected.push({
            actor: 'analyst',
            action: 'expand',
            route: 'GET /api/entities/:id/neighbourhood',
            outcome: 'ok',
            ids: [id],
          });
          break;
        }
        case 'update': {
          const id = pick(live);
          const res = await app.inject({
            method: 'PATCH',
            url: `/api/entities/${id}`,
            headers: analyst.headers,
            payload: { label: `Renamed ${n}` },
          });
          expect(res.statusCode, res.body).toBe(200);
          expected.push({
            actor: 'analyst',
            action: 'change',
            route: 'PATCH /api/entities/:id',
            outcome: 'ok',
            ids: [id],
          });
          break;
        }
        case 'delete': {
          const id = live.splice(Math.floor(rand() * live.length), 1)[0];
          const res = await app.inject({
            method: 'DELETE',
            url: `/api/entities/${id}`,
            headers: analyst.headers,
          });
          expect(res.statusCode, res.body).toBeLessThan(300);
          expected.push({
            actor: 'analyst',
            action: 'delete',
            route: 'DELETE /api/entities/:id',
            outcome: 'ok',
            ids: [id],
          });
          break;
        }
        case 'denied': {
          const id = pick(live);
          const res = await app.inject({
            method: 'DELETE',
            url: `/api/entities/${id}`,
            headers: viewer.headers,
          });
          expect(res.statusCode).toBe(403);
          expected.push({
            actor: 'viewer',
            action: 'delete',
            route: 'DELETE /api/entities/:id',
            outcome: 'denied',
            ids: [id],
          });
          break;
        }
        case 'unauth': {
          expect((await app.inject({ url: '/api/entities' })).statusCode).toBe(401);
          expected.push({
            actor: 'anonymous',
            action: 'read',
            route: 'GET /api/entities',
            outcome: 'denied',
            ids: [],
          });
          break;
        }
        case 'loginFail': {
          const name = rand() < 0.5 ? `nobody-${n}` : 'analyst';
          const res = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { name, password: 'wrong-password-x' },
          });
          expect(res.statusCode).toBe(401);
          expected.push({
            actor: name,
            action: 'login',
            route: 'POST /api/auth/login',
            outcome: 'failed',
            ids: [],
          });
          break;
        }
        case 'loginOk': {
          await signIn(app, 'viewer', TEST_PASSWORD);
          expected.push({
            actor: 'viewer',
            action: 'login',
            route: 'POST /api/auth/login',
            outcome: 'ok',
            ids: [],
          });
          break;
        }
        case 'auditRead': {
          expect(
            (await app.inject({ url: '/api/audit?limit=1', headers: supervisor.headers })).statusCode,
          ).toBe(200);
          expected.push({
            actor: 'supervisor',
            action: 'audit.read',
            route: 'GET /api/audit',
            outcome: 'ok',
            ids: [],
          });
          break;
        }
        case 'whoami':
          expect((await app.inject({ url: '/api/auth/whoami', headers: analyst.headers })).statusCode).toBe(
            200,
          );
          continue; // not audited: it shows no intelligence
        case 'health':
          expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
          continue;
      }
      ops++;
    }
    expect(expected).toHaveLength(1000);

    const page = await ts.store.listAudit({ offset: before, limit: 5000 });
    expect(page.items).toHaveLength(1000);
    page.items.forEach((e, i) => {
      const x = expected[i];
      const where = `record ${i} (${x.action} ${x.route})`;
      expect({ actor: e.actor, action: e.action, route: e.route, outcome: e.outcome }, where).toEqual({
        actor: x.actor,
        action: x.action,
        route: x.route,
        outcome: x.outcome,
      });
      for (const id of x.ids) expect(e.objectIds, where).toContain(id);
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(e.seq).toBe(before + i + 1);
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.prevHash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.details).toMatchObject({ method: x.route.split(' ')[0], status: expect.any(Number) });
      expect(e).toHaveProperty('justification');
      expect(e).toHaveProperty('recipient');
    });
    const searches = page.items.filter((e) => e.action === 'search');
    expect(searches.length).toBeGreaterThan(10);
    for (const s of searches) expect(s.details?.query).toMatchObject({ q: 'Person' });
    expect(verifyAuditChain((await ts.store.listAudit({ limit: 10_000 })).items)).toBeNull();
  }, 120_000);

  it('records the justification and recipient a disclosure gives', async () => {
    // Any route body carrying them is recorded; C-coded exports must carry them (server/security/handling.ts).
    const s = await signIn(app, 'supervisor');
    const res = await app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: s.headers,
      payload: { type: 'Person', label: 'Disclosed', key: 'disclosed-1', justification: 'x' },
    });
    expect(res.statusCode).toBeLessThan(500);
    const last = (await ts.store.listAudit({ limit: 10_000 })).items.at(-1)!;
    expect(last.actor).toBe('supervisor');
    expect(last.justification).toBe('x');
    expect(last.recipient).toBeNull();
  });

  it('supervisors export the audit as CSV with formula injection neutralised; analysts cannot', async () => {
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: '=HYPERLINK("http://x")', password: 'wrong-password-x' },
    });
    const sup = await signIn(app, 'supervisor');
    const res = await app.inject({ url: '/api/audit/export?action=login', headers: sup.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe(
      'seq,at,actor,action,route,objectIds,outcome,justification,recipient,details,prevHash,hash',
    );
    expect(lines.length).toBeGreaterThan(10);
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const an = await signIn(app, 'analyst');
    expect((await app.inject({ url: '/api/audit/export', headers: an.headers })).statusCode).toBe(403);
    const v = await app.inject({ url: '/api/audit/verify', headers: sup.headers });
    expect(v.json()).toMatchObject({ ok: true, firstBroken: null });
  });

  it('has no route that edits or deletes audit records', () => {
    const writes = app.security.routes.filter(
      (r) => r.url.startsWith('/api/audit') && !['GET', 'HEAD'].includes(r.method),
    );
    expect(writes).toEqual([]);
  });

  it('editing one audit row in the SQLite file makes npm run audit:verify fail and name it', async () => {
    const path = ts.dbPath;
    // Close our handle so the CLI and the tamperer see the committed file.
    await app.close();
    await ts.store.close();
    const ok = spawnSync('npx', ['tsx', 'server/cli/audit-verify.ts'], {
      env: { ...process.env, LINKCHART_DB: path },
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/audit chain intact: \d+ records/);

    const db = new Database(path);
    // An attacker with the file can drop the append-only triggers; the chain still gives them away.
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    const original = (db.prepare('SELECT actor FROM audit WHERE seq = 500').get() as { actor: string }).actor;
    db.prepare("UPDATE audit SET actor = 'someone-else' WHERE seq = 500").run();
    db.close();
    const bad = spawnSync('npx', ['tsx', 'server/cli/audit-verify.ts'], {
      env: { ...process.env, LINKCHART_DB: path },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/BROKEN at record 500: record 500 was altered/);

    // Deleting a record in the middle is named too.
    const db2 = new Database(path);
    db2.prepare('UPDATE audit SET actor = ? WHERE seq = 500').run(original);
    db2.prepare('DELETE FROM audit WHERE seq = 700').run();
    db2.close();
    const store = await openSqliteStore(path);
    const r = await verifyStoreAudit(store, 256);
    await store.close();
    expect(r.broken?.seq).toBe(700);
    ts.store = await openSqliteStore(path); // for cleanup
  }, 60_000);
});
