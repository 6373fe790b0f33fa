// The cycle over real HTTP: priorities, review, and a target from proposal to review with the roles
// enforced and every step in the audit (security plugin on, real SQLite file, random port).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Target } from '../../server/domain/target.ts';
import { createRoleUsers, tempStore, TEST_PASSWORD, type TempStore } from '../security/helpers.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { cycleFixture } from './network-fixture.ts';

const OUT = fileURLToPath(new URL('../out/', import.meta.url));
let ts: TempStore;
let app: FastifyInstance;
let url: string;
let ids: Map<string, string>;

interface Session {
  headers: Record<string, string>;
}
async function login(name: string): Promise<Session> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: TEST_PASSWORD }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { headers: { cookie, 'x-csrf-token': csrfToken } };
}
async function call(s: Session, method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...s.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

beforeAll(async () => {
  ts = await tempStore();
  await createRoleUsers(ts.stores.security, ['analyst', 'supervisor', 'viewer']);
  await ts.stores.security.createUser({
    name: 'sam',
    role: 'supervisor',
    passwordHash: await hashPassword(TEST_PASSWORD),
  });
  const r = await ts.stores.graph.writeBatch(cycleFixture(), { actor: 'seed' });
  const entities = await ts.stores.graph.getEntities(r.entityIds);
  ids = new Map(entities.map((e) => [e.label, e.id]));
  app = await buildApp({ stores: ts.stores, config: { ...loadConfig({}), webDist: '/nonexistent' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await app?.close();
  await ts?.cleanup();
});

describe('cycle API', () => {
  it('ranks priorities with a reason for each person', async () => {
    const s = await login('viewer');
    const r = await call(s, 'POST', '/api/cycle/priorities', { asOf: '2024-06-30' });
    expect(r.status).toBe(200);
    const rows = r.json!.rows as Array<{ label: string; quadrant: string; why: string }>;
    const dean = rows.find((x) => x.label === 'Dean Cole')!;
    // Dean: firearms (9) 20 days before asOf + robbery (6) 59 days before: the top score, and the only bridge.
    expect(dean.quadrant).toBe('high harm, central');
    expect(dean.why).toMatch(
      /^Dean Cole is high harm, central: high harm: RFG [\d.]+ \(\d+th percentile\) from 2 events/,
    );
    expect(rows[0].label).toBe('Dean Cole');
    expect(r.json!.people).toBe(9);
    // The audit records who was shown.
    const seen = (await ts.stores.security.listAudit({ actor: 'viewer', action: 'analysis' })).items.at(-1)!;
    expect(seen.route).toBe('POST /api/cycle/priorities');
    expect(seen.objectIds).toContain(ids.get('Dean Cole'));
    const bad = await call(s, 'POST', '/api/cycle/priorities', { asOf: 'last week' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/asOf/);
  });

  it('reviews two windows and finds who took over', async () => {
    const s = await login('analyst');
    const r = await call(s, 'POST', '/api/cycle/review', {
      before: '2024-01-01..2024-06-30',
      after: '2024-07-01..2024-12-31',
      targets: [ids.get('Dean Cole')],
      view: { entityTypes: ['Person'] },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const risers = r.json!.risers as Array<{ label: string }>;
    expect(risers[0].label).toBe('Kerry Moss');
    const p = r.json!.prediction as {
      predicted: { lccShare: { after: number } };
      observed: { lccShare: { after: number } };
    };
    // Before: 9 people in one component. Removing Dean splits 4 / 4: LCC 4/9. Observed: 8 of 9.
    expect(p.predicted.lccShare.after).toBeCloseTo(4 / 9, 10);
    expect(p.observed.lccShare.after).toBeCloseTo(8 / 9, 10);
    const bad = await call(s, 'POST', '/api/cycle/review', { before: '2024-06-30..2024-01-01', after: '..' });
    expect(bad.status).toBe(400);
    expect((bad.json!.error as { message: string }).message).toMatch(/^before: .*starts after it ends/);
  });

  it('takes a target from proposed to reviewed, with roles enforced and every step audited', async () => {
    const ana = await login('analyst');
    const sup = await login('supervisor');
    const sam = await login('sam');
    const viewer = await login('viewer');
    const dean = ids.get('Dean Cole')!;

    expect(
      (await call(viewer, 'POST', '/api/targets', { entityId: dean, reason: 'x', analysis: { metric: 'm' } }))
        .status,
    ).toBe(403);
    const proposed = await call(ana, 'POST', '/api/targets', {
      entityId: dean,
      reason: 'Sole broker between the crews; high harm',
      analysis: {
        metric: 'betweenness',
        score: 0.5,
        view: { entityTypes: ['Person'], from: '2024-01-01', to: '2024-06-30' },
      },
    });
    expect(proposed.status, JSON.stringify(proposed.json)).toBe(201);
    const t = proposed.json as unknown as Target;
    expect(t).toMatchObject({
      status: 'proposed',
      proposedBy: 'analyst',
      entityLabel: 'Dean Cole',
      entityType: 'Person',
    });
    // The server recorded the data version and the lab's prediction on that view: 9 people, LCC 4 after.
    expect(t.analysis.dataVersion).toBeGreaterThan(0);
    expect(t.analysis.predictedEffect!.lccShareAfter).toBeCloseTo(4 / 9, 10);

    expect(
      (await call(ana, 'POST', `/api/targets/${t.id}/decision`, { decision: 'approved', reason: 'ok' }))
        .status,
    ).toBe(403);
    expect(
      (await call(ana, 'POST', `/api/targets/${t.id}/actions`, { kind: 'arrest', date: '2024-07-01' }))
        .status,
    ).toBe(409);
    const noReason = await call(sup, 'POST', `/api/targets/${t.id}/decision`, {
      decision: 'approved',
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    const approved = await call(sup, 'POST', `/api/targets/${t.id}/decision`, {
      decision: 'approved',
      reason: 'Proportionate and necessary',
      version: t.version,
    });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    expect(approved.json).toMatchObject({
      status: 'approved',
      decision: { decision: 'approved', by: 'supervisor' },
    });
    // A second decision on the same target is refused.
    expect(
      (await call(sam, 'POST', `/api/targets/${t.id}/decision`, { decision: 'rejected', reason: 'late' }))
        .status,
    ).toBe(409);
    expect((await call(ana, 'POST', `/api/targets/${t.id}/review`, { summary: 'too early' })).status).toBe(
      409,
    );

    const actioned = await call(ana, 'POST', `/api/targets/${t.id}/actions`, {
      kind: 'arrest',
      date: '2024-07-01',
      outcome: 'Arrested; remanded',
    });
    expect(actioned.status).toBe(201);
    expect(actioned.json).toMatchObject({
      status: 'actioned',
      actions: [{ kind: 'arrest', outcome: 'Arrested; remanded', actor: 'analyst' }],
    });
    const reviewed = await call(ana, 'POST', `/api/targets/${t.id}/review`, {
      summary: 'Network re-formed around Kerry Moss',
      before: '2024-01-01..2024-06-30',
      after: '2024-07-01..2024-12-31',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.json).toMatchObject({
      status: 'reviewed',
      review: { by: 'analyst', summary: 'Network re-formed around Kerry Moss' },
    });
    const listed = await call(ana, 'GET', '/api/targets?status=reviewed');
    expect((listed.json!.items as Target[]).map((x) => x.id)).toEqual([t.id]);

    // Separation of duties: a supervisor cannot decide their own proposal.
    const own = await call(sam, 'POST', '/api/targets', {
      entityId: ids.get('Kerry Moss'),
      reason: 'successor',
      analysis: { metric: 'review' },
    });
    expect(own.status).toBe(201);
    const self = await call(sam, 'POST', `/api/targets/${(own.json as unknown as Target).id}/decision`, {
      decision: 'approved',
      reason: 'mine',
    });
    expect(self.status).toBe(403);

    // The audit: every step, by whom, with the target and the entity.
    const audit = await ts.stores.security.listAudit({ objectId: t.id, limit: 100 });
    const steps = audit.items
      .filter((e) => e.action.startsWith('target.'))
      .map((e) => [e.action, e.actor, e.outcome, e.objectIds.includes(dean)]);
    expect(steps).toEqual([
      ['target.propose', 'analyst', 'ok', true],
      // Refused before the handler ran: the target id (from the URL) is recorded, the entity is not looked up.
      ['target.decide', 'analyst', 'denied', false],
      ['target.action', 'analyst', 'failed', true],
      ['target.decide', 'supervisor', 'failed', false],
      ['target.decide', 'supervisor', 'ok', true],
      ['target.decide', 'sam', 'failed', true],
      ['target.review', 'analyst', 'failed', true],
      ['target.action', 'analyst', 'ok', true],
      ['target.review', 'analyst', 'ok', true],
    ]);
  });

  it('adds the operational review to the PDF briefing as a section of its own', async () => {
    const ana = await login('analyst');
    const res = await fetch(`${url}/api/exports/briefing`, {
      method: 'POST',
      headers: { ...ana.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Operation Elm review',
        author: 'analyst',
        marking: 'OFFICIAL-SENSITIVE',
        chartPng: tinyPng().toString('base64'),
        review: {
          before: '2024-01-01..2024-06-30',
          after: '2024-07-01..2024-12-31',
          targets: [ids.get('Dean Cole')],
          view: { entityTypes: ['Person'] },
        },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    mkdirSync(OUT, { recursive: true });
    const pdf = join(OUT, 'cycle-briefing.pdf');
    writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const review = text.slice(text.indexOf('Operational review'));
    expect(review).toMatch(/Operational review/);
    // Predicted by the lab: 4 of the 9 left in the largest component; observed: 8 of 9.
    expect(review).toMatch(/Largest component \(vs before\)\s+100\.0%\s+44\.4%\s+88\.9%/);
    expect(review).toMatch(/Who took over the brokerage[\s\S]*Kerry Moss/);
    expect(review).toContain('OFFICIAL-SENSITIVE');
    const bad = await call(ana, 'POST', '/api/exports/briefing', {
      title: 't',
      author: 'a',
      marking: 'OFFICIAL',
      chartPng: tinyPng().toString('base64'),
      review: { before: '2024-06-30..2024-01-01', after: '..' },
    });
    expect(bad.status).toBe(400);
    expect((bad.json!.error as { message: string }).message).toMatch(
      /^review\.before: .*starts after it ends/,
    );
  });
});

/** A 1x1 white PNG, built by hand so the test needs no image library. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
