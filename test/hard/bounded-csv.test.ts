// Hostile CSV files through the import and the preview routes: an unclosed quote at the start of a 1.5 MiB
// file, one 64 MiB line, millions of empty fields (in one row and spread over many), millions of short
// lines. Each is refused with a 4xx naming the row in linear time (seconds, not minutes), while
// /api/health, polled from its own thread throughout, answers every probe in under 100 ms; nothing is
// written. Before the fix the reader rescanned an open quoted cell on every new line and a long line from
// its start on every chunk: the 1.5 MiB file held the server for minutes.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, tempDb, type Server, type Session } from './harness.ts';
import { startHealthProbe, summary } from './bounded-probe.ts';

const HEADER = 'caller,callee,start,duration\n';
const MiB = 1024 * 1024;

/**
 * name, body, what must come back (the row a refusal names, or the rows an import reads), and the most
 * seconds it may take.
 */
const CASES: Array<{ name: string; body: () => Buffer; row?: number; rows?: number; seconds: number }> = [
  {
    name: 'an unclosed quote at the start of a 1.5 MiB file',
    body: () => Buffer.from(HEADER + '"' + '07700 900001,07700 900002,2024-01-01 10:00,60\n'.repeat(33_000)),
    row: 2,
    seconds: 5,
  },
  {
    name: 'an unclosed quote in the last cell of a row, 6 MiB of rows after it',
    body: () =>
      Buffer.from(
        HEADER +
          '07700 900001,07700 900002,2024-01-01 10:00,"60\n' +
          '07700 900001,07700 900002,2024-01-01 10:00,60\n'.repeat(130_000),
      ),
    row: 2,
    seconds: 5,
  },
  { name: 'one 64 MiB line', body: () => Buffer.from(HEADER + 'x'.repeat(64 * MiB)), row: 2, seconds: 15 },
  {
    name: 'one 64 MiB quoted cell on one line',
    body: () => Buffer.from(HEADER + '"' + 'x'.repeat(64 * MiB) + '"\n'),
    row: 2,
    seconds: 15,
  },
  {
    name: '4 million empty fields in one row',
    body: () => Buffer.from(HEADER + ','.repeat(4 * MiB) + '\n'),
    row: 2,
    seconds: 5,
  },
  {
    name: 'a header of 2 million empty columns',
    body: () => Buffer.from(','.repeat(2 * MiB) + '\n1,2,3,4\n'),
    row: 1,
    seconds: 5,
  },
  {
    name: '4 million empty fields over 4,000 rows',
    body: () => Buffer.from(HEADER + (','.repeat(999) + '\n').repeat(4000)),
    row: 2,
    seconds: 5,
  },
  {
    name: '4 million one-character lines',
    body: () => Buffer.from(HEADER + 'x\n'.repeat(4_000_000)),
    row: 2,
    seconds: 5,
  },
  {
    name: '4 million blank lines',
    body: () => Buffer.from(HEADER + '\r\n'.repeat(4_000_000)),
    rows: 0,
    seconds: 5,
  },
  {
    name: '300,000 short rows of one call',
    body: () => Buffer.from(HEADER + '07700900001,07700900002,2024-01-01 10:00,60\n'.repeat(300_000)),
    rows: 300_000,
    seconds: 10,
  },
];

let server: Server;
let admin: Session;
let dir: string;

beforeAll(async () => {
  const t = tempDb();
  dir = t.dir;
  server = await startServer(t.dbPath);
  admin = await login(server.url);
});
afterAll(async () => {
  await server?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

async function send(path: string, body: Buffer, seconds: number) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...admin.headers, 'content-type': 'text/csv' },
    body: body.toString(),
    signal: AbortSignal.timeout(Math.max(20, seconds * 3) * 1000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

describe('pathological CSV files are refused in linear time while health answers', () => {
  for (const c of CASES) {
    for (const route of ['/api/imports/preview?format=cdr', '/api/imports?format=cdr']) {
      it(`${c.name}: ${route}`, async () => {
        const body = c.body();
        const probe = startHealthProbe(server.url);
        await new Promise((r) => setTimeout(r, 100));
        const r = await send(route, body, c.seconds);
        await new Promise((r) => setTimeout(r, 100));
        const { latencies, failures } = await probe.stop();
        const health = summary(latencies);
        console.log(
          `${c.name} (${(body.length / MiB).toFixed(1)} MiB) ${route}: ${r.status} in ${r.ms.toFixed(0)} ms; ` +
            `health ${health}; ${r.text.slice(0, 240)}`,
        );
        const preview = route.startsWith('/api/imports/preview');
        if (c.rows !== undefined) {
          // Many short rows are simply read: all of them by an import, the first 20 by a preview.
          expect(r.status, r.text.slice(0, 400)).toBe(200);
          const got = JSON.parse(r.text) as { rowsRead?: number; rows?: unknown[] };
          if (preview) expect(got.rows).toHaveLength(Math.min(20, c.rows));
          else expect(got.rowsRead).toBe(c.rows);
        } else if (preview && r.status === 200) {
          // A preview shows what it could read and lists the problem; an import is refused whole.
          const p = JSON.parse(r.text) as { errors: Array<{ row?: number; message: string }> };
          expect(p.errors[0]?.row, r.text.slice(0, 400)).toBe(c.row);
        } else {
          expect([400, 413, 422], r.text.slice(0, 400)).toContain(r.status);
          const err = (JSON.parse(r.text) as { error: { message: string; row?: number } }).error;
          expect(err.message).toMatch(new RegExp(`\\brow ${c.row}\\b`));
        }
        expect(r.ms).toBeLessThan(c.seconds * 1000);
        expect(failures).toEqual([]);
        expect(Math.max(...latencies), health).toBeLessThan(100);
      });
    }
  }

  // Network files are read whole, so they have their own cap (LINKCHART_MAX_NETWORK_FILE_BYTES, 256 KiB).
  const NETWORK: Array<{ name: string; route: string; body: () => string; status: number; match: RegExp }> = [
    {
      name: 'an edge list of 64 MiB on one line',
      route: '/api/imports?format=edgelist&name=long.csv',
      body: () => 'x'.repeat(64 * MiB),
      status: 413,
      match: /LINKCHART_MAX_NETWORK_FILE_BYTES/,
    },
    {
      name: 'a matrix with an unclosed quote at its start, just under the cap',
      route: '/api/imports?format=matrix&name=open.csv',
      body: () => '"' + ',1'.repeat(120_000),
      status: 400,
      match: /\bline 1\b/,
    },
    {
      name: 'a matrix header of 120,000 empty columns',
      route: '/api/imports?format=matrix&name=wide.csv',
      body: () => 'x' + ','.repeat(120_000) + '\na,1\n',
      status: 400,
      match: /\bline 2\b/,
    },
    {
      name: 'a two-mode file of 1,000 people at one event, projected (499,500 pairs)',
      route: '/api/imports?format=twomode&name=bomb.csv&project=true',
      body: () => ',meeting\n' + Array.from({ length: 1000 }, (_, i) => `p${i},1`).join('\n') + '\n',
      status: 413,
      match: /499500 pairs.*LINKCHART_MAX_PROJECTION_PAIRS/,
    },
    {
      name: 'a whitespace edge list of 65,000 short lines, just under the cap',
      route: '/api/imports?format=edgelist&name=short.csv',
      body: () => 'a b\n'.repeat(65_000),
      status: 200,
      match: /"rowsRead":65000/,
    },
  ];
  for (const c of NETWORK) {
    it(`${c.name}: ${c.route}`, async () => {
      const body = c.body();
      const probe = startHealthProbe(server.url);
      await new Promise((r) => setTimeout(r, 100));
      const r = await send(c.route, Buffer.from(body), 5);
      await new Promise((r) => setTimeout(r, 100));
      const { latencies, failures } = await probe.stop();
      const health = summary(latencies);
      console.log(
        `${c.name} (${(body.length / MiB).toFixed(2)} MiB): ${r.status} in ${r.ms.toFixed(0)} ms; health ${health}; ` +
          r.text.slice(0, 240),
      );
      expect(r.status, r.text.slice(0, 400)).toBe(c.status);
      expect(r.text).toMatch(c.match);
      expect(r.ms).toBeLessThan(5000);
      expect(failures).toEqual([]);
      expect(Math.max(...latencies), health).toBeLessThan(100);
    });
  }

  it('wrote nothing but the good files (one of them empty)', async () => {
    const get = async (p: string) =>
      (await (await fetch(`${server.url}${p}`, { headers: admin.headers })).json()) as { total: number };
    expect((await get('/api/imports')).total).toBe(3);
    // The call records' two phones and their link; the edge list's two people and theirs.
    expect((await get('/api/entities?limit=1')).total).toBe(4);
    expect((await get('/api/links?limit=1')).total).toBe(2);
  });
});
