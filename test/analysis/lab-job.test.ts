// The disruption lab through the job API over real HTTP (real SQLite file, worker threads): a comparison runs
// with progress to a result that names people by id and label; a bad request is a 400 saying where; a
// running comparison can be cancelled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { loadCommunityGraph } from '../../seed/community-store.ts';
import type { LabResult } from '../../server/jobs/lab-request.ts';

let app: FastifyInstance;
let stores: Stores;
let dir: string;
let url: string;
let headers: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-lab-job-'));
  stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') });
  await loadCommunityGraph(stores.graph, { n: 400, meanDegree: 4, seed: 5 }, 'test');
  const config = { ...loadConfig({}, dir), webDist: '/nonexistent-linkchart-web' };
  app = await buildApp({ stores, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const u = await stores.security.createUser({ name: 'ann', role: 'analyst', passwordHash: 'not-used' });
  const { id, session } = await app.security.sessions.create({ id: u.id, name: u.name, role: u.role });
  headers = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
});

afterAll(async () => {
  await app?.close();
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text || '{}') as Record<string, unknown> };
}

async function settle(id: string): Promise<{ state: string; progress: number }> {
  for (let i = 0; i < 600; i++) {
    const s = await call('GET', `/api/analysis/jobs/${id}`);
    const state = s.json.state as string;
    if (state === 'done' || state === 'failed' || state === 'cancelled')
      return { state, progress: s.json.progress as number };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the job did not finish');
}

const view = { filter: {}, projection: { foldPhones: true } };

describe('the disruption lab as a job', () => {
  it('compares three strategies and names the removed by id and label', async () => {
    const start = await call('POST', '/api/analysis/jobs', {
      view,
      request: {
        kind: 'lab',
        k: 4,
        plans: [{ kind: 'topk', metric: 'betweenness' }, { kind: 'sequential' }, { kind: 'keyPlayer' }],
        recoveryRuns: 20,
        resamples: 20,
      },
    });
    expect(start.status, start.text).toBe(202);
    const done = await settle(start.json.id as string);
    expect(done.state).toBe('done');
    const r = await call('GET', `/api/analysis/jobs/${start.json.id as string}/result`);
    const lab = r.json.result as LabResult;
    expect(lab.plans.map((p) => p.name)).toEqual([
      'top-k betweenness',
      'sequential betweenness',
      'key player (KPP-Neg)',
    ]);
    const sg = await stores.graph.subgraph({});
    const label = new Map(sg.nodes.map((e) => [e.id, e.label]));
    for (const p of lab.plans) {
      expect(p.curve).toHaveLength(5);
      expect(p.removed).toHaveLength(4);
      for (const x of p.removed) expect(x.label).toBe(label.get(x.id));
      const d = p.recovery!.damageSurviving!;
      expect(d.low).toBeLessThanOrEqual(d.point);
      expect(d.point).toBeLessThanOrEqual(d.high);
    }
    expect(lab.robustness!.plans).toHaveLength(3);
  });

  it('answers 400 naming the field when k is out of bounds', async () => {
    const r = await call('POST', '/api/analysis/jobs', {
      view,
      request: { kind: 'lab', k: 51, plans: [{ kind: 'keyPlayer' }] },
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'invalid', path: ['body', 'request', 'k'] });
    expect(r.text).toMatch(/<=50/);
  });

  it('refuses with 400 an own-set or must-remove id that is not in the view, naming the field and the id', async () => {
    const people = await call('GET', '/api/entities?type=Person&limit=1');
    const person = (people.json.items as Array<{ id: string }>)[0].id;
    const own = await call('POST', '/api/analysis/jobs', {
      view,
      request: {
        kind: 'lab',
        k: 2,
        plans: [{ kind: 'keyPlayer' }, { kind: 'own', targets: [person, 'no-such-person'] }],
      },
    });
    expect(own.status, own.text).toBe(400);
    expect(own.json.error).toMatchObject({
      code: 'invalid',
      path: ['body', 'request', 'plans', 1, 'targets', 1],
    });
    expect((own.json.error as { message: string }).message).toMatch(
      /plans\.1\.targets\.1: own-set target "no-such-person" is not in this view/,
    );
    const mustRemove = await call('POST', '/api/analysis/jobs', {
      view,
      request: { kind: 'lab', k: 2, plans: [{ kind: 'keyPlayer' }], mustRemove: ['gone-already'] },
    });
    expect(mustRemove.status, mustRemove.text).toBe(400);
    expect(mustRemove.json.error).toMatchObject({ path: ['body', 'request', 'mustRemove', 0] });
    expect((mustRemove.json.error as { message: string }).message).toMatch(
      /must-remove node "gone-already" is not in this view/,
    );
    // The same person on their own is accepted.
    const ok = await call('POST', '/api/analysis/jobs', {
      view,
      request: {
        kind: 'lab',
        k: 1,
        plans: [{ kind: 'own', targets: [person] }],
        recoveryRuns: 0,
        resamples: 0,
      },
    });
    expect(ok.status, ok.text).toBe(202);
    expect((await settle(ok.json.id as string)).state).toBe('done');
  });

  it('can be cancelled while it runs', async () => {
    const start = await call('POST', '/api/analysis/jobs', {
      view,
      request: {
        kind: 'lab',
        k: 50,
        plans: [{ kind: 'sequential', metric: 'closeness' }, { kind: 'keyPlayer' }],
        restarts: 50,
        recoveryRuns: 1000,
        resamples: 1000,
      },
    });
    expect(start.status, start.text).toBe(202);
    const id = start.json.id as string;
    const c = await call('DELETE', `/api/analysis/jobs/${id}`);
    expect(c.status, c.text).toBe(200);
    expect((await settle(id)).state).toBe('cancelled');
  });
});
