// The real app on a local port with a fresh analyst signed in: what the API benches measure through (the
// request's session, need-to-know and audit record included).
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Stores } from '../server/store/stores.ts';

export interface SignedInApp {
  app: FastifyInstance;
  url: string;
  /** The analyst's session cookie and CSRF token. */
  headers: { cookie: string; 'x-csrf-token': string };
  user: { id: string; name: string };
}

/** Builds and starts the app on `stores` (config under `dir`) and signs a new analyst in; close `app` after. */
export async function signedInApp(stores: Stores, dir: string): Promise<SignedInApp> {
  const app: FastifyInstance = await buildApp({ stores, config: loadConfig({}, dir) });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const user = await stores.security.createUser({
      name: `bench-${Math.random().toString(36).slice(2, 8)}`,
      role: 'analyst',
      passwordHash: 'x',
    });
    const { id, session } = await app.security.sessions.create({
      id: user.id,
      name: user.name,
      role: user.role,
    });
    const headers = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
    return { app, url, headers, user };
  } catch (e) {
    await app.close();
    throw e;
  }
}
