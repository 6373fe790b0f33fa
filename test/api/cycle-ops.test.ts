// Targets belong to the operation they were proposed in, over real HTTP against a real server and SQLite
// file. HALYARD (closed) proposes, decides and actions a target on a phone it shares with KESTREL (open):
// an analyst outside HALYARD sees the phone but none of HALYARD's targets, their actions or their lines in
// a briefing, and cannot decide or action them (the same 404 as a target that does not exist).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsHarness, tinyPng, type Caller, type OpsHarness, type Reply } from './ops-harness.ts';

type Target = { id: string; operationId: string; entityId: string; status: string; actions: unknown[] };
type Page<T> = { items: T[]; total: number };

let h: OpsHarness;
let boss: Caller; // supervisor: owns both operations
let mole: Caller; // analyst member of HALYARD
let outsider: Caller; // analyst, in KESTREL only
let kestrel: string;
let halyard: string;
const id: Record<string, string> = {};

async function ok(r: Promise<Reply>, status = 200): Promise<Reply> {
  const got = await r;
  expect(got.status, got.text.slice(0, 500)).toBe(status);
  return got;
}

const opId = async (ref: string, sensitivity: string): Promise<string> =>
  (
    (await ok(boss('POST', '/api/operations', { ref, name: ref.toLowerCase(), sensitivity }), 201)).json as {
      id: string;
    }
  ).id;

const propose = (entityId: string, reason: string) => ({
  entityId,
  reason,
  analysis: { metric: 'betweenness', score: 0.5, rank: 1 },
});

beforeAll(async () => {
  h = await startOpsHarness();
  boss = await h.as('boss', 'supervisor');
  mole = await h.as('mole', 'analyst');
  outsider = await h.as('outsider', 'analyst');
  kestrel = await opId('KESTREL', 'open');
  halyard = await opId('HALYARD', 'closed');
  await ok(boss('PUT', `/api/operations/${halyard}/members/mole`, { role: 'analyst' }));
  const inK = { 'x-linkchart-operation': kestrel };
  const inH = { 'x-linkchart-operation': halyard };
  const k = await ok(
    outsider('POST', '/api/batch', { entities: [{ type: 'Phone', label: '07700900001' }] }, inK),
  );
  id.phone = (k.json as { entityIds: string[] }).entityIds[0];
  const hb = await ok(
    mole(
      'POST',
      '/api/batch',
      {
        entities: [
          { type: 'Phone', label: '07700900001' },
          { type: 'Person', label: 'Zed Halyard' },
        ],
      },
      inH,
    ),
  );
  expect((hb.json as { entityIds: string[] }).entityIds[0]).toBe(id.phone); // shared: one entity
  id.zed = (hb.json as { entityIds: string[] }).entityIds[1];

  // HALYARD's target on the shared phone: proposed, approved by its owner, actioned.
  const t = await ok(mole('POST', '/api/targets', propose(id.phone, 'HALSECRET broker'), inH), 201);
  id.hTarget = (t.json as Target).id;
  expect((t.json as Target).operationId).toBe(halyard);
  await ok(boss('POST', `/api/targets/${id.hTarget}/decision`, { decision: 'approved', reason: 'go' }, inH));
  const acted = await ok(
    mole(
      'POST',
      `/api/targets/${id.hTarget}/actions`,
      { kind: 'seizure', date: '2024-07-05', outcome: 'HALSECRET seizure' },
      inH,
    ),
    201,
  );
  expect((acted.json as Target).status).toBe('actioned');
  // KESTREL's own target on the same phone.
  const kt = await ok(outsider('POST', '/api/targets', propose(id.phone, 'kestrel broker'), inK), 201);
  id.kTarget = (kt.json as Target).id;
}, 60_000);
afterAll(async () => h?.close());

describe('targets under need-to-know', () => {
  it('an outsider of the closed operation lists and reads none of its targets or actions', async () => {
    for (const q of ['', `?entityId=${id.phone}`, '?status=actioned']) {
      const list = await ok(outsider('GET', `/api/targets${q}`));
      const page = list.json as Page<Target>;
      expect(page.items.map((t) => t.id)).not.toContain(id.hTarget);
      expect(list.text).not.toContain('HALSECRET');
    }
    const all = (await ok(outsider('GET', '/api/targets'))).json as Page<Target>;
    expect(all.items.map((t) => t.id)).toEqual([id.kTarget]);
    expect(all.total).toBe(1);
    const read = await outsider('GET', `/api/targets/${id.hTarget}`);
    expect(read.status).toBe(404);
    const missing = await outsider('GET', '/api/targets/t999999');
    expect(read.json).toEqual({
      error: { ...(missing.json as { error: object }).error, message: expect.any(String) },
    });
    expect(read.text).not.toContain('HALSECRET');
  });

  it('an outsider cannot decide, action or review them; nothing changes', async () => {
    const boss2 = await h.as('boss2', 'supervisor');
    const decide = await boss2('POST', `/api/targets/${id.hTarget}/decision`, {
      decision: 'rejected',
      reason: 'x',
    });
    expect(decide.status).toBe(404);
    const act = await outsider('POST', `/api/targets/${id.hTarget}/actions`, {
      kind: 'arrest',
      date: '2024-07-06',
    });
    expect(act.status).toBe(404);
    const review = await outsider('POST', `/api/targets/${id.hTarget}/review`, { summary: 'x' });
    expect(review.status).toBe(404);
    const t = (await h.stores.cycle.getTarget(id.hTarget))!;
    expect([t.status, t.actions.length, t.version]).toEqual(['actioned', 1, 3]);
  });

  it('members see them, only in their operation: naming KESTREL alone hides them', async () => {
    const inH = { 'x-linkchart-operation': halyard };
    const theirs = (await ok(mole('GET', '/api/targets', undefined, inH))).json as Page<Target>;
    expect(theirs.items.map((t) => t.id)).toEqual([id.hTarget]);
    expect(theirs.items[0].actions).toHaveLength(1);
    const both = (await ok(mole('GET', '/api/targets'))).json as Page<Target>;
    expect(both.items.map((t) => t.id).sort()).toEqual([id.hTarget, id.kTarget].sort());
    const kOnly = await ok(mole('GET', '/api/targets', undefined, { 'x-linkchart-operation': kestrel }));
    expect((kOnly.json as Page<Target>).items.map((t) => t.id)).toEqual([id.kTarget]);
    expect(
      (await mole('GET', `/api/targets/${id.hTarget}`, undefined, { 'x-linkchart-operation': kestrel }))
        .status,
    ).toBe(404);
  });

  it("an outsider's briefing names no target of the closed operation", async () => {
    const brief = await outsider('POST', '/api/exports/briefing', {
      title: 'Brief',
      author: 'DC Kay',
      marking: 'OFFICIAL',
      chartPng: tinyPng().toString('base64'),
      entityIds: [id.phone],
      review: {
        before: '2024-01-01..2024-03-04',
        after: '2024-03-05..2024-12-31',
        targets: [id.zed, id.phone],
      },
    });
    expect(brief.status, brief.text.slice(0, 300)).toBe(200);
    const file = join(h.dir, 'outsider-brief.pdf');
    writeFileSync(file, brief.bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Operational review');
    // The review counts the targets it removes: the one the outsider may see, not the hidden one.
    expect(text.replace(/\s+/g, ' ')).toContain('removes the 1 targets');
    expect(text).not.toContain('Zed Halyard');
    expect(text).not.toMatch(new RegExp(`(^|[^A-Za-z0-9_-])${id.zed}([^A-Za-z0-9_-]|$)`));
    expect(text).not.toContain('HALSECRET');
  });
});
