// Issue 16, "every disclosure is checked and recorded the same way", as an insider would try it over
// real HTTP against a real server process: a briefing that carries C-coded intelligence only through its
// operational review section (no entityIds, no linkIds), or only through its top table, must answer 428
// with the conditions; with the confirmation it answers 200, its PDF says C-coded intelligence lies
// behind it, and the audit record names the format, the entity, link and report ids carried, the view and
// the confirmation. A data export of a saved chart names the chart in its record.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, tempDb, type Server, type Session } from './harness.ts';

const PASSWORD = 'Quartz-Lantern-Harbour-73';
const CONDITIONS = 'Source protection: not to be shared with partner agencies';
const CONFIRM = {
  confirmConditions: true,
  justification: 'Tasking meeting briefing for Op Birch',
  recipient: 'DI Okafor, Tasking and Coordination Group',
};

let dir = '';
let server: Server;
let admin: Session;
let analyst: Session;
const ids = new Map<string, string>();
const reportIds = new Map<string, string>();

async function call(
  s: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: Record<string, unknown> | null; bytes: Buffer }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...s.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* a file */
  }
  return { status: res.status, text, json, bytes };
}

interface AuditRow {
  seq: number;
  actor: string;
  action: string;
  route: string | null;
  objectIds: string[];
  outcome: string;
  justification: string | null;
  recipient: string | null;
  details: Record<string, unknown> | null;
}

async function lastExportRecord(): Promise<AuditRow> {
  const r = await call(admin, 'GET', '/api/audit?action=export&limit=1000');
  expect(r.status, r.text).toBe(200);
  const items = (r.json!.items as AuditRow[]).sort((a, b) => a.seq - b.seq);
  return items.at(-1)!;
}

beforeAll(async () => {
  const db = tempDb();
  dir = db.dir;
  server = await startServer(db.dbPath);
  admin = await login(server.url);
  const made = await call(admin, 'POST', '/api/users', { name: 'dana', role: 'analyst', password: PASSWORD });
  expect(made.status, made.text).toBe(200);
  analyst = await login(server.url, 'dana', PASSWORD);

  // Eight people in two windows. Carla Hidden is known only from a C-coded report and appears in the
  // second window; nobody else rests on C-coded intelligence.
  const person = (label: string, reports: string[]) => ({
    type: 'Person',
    label,
    key: label.toLowerCase().replace(/ /g, '-'),
    reports,
  });
  const link = (a: string, b: string, from: string, to: string, reports: string[]) => ({
    type: 'ASSOCIATE_OF',
    from: { type: 'Person', key: a },
    to: { type: 'Person', key: b },
    firstSeen: from,
    lastSeen: to,
    reports,
  });
  const H1 = ['2024-02-01', '2024-05-01'] as const;
  const H2 = ['2024-08-01', '2024-11-01'] as const;
  const batch = {
    reports: [
      { ref: 'OPEN/1', date: '2024-01-10', author: 'DC Hale', source: 1, intel: 'A', handling: 'P' },
      {
        ref: 'COVERT/7',
        date: '2024-07-15',
        author: 'DS Vance',
        source: 2,
        intel: 'B',
        handling: 'C',
        conditions: CONDITIONS,
      },
    ],
    entities: [
      person('Alan Ash', ['OPEN/1']),
      person('Beth Birch', ['OPEN/1']),
      person('Cole Cedar', ['OPEN/1']),
      person('Dean Dogwood', ['OPEN/1']),
      person('Ella Elm', ['OPEN/1']),
      person('Carla Hidden', ['COVERT/7']),
    ],
    links: [
      link('alan-ash', 'beth-birch', ...H1, ['OPEN/1']),
      link('beth-birch', 'cole-cedar', ...H1, ['OPEN/1']),
      link('cole-cedar', 'dean-dogwood', ...H1, ['OPEN/1']),
      link('dean-dogwood', 'ella-elm', ...H1, ['OPEN/1']),
      link('alan-ash', 'beth-birch', ...H2, ['OPEN/1']),
      link('beth-birch', 'ella-elm', ...H2, ['OPEN/1']),
      link('carla-hidden', 'beth-birch', ...H2, ['OPEN/1']),
      link('carla-hidden', 'ella-elm', ...H2, ['OPEN/1']),
    ],
  };
  const w = await call(admin, 'POST', '/api/batch', batch);
  expect(w.status, w.text).toBe(200);
  const written = w.json as { entityIds: string[]; reportIds: string[] };
  batch.entities.forEach((e, i) => ids.set(e.label, written.entityIds[i]));
  batch.reports.forEach((r, i) => reportIds.set(r.ref, written.reportIds[i]));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const reviewOnly = {
  title: 'Op Birch review',
  author: 'dana',
  marking: 'OFFICIAL-SENSITIVE',
  chartPng: PNG,
  review: { before: '2024-01-01..2024-06-30', after: '2024-07-01..2024-12-31' },
};

function pdfText(pdf: Buffer): string {
  const d = mkdtempSync(join(tmpdir(), 'linkchart-disclosure-'));
  try {
    const file = join(d, 'b.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

describe('disclosure: a briefing is checked on everything it carries', () => {
  it('a review-only briefing over C-coded intelligence answers 428 with the conditions', async () => {
    const r = await call(analyst, 'POST', '/api/exports/briefing', reviewOnly);
    expect(r.status, r.text.slice(0, 300)).toBe(428);
    const err = r.json!.error as { code: string; message: string; details?: Array<{ message: string }> };
    expect(err.code).toBe('handling_confirmation_required');
    expect(err.message).toContain('COVERT/7');
    expect(JSON.stringify(err.details)).toContain(CONDITIONS);
    const rec = await lastExportRecord();
    expect(rec.outcome).toBe('denied');
    expect(rec.details?.disclosure).toMatchObject({ format: 'briefing-pdf' });
  });

  it('with the confirmation: 200, the PDF says C-coded intelligence lies behind it, the record names it all', async () => {
    const r = await call(analyst, 'POST', '/api/exports/briefing', { ...reviewOnly, handling: CONFIRM });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    const text = pdfText(r.bytes);
    expect(text).toMatch(/Carla Hidden/);
    expect(text).toMatch(/rests in part on intelligence with handling code C/);
    expect(text).toContain('COVERT/7');
    expect(text).not.toMatch(/No intelligence behind/);

    const rec = await lastExportRecord();
    expect(rec).toMatchObject({
      actor: 'dana',
      outcome: 'ok',
      justification: CONFIRM.justification,
      recipient: CONFIRM.recipient,
    });
    const d = rec.details!.disclosure as {
      format: string;
      source: Record<string, unknown>;
      entities: string[];
      links: string[];
      reports: string[];
      handlingC: string[];
      digest: string;
      confirmation: Record<string, unknown> | null;
    };
    expect(d.format).toBe('briefing-pdf');
    expect(d.source).toMatchObject({ kind: 'briefing' });
    expect(d.entities).toContain(ids.get('Carla Hidden'));
    // Both windows' links (Alan and Beth's two associations are one link, seen in both).
    expect(d.links.length).toBe(7);
    expect(d.reports).toContain(reportIds.get('COVERT/7'));
    expect(d.handlingC).toEqual(['COVERT/7']);
    expect(d.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(d.confirmation).toMatchObject({
      confirmConditions: true,
      justification: CONFIRM.justification,
      recipient: CONFIRM.recipient,
    });
    expect(rec.objectIds).toContain(ids.get('Carla Hidden'));
  });

  it('a top table naming a C-coded person, with no ids, answers 428', async () => {
    const r = await call(analyst, 'POST', '/api/exports/briefing', {
      title: 'Top people',
      author: 'dana',
      marking: 'OFFICIAL-SENSITIVE',
      chartPng: PNG,
      metric: 'Betweenness',
      topNodes: [{ rank: 1, label: 'Carla Hidden', type: 'Person', value: 0.9 }],
    });
    expect(r.status, r.text.slice(0, 300)).toBe(428);
    expect(r.text).toContain('COVERT/7');
  });

  it('a briefing with nothing C-coded behind it says so, from the same answer', async () => {
    const r = await call(analyst, 'POST', '/api/exports/briefing', {
      title: 'Open only',
      author: 'dana',
      marking: 'OFFICIAL',
      chartPng: PNG,
      entityIds: [ids.get('Alan Ash')],
    });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(pdfText(r.bytes)).toMatch(/No intelligence behind this briefing carries handling code C/);
    const d = (await lastExportRecord()).details!.disclosure as Record<string, unknown>;
    expect(d).toMatchObject({ format: 'briefing-pdf', entities: [ids.get('Alan Ash')], handlingC: [] });
  });

  it('a data export of a saved chart names its format, the chart, the ids and the confirmation', async () => {
    const chart = await call(analyst, 'POST', '/api/charts', {
      name: 'Birch network',
      state: { nodes: [ids.get('Carla Hidden'), ids.get('Beth Birch')] },
    });
    expect(chart.status, chart.text).toBe(201);
    const chartId = (chart.json as { id: string }).id;
    const refused = await call(analyst, 'POST', '/api/exports', { format: 'csv', chartId });
    expect(refused.status, refused.text.slice(0, 300)).toBe(428);
    const ok = await call(analyst, 'POST', '/api/exports', {
      format: 'csv',
      part: 'nodes',
      chartId,
      handling: CONFIRM,
    });
    expect(ok.status, ok.text.slice(0, 300)).toBe(200);
    const rec = await lastExportRecord();
    const d = rec.details!.disclosure as Record<string, unknown>;
    expect(d).toMatchObject({
      format: 'csv',
      source: { kind: 'chart', chartId, chartName: 'Birch network' },
      handlingC: ['COVERT/7'],
      confirmation: { justification: CONFIRM.justification, recipient: CONFIRM.recipient },
    });
    expect(d.entities).toEqual([ids.get('Beth Birch'), ids.get('Carla Hidden')].sort());
    expect((d.links as string[]).length).toBe(1);
    expect(rec.objectIds).toContain(chartId);
  });
});
