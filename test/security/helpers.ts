// Shared by the security tests (and usable by any API test that needs a signed-in user): a real SQLite
// store in a temp dir, users with known passwords, and sign-in over real HTTP or inject.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../server/domain/model.ts';
import type { SecurityStore } from '../../server/store/security-store.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';
import { hashPassword } from '../../server/security/passwords.ts';

export const TEST_PASSWORD = 'Correct-Horse-Battery-9';

export interface TempStore {
  stores: SqliteStores;
  dir: string;
  dbPath: string;
  cleanup(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-sec-'));
  const dbPath = join(dir, 'test.db');
  const ts: TempStore = {
    stores: await openSqliteStores(dbPath),
    dir,
    dbPath,
    // The store a test last put in `stores` (one may close it and open the file again).
    async cleanup() {
      await ts.stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ts;
}

/** One user per role, named after it, all with TEST_PASSWORD. */
export async function createRoleUsers(security: SecurityStore, roles: readonly Role[]): Promise<void> {
  const hash = await hashPassword(TEST_PASSWORD);
  for (const role of roles) {
    if (!(await security.getUserByName(role)))
      await security.createUser({ name: role, role, passwordHash: hash });
  }
}

export interface SignedIn {
  /** Cookie header value to send. */
  cookie: string;
  csrf: string;
  /** Headers for a write: cookie + x-csrf-token. */
  headers: Record<string, string>;
}

/** Signs in through POST /api/auth/login with app.inject. */
export async function signIn(
  app: FastifyInstance,
  name: string,
  password = TEST_PASSWORD,
): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${name} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
