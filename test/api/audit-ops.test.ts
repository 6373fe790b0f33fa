// The audit trail by operation, over real HTTP against a real server and SQLite file: every record carries
// the request's working operation; a global supervisor's listing and export show the records of the
// operations they own or supervise (and GENERAL's, and those of no operation), never a record that touched
// a closed operation they do not own or supervise; an administrator sees all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../server/domain/model.ts';
import { startOpsHarness, type Caller, type OpsHarness, type Reply } from './ops-harness.ts';

type Page<T> = { items: T[]; total: number };

let h: OpsHarness;
let boss: Caller; // supervisor: owns KESTREL and HALYARD
let other: Caller; // supervisor of nothing
let admin: Caller;
let mole: Caller; // analyst member of HALYARD
let outsider: Caller; // analyst outside HALYARD
let kestrel: string;
let halyard: string;
const id: Record<string, string> = {};

async function ok(r: Promise<Reply>, status = 200): Promise<Reply> {
  const got = await r;
  expect(got.status, got.text.slice(0, 500)).toBe(status);
  return got;
}

const trail = async (caller: Caller, q = ''): Promise<AuditEvent[]> =>
  ((await ok(caller('GET', `/api/audit?limit=1000${q}`))).json as Page<AuditEvent>).items;

beforeAll(async () => {
  h = await startOpsHarness();
  boss = await h.as('boss', 'supervisor');
  other = await h.as('other', 'supervisor');
  admin = await h.as('root', 'admin');
  mole = await h.as('mole', 'analyst');
  outsider = await h.as('outsider', 'analyst');
  const op = async (ref: string, sensitivity: string) =>
    ((await ok(boss('POST', '/api/operations', { ref, name: ref, sensitivity }), 201)).json as { id: string })
      .id;
  kestrel = await op('KESTREL', 'open');
  halyard = await op('HALYARD', 'closed');
  await ok(boss('PUT', `/api/operations/${halyard}/members/mole`, { role: 'analyst' }));
  const inH = { 'x-linkchart-operation': halyard };
  // HALYARD's write and read, KESTREL's write, GENERAL's write (no operation named).
  const hb = await ok(
    mole('POST', '/api/batch', { entities: [{ type: 'Person', label: 'Zed Halyard' }] }, inH),
  );
  id.zed = (hb.json as { entityIds: string[] }).entityIds[0];
  await ok(mole('GET', `/api/entities/${id.zed}`, undefined, inH));
  await ok(
    outsider(
      'POST',
      '/api/batch',
      { entities: [{ type: 'Person', label: 'Kes Alpha' }] },
      { 'x-linkchart-operation': kestrel },
    ),
  );
  await ok(outsider('POST', '/api/batch', { entities: [{ type: 'Person', label: 'Gen Beta' }] }));
  // The outsider naming HALYARD: the 404 of an operation that does not exist, recorded under it.
  const tried = await outsider('GET', `/api/entities/${id.zed}`, undefined, inH);
  expect(tried.status).toBe(404);
}, 60_000);
afterAll(async () => h?.close());

describe('the audit trail by operation', () => {
  it('records carry the working operation of the request', async () => {
    const all = await trail(admin);
    const batch = (actor: string) =>
      all.filter((e) => e.actor === actor && e.route === 'POST /api/batch').map((e) => e.operations);
    expect(batch('mole')).toEqual([[halyard]]);
    expect(batch('outsider')).toEqual([[kestrel], ['op1']]);
    const read = all.find((e) => e.actor === 'mole' && e.route === 'GET /api/entities/:id');
    expect(read?.operations).toEqual([halyard]);
    const attempt = all.find((e) => e.actor === 'outsider' && e.route === 'GET /api/entities/:id');
    expect(attempt).toMatchObject({ details: { status: 404 }, operations: [halyard] });
    // Managing an operation is recorded under it.
    const member = all.find((e) => e.route === 'PUT /api/operations/:id/members/:user');
    expect(member?.operations).toEqual([halyard]);
    const v = await ok(admin('GET', '/api/audit/verify'));
    expect(v.json).toMatchObject({ ok: true, firstBroken: null });
  });

  it("a supervisor of neither operation sees GENERAL's records, not HALYARD's or KESTREL's own", async () => {
    const seen = await trail(other);
    expect(seen.length).toBeGreaterThan(0);
    for (const e of seen) {
      expect(e.operations ?? [], `record ${e.seq}`).not.toContain(halyard);
      expect(e.operations ?? [], `record ${e.seq}`).not.toContain(kestrel);
    }
    expect(seen.some((e) => e.actor === 'outsider' && (e.operations ?? []).includes('op1'))).toBe(true);
    expect(seen.some((e) => e.actor === 'mole')).toBe(false);
    const csv = await ok(other('GET', '/api/audit/export?format=jsonl'));
    expect(csv.text).not.toMatch(new RegExp(`(^|[^A-Za-z0-9_-])${id.zed}([^A-Za-z0-9_-]|$)`));
    expect(csv.text).not.toContain(`"${halyard}"`);
    const fromAdmin = await trail(admin);
    expect(fromAdmin.length).toBeGreaterThan(seen.length);
  });

  it('the owner of both sees their records, the attempt on HALYARD included; an admin sees all', async () => {
    const seen = await trail(boss);
    expect(seen.filter((e) => e.actor === 'mole').length).toBeGreaterThanOrEqual(2);
    expect(seen.some((e) => e.actor === 'outsider' && e.details?.status === 404)).toBe(true);
    expect(seen.some((e) => (e.operations ?? []).includes(kestrel))).toBe(true);
    const everything = await trail(admin);
    expect(everything.map((e) => e.seq)).toEqual([...everything.map((e) => e.seq)].sort((a, b) => a - b));
    expect(everything.length).toBeGreaterThanOrEqual(seen.length);
    expect(everything.some((e) => e.actor === 'mole')).toBe(true);
  });
});
