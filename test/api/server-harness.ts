// A real server on a random loopback port over a real SQLite file in a temp dir, with a signed-in
// admin session, for API tests. close() removes everything it made.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import type { Limits } from '../../server/config.ts';
import { loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import type { Role } from '../../server/domain/model.ts';

export interface Harness {
  app: FastifyInstance;
  stores: Stores;
  url: string;
  dir: string;
  /** Cookie and CSRF headers of a signed-in user. */
  auth: Record<string, string>;
  /** fetch against the server with the session headers. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: unknown; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { limits?: Partial<Limits>; role?: Role; webDist?: string } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-api-'));
  const stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') });
  const config = { ...loadConfig({}, dir), ...(opts.webDist ? { webDist: opts.webDist } : {}) };
  const app = await buildApp({
    stores,
    config,
    ...(opts.limits ? { limits: opts.limits } : {}),
    security: { audit: false },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const user = await stores.security.createUser({
    name: 'tester',
    role: opts.role ?? 'admin',
    passwordHash: 'not-used',
  });
  const { id, session } = await app.security.sessions.create({
    id: user.id,
    name: user.name,
    role: user.role,
  });
  const auth = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
  return {
    app,
    stores,
    url,
    dir,
    auth,
    async call(method, path, body, headers = {}) {
      const isText = typeof body === 'string' || body instanceof Uint8Array;
      const res = await fetch(url + path, {
        method,
        headers: {
          ...auth,
          ...(body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: isText ? (body as string) : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let json: unknown = undefined;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, json, text, headers: res.headers };
    },
    async close() {
      await app.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
