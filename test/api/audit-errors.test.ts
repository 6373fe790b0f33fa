// Errors are logged and every response is dressed: a 5xx goes to the server log with its error and a
// request id that the response carries too (header x-request-id, error.requestId); every response (errors,
// 404s, refusals before routing, the raw answer to a request that is not HTTP) has the security headers;
// a JSON body nested too deep is the caller's 400, not an unlogged 500; a write from an origin with another
// scheme is refused. Real HTTP, a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, jsonDeeperThan } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { StoreError } from '../../server/store/common.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  err?: { message: string };
  statusCode?: number;
}

let dir: string;
let stores: Stores;
let app: FastifyInstance;
let url: string;
let auth: Record<string, string>;
const lines: LogLine[] = [];

async function build(secure: boolean): Promise<FastifyInstance> {
  const config = { ...loadConfig({}, dir), webDist: '/nonexistent-linkchart-web' };
  return buildApp({
    stores,
    config,
    logger: { level: 'warn', stream: { write: (l: string) => void lines.push(JSON.parse(l) as LogLine) } },
    security: { secure },
    plugins: [
      async (a) => {
        a.get('/api/test/boom', { config: { access: 'graph:read' } }, async () => {
          throw new Error('SQLITE_CORRUPT at /secret/path line 42');
        });
        a.get('/api/test/down', { config: { access: 'graph:read' } }, async () => {
          throw new StoreError('unavailable', 'the database cannot be reached');
        });
        a.get('/api/test/gateway', { config: { access: 'graph:read' } }, async (_req, reply) =>
          reply.code(502).send({ error: { code: 'upstream', message: 'the worker did not answer' } }),
        );
      },
    ],
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-audit-errors-'));
  stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') }, { log: () => {} });
  app = await build(false);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const user = await stores.security.createUser({ name: 'tester', role: 'admin', passwordHash: 'x' });
  const { id, session } = await app.security.sessions.create({
    id: user.id,
    name: user.name,
    role: user.role,
  });
  auth = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

const logged = (reqId: string) => lines.filter((l) => l.reqId === reqId && l.level >= 50);

function expectSecurityHeaders(h: Headers | Record<string, string>, what: string): void {
  const get = (k: string) => (h instanceof Headers ? h.get(k) : h[k]);
  expect(get('content-security-policy'), what).toMatch(/default-src 'self'/);
  expect(get('x-content-type-options'), what).toBe('nosniff');
  expect(get('x-frame-options'), what).toBe('DENY');
  expect(get('referrer-policy'), what).toBe('no-referrer');
}

describe('5xx', () => {
  it('is logged with its error and a request id the response carries, and says nothing inside', async () => {
    const r = await fetch(`${url}/api/test/boom`, { headers: auth });
    expect(r.status).toBe(500);
    const id = r.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await r.json()) as { error: { code: string; requestId: string } };
    expect(body.error).toMatchObject({ code: 'internal', requestId: id });
    expect(JSON.stringify(body)).not.toMatch(/SQLITE|secret|line 42/);
    const log = logged(id);
    expect(log).toHaveLength(1);
    expect(log[0].err?.message).toMatch(/SQLITE_CORRUPT/);
    expectSecurityHeaders(r.headers, '500');
  });

  it('a 503 from the store is logged too, keeps what it says and carries the id', async () => {
    const r = await fetch(`${url}/api/test/down`, { headers: auth });
    expect(r.status).toBe(503);
    const id = r.headers.get('x-request-id')!;
    expect(await r.json()).toMatchObject({ error: { code: 'unavailable', requestId: id } });
    expect(logged(id)[0].err?.message).toMatch(/cannot be reached/);
  });

  it('a 5xx a route answers by itself is logged and carries the id', async () => {
    const r = await fetch(`${url}/api/test/gateway`, { headers: auth });
    expect(r.status).toBe(502);
    const id = r.headers.get('x-request-id')!;
    expect(await r.json()).toEqual({
      error: { code: 'upstream', message: 'the worker did not answer', requestId: id },
    });
    expect(logged(id)).toMatchObject([{ statusCode: 502, msg: 'server error response' }]);
  });

  it('ids differ per request', async () => {
    const a = await fetch(`${url}/api/test/boom`, { headers: auth });
    const b = await fetch(`${url}/api/test/boom`, { headers: auth });
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it("a malformed PNG sent to the briefing is the caller's 400, naming the field", async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('this is no PNG chunk at all'.repeat(20)),
    ]);
    const r = await fetch(`${url}/api/exports/briefing`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 't',
        author: 'a',
        marking: 'OFFICIAL',
        chartPng: png.toString('base64'),
      }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({
      error: {
        code: 'invalid',
        path: ['body', 'chartPng'],
        message: expect.stringMatching(/not a readable PNG/),
      },
    });
    expectSecurityHeaders(r.headers, 'briefing');
  });
});

describe('JSON depth', () => {
  const nested = (depth: number) => `{"name":"deep","state":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

  it("refuses a chart state nested 5,000 deep as the caller's 400, and keeps a normal one", async () => {
    const deep = await fetch(`${url}/api/charts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: nested(5000),
    });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ error: { code: 'too_deep' } });
    expectSecurityHeaders(deep.headers, '400');
    const ok = await fetch(`${url}/api/charts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: nested(20),
    });
    expect(ok.status).toBe(201);
  });

  it('counts brackets outside strings only, escapes included', () => {
    expect(jsonDeeperThan('[[[1]]]', 3)).toBe(false);
    expect(jsonDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(jsonDeeperThan(JSON.stringify({ s: '[[[[[[{{{{' }), 2)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ s: 'a\\"[[[[[[' }), 2)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ s: 'a\\', t: [[[1]]] }), 3)).toBe(true);
    expect(jsonDeeperThan('{"unterminated', 1)).toBe(false);
  });
});

describe('security headers on every response', () => {
  it('404s, 401s, bad JSON, bad URLs and too-large bodies', async () => {
    const cases: Array<[string, RequestInit, number]> = [
      ['/api/no-such-route', {}, 404],
      ['/no-such-page', {}, 404],
      ['/api/entities', {}, 401],
      [
        '/api/charts',
        { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{' },
        400,
      ],
      ['/api/entities/%E0%A4%A', {}, 400],
      [
        '/api/charts',
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', state: { big: 'y'.repeat(6 * 1024 * 1024) } }),
        },
        413,
      ],
    ];
    for (const [path, init, status] of cases) {
      const r = await fetch(url + path, init);
      expect(r.status, path).toBe(status);
      expectSecurityHeaders(r.headers, `${status} ${path}`);
      expect(r.headers.get('x-request-id'), path).toBeTruthy();
    }
  });

  it('the raw answer to a request whose headers are too large', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(new URL(url).port), '127.0.0.1', () => {
        s.write(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`);
      });
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    const [head] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1.1 431/);
    const headers = Object.fromEntries(
      head
        .split('\r\n')
        .slice(1)
        .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    expectSecurityHeaders(headers, '431');
  });
});

describe('origin check', () => {
  it('compares the scheme as well as the host', async () => {
    const host = new URL(url).host;
    const post = (origin: string) =>
      fetch(`${url}/api/charts`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', origin },
        body: JSON.stringify({ name: 'o', state: {} }),
      });
    expect((await post(`http://${host}`)).status).toBe(201);
    const https = await post(`https://${host}`);
    expect(https.status).toBe(403);
    expect(await https.json()).toMatchObject({ error: { code: 'cross_origin' } });
    expect((await post(`http://evil.example`)).status).toBe(403);

    // Served over TLS (a proxy in front): only https:// on the same host is ours.
    const tls = await build(true);
    try {
      const inject = (origin: string) =>
        tls.inject({
          method: 'POST',
          url: '/api/charts',
          headers: { origin, host: 'linkchart.example', 'content-type': 'application/json' },
          payload: { name: 'o', state: {} },
        });
      const plain = await inject('http://linkchart.example');
      expect(plain.statusCode).toBe(403);
      expect(plain.json()).toMatchObject({ error: { code: 'cross_origin' } });
      // Same scheme and host: past the origin check (then 401: no session).
      expect((await inject('https://linkchart.example')).statusCode).toBe(401);
    } finally {
      await tls.close();
    }
  });
});
