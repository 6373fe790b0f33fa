// The drafts API over real HTTP against the real app on a temp SQLite file: each user keeps one draft, finds it
// again from another session, cannot see anyone else's (404, whatever their role), a save past the body
// limit is refused with 413 naming the limit, a save based on an old revision is refused with 409, and every
// read and write is in the audit.
import '../security/fast-kdf.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { loadConfig } from '../../server/config.ts';
import { TEST_PASSWORD, createRoleUsers, tempStore, type TempStore } from '../security/helpers.ts';

const LIMIT = 64 * 1024;
let ts: TempStore;
let app: FastifyInstance;
let base = '';

interface Session {
  get(path: string): Promise<Response>;
  send(method: string, path: string, body?: unknown): Promise<Response>;
}

async function signIn(name: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return {
    get: (path) => fetch(`${base}${path}`, { headers: { cookie } }),
    send: (method, path, body) =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  const { buildApp } = await import('../../server/app.ts');
  app = await buildApp({
    stores: ts.stores,
    config: { ...loadConfig({}), webDist: '/nonexistent-linkchart-web' },
    limits: { bodyBytes: LIMIT },
    security: {},
    logger: false,
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

const chartState = (n: number) => ({
  format: 'linkchart/chart@1',
  nodes: Array.from({ length: n }, (_, i) => `e${i}`),
});

describe('drafts API', () => {
  it("keeps the user's draft, finds it from another session, and audits each call", async () => {
    const a1 = await signIn('analyst');
    expect(await (await a1.get('/api/drafts/current')).json()).toEqual({ draft: null });
    const put = await a1.send('PUT', '/api/drafts/current', {
      name: 'Untitled chart',
      state: chartState(3),
      baseRevision: 0,
    });
    expect(put.status).toBe(200);
    const d = (await put.json()) as { id: string; revision: number; owner: string };
    expect(d).toMatchObject({ owner: 'analyst', revision: 1, chartId: null });

    // Another browser: a new session of the same user finds the same draft.
    const a2 = await signIn('analyst');
    const back = (await (await a2.get('/api/drafts/current')).json()) as { draft: { id: string } };
    expect(back.draft).toMatchObject({ id: d.id, state: chartState(3), revision: 1 });
    expect((await a2.get(`/api/drafts/${d.id}`)).status).toBe(200);

    const audit = await ts.stores.security.listAudit({ actor: 'analyst', objectId: d.id, limit: 50 });
    const actions = audit.items.map((e) => `${e.action} ${e.route}`);
    expect(actions).toContain('change PUT /api/drafts/current');
    expect(actions).toContain('read GET /api/drafts/current');
    expect(actions).toContain('read GET /api/drafts/:id');
  });

  it("another user's draft is 404 to read and to discard, even for an admin", async () => {
    const owner = await signIn('supervisor');
    const d = (await (
      await owner.send('PUT', '/api/drafts/current', { name: 'Mine', state: chartState(1) })
    ).json()) as { id: string };
    for (const who of ['analyst', 'admin', 'viewer']) {
      const s = await signIn(who);
      const r = await s.get(`/api/drafts/${d.id}`);
      expect(r.status, who).toBe(404);
      expect(((await r.json()) as { error: { message: string } }).error.message).toContain('no draft');
      expect((await s.send('DELETE', `/api/drafts/${d.id}`)).status, who).toBe(404);
      const cur = (await (await s.get('/api/drafts/current')).json()) as { draft: { id: string } | null };
      expect(cur.draft?.id).not.toBe(d.id);
    }
    expect((await owner.get(`/api/drafts/${d.id}`)).status).toBe(200);
    const denied = await ts.stores.security.listAudit({ actor: 'admin', objectId: undefined, limit: 100 });
    expect(denied.items.some((e) => e.route === 'DELETE /api/drafts/:id' && e.outcome === 'failed')).toBe(
      true,
    );
  });

  it('a viewer keeps a draft too; signed-out callers get 401', async () => {
    const v = await signIn('viewer');
    const r = await v.send('PUT', '/api/drafts/current', { name: 'Looking', state: chartState(2) });
    expect(r.status).toBe(200);
    expect((await fetch(`${base}/api/drafts/current`)).status).toBe(401);
  });

  it('a draft past the body limit is refused with 413 naming the limit, and the kept one is unchanged', async () => {
    const s = await signIn('analyst');
    const before = (await (await s.get('/api/drafts/current')).json()) as { draft: unknown };
    const r = await s.send('PUT', '/api/drafts/current', { name: 'Huge', state: chartState(20_000) });
    expect(r.status).toBe(413);
    const err = ((await r.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('too_large');
    expect(err.message).toContain(`${LIMIT} bytes`);
    expect(err.message).toContain('64 KB');
    expect(await (await s.get('/api/drafts/current')).json()).toEqual(before);
  });

  it('a save from a window that missed another window’s save is refused with 409', async () => {
    const w1 = await signIn('admin');
    const first = (await (
      await w1.send('PUT', '/api/drafts/current', { name: 'A', state: chartState(1), baseRevision: 0 })
    ).json()) as { revision: number };
    const w2 = await signIn('admin');
    const second = await w2.send('PUT', '/api/drafts/current', {
      name: 'B',
      state: chartState(2),
      baseRevision: first.revision,
    });
    expect(second.status).toBe(200);
    const stale = await w1.send('PUT', '/api/drafts/current', {
      name: 'A2',
      state: chartState(3),
      baseRevision: first.revision,
    });
    expect(stale.status).toBe(409);
    const cur = (await (await w1.get('/api/drafts/current')).json()) as { draft: { name: string } };
    expect(cur.draft.name).toBe('B');
  });

  it('bad input says what is wrong and where; the owner discards their draft', async () => {
    const s = await signIn('analyst');
    const bad = await s.send('PUT', '/api/drafts/current', { name: '', state: {} });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('name');
    const extra = await s.send('PUT', '/api/drafts/current', { name: 'x', state: {}, owner: 'admin' });
    expect(extra.status).toBe(400);
    const cur = (await (await s.get('/api/drafts/current')).json()) as { draft: { id: string } };
    expect((await s.send('DELETE', `/api/drafts/${cur.draft.id}`)).status).toBe(200);
    expect(await (await s.get('/api/drafts/current')).json()).toEqual({ draft: null });
    const audit = await ts.stores.security.listAudit({ actor: 'analyst', objectId: cur.draft.id, limit: 50 });
    expect(audit.items.some((e) => e.action === 'delete' && e.outcome === 'ok')).toBe(true);
  });
});
