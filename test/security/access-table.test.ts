import './fast-kdf.ts';
// Every route of the real app against the access table kept in the repo (docs/security-access-table.json):
// without a session, with a forged one and with an expired one it answers 401 (unless public); as each
// role it is allowed or refused exactly as the table says. A route missing from the table, or whose
// rule differs from it, fails here. After a deliberate change, regenerate the table with
//   UPDATE_ACCESS_TABLE=1 npx vitest run test/security/access-table.test.ts
// and review its diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../server/domain/model.ts';
import { ROLE_PERMISSIONS, type Permission } from '../../server/security/permissions.ts';
import { SessionStore } from '../../server/security/sessions.ts';
import { securedApp } from './app.ts';
import { createRoleUsers, signIn, tempStore, type SignedIn, type TempStore } from './helpers.ts';

const TABLE_PATH = new URL('../../docs/security-access-table.json', import.meta.url);

interface AccessTable {
  about: string;
  roles: Record<Role, Permission[]>;
  routes: Record<string, { access: Permission; allowed: Role[] }>;
}

let ts: TempStore;
let app: FastifyInstance;
let clock = Date.now();
let routes: Array<{ key: string; method: string; url: string; access: Permission }>;

function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'x1').replace(/\*$/, 'x1');
}

function inject(method: string, url: string, headers: Record<string, string>) {
  return app.inject({ method: method as 'GET', url: concrete(url), headers });
}

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ROLES);
  app = await securedApp(ts.stores, { sessions: new SessionStore({ now: () => clock }) });
  routes = app.security.routes
    .map((r) => ({ ...r, key: `${r.method} ${r.url}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('access table', () => {
  it('every route of the app is in the table with the same rule, and nothing else is', async () => {
    const built: AccessTable = {
      about:
        'Who may call each API route. Checked by test/security/access-table.test.ts against the running app; regenerate with UPDATE_ACCESS_TABLE=1 after a deliberate change.',
      roles: Object.fromEntries(ROLES.map((r) => [r, [...ROLE_PERMISSIONS[r]]])) as AccessTable['roles'],
      routes: Object.fromEntries(
        routes.map((r) => [
          r.key,
          { access: r.access, allowed: ROLES.filter((role) => ROLE_PERMISSIONS[role].has(r.access)) },
        ]),
      ),
    };
    if (process.env.UPDATE_ACCESS_TABLE === '1') {
      const { format, resolveConfig } = await import('prettier');
      const options = { ...(await resolveConfig(TABLE_PATH)), filepath: TABLE_PATH.pathname };
      writeFileSync(TABLE_PATH, await format(JSON.stringify(built, null, 2), options));
    }
    const table = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as AccessTable;
    expect(Object.keys(table.routes).sort()).toEqual(routes.map((r) => r.key));
    for (const r of routes)
      expect({ route: r.key, access: table.routes[r.key].access }).toEqual({
        route: r.key,
        access: r.access,
      });
    expect(table.roles).toEqual(built.roles);
  });

  it('every non-public route answers 401 without a session, with a forged one and with an expired one', async () => {
    const table = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as AccessTable;
    const s = await signIn(app, 'admin');
    clock += 31 * 60_000; // s is now expired
    const forged = `linkchart_session=${randomBytes(16).toString('base64url')}`;
    let checked = 0;
    for (const r of routes) {
      if (table.routes[r.key]?.access === 'public') continue;
      for (const headers of [{}, { cookie: forged, 'x-csrf-token': 'x' }, s.headers]) {
        const res = await inject(r.method, r.url, headers);
        expect({ route: r.key, status: res.statusCode }).toEqual({ route: r.key, status: 401 });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('as each role, every route is allowed or refused exactly as the table says', async () => {
    const table = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as AccessTable;
    // Sign-out last, so it does not end the session the other calls use.
    const order = [...routes].sort(
      (a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')),
    );
    for (const role of ROLES) {
      const s: SignedIn = await signIn(app, role);
      for (const r of order) {
        const res = await inject(r.method, r.url, s.headers);
        const code =
          res.headers['content-type']?.toString().includes('json') && res.body
            ? (res.json()?.error?.code ?? null)
            : null;
        // A HEAD response has no body to name the refusal; a plain 403 there can only be the plugin's.
        const refused =
          res.statusCode === 401 ||
          (res.statusCode === 403 && (r.method === 'HEAD' || code === 'forbidden' || code === 'csrf'));
        const expected = table.routes[r.key].allowed.includes(role);
        expect({ route: r.key, role, allowed: !refused, status: res.statusCode }).toMatchObject({
          route: r.key,
          role,
          allowed: expected,
        });
        expect(res.statusCode, `${role} ${r.key}`).toBeLessThan(500);
      }
    }
  });
});
