// A large import does not hold the server. A call-record file of 300,000 distinct calls (30,000 phones,
// 300,000 links: about 330,000 facts written in one transaction) is imported through the API of a server run
// as `npm start` runs it, while /api/health is polled every 20 ms and an audited read (a page of entities,
// each one an audit record, so a write) is sent every 100 ms, both from their own thread. Health answers
// every probe in under 100 ms; every audited read answers, each with its audit record; the import reports
// the same counts as the same file imported by the pipeline in-process. Before the import ran on a worker
// thread its reading and its write transaction held the request thread, health with it, for seconds.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { login, tempDb, type Server } from './harness.ts';
import { startBoundedServer, summary } from './bounded-probe.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { runImport } from '../../server/import/pipeline.ts';

const PHONES = 30_000;
const CONTACTS = 10;
const ROWS = PHONES * CONTACTS;

/** Every row a call between a pair no other row has: phone i calls its next CONTACTS phones. */
async function writeCalls(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('caller,callee,start,duration\n');
  const num = (i: number) => `07700 ${String(100000 + i)}`;
  let buf = '';
  for (let r = 0; r < ROWS; r++) {
    const a = r % PHONES;
    const k = Math.floor(r / PHONES);
    const b = (a + 1 + k) % PHONES;
    const minute = String(r % 60).padStart(2, '0');
    buf += `${num(a)},${num(b)},2024-03-${String(1 + (r % 28)).padStart(2, '0')} 10:${minute},${r % 900}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

// A prober on its own thread: GET `path` every gapMs after the last answer, each answer's time sent
// (ms since the epoch), latency and status (-1: no answer within 60 s).
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const out = [];
let running = true;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const at = Date.now();
    const t0 = performance.now();
    let status = -1;
    try {
      const res = await fetch(workerData.url + workerData.path, {
        headers: workerData.headers, signal: AbortSignal.timeout(60000),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {}
    out.push({ at, ms: performance.now() - t0, status });
    await new Promise((r) => setTimeout(r, workerData.gapMs));
  }
  parentPort.postMessage(out);
})();
`;

interface Probe {
  at: number;
  ms: number;
  status: number;
}

function startProber(url: string, path: string, headers: Record<string, string>, gapMs: number) {
  const worker = new Worker(PROBER, { eval: true, workerData: { url, path, headers, gapMs } });
  const done = new Promise<Probe[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop(): Promise<Probe[]> {
      worker.postMessage('stop');
      const r = await done;
      await worker.terminate();
      return r;
    },
  };
}

const dirs: string[] = [];
let server: Server | undefined;
afterAll(async () => {
  await server?.kill9();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a large import on a worker thread', () => {
  it(`imports ${ROWS.toLocaleString('en-GB')} distinct calls while health and audited reads answer`, async () => {
    const work = mkdtempSync(join(tmpdir(), 'linkchart-import-responsive-'));
    dirs.push(work);
    const file = join(work, 'calls.csv');
    await writeCalls(file);

    // What the same file gives imported by the pipeline on this thread, into a store of its own.
    const ref = await openSqliteStores(join(work, 'ref.db'));
    const expected = await runImport({
      store: ref.graph,
      input: createReadStream(file),
      options: { format: 'cdr' },
      ctx: { actor: 'reference' },
      limits: { uploadBytes: Number.MAX_SAFE_INTEGER },
    });
    await ref.close();
    expect(expected.rowsRead).toBe(ROWS);
    expect(expected.links.created).toBe(ROWS);
    expect(expected.entities.created).toBe(PHONES);

    const { dir, dbPath } = tempDb();
    dirs.push(dir);
    server = await startBoundedServer(dbPath, {
      LINKCHART_MAX_UPLOAD_BYTES: String(64 * 1024 * 1024),
    });
    const admin = await login(server.url);
    const reader = await login(server.url);
    const body = readFileSync(file);

    const health = startProber(server.url, '/api/health', {}, 20);
    const reads = startProber(server.url, '/api/entities?limit=5', reader.headers, 100);
    // Two seconds of probes before the import: the machine's own noise (and each prober's first request,
    // which opens its connection), reported beside the figures during the import.
    await new Promise((r) => setTimeout(r, 2000));
    const started = Date.now();
    const res = await fetch(`${server.url}/api/imports?format=cdr&name=calls.csv`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      body,
      signal: AbortSignal.timeout(600_000),
    });
    const text = await res.text();
    const ended = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    const healthProbes = await health.stop();
    const readProbes = await reads.stop();

    const during = (p: Probe[]) => p.filter((x) => x.at >= started && x.at < ended);
    const before = (p: Probe[]) => p.filter((x) => x.at < started).slice(1);
    const h = during(healthProbes);
    const r = readProbes.filter((x) => x.at >= started);
    const report = JSON.parse(text) as typeof expected;
    const ms = (p: Probe[]) => p.map((x) => x.ms);
    console.log(
      `import of ${(statSync(file).size / 1e6).toFixed(1)} MB (${ROWS} rows): ${res.status} in ${ended - started} ms ` +
        `(server: read ${report.timing?.readMs} ms + write ${report.timing?.writeMs} ms)\n` +
        `health during the import: ${summary(ms(h))}; before it: ${summary(ms(before(healthProbes)))}\n` +
        `health probes over 50 ms (s into the import: ms): ${slow(h, started)}\n` +
        `audited reads during and after the import: ${summary(ms(r))}; before it: ${summary(ms(before(readProbes)))}`,
    );
    expect(res.status, text.slice(0, 400)).toBe(200);
    expect({
      rowsRead: report.rowsRead,
      rowsRejected: report.rowsRejected,
      entities: report.entities,
      links: report.links,
      reports: report.reports,
    }).toEqual({
      rowsRead: expected.rowsRead,
      rowsRejected: expected.rowsRejected,
      entities: expected.entities,
      links: expected.links,
      reports: expected.reports,
    });
    // The import took long enough for the probes to mean something, and every one was answered.
    expect(h.length).toBeGreaterThan(20);
    expect(healthProbes.filter((x) => x.status !== 200)).toEqual([]);
    expect(Math.max(...ms(h)), summary(ms(h))).toBeLessThan(100);
    expect(r.length).toBeGreaterThan(5);
    expect(readProbes.filter((x) => x.status !== 200)).toEqual([]);

    await server.stop();
    server = undefined;
    // Every audited read has its record, and the store holds what the report says.
    const db = new Database(dbPath, { readonly: true });
    const audited = db
      .prepare("SELECT COUNT(*) FROM audit WHERE action = 'read' AND route LIKE '%/api/entities%'")
      .pluck()
      .get() as number;
    const links = db.prepare('SELECT COUNT(*) FROM links').pluck().get() as number;
    const phones = db.prepare("SELECT COUNT(*) FROM entities WHERE type = 'Phone'").pluck().get() as number;
    db.close();
    expect(audited).toBe(readProbes.length);
    expect(links).toBe(ROWS);
    expect(phones).toBe(PHONES);
  });
});

/** Probes over 50 ms, each with when it was sent (seconds after `from`). */
function slow(probes: Probe[], from: number): string {
  const out = probes
    .filter((p) => p.ms > 50)
    .map((p) => `${((p.at - from) / 1000).toFixed(1)}: ${p.ms.toFixed(0)}`);
  return out.join(', ') || 'none';
}
