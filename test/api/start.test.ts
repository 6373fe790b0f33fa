// `npm start` as a person meets it: a real process on a temp database. An empty store gets the demo network
// and the URL is printed; the demo account is created once (an analyst, audited) and never changed again; search and neighbourhood return real data; a taken port, an unusable database
// file or a bad setting each exit 1 with a sentence saying what to do, never a stack trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/security/passwords.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const START = join(ROOT, 'server/cli/start.ts');
let dir: string;
const running: ChildProcess[] = [];

interface Run {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Run {
  let out = '';
  let err = '';
  const proc = spawn(TSX, [START], {
    cwd: dir,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: 'pipe',
  });
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  running.push(proc);
  return { proc, out: () => out, err: () => err, exited };
}

async function waitFor(r: Run, pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const t0 = Date.now();
  for (;;) {
    const m = r.out().match(pattern);
    if (m) return m;
    if (Date.now() - t0 > ms || r.proc.exitCode !== null)
      throw new Error(`no ${pattern} in:\n${r.out()}\n${r.err()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-start-'));
});
afterAll(() => {
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  let first: Run;
  let url = '';
  let password = '';

  it('loads the demo network into an empty store and prints the URL and the sign-in', async () => {
    first = run({ PORT: '0', LINKCHART_DB: join(dir, 'lc.db') });
    const m = await waitFor(first, /running at (http:\/\/127\.0\.0\.1:\d+)\//);
    url = m[1];
    expect(first.out()).toMatch(/The store is empty: loading the demo network/);
    expect(first.out()).toMatch(/Loaded the demo network: \d+ entities, \d+ links/);
    // The demo account is created on this first start only: an analyst, its password shown once.
    password = (await waitFor(first, /sign in as demo \(analyst\) with password (\S+) \(shown once/))[1];
  });

  it('serves real data: search and neighbourhood after signing in', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'demo', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // Counts are for signed-in callers only.
    const health = (await (await fetch(`${url}/api/health`, { headers: { cookie } })).json()) as {
      counts: { entities: number };
    };
    expect(health.counts.entities).toBeGreaterThan(400);
    const people = (await (
      await fetch(`${url}/api/entities?type=Person&limit=1`, { headers: { cookie } })
    ).json()) as {
      items: Array<{ id: string; label: string }>;
    };
    const name = people.items[0].label.split(' ')[0];
    const search = (await (
      await fetch(`${url}/api/search?q=${encodeURIComponent(name)}`, { headers: { cookie } })
    ).json()) as {
      items: unknown[];
    };
    expect(search.items.length).toBeGreaterThan(0);
    const hood = (await (
      await fetch(`${url}/api/entities/${people.items[0].id}/neighbourhood?hops=1`, { headers: { cookie } })
    ).json()) as {
      nodes: unknown[];
      links: unknown[];
    };
    expect(hood.nodes.length).toBeGreaterThan(1);
    expect(hood.links.length).toBeGreaterThan(0);
  });

  it('a taken port exits 1 saying so and how to fix it', async () => {
    const port = new URL(url).port;
    const second = run({ PORT: port, LINKCHART_DB: join(dir, 'lc.db') });
    expect(await second.exited).toBe(1);
    expect(second.err()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(second.err()).toMatch(/PORT=\d+ npm start/);
    noStack(second.err());
    // The failed start changed nothing of the running one: its printed sign-in still works.
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'demo', password }),
    });
    expect(login.status).toBe(200);
  });

  it('a store with data is left alone on the next start, the demo account included', async () => {
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // The creation was audited; then an administrator disables the account.
    const stores = await openSqliteStores(join(dir, 'lc.db'));
    try {
      const demo = (await stores.security.getUserByName('demo'))!;
      expect(demo).toMatchObject({ role: 'analyst', disabled: false });
      const created = (await stores.security.listAudit({ objectId: demo.id, action: 'users.change' })).items;
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ route: 'npm start', details: { created: 'demo', role: 'analyst' } });
      expect(created[0].actor).toMatch(/^start:/);
      await stores.security.updateUser(demo.id, { disabled: true });
    } finally {
      await stores.close();
    }
    const again = run({ PORT: '0', LINKCHART_DB: join(dir, 'lc.db') });
    const m = await waitFor(again, /running at (http:\/\/127\.0\.0\.1:\d+)\//);
    await waitFor(again, /The demo user demo exists\./);
    expect(again.out()).toMatch(/leaving them as they are/);
    expect(again.out()).not.toMatch(/loading the demo network/);
    expect(again.out()).not.toMatch(/password \S+ \(/);
    // Still disabled, with its first password: the start re-enabled and re-passworded nothing.
    const login = await fetch(`${m[1]}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'demo', password }),
    });
    expect(login.status).toBe(401);
    again.proc.kill('SIGTERM');
    await again.exited;
    const after = await openSqliteStores(join(dir, 'lc.db'));
    try {
      const demo = (await after.security.getUserByName('demo'))!;
      expect(demo).toMatchObject({ role: 'analyst', disabled: true });
      expect(await verifyPassword(password, demo.passwordHash)).toBe(true);
      expect((await after.security.listAudit({ objectId: demo.id, action: 'users.change' })).total).toBe(1);
    } finally {
      await after.close();
    }
  });

  it('a file holding user names that differ only in case starts, keeps both and says so', async () => {
    const path = join(dir, 'clash.db');
    const s = await openSqliteStores(path);
    await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Kept Person' }] }, { actor: 't' });
    // Back to a file from before names were folded (schema 4), holding two names that fold alike.
    s.db.exec(
      'DROP INDEX users_name_key; ALTER TABLE users DROP COLUMN name_key; DELETE FROM schema_version WHERE version > 4',
    );
    const ins = s.db.prepare(
      "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, 'viewer', 'h', '2024-01-01T00:00:00Z')",
    );
    ins.run('Analyst1');
    ins.run('analyst1');
    await s.close();
    const r = run({ PORT: '0', LINKCHART_DB: path, LINKCHART_DEMO_USER: '0' });
    await waitFor(r, /running at/);
    const warning = (await waitFor(r, /Warning: user names that differ only in case[^\n]*/))[0];
    expect(warning).toContain('"Analyst1" (id 1), "analyst1" (id 2)');
    expect(r.out()).not.toMatch(/demo/);
    r.proc.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('an unusable database file exits 1 with the reason and the fix', async () => {
    writeFileSync(join(dir, 'not-a-db.db'), 'this is a text file, not SQLite '.repeat(100));
    const bad = run({ PORT: '0', LINKCHART_DB: join(dir, 'not-a-db.db') });
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain('cannot open the database file');
    expect(bad.err()).toContain('LINKCHART_DB');
    noStack(bad.err());
    writeFileSync(join(dir, 'plain-file'), 'x');
    const under = run({ PORT: '0', LINKCHART_DB: join(dir, 'plain-file', 'lc.db') });
    expect(await under.exited).toBe(1);
    expect(under.err()).toContain('cannot open the database file');
    noStack(under.err());
  });

  it('a bad setting exits 1 naming the variable', async () => {
    const bad = run({ PORT: 'eighty', LINKCHART_DB: join(dir, 'lc.db') });
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain('PORT="eighty" is not a whole number');
    noStack(bad.err());
  });
});
