// Deleting and editing a fact two operations hold, over real HTTP against a real server and SQLite file with
// the demo seeded: KESTREL (open, the demo user's) and the closed HALYARD (dsmith's) share two phones and a
// vehicle. The demo user deletes a shared phone in KESTREL: it leaves KESTREL only, and HALYARD's owner reads
// the phone, its links and its reports exactly as before; the answer is the { ok: true } of deleting a phone
// only KESTREL holds, so nothing says another operation holds it; the audit record says what went from
// KESTREL. A rename of the other shared phone from KESTREL is refused (409); its properties change in
// KESTREL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../server/domain/model.ts';
import { seedDemo } from '../../seed/demo-operations.ts';
import { startOpsHarness, type Caller, type OpsHarness, type Reply } from './ops-harness.ts';

type Entity = { id: string; label: string; properties: Record<string, unknown>; updatedAt?: string };
type Link = { id: string; from: string; to: string; weight: number; updatedAt?: string };
type Page<T> = { items: T[]; total: number };

let h: OpsHarness;
let demo: Caller;
let dsmith: Caller;
let admin: Caller;
const inK: Record<string, string> = {};
const inH: Record<string, string> = {};
let shared: string[] = [];

async function ok(r: Promise<Reply>, status = 200): Promise<Reply> {
  const got = await r;
  expect(got.status, got.text.slice(0, 500)).toBe(status);
  return got;
}

/** A fact less the time its row was last written. */
function facts<T extends { updatedAt?: string }>(x: T): Omit<T, 'updatedAt'> {
  const { updatedAt: _, ...rest } = x;
  return rest;
}

/** What HALYARD's owner reads of a phone in HALYARD: the phone, its links, its reports. */
async function halyardView(phone: string) {
  const e = (await ok(dsmith('GET', `/api/entities/${phone}`, undefined, inH))).json as Entity & {
    reports: { ref: string }[];
  };
  const links = (
    (await ok(dsmith('GET', `/api/links?entityId=${phone}&limit=500`, undefined, inH))).json as Page<Link>
  ).items;
  return { entity: facts(e), links: links.map(facts).sort((a, b) => a.id.localeCompare(b.id)) };
}

beforeAll(async () => {
  h = await startOpsHarness();
  await seedDemo(h.stores);
  demo = await h.as('demo', 'analyst');
  dsmith = await h.as('dsmith', 'analyst');
  admin = await h.as('root', 'admin');
  const kestrel = (await h.stores.operations.getByRef('KESTREL'))!;
  const halyard = (await h.stores.operations.getByRef('HALYARD'))!;
  inK['x-linkchart-operation'] = kestrel.id;
  inH['x-linkchart-operation'] = halyard.id;
  // The two phones HALYARD shares with KESTREL: those of HALYARD's phones the demo user also reads.
  const hPhones = (
    (await ok(dsmith('GET', '/api/entities?type=Phone&limit=100', undefined, inH))).json as Page<Entity>
  ).items;
  for (const p of hPhones)
    if ((await demo('GET', `/api/entities/${p.id}`, undefined, inK)).status === 200) shared.push(p.id);
  shared = shared.sort();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('a fact two operations hold, deleted or edited in one of them', () => {
  it('the demo holds two phones shared with HALYARD', () => {
    expect(shared).toHaveLength(2);
  });

  it('a delete in KESTREL of the shared phone leaves HALYARD reading it as before, and says nothing of it', async () => {
    const phone = shared[0];
    const before = await halyardView(phone);
    expect(before.links.length).toBeGreaterThan(0);
    const kLinks = (
      (await ok(demo('GET', `/api/links?entityId=${phone}&limit=500`, undefined, inK))).json as Page<Link>
    ).items;
    expect(kLinks.length).toBeGreaterThan(0);
    const gone = await ok(demo('DELETE', `/api/entities/${phone}`, undefined, inK));
    // A phone only KESTREL holds, deleted: the same answer.
    const own = (
      (await ok(demo('GET', '/api/entities?type=Phone&limit=200', undefined, inK))).json as Page<Entity>
    ).items.find((p) => !shared.includes(p.id))!;
    const soleGone = await ok(demo('DELETE', `/api/entities/${own.id}`, undefined, inK));
    expect(gone.json).toEqual({ ok: true });
    expect(soleGone.json).toEqual(gone.json);
    // KESTREL reads neither any more; HALYARD reads its phone as it did.
    await ok(demo('GET', `/api/entities/${phone}`, undefined, inK), 404);
    await ok(demo('GET', `/api/entities/${own.id}`, undefined, inK), 404);
    for (const l of kLinks) await ok(demo('GET', `/api/links/${l.id}`, undefined, inK), 404);
    expect(await halyardView(phone)).toEqual(before);
    // The system: the phone only KESTREL held is gone for everyone; the shared one stays.
    expect(await h.stores.graph.getEntity(own.id)).toBeNull();
    expect(await h.stores.graph.getEntity(phone)).not.toBeNull();
    // Deleting it again in KESTREL: KESTREL holds nothing of it, and it is not there for the demo user.
    await ok(demo('DELETE', `/api/entities/${phone}`, undefined, inK), 404);

    // The audit record says what went from which operation, and nothing of HALYARD.
    const records = (
      (await ok(admin('GET', `/api/audit?action=delete&limit=100`))).json as Page<AuditEvent>
    ).items.filter((r) => r.objectIds.includes(phone) && r.outcome === 'ok');
    expect(records).toHaveLength(1);
    const d = records[0].details as { operation: string; removed: Record<string, unknown> };
    expect(d.operation).toBe('KESTREL');
    expect(d.removed.entities).toEqual([phone]);
    expect((d.removed.links as string[]).slice().sort()).toEqual(kLinks.map((l) => l.id).sort());
    expect(JSON.stringify(records[0])).not.toContain('HALYARD');
    expect(records[0].operations).toEqual([inK['x-linkchart-operation']]);
  });

  it('a rename of the other shared phone from KESTREL is refused; its properties change in KESTREL only', async () => {
    const phone = shared[1];
    const before = await halyardView(phone);
    const r = await ok(demo('PATCH', `/api/entities/${phone}`, { label: 'Burner' }, inK), 409);
    expect(r.text).toMatch(/held by an operation you cannot read/);
    expect(r.text).not.toContain('HALYARD');
    const edited = await ok(
      demo('PATCH', `/api/entities/${phone}`, { properties: { kestrelNote: 'dropped in the canal' } }, inK),
    );
    expect((edited.json as Entity).properties).toEqual({ kestrelNote: 'dropped in the canal' });
    expect(await halyardView(phone)).toEqual(before);
    // HALYARD's owner reads KESTREL too (open): the rename is theirs to make.
    const renamed = await ok(dsmith('PATCH', `/api/entities/${phone}`, { label: 'Burner' }, inH));
    expect((renamed.json as Entity).label).toBe('Burner');
  });
});
