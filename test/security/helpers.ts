// Shared by the security tests (and usable by any API test that needs a signed-in user): a real SQLite
// store in a temp dir, users with known passwords, and sign-in over real HTTP or inject.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../server/domain/model.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { hashPassword } from '../../server/security/passwords.ts';

export const TEST_PASSWORD = 'Correct-Horse-Battery-9';

export interface TempStore {
  store: GraphStore;
  dir: string;
  dbPath: string;
  cleanup(): Promise<void>;
}

export async function tempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-sec-'));
  const dbPath = join(dir, 'test.db');
  const store = await openSqliteStore(dbPath);
  return {
    store,
    dir,
    dbPath,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One user per role, named after it, all with TEST_PASSWORD. */
export async function createRoleUsers(store: GraphStore, roles: readonly Role[]): Promise<void> {
  const hash = await hashPassword(TEST_PASSWORD);
  for (const role of roles) {
    if (!(await store.getUserByName(role))) await store.createUser({ name: role, role, passwordHash: hash });
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
