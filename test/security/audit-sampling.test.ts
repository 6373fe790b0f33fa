// Failures of callers who are not signed in are sampled and counted, not written one record each: per
// source and route and interval, the first few in full (query strings cut to their parameter names), then
// one summary with the count. A signed-in user's failures are still recorded one each.
import './fast-kdf.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type AuditEvent, type AuditInput } from '../../server/domain/model.ts';
import { LoginThrottle } from '../../server/security/sessions.ts';
import { AnonymousFailureSampler, sourceOf } from '../../server/security/audit-sampler.ts';
import { verifyAuditChain } from '../../server/security/audit-chain.ts';
import { securedApp } from './app.ts';
import { createRoleUsers, signIn, tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  app = await securedApp(ts.stores, {
    throttle: new LoginThrottle({ maxPerAddress: 1_000_000, maxFailures: 1_000_000, maxPerName: 1_000_000 }),
  });
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

const all = async (): Promise<AuditEvent[]> => (await ts.stores.security.listAudit({ limit: 10_000 })).items;

describe('anonymous failures through the app', () => {
  it('200 anonymous 401s write the first 3 in full, the rest as one summary when the server stops', async () => {
    const before = (await all()).length;
    const q = `q=${'x'.repeat(400)}&page=${'y'.repeat(300)}`;
    for (let i = 0; i < 200; i++) {
      const r = await app.inject({ url: `/api/entities?${q}&n=${i}` });
      expect(r.statusCode).toBe(401);
    }
    // Other routes and other addresses are sampled apart.
    for (let i = 0; i < 5; i++)
      expect((await app.inject({ url: '/api/entities', remoteAddress: '10.0.0.9' })).statusCode).toBe(401);
    const running = (await all()).slice(before);
    expect(running).toHaveLength(6);
    for (const e of running) {
      expect(e).toMatchObject({ actor: 'anonymous', action: 'read', outcome: 'denied' });
      expect(e.details).not.toHaveProperty('query');
      expect(JSON.stringify(e)).not.toMatch(/xxxxxxxxxx/);
    }
    expect(running[0].details).toMatchObject({ queryKeys: ['q', 'page', 'n'], anonymousSample: 1 });
    expect(running.map((e) => e.details?.anonymousSample)).toEqual([1, 2, 3, 1, 2, 3]);

    // Signed-in failures: one each, with everything.
    const v = await signIn(app, 'viewer');
    for (let i = 0; i < 10; i++) {
      const r = await app.inject({
        method: 'DELETE',
        url: `/api/entities/x${i}?why=${i}`,
        headers: v.headers,
      });
      expect(r.statusCode).toBe(403);
    }
    const denied = (await all()).filter((e) => e.actor === 'viewer' && e.outcome === 'denied');
    expect(denied).toHaveLength(10);
    expect(denied[0].details).toMatchObject({ query: { why: '0' } });

    await app.close();
    const after = (await all()).slice(before);
    const summaries = after.filter((e) => e.action === 'anonymous.failures');
    expect(summaries).toHaveLength(2);
    const mine = summaries.find((e) => e.details?.source === '127.0.0.1')!;
    expect(mine).toMatchObject({
      actor: 'anonymous',
      route: 'GET /api/entities',
      outcome: 'denied',
      details: { count: 197, recordedInFull: 3, statuses: { 401: 197 }, action: 'read' },
    });
    expect(summaries.find((e) => e.details?.source === '10.0.0.9')?.details).toMatchObject({ count: 2 });
    expect(verifyAuditChain(await all())).toBeNull();
    app = await securedApp(ts.stores); // for afterAll
  });
});

describe('AnonymousFailureSampler', () => {
  const fail = (route: string, status: number, actor = 'anonymous'): AuditInput => ({
    actor,
    action: route.includes('login') ? 'login' : 'read',
    route,
    outcome: status === 401 && route.includes('login') ? 'failed' : 'denied',
    details: { method: 'GET', status, query: { q: 'x'.repeat(600) } },
    justification: 'j'.repeat(2000),
  });

  it('starts a new sample each interval and writes the ended interval as one summary', () => {
    let t = 0;
    const s = new AnonymousFailureSampler({ windowMs: 1000, sampleFirst: 2 }, () => t);
    const written: AuditInput[] = [];
    for (let i = 0; i < 50; i++) written.push(...s.note('192.0.2.1', fail('GET /api/x', 401)));
    expect(written).toHaveLength(2);
    expect(written[0]).not.toHaveProperty('justification');
    expect(s.pending).toBe(48);
    t = 999;
    expect(s.expire()).toEqual([]);
    t = 1000;
    // The next failure from the same source closes the interval (a summary) and is sampled afresh.
    const next = s.note('192.0.2.1', fail('GET /api/x', 401));
    expect(next.map((r) => r.action)).toEqual(['anonymous.failures', 'read']);
    expect(next[0].details).toMatchObject({ count: 48, recordedInFull: 2 });
    t = 5000;
    expect(s.expire()).toEqual([]); // nothing counted in the new interval: no summary
  });

  it('keeps the names tried at sign-in, a few of them', () => {
    const s = new AnonymousFailureSampler({ sampleFirst: 0 });
    for (let i = 0; i < 100; i++) s.note('192.0.2.1', fail('POST /api/auth/login', 401, `user${i}`));
    const [summary] = s.expire(Date.now(), true);
    expect(summary).toMatchObject({ outcome: 'failed', details: { count: 100 } });
    expect(summary.details?.namesTried).toHaveLength(20);
  });

  it('bounds what it tracks: sources beyond the limit share a bucket, full records a budget', () => {
    const s = new AnonymousFailureSampler({ maxSources: 10, sampleFirst: 3, maxFullPerWindow: 20 });
    let full = 0;
    for (let i = 0; i < 100; i++)
      for (let j = 0; j < 3; j++) full += s.note(`198.51.100.${i}`, fail('GET /api/x', 401)).length;
    expect(full).toBe(20);
    const summaries = s.expire(Date.now(), true);
    expect(summaries.length).toBeLessThanOrEqual(11);
    expect(summaries.reduce((n, r) => n + (r.details?.count as number), 0)).toBe(280);
    expect(summaries.some((r) => r.details?.source === 'other sources')).toBe(true);
  });

  it('counts IPv6 callers by their /64', () => {
    expect(sourceOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(sourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('203.0.113.7')).toBe('203.0.113.7');
  });
});
