// Annotations belong to their authors as charts to their owners (server/security/ownership.ts): another
// analyst gets 403 naming the owner, a supervisor or admin gets through and the record says whose it was;
// a PATCH changes only the fields it sends.
import './fast-kdf.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { OWNED_ROUTES, ownerOverride, ownershipConflict } from '../../server/security/ownership.ts';
import { securedApp } from './app.ts';
import { TEST_PASSWORD, createRoleUsers, signIn, tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;
let entityId = '';

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  await ts.stores.security.createUser({
    name: 'analyst2',
    role: 'analyst',
    passwordHash: await hashPassword(TEST_PASSWORD),
  });
  app = await securedApp(ts.stores);
  const w = await ts.stores.graph.writeBatch(
    { entities: [{ type: 'Person', label: 'Noted', key: 'noted' }] },
    { actor: 'seed' },
  );
  entityId = w.entityIds[0];
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('annotation ownership', () => {
  it('every write route of a note or a chart has an owner rule', () => {
    expect(Object.keys(OWNED_ROUTES).sort()).toEqual([
      'DELETE /api/annotations/:id',
      'DELETE /api/charts/:id',
      'PATCH /api/annotations/:id',
      'PUT /api/charts/:id',
    ]);
    for (const r of Object.keys(OWNED_ROUTES)) {
      const [method, url] = r.split(' ');
      expect(
        app.security.routes.some((x) => x.method === method && x.url === url),
        r,
      ).toBe(true);
    }
  });

  it('the owner and the override roles may change a note; another analyst may not, and it says whose it is', async () => {
    const owner = await signIn(app, 'analyst');
    const other = await signIn(app, 'analyst2');
    const admin = await signIn(app, 'admin');
    const made = await app.inject({
      method: 'POST',
      url: '/api/annotations',
      headers: owner.headers,
      payload: { target: { kind: 'entity', id: entityId }, text: 'Mine', tags: ['a'], target_flag: true },
    });
    expect(made.statusCode).toBe(201);
    const id = made.json().id as string;
    const patch = (h: Record<string, string>, payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/api/annotations/${id}`, headers: h, payload });

    const denied = await patch(other.headers, { text: 'Not yours' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({ code: 'not_owner' });
    expect(denied.json().error.message).toContain('analyst');
    const del = await app.inject({ method: 'DELETE', url: `/api/annotations/${id}`, headers: other.headers });
    expect(del.statusCode).toBe(403);

    const mine = await patch(owner.headers, { text: 'Mine, edited' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      text: 'Mine, edited',
      tags: ['a'],
      targetFlag: true,
      author: 'analyst',
    });
    const flag = await patch(owner.headers, { target_flag: false });
    expect(flag.json()).toMatchObject({ text: 'Mine, edited', tags: ['a'], targetFlag: false });
    expect((await patch(owner.headers, { tags: ['b'], colour: 'red' })).statusCode).toBe(400);

    const fixed = await patch(admin.headers, { text: 'Corrected' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().author).toBe('analyst');
    const recs = (await ts.stores.security.listAudit({ objectId: id })).items;
    expect(recs.find((r) => r.actor === 'analyst2' && r.action === 'change')?.outcome).toBe('denied');
    expect(recs.find((r) => r.actor === 'admin')?.details?.ownerOverride).toEqual({
      owner: 'analyst',
      by: 'admin',
      role: 'admin',
    });
    // The owner's own change is no override.
    expect(recs.filter((r) => r.actor === 'analyst').every((r) => !r.details?.ownerOverride)).toBe(true);

    expect((await patch(other.headers, { text: 'x' })).statusCode).toBe(403);
    const gone = await app.inject({
      method: 'DELETE',
      url: `/api/annotations/${id}`,
      headers: admin.headers,
    });
    expect(gone.statusCode).toBe(200);
    // Nothing left to own: 404 for everyone.
    expect((await patch(other.headers, { text: 'x' })).statusCode).toBe(404);
  });

  it('ownershipConflict and ownerOverride read the owner from the store', async () => {
    const a = await ts.stores.workspace.createAnnotation(
      { target: { kind: 'entity', id: entityId }, text: 'n' },
      { actor: 'analyst' },
    );
    const key = 'PATCH /api/annotations/:id';
    const ana2 = { name: 'analyst2', role: 'analyst' as const };
    const sup = { name: 'supervisor', role: 'supervisor' as const };
    expect(await ownershipConflict(ts.stores.workspace, key, a.id, ana2)).toBe('analyst');
    expect(await ownershipConflict(ts.stores.workspace, key, a.id, sup)).toBeNull();
    expect(await ownerOverride(ts.stores.workspace, key, a.id, sup)).toBe('analyst');
    expect(
      await ownerOverride(ts.stores.workspace, key, a.id, { name: 'analyst', role: 'admin' }),
    ).toBeNull();
    expect(await ownershipConflict(ts.stores.workspace, key, 'no-such', ana2)).toBeNull();
  });
});
