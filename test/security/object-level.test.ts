import './fast-kdf.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { securedApp } from './app.ts';
import { TEST_PASSWORD, createRoleUsers, signIn, tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;
beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  await ts.stores.security.createUser({
    name: 'analyst2',
    role: 'analyst',
    passwordHash: await hashPassword(TEST_PASSWORD),
  });
  app = await securedApp(ts.stores);
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('object-level access', () => {
  it('a chart can be changed or deleted by its owner, a supervisor or an admin, not another analyst', async () => {
    const owner = await signIn(app, 'analyst');
    const other = await signIn(app, 'analyst2');
    const sup = await signIn(app, 'supervisor');
    const made = await app.inject({
      method: 'POST',
      url: '/api/charts',
      headers: owner.headers,
      payload: { name: 'Mine', state: {} },
    });
    expect(made.statusCode, made.body).toBeLessThan(300);
    const id = made.json().id as string;
    const put = (h: Record<string, string>) =>
      app.inject({
        method: 'PUT',
        url: `/api/charts/${id}`,
        headers: h,
        payload: { name: 'Changed', state: { a: 1 } },
      });
    const denied = await put(other.headers);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('not_owner');
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/charts/${id}`, headers: other.headers })).statusCode,
    ).toBe(403);
    expect((await app.inject({ url: `/api/charts/${id}`, headers: other.headers })).statusCode).toBe(200);
    expect((await put(owner.headers)).statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/charts/${id}`, headers: sup.headers })).statusCode,
    ).toBeLessThan(300);
    const audit = (await ts.stores.security.listAudit({ objectId: id })).items.map((a) => [
      a.actor,
      a.action,
      a.outcome,
    ]);
    expect(audit).toContainEqual(['analyst2', 'change', 'denied']);
    expect(audit).toContainEqual(['supervisor', 'delete', 'ok']);
  });
});
