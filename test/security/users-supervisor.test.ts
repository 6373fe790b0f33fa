import './fast-kdf.ts';
// Supervisors manage the accounts of analysts and viewers (issue 15: a supervisor disables a user) and
// nothing above them: creating, changing, promoting to, or resetting the password of a supervisor or an
// admin is refused with 403 saying to ask an administrator, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { securedApp } from './app.ts';
import { createRoleUsers, signIn, tempStore, type SignedIn, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;
let sup: SignedIn;
const ids = new Map<string, string>();

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ['admin', 'supervisor', 'analyst', 'viewer']);
  for (const u of (await ts.stores.security.listUsers({ limit: 100 })).items) ids.set(u.name, u.id);
  app = await securedApp(ts.stores);
  sup = await signIn(app, 'supervisor');
});
afterAll(async () => {
  await app.close();
  await ts.cleanup();
});

const call = (method: 'POST' | 'PATCH', url: string, payload: object) =>
  app.inject({ method, url, payload, headers: sup.headers });

describe('a supervisor and user accounts', () => {
  it('lists users, creates an analyst, disables and re-enables them, and resets their password', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/users', headers: sup.headers });
    expect(list.statusCode).toBe(200);
    const made = await call('POST', '/api/users', { name: 'new.analyst', role: 'analyst' });
    expect(made.statusCode, made.body).toBe(200);
    const id = (made.json() as { user: { id: string } }).user.id;
    const off = await call('PATCH', `/api/users/${id}`, { disabled: true });
    expect(off.statusCode, off.body).toBe(200);
    expect((await ts.stores.security.getUser(id))!.disabled).toBe(true);
    expect((await call('PATCH', `/api/users/${id}`, { disabled: false, role: 'viewer' })).statusCode).toBe(
      200,
    );
    expect(await ts.stores.security.getUser(id)).toMatchObject({ disabled: false, role: 'viewer' });
    const reset = await call('POST', `/api/users/${ids.get('analyst')}/password`, {});
    expect(reset.statusCode, reset.body).toBe(200);
  });

  it('may not create, change, promote to or reset a supervisor or an admin', async () => {
    const refused = [
      await call('POST', '/api/users', { name: 'new.super', role: 'supervisor' }),
      await call('POST', '/api/users', { name: 'new.admin', role: 'admin' }),
      await call('PATCH', `/api/users/${ids.get('admin')}`, { disabled: true }),
      await call('PATCH', `/api/users/${ids.get('viewer')}`, { role: 'supervisor' }),
      await call('PATCH', `/api/users/${ids.get('supervisor')}`, { role: 'analyst' }),
      await call('POST', `/api/users/${ids.get('admin')}/password`, {}),
    ];
    for (const r of refused) {
      expect(r.statusCode, r.body).toBe(403);
      expect((r.json() as { error: { message: string } }).error.message).toMatch(/ask an administrator/);
    }
    const after = (await ts.stores.security.listUsers({ limit: 100 })).items;
    expect(after.map((u) => u.name)).not.toContain('new.super');
    expect(after.map((u) => u.name)).not.toContain('new.admin');
    expect(after.find((u) => u.name === 'admin')).toMatchObject({ disabled: false, role: 'admin' });
    expect(after.find((u) => u.name === 'viewer')!.role).toBe('viewer');
    // The admin's password still works: the refused reset changed nothing.
    await signIn(app, 'admin');
  });

  it('a viewer may not manage accounts at all', async () => {
    const viewer = await signIn(app, 'viewer');
    const r = await app.inject({ method: 'GET', url: '/api/users', headers: viewer.headers });
    expect(r.statusCode).toBe(403);
  });
});
