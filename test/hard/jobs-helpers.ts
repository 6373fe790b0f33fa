// Shared by the jobs-* hard tests: a real server over a SQLite file holding a community graph, users of
// given roles created through the admin API (generated passwords), and small HTTP helpers.
import { rmSync } from 'node:fs';
import { loadCommunityGraph } from '../../seed/community-store.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { login, startServer, tempDb, type Server, type Session } from './harness.ts';

export interface JobsServer {
  server: Server;
  url: string;
  admin: Session;
  /** Creates a user with `role` and signs them in. */
  user(name: string, role: 'viewer' | 'analyst' | 'supervisor' | 'admin'): Promise<Session>;
  close(): Promise<void>;
}

export async function startJobsServer(nodes: number): Promise<JobsServer> {
  const { dir, dbPath } = tempDb();
  const stores = await openSqliteStores(dbPath);
  await loadCommunityGraph(stores.graph, { n: nodes, meanDegree: 4, seed: 3 }, 'hard');
  await stores.close();
  const server = await startServer(dbPath);
  const admin = await login(server.url);
  return {
    server,
    url: server.url,
    admin,
    async user(name, role) {
      const res = await fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name, role }),
      });
      if (res.status !== 200) throw new Error(`creating ${name}: ${res.status} ${await res.text()}`);
      const { generatedPassword } = (await res.json()) as { generatedPassword: string };
      return login(server.url, name, generatedPassword);
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  json: unknown;
  text: string;
  headers: Headers;
}

export async function call(
  url: string,
  s: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...s.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export interface JobStatusLike {
  id: string;
  state: string;
  progress: number;
  phase: string;
  error: string | null;
}

export const isFinal = (s: string): boolean => s === 'done' || s === 'failed' || s === 'cancelled';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
