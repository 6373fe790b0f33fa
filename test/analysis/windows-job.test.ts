// The "windows" analysis job over real HTTP on a real SQLite file: the reference's people and their phones
// written to the store, their calls imported from a call data file (every call kept as an event), then one
// job asks for betweenness (and weighted degree: the calls counted inside each month) month by month. Each
// month's figures must be networkx's on the calls inside that month (test/reference/windows_expectations.py),
// and equal to a plain metric job over that month's view. Too many windows answer 400 naming the field; an
// identical request joins the finished job; progress goes window by window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { buildView } from '../../server/analysis/view.ts';
import { calendarWindows, windowFilter } from '../../server/analysis/windows.ts';
import { runImport } from '../../server/import/pipeline.ts';
import { windowsJobSchema } from '../../server/jobs/job-types.ts';
import { runWindows } from '../../server/jobs/windows-request.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import ref from '../reference/expected/windows.json' with { type: 'json' };

let app: FastifyInstance;
let stores: Stores;
let dir: string;
let url: string;
let headers: Record<string, string> = {};
/** Store id of each person, by label. */
const idOf = new Map<string, string>();

const VIEW = {
  filter: {},
  projection: { foldPhones: true, personVia: [], maxSharers: 200 },
  grading: 'ignore' as const,
  directed: false,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-windows-'));
  stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') });
  const people = Object.entries(ref.people);
  const csv = ['caller,callee,start,duration', ...ref.calls.map((c) => c.join(','))].join('\n');
  const imported = await runImport({
    store: stores.graph,
    input: Readable.from([csv]),
    options: { format: 'cdr', report: 'CDR-W', grading: '2B', handling: 'P' },
    ctx: { actor: 'test' },
  });
  expect(imported.rowsRejected).toBe(0);
  // The people and their phones (the phones as the call file names them, normalised).
  await stores.graph.writeBatch(
    {
      entities: people.map(([label]) => ({ type: 'Person', label, key: label.toLowerCase() })),
      links: people.flatMap(([label, phones]) =>
        phones.map((p) => ({
          type: 'USES' as const,
          from: { type: 'Person' as const, key: label.toLowerCase() },
          to: { type: 'Phone' as const, key: `+44${p.replace(/\s/g, '').slice(1)}` },
        })),
      ),
    },
    { actor: 'test' },
  );
  for (const [label] of people) {
    const e = await stores.graph.findEntity('Person', label.toLowerCase());
    if (e) idOf.set(label, e.id);
  }
  const config = { ...loadConfig({}, dir), webDist: '/nonexistent-linkchart-web' };
  app = await buildApp({ stores, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const u = await stores.security.createUser({ name: 'ann', role: 'analyst', passwordHash: 'not-used' });
  const { id, session } = await app.security.sessions.create({ id: u.id, name: u.name, role: u.role });
  headers = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text || '{}') as Record<string, unknown> };
}

async function finished(id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const s = await call('GET', `/api/analysis/jobs/${id}`);
    if (s.json.state === 'done') return (await call('GET', `/api/analysis/jobs/${id}/result`)).json;
    if (s.json.state !== 'queued' && s.json.state !== 'running') throw new Error(s.text);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the job did not finish');
}

interface Line {
  id: string;
  label: string;
  scores: Array<number | null>;
  ranks: Array<number | null>;
}

const people = Object.keys(ref.people);
const range = { from: ref.range.from, to: ref.range.to, step: 'month' as const };

describe('the windows job over HTTP', () => {
  for (const metric of ['betweenness', 'weightedDegree'] as const) {
    it(`${metric} month by month is networkx's on the calls inside each month`, async () => {
      const follow = people.map((p) => idOf.get(p)!);
      const started = await call('POST', '/api/analysis/jobs', {
        view: VIEW,
        request: { kind: 'windows', metric, ...range, top: ref.top, follow },
      });
      expect(started.status, started.text).toBe(202);
      const { result } = (await finished(started.json.id as string)) as {
        result: {
          windows: Array<{
            label: string;
            nodes: number;
            links: number;
            top: Array<{ label: string; score: number }>;
          }>;
          lines: Line[];
          record: { windows: Array<{ label: string }>; metric: string; step: string; method: string };
        };
      };
      expect(result.windows.map((w) => [w.label, w.nodes, w.links])).toEqual(
        ref.windows.map((w) => [w.label, w.nodes, w.links]),
      );
      expect(result.record).toMatchObject({ metric, step: 'month', from: range.from, to: range.to });
      expect(result.record.windows.map((w) => w.label)).toEqual(['Jan 24', 'Feb 24', 'Mar 24', 'Apr 24']);
      expect(result.lines).toHaveLength(people.length);
      for (const line of result.lines) {
        ref.windows.forEach((w, k) => {
          const want = w.metrics[metric] as { scores: Record<string, number>; ranks: Record<string, number> };
          expect(line.scores[k], `${line.label} in ${w.label}`).toBeCloseTo(want.scores[line.label], 10);
        });
      }
      // Each month's top 3: networkx's scores (the people too, unless the cut falls inside a tie, where
      // the store's ids break it).
      ref.windows.forEach((w, k) => {
        const want = w.metrics[metric] as {
          scores: Record<string, number>;
          top: string[];
          topCutInTie: boolean;
        };
        const got = result.windows[k].top;
        got.forEach((t, i) => expect(t.score).toBeCloseTo(want.scores[want.top[i]], 10));
        if (!want.topCutInTie) expect(got.map((t) => t.label)).toEqual(want.top);
      });
    }, 60_000);
  }

  it("a month's score is the score of a metric job over that month's view", async () => {
    const march = { ...VIEW, filter: { from: '2024-03-01', to: '2024-03-31' } };
    const one = await call('POST', '/api/analysis/jobs', {
      view: march,
      request: { kind: 'metric', metric: 'betweenness' },
    });
    const series = await call('POST', '/api/analysis/jobs', {
      view: VIEW,
      request: { kind: 'windows', metric: 'betweenness', ...range, top: 7 },
    });
    const a = (await finished(one.json.id as string)) as {
      result: { scores: Array<{ id: string; score: number }> };
    };
    const b = (await finished(series.json.id as string)) as {
      result: { windows: Array<{ top: Array<{ id: string; score: number }> }> };
    };
    const byId = new Map(a.result.scores.map((s) => [s.id, s.score]));
    expect(b.result.windows[2].top).toHaveLength(7);
    for (const t of b.result.windows[2].top) expect(t.score).toBe(byId.get(t.id));
  }, 60_000);

  it('an identical request joins the finished job; new data makes a new one', async () => {
    const body = { view: VIEW, request: { kind: 'windows', metric: 'degree', ...range } };
    const first = await call('POST', '/api/analysis/jobs', body);
    await finished(first.json.id as string);
    const again = await call('POST', '/api/analysis/jobs', body);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.state).toBe('done');
    await stores.graph.writeBatch(
      { entities: [{ type: 'Person', label: 'Hal Hart', key: 'hal hart' }] },
      { actor: 'test' },
    );
    const after = await call('POST', '/api/analysis/jobs', body);
    expect(after.json.id).not.toBe(first.json.id);
    expect(after.json.dataVersion).toBeGreaterThan(first.json.dataVersion as number);
    await finished(after.json.id as string);
  }, 60_000);

  it('refuses more windows than the bound, and a bad range, naming the field', async () => {
    const tooMany = await call('POST', '/api/analysis/jobs', {
      view: VIEW,
      request: { kind: 'windows', step: 'week', from: '2024-01-01', to: '2024-12-31' },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain(
      '2024-01-01 to 2024-12-31 is 53 weeks; at most 36 windows are compared at once',
    );
    expect(tooMany.text).toContain('to');
    const backwards = await call('POST', '/api/analysis/jobs', {
      view: VIEW,
      request: { kind: 'windows', from: '2024-05-01', to: '2024-01-01' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.text).toContain('starts (2024-05-01) after it ends (2024-01-01)');
    const empty = await call('POST', '/api/analysis/jobs', {
      view: VIEW,
      request: { kind: 'windows', from: '2019-01-01', to: '2019-03-31', top: 3 },
    });
    // Every person is in every window (their phones' USES links are undated), so 2019 is not empty but
    // has no call: everyone scores 0.
    expect(empty.status, empty.text).toBe(202);
    const nothing = await call('POST', '/api/analysis/jobs', {
      view: { ...VIEW, filter: { entityTypes: ['Vehicle'] } },
      request: { kind: 'windows', ...range },
    });
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('no window from 2024-01-15 to 2024-04-10 has anything in this view');
  });

  it('refuses, 413, windows that together hold more links than one analysis loads', async () => {
    const config = { ...loadConfig({}, dir), webDist: '/nonexistent-linkchart-web' };
    const small = await buildApp({
      stores,
      config: { ...config, limits: { ...config.limits, maxAnalysisLinks: 20 } },
    });
    try {
      const u = await stores.security.createUser({ name: 'bea', role: 'analyst', passwordHash: 'not-used' });
      const { id, session } = await small.security.sessions.create({ id: u.id, name: u.name, role: u.role });
      const res = await small.inject({
        method: 'POST',
        url: '/api/analysis/jobs',
        headers: { cookie: `${small.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf },
        payload: { view: VIEW, request: { kind: 'windows', ...range } },
      });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.body).toContain('the 4 windows together hold more than 20 links');
      expect(res.body).toContain('LINKCHART_MAX_ANALYSIS_LINKS');
    } finally {
      await small.close();
    }
  }, 60_000);

  it('reports progress window by window', async () => {
    const store = stores.graph;
    const windows = calendarWindows('month', range.from, range.to);
    const views = [];
    for (const w of windows) {
      const sub = await store.subgraph(windowFilter({}, w));
      const v = buildView(sub, VIEW);
      views.push({ window: w, graph: v.csr, labels: v.labels, types: v.types, notes: v.notes });
    }
    const phases: string[] = [];
    const req = windowsJobSchema.parse({ kind: 'windows', ...range });
    const r = await runWindows(views, req, (_p, phase) => {
      if (phases.at(-1) !== phase) phases.push(phase);
    });
    expect(phases).toEqual(['Jan 24 (1 of 4)', 'Feb 24 (2 of 4)', 'Mar 24 (3 of 4)', 'Apr 24 (4 of 4)']);
    expect(r.record.method).toContain('calls and sightings counted only when inside it');
  });
});
