// /api/analysis/jobs over real HTTP with the audit on, two analysts and a supervisor: another user's job
// answers 404 at every door (status, result, events, cancel) and their identical request gets its own id;
// the per-user cap answers 429 with Retry-After; the event stream carries the security headers and leaves
// an audit record; a supervisor's look is audited with the owner's name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Limits } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import type { Role } from '../../server/domain/model.ts';
import { loadCommunityGraph } from '../../seed/community-store.ts';

let app: FastifyInstance;
let stores: Stores;
let dir: string;
let url: string;
const who: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-jobs-'));
  stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') });
  await loadCommunityGraph(stores.graph, { n: 3000, meanDegree: 4, seed: 3 }, 'test');
  const config = { ...loadConfig({}, dir), webDist: '/nonexistent-linkchart-web' };
  // The job limits are read from the app's limits when it carries them (else LINKCHART_* variables).
  const limits = { maxJobsPerUser: 2 } as Partial<Limits>;
  app = await buildApp({ stores, config, limits });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  for (const [name, role] of [
    ['ann', 'analyst'],
    ['ben', 'analyst'],
    ['sal', 'supervisor'],
  ] as Array<[string, Role]>) {
    const u = await stores.security.createUser({ name, role, passwordHash: 'not-used' });
    const { id, session } = await app.security.sessions.create({ id: u.id, name: u.name, role: u.role });
    who[name] = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
  }
});

afterAll(async () => {
  await app?.close();
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(user: string, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...who[user], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json, headers: res.headers };
}

const heavy = (seed: number) => ({ request: { kind: 'metric', metric: 'betweenness', seed } });

describe('analysis jobs over HTTP: ownership, caps, the event stream', () => {
  it('answers 404 to another analyst at every door, and gives their identical request its own id', async () => {
    const a = await call('ann', 'POST', '/api/analysis/jobs', heavy(1));
    expect(a.status, a.text).toBe(202);
    const id = a.json.id as string;
    expect(a.json.owner).toBe('ann');
    const none = await call('ben', 'GET', '/api/analysis/jobs/00000000-0000-4000-8000-000000000000');
    for (const [method, path] of [
      ['GET', `/api/analysis/jobs/${id}`],
      ['GET', `/api/analysis/jobs/${id}/result`],
      ['GET', `/api/analysis/jobs/${id}/events`],
      ['DELETE', `/api/analysis/jobs/${id}`],
    ]) {
      const r = await call('ben', method, path);
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(404);
      expect(r.text.replace(id, 'X')).toBe(none.text.replace('00000000-0000-4000-8000-000000000000', 'X'));
    }
    expect((await call('ann', 'GET', `/api/analysis/jobs/${id}`)).json.state).not.toBe('cancelled');
    const b = await call('ben', 'POST', '/api/analysis/jobs', heavy(1));
    expect(b.status, b.text).toBe(202);
    expect(b.json.id).not.toBe(id);
    expect(b.text).not.toContain(id);
    expect(b.json.owner).toBe('ben');
    const del = await call('ben', 'DELETE', `/api/analysis/jobs/${b.json.id as string}`);
    expect(del.json.state).toBe('cancelled');
    expect((await call('ann', 'GET', `/api/analysis/jobs/${id}`)).json.state).not.toBe('cancelled');
    await call('ann', 'DELETE', `/api/analysis/jobs/${id}`);
  });

  it('refuses a job beyond the per-user cap with 429, Retry-After and how many are running', async () => {
    const ids: string[] = [];
    for (const seed of [11, 12]) {
      const r = await call('ann', 'POST', '/api/analysis/jobs', heavy(seed));
      expect(r.status, r.text).toBe(202);
      ids.push(r.json.id as string);
    }
    const third = await call('ann', 'POST', '/api/analysis/jobs', heavy(13));
    expect(third.status, third.text).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((third.json.error as { code: string; message: string }).code).toBe('too_many_jobs');
    expect((third.json.error as { message: string }).message).toMatch(
      /you have 2 analysis jobs queued or running \(on every server together\); each user may have 2 at once/,
    );
    // Another user is not held by ann's cap.
    const ben = await call('ben', 'POST', '/api/analysis/jobs', heavy(14));
    expect(ben.status, ben.text).toBe(202);
    for (const id of ids) await call('ann', 'DELETE', `/api/analysis/jobs/${id}`);
    await call('ben', 'DELETE', `/api/analysis/jobs/${ben.json.id as string}`);
  });

  it('streams events with the security headers and an audit record; a supervisor may look, audited', async () => {
    const a = await call('ann', 'POST', '/api/analysis/jobs', {
      request: { kind: 'metric', metric: 'degree' },
    });
    const id = a.json.id as string;
    const res = await fetch(`${url}/api/analysis/jobs/${id}/events`, { headers: who.ann });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The stream ends with the final status.
    const text = await res.text();
    expect(text).toMatch(/^event: status\ndata: \{/);
    expect(text).toMatch(/"state":"done"/);

    const head = await fetch(`${url}/api/analysis/jobs/${id}/events`, { method: 'HEAD', headers: who.ann });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');

    const sal = await call('sal', 'GET', `/api/analysis/jobs/${id}`);
    expect(sal.status).toBe(200);
    const salResult = await call('sal', 'GET', `/api/analysis/jobs/${id}/result`);
    expect(salResult.status).toBe(200);

    const records = (await stores.security.listAudit({ objectId: id, limit: 100 })).items;
    const stream = records.find((r) => r.route === 'GET /api/analysis/jobs/:id/events');
    expect(stream?.actor).toBe('ann');
    expect(stream?.action).toBe('analysis');
    expect(stream?.outcome).toBe('ok');
    const look = records.filter((r) => r.actor === 'sal');
    expect(look.map((r) => r.route).sort()).toEqual([
      'GET /api/analysis/jobs/:id',
      'GET /api/analysis/jobs/:id/result',
    ]);
    for (const r of look) expect(r.details?.jobOwner).toBe('ann');
  });

  it('lets a supervisor cancel another user’s job, naming who did', async () => {
    const a = await call('ann', 'POST', '/api/analysis/jobs', heavy(21));
    const id = a.json.id as string;
    const del = await call('sal', 'DELETE', `/api/analysis/jobs/${id}`);
    expect(del.status, del.text).toBe(200);
    expect(del.json.state).toBe('cancelled');
    expect(del.json.error).toBe('cancelled by sal (supervisor)');
  });

  it('answers a result whole or one page of its ranking, the page matching the whole', async () => {
    const start = await call('ann', 'POST', '/api/analysis/jobs', {
      request: { kind: 'metric', metric: 'degree' },
    });
    expect(start.status, start.text).toBe(202);
    const id = start.json.id as string;
    for (let i = 0; i < 300; i++) {
      if ((await call('ann', 'GET', `/api/analysis/jobs/${id}`)).json.state === 'done') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    type Result = {
      scores: Array<{ id: string; label: string; score: number; rank: number; type: string | null }>;
      view: { nodes: number; links: number };
      page?: { offset: number; limit: number; total: number };
    };
    const whole = await call('ann', 'GET', `/api/analysis/jobs/${id}/result`);
    expect(whole.status, whole.text.slice(0, 200)).toBe(200);
    expect(whole.headers.get('content-type')).toMatch(/application\/json/);
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    const all = (whole.json as { status: { id: string }; result: Result }).result;
    expect((whole.json as { status: { id: string } }).status.id).toBe(id);
    expect(all.scores).toHaveLength(3000);
    expect(all.view.nodes).toBe(3000);
    expect(all.scores[0]).toMatchObject({ rank: 1, type: 'Person' });
    const page = await call('ann', 'GET', `/api/analysis/jobs/${id}/result?offset=100&limit=25`);
    const part = (page.json as { result: Result }).result;
    expect(part.scores).toEqual(all.scores.slice(100, 125));
    expect(part.page).toEqual({ offset: 100, limit: 25, total: 3000 });
    const bad = await call('ann', 'GET', `/api/analysis/jobs/${id}/result?limit=0`);
    expect(bad.status).toBe(400);
    // Another analyst still gets 404 for it, paged or not.
    expect((await call('ben', 'GET', `/api/analysis/jobs/${id}/result?offset=0&limit=5`)).status).toBe(404);
  });
});
