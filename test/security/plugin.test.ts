import './fast-kdf.ts';
// The security plugin on a small app of its own (real SQLite store, real routes): guard, 401/403, CSRF,
// expiry, logout, disable, lockout, headers, viewer redaction, no internals in a 500.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/routes/errors.ts';
import auth from '../../server/routes/auth.ts';
import users from '../../server/routes/users.ts';
import { loadConfig } from '../../server/config.ts';
import { securityPlugin } from '../../server/security/plugin.ts';
import { LoginThrottle, SessionStore } from '../../server/security/sessions.ts';
import { CONDITIONS_WITHHELD, WITHHELD } from '../../server/security/redact.ts';
import { ROLES } from '../../server/domain/model.ts';
import { TEST_PASSWORD, createRoleUsers, signIn, tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;
let clock = Date.now();
const sessions = new SessionStore({ now: () => clock });

const report = {
  id: 'r1',
  ref: 'INT/1',
  date: '2025-01-01',
  author: 'DC Source Handler',
  text: 'CHIS 4471 says...',
  source: 1,
  intel: 'A',
  handling: 'C',
  conditions: 'Do not disclose: CHIS 4471',
  reviewDate: null,
  createdAt: '2025-01-01',
};

async function build(): Promise<FastifyInstance> {
  const a = Fastify();
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  a.setErrorHandler(errorHandler);
  await a.register(securityPlugin, {
    stores: ts.stores,
    sessions,
    throttle: new LoginThrottle({ now: () => clock }),
  });
  const deps = { stores: ts.stores, config: loadConfig({}) };
  await a.register(
    async (api) => {
      await api.register(auth, deps);
      await api.register(users, deps);
      api.get('/thing', { config: { access: 'graph:read' } }, async () => ({ id: 'e1', reports: [report] }));
      api.post('/thing', { config: { access: 'graph:write' } }, async () => ({ ok: true }));
      api.get('/boom', { config: { access: 'graph:read' } }, async () => {
        throw new Error('SQLITE_CORRUPT at /secret/path/db.sqlite line 42');
      });
    },
    { prefix: '/api' },
  );
  await a.ready();
  return a;
}

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  app = await build();
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('route guard', () => {
  it('refuses to register an /api route without an access rule, or with an unknown one', async () => {
    const a = Fastify();
    await a.register(securityPlugin, { stores: ts.stores });
    expect(() => a.get('/api/open', async () => 'x')).toThrow(/declares no access rule/);
    expect(() => a.post('/anything', async () => 'x')).toThrow(/declares no access rule/);
    expect(() => a.get('/api/odd', { config: { access: 'everything' as never } }, async () => 'x')).toThrow(
      /unknown access/,
    );
    await a.close();
  });
});

describe('authentication', () => {
  it('401 without a session, with a forged one and with an expired one', async () => {
    expect((await app.inject({ url: '/api/thing' })).statusCode).toBe(401);
    const forged = await app.inject({
      url: '/api/thing',
      headers: { cookie: 'linkchart_session=AAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('unauthenticated');
    const s = await signIn(app, 'analyst');
    expect((await app.inject({ url: '/api/thing', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    clock += 31 * 60_000;
    expect((await app.inject({ url: '/api/thing', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('sets HttpOnly SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'viewer', password: TEST_PASSWORD },
    });
    const sc = res.headers['set-cookie'] as string[];
    expect(sc.find((c) => c.startsWith('linkchart_session='))).toMatch(/HttpOnly/);
    expect(sc.find((c) => c.startsWith('linkchart_session='))).toMatch(/SameSite=Strict/);
    expect(sc.find((c) => c.startsWith('linkchart_csrf='))).not.toMatch(/HttpOnly/);
  });

  it('403 when the role lacks the permission', async () => {
    const v = await signIn(app, 'viewer');
    const res = await app.inject({ method: 'POST', url: '/api/thing', headers: v.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    const a = await signIn(app, 'analyst');
    expect((await app.inject({ url: '/api/users', headers: a.headers })).statusCode).toBe(403);
  });

  it('CSRF: a cookie-authenticated write needs the matching x-csrf-token, and same origin', async () => {
    const a = await signIn(app, 'analyst');
    const noToken = await app.inject({ method: 'POST', url: '/api/thing', headers: { cookie: a.cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/thing',
      headers: { cookie: a.cookie, 'x-csrf-token': 'x'.repeat(22) },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/thing', headers: a.headers })).statusCode).toBe(
      200,
    );
    const cross = await app.inject({
      method: 'POST',
      url: '/api/thing',
      headers: { ...a.headers, origin: 'https://evil.example', host: 'linkchart.local' },
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('cross_origin');
  });

  it('logout ends the session server-side; replaying the old cookie gets 401', async () => {
    const a = await signIn(app, 'analyst');
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/logout', headers: a.headers })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/api/auth/whoami', headers: a.headers })).statusCode).toBe(401);
  });

  it('disabling a user ends their sessions at once', async () => {
    const admin = await signIn(app, 'admin');
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { name: 'temp-user', role: 'analyst' },
    });
    expect(created.statusCode).toBe(200);
    const { user, generatedPassword } = created.json();
    expect(generatedPassword).toHaveLength(20);
    const t = await signIn(app, 'temp-user', generatedPassword);
    expect((await app.inject({ url: '/api/thing', headers: t.headers })).statusCode).toBe(200);
    const dis = await app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(dis.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/thing', headers: t.headers })).statusCode).toBe(401);
    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'temp-user', password: generatedPassword },
    });
    expect(again.statusCode).toBe(401);
  });

  it('refuses a weak password when an admin creates a user', async () => {
    const admin = await signIn(app, 'admin');
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { name: 'weak-user', role: 'viewer', password: 'password1234' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/commonly used/);
  });

  it('locks sign-in after 5 failures for that name and address, with Retry-After', async () => {
    const bad = {
      method: 'POST' as const,
      url: '/api/auth/login',
      payload: { name: 'supervisor', password: 'wrong-password-123' },
    };
    for (let i = 0; i < 5; i++) expect((await app.inject(bad)).statusCode).toBe(401);
    const locked = await app.inject({ ...bad, payload: { name: 'supervisor', password: TEST_PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    clock += 16 * 60_000;
    expect(
      (await app.inject({ ...bad, payload: { name: 'supervisor', password: TEST_PASSWORD } })).statusCode,
    ).toBe(200);
  });
});

describe('passwords over the API', () => {
  it('changing my password needs the current one, checks the policy, and ends my other sessions', async () => {
    const admin = await signIn(app, 'admin');
    const made = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { name: 'changer', role: 'viewer' },
    });
    const first = made.json().generatedPassword as string;
    const a = await signIn(app, 'changer', first);
    const b = await signIn(app, 'changer', first);
    const change = (h: Record<string, string>, current: string, next: string) =>
      app.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { current, next } });
    expect((await change(a.headers, 'not-the-password', 'Quartz-Lantern-Ferry-8')).statusCode).toBe(403);
    const weak = await change(a.headers, first, 'letmein12345');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const ok = await change(a.headers, first, 'Quartz-Lantern-Ferry-8');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await app.inject({ url: '/api/auth/whoami', headers: b.headers })).statusCode).toBe(401);
    const fresh = ok.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await app.inject({ url: '/api/auth/whoami', headers: { cookie: fresh } })).statusCode).toBe(200);
    expect((await signIn(app, 'changer', 'Quartz-Lantern-Ferry-8')).csrf).toHaveLength(22);
  });

  it("an admin reset generates a new password and ends the user's sessions", async () => {
    const admin = await signIn(app, 'admin');
    const made = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { name: 'resetme', role: 'viewer' },
    });
    const { user, generatedPassword } = made.json();
    const s = await signIn(app, 'resetme', generatedPassword);
    const reset = await app.inject({
      method: 'POST',
      url: `/api/users/${user.id}/password`,
      headers: admin.headers,
      payload: {},
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const next = reset.json().generatedPassword as string;
    expect(next).not.toBe(generatedPassword);
    expect((await app.inject({ url: '/api/auth/whoami', headers: s.headers })).statusCode).toBe(401);
    await expect(signIn(app, 'resetme', generatedPassword)).rejects.toThrow(/401/);
    expect((await signIn(app, 'resetme', next)).csrf).toHaveLength(22);
    const list = await app.inject({ url: '/api/users', headers: admin.headers });
    expect(list.body).not.toMatch(/scrypt|passwordHash/);
  });
});

describe('responses', () => {
  it('carries the security headers on every response, 404s included', async () => {
    for (const url of ['/api/thing', '/nowhere', '/api/auth/whoami']) {
      const res = await app.inject({ url });
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS and __Host- cookies when served over TLS', async () => {
    const a = Fastify();
    a.setValidatorCompiler(validatorCompiler);
    a.setSerializerCompiler(serializerCompiler);
    await a.register(securityPlugin, { stores: ts.stores, secure: true });
    await a.register(auth, { prefix: '/api', stores: ts.stores, config: loadConfig({}) });
    const res = await a.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'viewer', password: TEST_PASSWORD },
    });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    const sc = res.headers['set-cookie'] as string[];
    expect(sc.find((c) => c.startsWith('__Host-linkchart='))).toMatch(/Secure/);
    expect(sc.find((c) => c.startsWith('__Host-linkchart='))).toMatch(/Path=\//);
    await a.close();
  });

  it('withholds report author, text and conditions from viewers only', async () => {
    const v = await signIn(app, 'viewer');
    const seen = (await app.inject({ url: '/api/thing', headers: v.headers })).json().reports[0];
    expect(seen.author).toBe(WITHHELD);
    expect(seen.text).toBe('');
    expect(seen.conditions).toBe(CONDITIONS_WITHHELD);
    expect(JSON.stringify(seen)).not.toMatch(/4471|Source Handler/);
    const a = await signIn(app, 'analyst');
    expect((await app.inject({ url: '/api/thing', headers: a.headers })).json().reports[0].author).toBe(
      'DC Source Handler',
    );
  });

  it('a 500 says nothing about internals', async () => {
    const a = await signIn(app, 'analyst');
    const res = await app.inject({ url: '/api/boom', headers: a.headers });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/SQLITE|secret|line 42|at /);
    expect(res.json().error.code).toBe('internal');
  });

  it('withholds the response when its audit record cannot be written', async () => {
    const security = Object.create(ts.stores.security) as typeof ts.stores.security;
    security.appendAudit = security.appendAuditBatch = async () => {
      throw new Error('disk I/O error at /var/lib/secret');
    };
    const failing = Object.create(ts.stores, { security: { value: security } }) as typeof ts.stores;
    const a = Fastify();
    a.setValidatorCompiler(validatorCompiler);
    a.setSerializerCompiler(serializerCompiler);
    a.setErrorHandler(errorHandler);
    await a.register(securityPlugin, { stores: failing, sessions });
    a.get('/api/secret', { config: { access: 'graph:read' } }, async () => ({
      id: 'e1',
      label: 'SECRET DATA',
    }));
    const s = await signIn(app, 'analyst');
    const res = await a.inject({ url: '/api/secret', headers: s.headers });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('audit_unavailable');
    expect(res.body).not.toMatch(/SECRET|disk|\/var/);
    await a.close();
  });
});
