// Shared by the sign-in battery (test/hard/signin-*.test.ts): starts test/hard/serve.ts with the login
// throttle as `npm start` has it (its defaults, or the LINKCHART_LOGIN_* settings in the environment) and
// the real scrypt cost, so the attacks meet the real limits, over a real SQLite file; and sends requests
// from a chosen loopback address (127.0.0.2, 127.0.0.3, ...: each one a different machine to the server),
// every request on its own connection so a burst really arrives at once.
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { startServer, tempDb, type Server } from './harness.ts';

export const SIGNIN_PASSWORD = 'Obsidian-Harbour-Lantern-73';

export type SigninServer = Pick<Server, 'url' | 'port' | 'stop'>;

/** `users`: analysts, password SIGNIN_PASSWORD; no admin. The database is removed at stop. */
export async function startSigninServer(
  users: string[],
  env: Record<string, string> = {},
): Promise<SigninServer> {
  const { dir, dbPath } = tempDb();
  const server = await startServer(dbPath, {
    env: {
      HARD_USER: undefined,
      HARD_PASSWORD: undefined,
      LINKCHART_SCRYPT_LOG2N: process.env.LINKCHART_SCRYPT_LOG2N,
      HARD_ANALYSTS: users.join(','),
      HARD_ANALYSTS_PASSWORD: SIGNIN_PASSWORD,
      HARD_THROTTLE_LIFT: '',
      ...env,
    },
  });
  return {
    url: server.url,
    port: server.port,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One JSON POST on a fresh connection from `from` (a loopback address). */
export function post(
  server: SigninServer,
  path: string,
  body: unknown,
  opts: { from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        agent: false,
        localAddress: opts.from ?? '127.0.0.1',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export function signInOnce(server: SigninServer, name: string, password: string, from?: string) {
  return post(server, '/api/auth/login', { name, password }, { from });
}

/** Signs in and returns the headers a write needs (cookie + x-csrf-token). */
export async function session(
  server: SigninServer,
  name: string,
  password: string,
  from?: string,
): Promise<Record<string, string>> {
  const res = await signInOnce(server, name, password, from);
  if (res.status !== 200) throw new Error(`sign-in as ${name} failed: ${res.status} ${res.body}`);
  const cookie = ([res.headers['set-cookie'] ?? []].flat() as string[])
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
  return { cookie, 'x-csrf-token': csrf };
}

/** How many answers had each status: {401: 5, 429: 35}. */
export function tally(answers: Answer[]): Record<number, number> {
  const t: Record<number, number> = {};
  for (const a of answers) t[a.status] = (t[a.status] ?? 0) + 1;
  return t;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
