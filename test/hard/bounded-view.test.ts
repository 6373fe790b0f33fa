// A viewer asks for the whole graph of a 300k-link store (the project's seeder, 139k entities), once and
// eight times at once, and eight times at once at the link limit the web app asks for when it opens. Each
// request is refused with how to narrow it, or served within the interactive budget, while /api/health,
// polled from its own thread, answers every probe in under 100 ms and the server's resident memory stays
// under 1 GB. Before the fix one whole-graph view built a 114 MB answer and held health for seconds; eight
// at once held it for over a minute at 3.5 GB.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import { loadSeed } from '../../seed/load.ts';
import { login, tempDb, type Server, type Session } from './harness.ts';
import {
  cpuMs,
  mainThreadCpuMs,
  rssMb,
  startBoundedServer,
  startHealthProbe,
  summary,
} from './bounded-probe.ts';

const LINKS = 300_000;
/** The interactive view cap in force (LINKCHART_MAX_VIEW_LINKS, or its default). */
const CAP = Number(process.env.LINKCHART_MAX_VIEW_LINKS || DEFAULT_LIMITS.maxViewLinks);

let server: Server;
let admin: Session;
let viewer: Session;
let dir: string;
/** A well-connected person: four hops from them reach the node cap. */
let hub: string;

beforeAll(async () => {
  const t = tempDb();
  dir = t.dir;
  const stores = await openStore({ LINKCHART_DB: t.dbPath });
  const seeded = await loadSeed(stores, { size: LINKS, truthFile: null });
  await stores.close();
  expect(seeded.links).toBe(LINKS);
  server = await startBoundedServer(t.dbPath);
  admin = await login(server.url);
  const res = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bounded-viewer', role: 'viewer' }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const { generatedPassword } = (await res.json()) as { generatedPassword: string };
  viewer = await login(server.url, 'bounded-viewer', generatedPassword);
  const people = await fetch(`${server.url}/api/entities?type=Person&limit=1`, { headers: admin.headers });
  hub = ((await people.json()) as { items: Array<{ id: string }> }).items[0].id;
}, 300_000);

afterAll(async () => {
  await server?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  bytes: number;
  ms: number;
  links?: number;
  truncated?: boolean;
  error?: { code: string; message: string };
}

async function post(path: string, body: unknown): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...viewer.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  const json = JSON.parse(buf.toString('utf8')) as {
    links?: unknown[];
    truncated?: boolean;
    error?: { code: string; message: string };
  };
  return {
    status: res.status,
    bytes: buf.length,
    ms,
    ...(json.links ? { links: json.links.length, truncated: json.truncated } : {}),
    ...(json.error ? { error: json.error } : {}),
  };
}

/** Health's budget while under attack, and the server's memory budget. */
const HEALTH_MS = 100;
const RSS_MB = 1024;

/** One round: `n` copies of `body` at once while health is probed; prints and returns what came back. */
async function round(label: string, n: number, body: unknown, path: string) {
  const probe = startHealthProbe(server.url);
  await new Promise((r) => setTimeout(r, 200));
  const cpu0 = cpuMs(server.child.pid!);
  const t0 = performance.now();
  const answers = await Promise.all(Array.from({ length: n }, () => post(path, body)));
  const ms = performance.now() - t0;
  const cpu = cpuMs(server.child.pid!) - cpu0;
  await new Promise((r) => setTimeout(r, 200));
  const { latencies, failures } = await probe.stop();
  const rss = rssMb(server.child.pid!);
  const a = answers[0];
  console.log(
    `${label}: ${n} x ${JSON.stringify(body)} in ${ms.toFixed(0)} ms (server CPU ${cpu.toFixed(0)} ms): ` +
      answers.map((x) => `${x.status}${x.links !== undefined ? `/${x.links} links` : ''}`).join(' ') +
      `; first ${(a.bytes / 1e6).toFixed(2)} MB in ${a.ms.toFixed(0)} ms ${a.error ? JSON.stringify(a.error.message) : ''}` +
      `; health ${summary(latencies)}; server RSS ${rss.now.toFixed(0)} MB, peak ${rss.peak.toFixed(0)} MB`,
  );
  return { answers, latencies, failures, rss };
}

/**
 * The attack, up to three rounds: the first round in which health held (every probe under HEALTH_MS, none
 * failed) and memory stayed under RSS_MB, else the last. The host is shared (two cores, other test runs),
 * so a probe can wait on the scheduler rather than on the server; a server that holds its event loop fails
 * every round (before the fix, one whole-graph view held health for 15 s).
 */
async function attack(label: string, n: number, body: unknown, path = '/api/view') {
  let r = await round(label, n, body, path);
  for (let i = 2; i <= 3; i++) {
    const held = r.failures.length === 0 && Math.max(...r.latencies) < HEALTH_MS && r.rss.peak < RSS_MB;
    if (held) break;
    r = await round(`${label} (round ${i})`, n, body, path);
  }
  return r;
}

/** Refused with how to narrow it, or served within the budget the server advertises. */
function refusedOrBounded(a: Answer, budget: number): void {
  if (a.status === 200) {
    expect(a.links).toBeLessThanOrEqual(budget);
    return;
  }
  expect([413, 422]).toContain(a.status);
  expect(a.error?.message).toMatch(/filter|types|time window/i);
  expect(a.error?.message).toMatch(/\/api\/analysis|job/i);
}

describe('whole-graph views on a 300k-link store', () => {
  it('one whole-graph view from a viewer', async () => {
    const r = await attack('one whole-graph view', 1, { filter: {} });
    refusedOrBounded(r.answers[0], CAP);
    expect(r.answers[0].ms).toBeLessThan(1000);
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });

  it('8 concurrent whole-graph views', async () => {
    const r = await attack('8 whole-graph views', 8, { filter: {} });
    for (const a of r.answers) refusedOrBounded(a, CAP);
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });

  it('8 concurrent views asking for a million links', async () => {
    const r = await attack('8 views with limit 1,000,000', 8, { filter: {}, limit: 1_000_000 });
    for (const a of r.answers) refusedOrBounded(a, CAP);
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });

  it('8 concurrent views of every person (48,546, few links among them)', async () => {
    const r = await attack('8 views of every person', 8, { filter: { entityTypes: ['Person'] } });
    for (const a of r.answers) refusedOrBounded(a, CAP);
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });

  it('8 concurrent views of every call (171,595 links)', async () => {
    const r = await attack('8 views of every call', 8, { filter: { linkTypes: ['CALLED'] } });
    for (const a of r.answers) refusedOrBounded(a, CAP);
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });

  it(`8 concurrent views at the cap (${CAP} links) are served`, async () => {
    const r = await attack(`8 views with limit ${CAP}`, 8, { filter: {}, limit: CAP });
    for (const a of r.answers) {
      expect(a.status).toBe(200);
      expect(a.truncated).toBe(true);
      expect(a.links).toBeLessThanOrEqual(CAP);
      expect(a.links).toBeGreaterThan(0);
    }
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });

  it('8 concurrent 4-hop expansions from a person, accepting a truncated answer', async () => {
    const body = { seeds: [hub], hops: 4, limit: 5000 };
    const r = await attack('8 four-hop expansions', 8, body, '/api/neighbourhood');
    for (const a of r.answers) {
      if (a.status === 200) expect(a.links).toBeLessThanOrEqual(CAP);
      else {
        expect(a.status).toBe(413);
        expect(a.error?.message).toMatch(/fewer hops/);
      }
    }
    expect(r.failures).toEqual([]);
    expect(Math.max(...r.latencies)).toBeLessThan(HEALTH_MS);
    expect(r.rss.peak).toBeLessThan(RSS_MB);
  });
});

/** Starts an analysis job as the admin (the job API's limits, not the interactive cap) and waits for it. */
async function runJob(
  view: unknown,
): Promise<{ status: number; state?: string; nodes?: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/analysis/jobs`, {
    method: 'POST',
    headers: { ...admin.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ view, request: { kind: 'metric', metric: 'degree' } }),
    signal: AbortSignal.timeout(120_000),
  });
  const started = (await res.json()) as { id?: string };
  if (res.status !== 202 || !started.id) return { status: res.status, ms: performance.now() - t0 };
  for (;;) {
    const s = await fetch(`${server.url}/api/analysis/jobs/${started.id}`, { headers: admin.headers });
    const st = (await s.json()) as { state: string; nodes: number };
    if (['done', 'failed', 'cancelled'].includes(st.state))
      return { status: 202, state: st.state, nodes: st.nodes, ms: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('analysis jobs over the whole 300k-link store', () => {
  // Before the fix the request thread decoded the subgraph, built the view and copied it onto shared
  // memory: 1-2 s per view during which health waited. Three different views of the whole store (no
  // cache hit, no shared computation) are built while health is probed.
  it('three whole-store views built for jobs at once keep health under 100 ms', async () => {
    const views = [{ filter: {} }, { filter: {}, directed: true }, { filter: {}, grading: 'weight' }];
    let best: { latencies: number[]; failures: string[] } | null = null;
    for (let round = 1; round <= 3; round++) {
      const probe = startHealthProbe(server.url);
      await new Promise((r) => setTimeout(r, 200));
      const main0 = mainThreadCpuMs(server.child.pid!);
      const cpu0 = cpuMs(server.child.pid!);
      // A new data version each round, so every round builds its views again rather than reading the cache.
      await fetch(`${server.url}/api/entities`, {
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'Person', label: `Round ${round} marker` }),
      });
      const jobs = await Promise.all(views.map((v) => runJob(v)));
      const main = mainThreadCpuMs(server.child.pid!) - main0;
      const cpu = cpuMs(server.child.pid!) - cpu0;
      await new Promise((r) => setTimeout(r, 200));
      const { latencies, failures } = await probe.stop();
      const rss = rssMb(server.child.pid!);
      // The request thread's own CPU time: what the three jobs cost it (with every status poll and health
      // probe answered meanwhile), whatever the load on the host did to wall-clock latencies.
      console.log(
        `jobs round ${round}: ${jobs.map((j) => `${j.status}/${j.state}/${j.nodes} nodes in ${j.ms.toFixed(0)} ms`).join(', ')}` +
          `; health ${summary(latencies)}; request thread CPU ${main.toFixed(0)} ms of the server's ${cpu.toFixed(0)} ms` +
          `; server RSS peak ${rss.peak.toFixed(0)} MB`,
      );
      for (const j of jobs) {
        expect(j.status).toBe(202);
        expect(j.state).toBe('done');
        expect(j.nodes).toBeGreaterThan(100_000);
      }
      best = { latencies, failures };
      if (failures.length === 0 && Math.max(...latencies) < HEALTH_MS) break;
    }
    expect(best!.failures).toEqual([]);
    expect(Math.max(...best!.latencies)).toBeLessThan(HEALTH_MS);
    // No memory bound here: three whole-store analyses are the job API's work (each job worker has its own
    // heap bound), not an interactive answer.
  });
});

describe('an export of the whole 300k-link store', () => {
  // Before the fix the request thread read every entity's and link's reports and wrote the file: a
  // whole-store export held it for tens of seconds. It is gathered and written in a worker now.
  it('is written while health stays under 100 ms', async () => {
    let latencies: number[] = [];
    let failures: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const probe = startHealthProbe(server.url);
      await new Promise((r) => setTimeout(r, 200));
      const main0 = mainThreadCpuMs(server.child.pid!);
      const cpu0 = cpuMs(server.child.pid!);
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/exports`, {
        method: 'POST',
        headers: { ...admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          format: 'csv',
          part: 'links',
          view: {},
          handling: { confirmConditions: true, justification: 'bounded test', recipient: 'test' },
        }),
        signal: AbortSignal.timeout(600_000),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      const main = mainThreadCpuMs(server.child.pid!) - main0;
      const cpu = cpuMs(server.child.pid!) - cpu0;
      await new Promise((r) => setTimeout(r, 200));
      ({ latencies, failures } = await probe.stop());
      console.log(
        `export round ${round}: ${res.status}, ${(text.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms; ` +
          `health ${summary(latencies)}; request thread CPU ${main.toFixed(0)} ms of the server's ${cpu.toFixed(0)} ms`,
      );
      expect(res.status, text.slice(0, 300)).toBe(200);
      expect(text.split('\n').length).toBeGreaterThan(LINKS);
      if (failures.length === 0 && Math.max(...latencies) < HEALTH_MS) break;
    }
    expect(failures).toEqual([]);
    expect(Math.max(...latencies)).toBeLessThan(HEALTH_MS);
  });
});
