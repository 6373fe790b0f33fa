// The event routes over real HTTP against the real app (security and audit on) on a temp SQLite file: a
// CALLED link's calls page by page, a query by phone and time window, the 4xx that names the bad field, a
// viewer reading like an analyst, nobody signed in refused, and each read in the audit with its link.
import '../security/fast-kdf.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { loadConfig } from '../../server/config.ts';
import type { EventPageBody } from '../../server/api-types/events.ts';
import { TEST_PASSWORD, createRoleUsers, tempStore, type TempStore } from '../security/helpers.ts';
import { CDR_A, importCsv } from '../contract/events-contract.ts';

let ts: TempStore;
let app: FastifyInstance;
let base = '';

interface Session {
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
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
    post: (path, body) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

let l12 = '';
let p2 = '';
let p3 = '';

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  await importCsv(ts.stores.graph, CDR_A, { format: 'cdr', report: 'CDR-A', grading: '2B', handling: 'P' });
  const p1 = (await ts.stores.graph.findEntity('Phone', '+447700900001'))!.id;
  p2 = (await ts.stores.graph.findEntity('Phone', '+447700900002'))!.id;
  p3 = (await ts.stores.graph.findEntity('Phone', '+447700900003'))!.id;
  const links = await ts.stores.graph.listLinks({ entityId: p1, type: 'CALLED' });
  l12 = links.items.find((l) => l.to === p2)!.id;
  const { buildApp } = await import('../../server/app.ts');
  app = await buildApp({
    stores: ts.stores,
    config: { ...loadConfig({}), webDist: '/nonexistent-linkchart-web' },
    security: {},
    logger: false,
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('events API', () => {
  it("lists a CALLED link's calls a page at a time, and audits the read with the link", async () => {
    const s = await signIn('analyst');
    const first = await s.get(`/api/links/${l12}/events?limit=2`);
    expect(first.status).toBe(200);
    const p1 = (await first.json()) as EventPageBody;
    expect(p1.events.map((e) => [e.at, e.durationSeconds])).toEqual([
      ['2024-03-01T10:00:00Z', 60],
      ['2024-03-01T12:30:00Z', 120],
    ]);
    expect(p1.next).not.toBeNull();
    const p2 = (await (
      await s.get(`/api/links/${l12}/events?limit=2&cursor=${encodeURIComponent(p1.next!)}`)
    ).json()) as EventPageBody;
    expect(p2).toMatchObject({ events: [{ at: '2024-03-05T18:00:00Z', durationSeconds: 300 }], next: null });
    const audit = await ts.stores.security.listAudit({ actor: 'analyst', objectId: l12, limit: 10 });
    expect(audit.items.map((e) => `${e.action} ${e.route}`)).toContain('read GET /api/links/:id/events');
  });

  it('answers a query by phone and window, for a viewer as for an analyst', async () => {
    for (const who of ['viewer', 'analyst']) {
      const s = await signIn(who);
      const r = await s.post('/api/events/query', {
        entityIds: [p3],
        from: '2024-03-03',
        to: '2024-03-03',
        kinds: ['call'],
      });
      expect(r.status, who).toBe(200);
      const body = (await r.json()) as EventPageBody;
      expect(body.events.map((e) => [e.at, e.toId])).toEqual([['2024-03-03T08:00:00Z', p2]]);
      expect(body.events[0].fromId).toBe(p3);
    }
  });

  it('refuses bad input with a 4xx naming the field, and a link that does not exist with 404', async () => {
    const s = await signIn('analyst');
    const bad = async (r: Response, field: string) => {
      expect(r.status).toBe(400);
      const e = ((await r.json()) as { error: { message: string } }).error;
      expect(e.message).toContain(field);
    };
    await bad(await s.post('/api/events/query', { limit: 0 }), 'limit');
    await bad(await s.post('/api/events/query', { entityIds: 'e1' }), 'entityIds');
    await bad(await s.post('/api/events/query', { from: 'last week' }), 'from');
    await bad(await s.post('/api/events/query', { colour: 'red' }), 'colour');
    await bad(await s.post('/api/events/query', { cursor: 'zzz' }), 'cursor');
    await bad(await s.post('/api/events/query', { linkIds: ['e1'] }), 'linkIds');
    await bad(await s.get(`/api/links/${l12}/events?limit=99999`), 'limit');
    const missing = await s.get('/api/links/l999999/events');
    expect(missing.status).toBe(404);
  });

  it('refuses anyone not signed in', async () => {
    expect((await fetch(`${base}/api/links/${l12}/events`)).status).toBe(401);
  });
});
