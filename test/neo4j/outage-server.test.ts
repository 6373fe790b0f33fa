// `npm start` on Neo4j through an outage, as an analyst meets it: a real Linkchart process on the project's
// Neo4j test server, which is killed (SIGKILL) mid-run and started again. While it is down every request
// (health, a signed-in read, an audited write) answers 503 within 2 s, the server logs it through its logger
// (LOG_LEVEL), nothing is audited as "anonymous", and once Neo4j is back the same process serves the same
// session again, without a restart. Also: started while Neo4j is not there, it starts and says so.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';
import { REPO, TEST_HOME, noteTestServerRestarted, scriptEnv } from '../setup/neo4j.ts';

const avail = await neo4jForTests();
const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const START = join(ROOT, 'server/cli/start.ts');
const AUDIT_KEY = 'outage-test-audit-key-0123456789-abcdefghij';
const running: ChildProcess[] = [];

interface Run {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
}

function run(env: Record<string, string>): Run {
  let out = '';
  let err = '';
  const proc = spawn(TSX, [START], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LINKCHART_AUDIT_KEY: AUDIT_KEY, LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  running.push(proc);
  return { proc, out: () => out, err: () => err };
}

async function waitFor(r: Run, pattern: RegExp, ms = 90_000): Promise<RegExpMatchArray> {
  const t0 = Date.now();
  for (;;) {
    const m = r.out().match(pattern);
    if (m) return m;
    if (Date.now() - t0 > ms || r.proc.exitCode !== null)
      throw new Error(`no ${pattern} in:\n${r.out()}\n${r.err()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function timed(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - t0, body };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', () => res()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

const neo4jPid = (): number => Number(readFileSync(join(TEST_HOME, 'run', 'neo4j.pid'), 'utf8').trim());
const script = join(REPO, 'cypher/server/neo4j.sh');

// SIGTERM first: tsx hands it on to the server it runs (a SIGKILL would end tsx alone and leave the server).
afterAll(async () => {
  await Promise.all(
    running
      .filter((p) => p.exitCode === null)
      .map(async (p) => {
        p.kill('SIGTERM');
        const exited = new Promise((res) => p.once('exit', res));
        if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])))
          p.kill('SIGKILL');
      }),
  );
});

describe('npm start with Neo4j not there', () => {
  it('starts, says so, and answers 503 within 2 s', async () => {
    const port = await freePort();
    const r = run({ NEO4J_URI: `bolt://127.0.0.1:${port}`, NEO4J_PASSWORD: 'x' });
    const url = (await waitFor(r, /running at (http:\/\/127\.0\.0\.1:\d+)\//, 60_000))[1];
    expect(r.err()).toMatch(/Neo4j .*cannot be reached.*Starting anyway/s);
    expect(r.out()).toMatch(/store: neo4j/);
    for (let i = 0; i < 3; i++) {
      const h = await timed(`${url}/api/health`);
      expect(h.status).toBe(503);
      expect(h.ms).toBeLessThan(2_000);
    }
    const signIn = await timed(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'demo', password: 'whatever-it-is' }),
    });
    expect(signIn.status).toBe(503);
    expect(signIn.ms).toBeLessThan(2_000);
    r.proc.kill('SIGTERM');
  }, 90_000);
});

describe.skipIf(!avail.ok)('npm start through a Neo4j outage', () => {
  let release: () => void = () => {};
  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    await avail.server.wipe();
    // Something in the store, so the start leaves it alone instead of loading the demo network.
    const stores = await avail.server.freshStore();
    await stores.graph.writeBatch({ entities: [{ type: 'Person', label: 'Ann Lee' }] }, { actor: 'setup' });
    await stores.close();
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    release();
    if (avail.ok) await avail.server.close();
  });

  it('answers 503 within 2 s while Neo4j is killed, logs it, audits no one as anonymous, and recovers without a restart', async () => {
    if (!avail.ok) return;
    const r = run({ NEO4J_URI: avail.server.uri, NEO4J_PASSWORD: avail.server.password });
    const url = (await waitFor(r, /running at (http:\/\/127\.0\.0\.1:\d+)\//))[1];
    const password = (await waitFor(r, /sign in as demo \(analyst\) with password (\S+) \(shown once/))[1];
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'demo', password }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
    const cookie = cookies.join('; ');
    const csrf = cookies.find((c) => /csrf/.test(c))!.split('=')[1];
    const found = JSON.parse((await timed(`${url}/api/search?q=Ann`, { headers: { cookie } })).body) as {
      items: { entity: { id: string } }[];
    };
    const ann = found.items[0].entity.id;
    let writes = 0;
    const requests: [string, () => Promise<{ status: number; ms: number; body: string }>][] = [
      ['health', () => timed(`${url}/api/health`)],
      ['health signed in', () => timed(`${url}/api/health`, { headers: { cookie } })],
      ['entity read', () => timed(`${url}/api/entities/${ann}`, { headers: { cookie } })],
      ['links page', () => timed(`${url}/api/links?limit=5`, { headers: { cookie } })],
      [
        'entity write',
        () =>
          timed(`${url}/api/entities`, {
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: url },
            // A new person each time: the same one again would be an upsert (200).
            body: JSON.stringify({ type: 'Person', label: `Bo Diaz ${++writes}` }),
          }),
      ],
    ];
    for (const [what, call] of requests)
      expect([what, (await call()).status]).toEqual([what, what === 'entity write' ? 201 : 200]);

    // Killed, as a crash would: no shutdown, connections cut.
    const killedAt = new Date().toISOString();
    process.kill(neo4jPid(), 'SIGKILL');
    await new Promise((res) => setTimeout(res, 300));
    for (let round = 0; round < 3; round++) {
      for (const [what, call] of requests) {
        const a = await call();
        expect([what, a.status]).toEqual([what, 503]);
        expect(a.ms, what).toBeLessThan(2_000);
      }
    }
    // Said in the server's log (pino JSON lines on stdout at LOG_LEVEL warn).
    const logged = r
      .out()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg?: string });
    expect(logged.some((l) => l.level >= 50 && /neo4j.*cannot be reached.*503/i.test(l.msg ?? ''))).toBe(
      true,
    );

    // Back: the same process, the same session.
    // Not execFileSync: a blocked event loop would leave this process's idle HTTP connections to be reused
    // after the server has closed them.
    await promisify(execFile)('bash', [script, 'start'], {
      env: { ...scriptEnv(), NEO4J_START_TIMEOUT: process.env.NEO4J_START_TIMEOUT ?? '500' },
    });
    noteTestServerRestarted();
    let back = false;
    for (let i = 0; i < 60 && !back; i++) {
      back = await timed(`${url}/api/entities/${ann}`, { headers: { cookie } }).then(
        (a) => a.status === 200,
        () => false,
      );
      if (!back) await new Promise((res) => setTimeout(res, 500));
    }
    expect(back).toBe(true);
    expect(r.proc.exitCode).toBeNull();
    for (const [what, call] of requests)
      expect([what, (await call()).status]).toEqual([what, what === 'entity write' ? 201 : 200]);
    expect(r.out()).toMatch(/answers again after [\d.]+ s; serving/);

    // Nothing the outage refused was written later under "anonymous" (the sampler's summaries included).
    r.proc.kill('SIGTERM');
    await new Promise((res) => r.proc.once('exit', res));
    const stores = new Neo4jStores({ uri: avail.server.uri, password: avail.server.password });
    try {
      const audit = await stores.security.listAudit({ since: killedAt, limit: 1000 });
      expect(audit.items.filter((a) => a.actor === 'anonymous')).toEqual([]);
      expect(audit.items.some((a) => a.actor === 'demo')).toBe(true);
    } finally {
      await stores.close();
    }
  }, 900_000);
});
