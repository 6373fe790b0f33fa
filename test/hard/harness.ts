// Starts test/hard/serve.ts as a child process (so it can be killed with SIGKILL) and talks real HTTP to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HARD_USER = 'hard-admin';
export const HARD_PASSWORD = 'Basalt-Meridian-Orchard-42';

export interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export function tempDb(): { dir: string; dbPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-hard-'));
  return { dir, dbPath: join(dir, 'hard.db') };
}

export function startServer(dbPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/hard/serve.ts'], {
    env: {
      ...process.env,
      LINKCHART_DB: dbPath,
      HARD_USER,
      HARD_PASSWORD,
      LINKCHART_SCRYPT_LOG2N: '10',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          child,
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
          async kill9() {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${err}`));
    });
  });
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function login(url: string, name = HARD_USER, password = HARD_PASSWORD): Promise<Session> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
