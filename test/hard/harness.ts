// The hard battery's one server launcher: starts test/hard/serve.ts (set up by its environment) as a child
// process (so it can be killed with SIGKILL) and talks real HTTP to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HARD_USER = 'hard-admin';
export const HARD_PASSWORD = 'Basalt-Meridian-Orchard-42';

export interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server has written so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Set over the battery's environment (LINKCHART_DB, the admin HARD_USER with HARD_PASSWORD, a cheap scrypt,
   * LOG_LEVEL error); a variable given as undefined is left out.
   */
  env?: Record<string, string | undefined>;
  /** Node flags before the script (e.g. `npm start`'s V8 flag). */
  nodeArgs?: string[];
  /** The serve script (default test/hard/serve.ts). */
  script?: string;
  /** The stdout line saying the server is up, its port the first group (default `LISTENING <port>`). */
  ready?: RegExp;
  /** How long it may take to say so (ms, default 60 s). */
  startTimeoutMs?: number;
}

export function tempDb(): { dir: string; dbPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-hard-'));
  return { dir, dbPath: join(dir, 'hard.db') };
}

export function startServer(dbPath: string, opts: ServerOptions = {}): Promise<Server> {
  const script = opts.script ?? 'test/hard/serve.ts';
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    env: {
      ...process.env,
      LINKCHART_DB: dbPath,
      HARD_USER,
      HARD_PASSWORD,
      LINKCHART_SCRYPT_LOG2N: '10',
      LOG_LEVEL: 'error',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let all = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (all += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = opts.ready ?? /LISTENING (\d+)/;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start: ${all}`)),
      opts.startTimeoutMs ?? 60_000,
    );
    const onData = (d: Buffer) => {
      all += d.toString();
      out += d.toString();
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      out = '';
      child.stdout!.off('data', onData).on('data', (d: Buffer) => (all += d.toString()));
      const port = Number(m[1]);
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        child,
        output: () => all,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
        async kill9() {
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${all}`));
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
