// 1,000 scripted operations over HTTP against the real app produce exactly the audit records expected,
// each with every field; the chain verifies; editing one row in the SQLite file makes
// `npm run audit:verify` fail and name that record.
import './fast-kdf.ts';
import { spawnSync } from 'node:child_process';
import type { FastifyInstance, InjectOptions } from 'fastify';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuditEvent } from '../../server/domain/model.ts';
import { LoginThrottle } from '../../server/security/sessions.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { verifyStoreAudit } from '../../server/cli/audit-verify.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
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

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  app = await securedApp(ts.stores, {
    throttle: new LoginThrottle({ maxPerAddress: 1_000_000, maxFailures: 1_000_000, maxPerName: 1_000_000 }),
    // One record per request, anonymous failures included: this test checks every field of each. Their
    // sampling is tested in audit-sampling.test.ts.
    anonymousAudit: false,
  });
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

const KINDS = [
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
] as const;

interface Script {
  analyst: SignedIn;
  viewer: SignedIn;
  supervisor: SignedIn;
  /** Ids of the entities created and not yet deleted. */
  live: string[];
  rand: () => number;
  pick: <T>(xs: readonly T[]) => T;
}

/**
 * The scripted operations: each sends its request, checks the answer and returns the record the audit must
 * then hold, or null for a request that is not audited.
 */
function scriptedSteps(s: Script): Record<(typeof KINDS)[number], (n: number) => Promise<Expected | null>> {
  const { analyst, viewer, supervisor, live, rand, pick } = s;
  /** One request; `status` is the code it must answer, 'ok' for any success, or undefined for no check. */
  const send = async (req: InjectOptions, status?: number | 'ok') => {
    const res = await app.inject(req);
    if (status === 'ok') expect(res.statusCode, res.body).toBeLessThan(300);
    else if (status !== undefined) expect(res.statusCode, res.body).toBe(status);
    return res;
  };
  const record = (
    actor: string,
    action: string,
    route: string,
    outcome: AuditEvent['outcome'],
    ids: string[],
  ): Expected => ({ actor, action, route, outcome, ids });
  const entity = (id: string) => `/api/entities/${id}`;
  return {
    create: async (n) => {
      const res = await send(
        {
          method: 'POST',
          url: '/api/entities',
          headers: analyst.headers,
          payload: { type: 'Person', label: `Person ${n}`, key: `person-${n}` },
        },
        'ok',
      );
      const id = res.json().id as string;
      live.push(id);
      return record('analyst', 'change', 'POST /api/entities', 'ok', [id]);
    },
    read: async () => {
      const id = pick(live);
      await send({ url: entity(id), headers: viewer.headers }, 200);
      return record('viewer', 'read', 'GET /api/entities/:id', 'ok', [id]);
    },
    readMissing: async () => {
      await send({ url: entity('999999999'), headers: viewer.headers }, 404);
      return record('viewer', 'read', 'GET /api/entities/:id', 'failed', ['999999999']);
    },
    list: async () => {
      const res = await send({ url: '/api/entities?limit=3', headers: analyst.headers });
      const ids = (res.json().items as Array<{ id: string }>).map((e) => e.id);
      return record('analyst', 'read', 'GET /api/entities', 'ok', ids);
    },
    search: async () => {
      const res = await send({ url: `/api/search?q=Person`, headers: analyst.headers }, 200);
      const ids = (res.json().items as Array<{ entity: { id: string } }>).map((h) => h.entity.id);
      return record('analyst', 'search', 'GET /api/search', 'ok', ids);
    },
    expand: async () => {
      const id = pick(live);
      await send({ url: `${entity(id)}/neighbourhood?hops=1`, headers: analyst.headers }, 200);
      return record('analyst', 'expand', 'GET /api/entities/:id/neighbourhood', 'ok', [id]);
    },
    update: async (n) => {
      const id = pick(live);
      const payload = { label: `Renamed ${n}` };
      await send({ method: 'PATCH', url: entity(id), headers: analyst.headers, payload }, 200);
      return record('analyst', 'change', 'PATCH /api/entities/:id', 'ok', [id]);
    },
    delete: async () => {
      const id = live.splice(Math.floor(rand() * live.length), 1)[0];
      await send({ method: 'DELETE', url: entity(id), headers: analyst.headers }, 'ok');
      return record('analyst', 'delete', 'DELETE /api/entities/:id', 'ok', [id]);
    },
    denied: async () => {
      const id = pick(live);
      await send({ method: 'DELETE', url: entity(id), headers: viewer.headers }, 403);
      return record('viewer', 'delete', 'DELETE /api/entities/:id', 'denied', [id]);
    },
    unauth: async () => {
      await send({ url: '/api/entities' }, 401);
      return record('anonymous', 'read', 'GET /api/entities', 'denied', []);
    },
    loginFail: async (n) => {
      const name = rand() < 0.5 ? `nobody-${n}` : 'analyst';
      const payload = { name, password: 'wrong-password-x' };
      await send({ method: 'POST', url: '/api/auth/login', payload }, 401);
      return record(name, 'login', 'POST /api/auth/login', 'failed', []);
    },
    loginOk: async () => {
      await signIn(app, 'viewer', TEST_PASSWORD);
      return record('viewer', 'login', 'POST /api/auth/login', 'ok', []);
    },
    auditRead: async () => {
      await send({ url: '/api/audit?limit=1', headers: supervisor.headers }, 200);
      return record('supervisor', 'audit.read', 'GET /api/audit', 'ok', []);
    },
    whoami: async () => {
      await send({ url: '/api/auth/whoami', headers: analyst.headers }, 200);
      return null; // not audited: it shows no intelligence
    },
    health: async () => {
      await send({ url: '/api/health' }, 200);
      return null;
    },
  };
}

describe('audit', () => {
  it('1,000 scripted operations produce exactly the expected records, each with every field', async () => {
    const before = (await ts.stores.security.listAudit({ limit: 1 })).total;
    const analyst: SignedIn = await signIn(app, 'analyst');
    const viewer: SignedIn = await signIn(app, 'viewer');
    const supervisor: SignedIn = await signIn(app, 'supervisor');
    const userId = (await ts.stores.security.getUserByName('analyst'))!.id;
    const expected: Expected[] = [
      { actor: 'analyst', action: 'login', route: 'POST /api/auth/login', outcome: 'ok', ids: [userId] },
      { actor: 'viewer', action: 'login', route: 'POST /api/auth/login', outcome: 'ok', ids: [] },
      { actor: 'supervisor', action: 'login', route: 'POST /api/auth/login', outcome: 'ok', ids: [] },
    ];
    const live: string[] = [];
    // Seeded, so the choice of operations (and any failure) repeats.
    const rand = mulberry32(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const steps = scriptedSteps({ analyst, viewer, supervisor, live, rand, pick });
    let n = 0;
    while (expected.length < 1000) {
      const kind = live.length < 3 ? 'create' : pick(KINDS);
      n++;
      const record = await steps[kind](n);
      if (record) expected.push(record);
    }
    expect(expected).toHaveLength(1000);

    const page = await ts.stores.security.listAudit({ offset: before, limit: 5000 });
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
    expect(verifyAuditChain((await ts.stores.security.listAudit({ limit: 10_000 })).items)).toBeNull();
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
    const last = (await ts.stores.security.listAudit({ limit: 10_000 })).items.at(-1)!;
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
      'seq,at,actor,action,route,objectIds,outcome,justification,recipient,details,prevHash,hash,operations',
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
    await ts.stores.close();
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
    // Opening the file put the triggers back, and said so.
    expect(bad.stderr).toMatch(/protective triggers were not in place .*audit_no_delete, audit_no_update/);

    // Deleting a record in the middle is named too.
    const db2 = new Database(path);
    expect(() => db2.prepare('UPDATE audit SET actor = ? WHERE seq = 500').run(original)).toThrow(
      /append-only/,
    );
    db2.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    db2.prepare('UPDATE audit SET actor = ? WHERE seq = 500').run(original);
    db2.prepare('DELETE FROM audit WHERE seq = 700').run();
    db2.close();
    const stores = await openSqliteStores(path);
    const r = await verifyStoreAudit(stores.security, 256);
    await stores.close();
    expect(r.broken?.seq).toBe(700);
    ts.stores = await openSqliteStores(path); // for cleanup
  }, 60_000);
});
