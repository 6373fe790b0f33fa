// GET /api/operations/:id/candidates over real HTTP (real server, SQLite file, the audit on): an analyst
// who runs an operation cannot list users (a supervisor's screen), so the members screen finds a colleague
// through this: names only, at most 20, enabled non-members, those starting with what was typed first;
// for the operation's managers only (a viewer member is refused, an outsider of a closed one gets its
// 404); every call audited as a listing of users, in the operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsHarness, type Caller, type OpsHarness } from './ops-harness.ts';

type List = { items: Array<Record<string, unknown>>; more: boolean };

let h: OpsHarness;
let boss: Caller; // global supervisor: opens WREN
let runner: Caller; // global analyst, supervisor member of WREN: manages it
let watcher: Caller; // global analyst, viewer member of WREN
let outsider: Caller; // global analyst, in nothing
let opId = '';

beforeAll(async () => {
  h = await startOpsHarness();
  boss = await h.as('boss', 'supervisor');
  runner = await h.as('runner', 'analyst');
  watcher = await h.as('watcher', 'analyst');
  outsider = await h.as('outsider', 'analyst');
  const op = await boss('POST', '/api/operations', { ref: 'WREN', name: 'wren', sensitivity: 'closed' });
  expect(op.status, op.text).toBe(201);
  opId = (op.json as { id: string }).id;
  for (const [user, role] of [
    ['runner', 'supervisor'],
    ['watcher', 'viewer'],
  ])
    expect((await boss('PUT', `/api/operations/${opId}/members/${user}`, { role })).status).toBe(200);
  // 25 colleagues named cand-NN (one disabled), and two whose names hold "cand" further in.
  for (let i = 0; i < 25; i++)
    await h.stores.security.createUser({
      name: `cand-${String(i).padStart(2, '0')}`,
      role: 'analyst',
      passwordHash: 'x',
    });
  const off = await h.stores.security.getUserByName('cand-03');
  await h.stores.security.updateUser(off!.id, { disabled: true });
  await h.stores.security.createUser({ name: 'A.Candler', role: 'viewer', passwordHash: 'x' });
  await h.stores.security.createUser({ name: 'Zoe.Candy', role: 'supervisor', passwordHash: 'x' });
});
afterAll(async () => h?.close());

describe('who may be added to an operation', () => {
  it('an analyst who runs the operation cannot list users, but finds colleagues by name', async () => {
    expect((await runner('GET', '/api/users')).status).toBe(403);
    const r = await runner('GET', `/api/operations/${opId}/candidates?q=CAND`);
    expect(r.status, r.text).toBe(200);
    const list = r.json as List;
    // Names only: no role, id or account state.
    for (const c of list.items) expect(Object.keys(c)).toEqual(['name']);
    const names = list.items.map((c) => c.name as string);
    expect(names).toHaveLength(20);
    expect(list.more).toBe(true);
    // Those starting with it first, A to Z; the disabled one left out.
    expect(names.slice(0, 3)).toEqual(['cand-00', 'cand-01', 'cand-02']);
    expect(names).not.toContain('cand-03');
    expect(names[19]).toBe('cand-20');
  });

  it('narrows as more is typed, leaves members out, and finds names holding it further in', async () => {
    const r = await runner('GET', `/api/operations/${opId}/candidates?q=${encodeURIComponent(' candy')}`);
    expect(r.json).toEqual({ items: [{ name: 'Zoe.Candy' }], more: false });
    const all = await runner('GET', `/api/operations/${opId}/candidates`);
    const names = (all.json as List).items.map((c) => c.name);
    // Nothing typed: the first names A to Z, where boss (the owner) would be second; members never are.
    expect(names.slice(0, 2)).toEqual(['A.Candler', 'cand-00']);
    for (const member of ['boss', 'runner', 'watcher']) expect(names).not.toContain(member);
    const w = await runner('GET', `/api/operations/${opId}/candidates?q=watch`);
    expect((w.json as List).items).toEqual([]);
    const o = await runner('GET', `/api/operations/${opId}/candidates?q=outs`);
    expect((o.json as List).items).toEqual([{ name: 'outsider' }]);
    const ca = await runner('GET', `/api/operations/${opId}/candidates?q=candl`);
    expect((ca.json as List).items).toEqual([{ name: 'A.Candler' }]);
  });

  it('is for those who manage the operation: a viewer member is refused, an outsider gets the 404', async () => {
    const v = await watcher('GET', `/api/operations/${opId}/candidates?q=cand`);
    expect(v.status).toBe(403);
    expect((v.json as { error: { message: string } }).error.message).toMatch(/owner \(boss\)/);
    const o = await outsider('GET', `/api/operations/${opId}/candidates?q=cand`);
    expect(o.status).toBe(404);
    // The same answer as an operation that does not exist, naming the id in the address as the one not found.
    const none = await outsider('GET', '/api/operations/op999/candidates');
    expect(none.status).toBe(404);
    expect((o.json as { error: { path: unknown } }).error.path).toEqual(['params', 'id']);
    expect((none.json as { error: { code: string } }).error.code).toBe(
      (o.json as { error: { code: string } }).error.code,
    );
    const long = await runner('GET', `/api/operations/${opId}/candidates?q=${'x'.repeat(65)}`);
    expect(long.status).toBe(400);
  });

  it('is audited as a listing of users, in the operation, with what was typed', async () => {
    const recs = (await h.stores.security.listAudit({ action: 'users.read', limit: 100 })).items;
    const mine = recs.filter((a) => a.actor === 'runner' && a.details?.q === 'candl');
    expect(mine).toHaveLength(1);
    expect(mine[0].outcome).toBe('ok');
    expect(mine[0].objectIds).toContain(opId);
    expect(mine[0].operations).toEqual([opId]);
    expect(mine[0].details).toMatchObject({ operation: 'WREN', listed: 1 });
    const refused = recs.find((a) => a.actor === 'watcher');
    expect(refused?.outcome).toBe('denied');
  });
});
