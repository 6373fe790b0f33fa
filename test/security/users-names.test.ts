import './fast-kdf.ts';
// User names are one account ignoring case and Unicode form (issue 16): `Analyst1` cannot be made beside
// `analyst1`, and signing in by any form of the name finds the one account. A SQLite file from before
// (schema 4) that holds names folding alike still opens, keeps both, and reports them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { SCHEMA_VERSION } from '../../server/store/sqlite/schema.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { nameClashes } from '../../server/security/users.ts';
import { securedApp } from './app.ts';
import { TEST_PASSWORD, createRoleUsers, signIn, tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ['admin']);
  app = await securedApp(ts.stores);
});
afterAll(async () => {
  await app.close();
  await ts.cleanup();
});

describe('user names over the API', () => {
  it('refuses a name that differs from an existing one only in case or Unicode form', async () => {
    const admin = await signIn(app, 'admin');
    const made = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { name: 'Analyst1', role: 'analyst', password: 'Granite-Harbour-Lantern-4' },
    });
    expect(made.statusCode, made.body).toBe(200);
    for (const name of ['analyst1', 'ANALYST1']) {
      const again = await app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: { name, role: 'viewer' },
      });
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().error.message).toMatch(/"Analyst1" already exists .*ignoring case/);
    }
  });

  it('signs in by any form of the name, as the account (its stored name)', async () => {
    for (const name of ['analyst1', 'ANALYST1', 'ａｎａｌｙｓｔ１']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name, password: 'Granite-Harbour-Lantern-4' },
      });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      expect(res.json().user.name).toBe('Analyst1');
    }
    const logins = await ts.stores.security.listAudit({ action: 'login' });
    expect(logins.items.at(-1)).toMatchObject({ actor: 'Analyst1', outcome: 'ok' });
  });
});

describe('a SQLite file from before names were folded', () => {
  it('opens with clashing names, keeps both (each by its exact name), and reports them', async () => {
    const old = await tempStore();
    try {
      // Back to what a schema-4 file holds, with two accounts whose names fold alike.
      old.stores.db.exec(
        'DROP INDEX users_name_key; ALTER TABLE users DROP COLUMN name_key; DELETE FROM schema_version WHERE version > 4',
      );
      const ins = old.stores.db.prepare(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, '2024-01-01T00:00:00Z')",
      );
      ins.run('Analyst1', 'analyst', await hashPassword('Granite-Harbour-Lantern-4'));
      ins.run('analyst1', 'viewer', await hashPassword(TEST_PASSWORD));
      ins.run('Bob', 'viewer', await hashPassword(TEST_PASSWORD));
      await old.stores.close();

      old.stores = await openSqliteStores(old.dbPath);
      const db = old.stores.db;
      expect(db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT name, name_key FROM users ORDER BY id').all()).toEqual([
        { name: 'Analyst1', name_key: 'analyst1' },
        { name: 'analyst1', name_key: null },
        { name: 'Bob', name_key: 'bob' },
      ]);
      const sec = old.stores.security;
      expect((await sec.getUserByName('Analyst1'))?.role).toBe('analyst');
      expect((await sec.getUserByName('analyst1'))?.role).toBe('viewer');
      expect((await sec.getUserByName('ANALYST1'))?.role).toBe('analyst');
      expect((await sec.getUserByName('BOB'))?.name).toBe('Bob');
      expect((await nameClashes(sec)).map((g) => g.map((u) => u.name))).toEqual([['Analyst1', 'analyst1']]);
      // The file now refuses a third form, in the database itself too.
      await expect(sec.createUser({ name: 'ANALYST1', role: 'viewer', passwordHash: 'h' })).rejects.toThrow(
        /already exists/,
      );
      expect(() =>
        db
          .prepare(
            "INSERT INTO users (name, name_key, role, password_hash, created_at) VALUES ('bob2', 'bob', 'viewer', 'h', 'x')",
          )
          .run(),
      ).toThrow(/UNIQUE/);

      // Both sign in, each by its exact name.
      const a = await securedApp(old.stores);
      try {
        const as = async (name: string, password: string) =>
          (
            await a.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password } })
          ).json() as { user: { name: string; role: string } };
        expect((await as('Analyst1', 'Granite-Harbour-Lantern-4')).user).toMatchObject({ role: 'analyst' });
        expect((await as('analyst1', TEST_PASSWORD)).user).toMatchObject({
          name: 'analyst1',
          role: 'viewer',
        });
      } finally {
        await a.close();
      }
    } finally {
      await old.cleanup();
    }
  });
});
