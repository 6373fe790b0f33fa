// The operations API over real HTTP against a real server and SQLite file, the audit on: who may open an
// operation, who may read it (a closed one is the 404 of a missing one to outsiders, admins included
// until they add themselves), who may manage its members, who may write in it, and the audit record of
// every change naming the operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsHarness, type Caller, type OpsHarness } from './ops-harness.ts';

type Op = {
  id: string;
  ref: string;
  name: string;
  sensitivity: string;
  myRole: string | null;
  canManage: boolean;
  canWrite: boolean;
};
type Err = { error: { code: string; message: string } };

let h: OpsHarness;
let boss: Caller; // global supervisor: opens HALYARD
let mole: Caller; // analyst, analyst member of HALYARD
let lurker: Caller; // analyst, viewer member of HALYARD
let outsider: Caller; // analyst, in nothing
let admin: Caller;
let halyard: Op;

beforeAll(async () => {
  h = await startOpsHarness();
  boss = await h.as('boss', 'supervisor');
  mole = await h.as('mole', 'analyst');
  lurker = await h.as('lurker', 'analyst');
  outsider = await h.as('outsider', 'analyst');
  admin = await h.as('root', 'admin');
});
afterAll(async () => h?.close());

const audits = async (action: string) => (await h.stores.security.listAudit({ action, limit: 100 })).items;

describe('opening an operation', () => {
  it('global supervisors open one and own it; analysts may not', async () => {
    const denied = await outsider('POST', '/api/operations', { ref: 'nope', name: 'Nope' });
    expect(denied.status).toBe(403);
    const r = await boss('POST', '/api/operations', {
      ref: 'halyard',
      name: 'supplier',
      sensitivity: 'closed',
    });
    expect(r.status, r.text).toBe(201);
    halyard = r.json as Op;
    expect(halyard).toMatchObject({
      ref: 'HALYARD',
      sensitivity: 'closed',
      myRole: 'owner',
      canManage: true,
    });
    const again = await boss('POST', '/api/operations', { ref: 'HALYARD', name: 'again' });
    expect(again.status).toBe(409);
    const bad = await boss('POST', '/api/operations', { ref: 'a b', name: 'x' });
    expect(bad.status).toBe(400);
    const rec = (await audits('operation.create')).find((a) => a.objectIds.includes(halyard.id));
    expect(rec?.actor).toBe('boss');
    expect(JSON.stringify(rec?.details)).toContain('HALYARD');
  });

  it('lists what each may read: the open GENERAL to all, the closed one to its members only', async () => {
    const mine = ((await boss('GET', '/api/operations')).json as { items: Op[] }).items;
    expect(mine.map((o) => o.ref).sort()).toEqual(['GENERAL', 'HALYARD']);
    const theirs = ((await outsider('GET', '/api/operations')).json as { items: Op[] }).items;
    expect(theirs.map((o) => o.ref)).toEqual(['GENERAL']);
    expect(theirs[0]).toMatchObject({ myRole: null, canManage: false, canWrite: true });
  });
});

describe('reading a closed operation', () => {
  it('is the 404 of a missing one to an outsider, by id and through the header', async () => {
    const r = await outsider('GET', `/api/operations/${halyard.id}`);
    const missing = await outsider('GET', '/api/operations/op999');
    expect(r.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((r.json as Err).error.code).toBe('operation_not_found');
    expect((missing.json as Err).error.code).toBe('operation_not_found');
    expect(r.text).not.toContain('HALYARD');
    const viaHeader = await outsider('GET', '/api/entities', undefined, {
      'x-linkchart-operation': halyard.id,
    });
    const viaHeaderMissing = await outsider('GET', '/api/entities', undefined, {
      'x-linkchart-operation': 'op999',
    });
    expect(viaHeader.status).toBe(404);
    expect((viaHeader.json as Err).error.code).toBe('operation_not_found');
    // The same answer, but for the id it names: closed and absent cannot be told apart.
    expect(viaHeader.text.replace(halyard.id, 'X')).toBe(viaHeaderMissing.text.replace('op999', 'X'));
    const viaQuery = await outsider('GET', `/api/entities?operation=${halyard.id}`);
    expect(viaQuery.status).toBe(404);
    const malformed = await outsider('GET', '/api/entities', undefined, {
      'x-linkchart-operation': 'op 1;drop',
    });
    expect(malformed.status).toBe(400);
  });

  it('the global admin role opens nothing: an admin outside it reads nothing of it', async () => {
    const r = await admin('GET', '/api/entities', undefined, { 'x-linkchart-operation': halyard.id });
    expect(r.status).toBe(404);
  });
});

describe('members', () => {
  it('the owner adds members; each is audited naming the operation and the member', async () => {
    const a = await boss('PUT', `/api/operations/${halyard.id}/members/mole`, { role: 'analyst' });
    expect(a.status, a.text).toBe(200);
    expect(a.json).toMatchObject({ user: 'mole', role: 'analyst', addedBy: 'boss' });
    const v = await boss('PUT', `/api/operations/${halyard.id}/members/lurker`, { role: 'viewer' });
    expect(v.status, v.text).toBe(200);
    const list = (await mole('GET', `/api/operations/${halyard.id}/members`)).json as {
      items: Array<{ user: string; role: string }>;
    };
    expect(list.items.map((m) => `${m.user}:${m.role}`).sort()).toEqual([
      'boss:owner',
      'lurker:viewer',
      'mole:analyst',
    ]);
    const recs = (await audits('operation.member')).filter((r) => r.objectIds.includes(halyard.id));
    expect(recs.map((r) => r.details?.member).sort()).toEqual(['lurker', 'mole']);
    expect(recs.every((r) => r.actor === 'boss' && r.details?.operation === 'HALYARD')).toBe(true);
  });

  it('a member takes effect on their next request', async () => {
    const r = await mole('GET', `/api/operations/${halyard.id}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ myRole: 'analyst', canManage: false, canWrite: true });
  });

  it('an unknown user, a bad role, an analyst member or an outsider may not change members', async () => {
    expect(
      (await boss('PUT', `/api/operations/${halyard.id}/members/ghost`, { role: 'viewer' })).status,
    ).toBe(404);
    expect(
      (await boss('PUT', `/api/operations/${halyard.id}/members/outsider`, { role: 'chief' })).status,
    ).toBe(400);
    const byMember = await mole('PUT', `/api/operations/${halyard.id}/members/outsider`, { role: 'viewer' });
    expect(byMember.status).toBe(403);
    const byOutsider = await outsider('PUT', `/api/operations/${halyard.id}/members/outsider`, {
      role: 'owner',
    });
    expect(byOutsider.status).toBe(404);
    const members = (await boss('GET', `/api/operations/${halyard.id}/members`)).json as {
      items: Array<{ user: string }>;
    };
    expect(members.items.some((m) => m.user === 'outsider')).toBe(false);
  });

  it('a supervisor member manages members but may not make an owner', async () => {
    expect(
      (await boss('PUT', `/api/operations/${halyard.id}/members/mole`, { role: 'supervisor' })).status,
    ).toBe(200);
    expect(
      (await mole('PUT', `/api/operations/${halyard.id}/members/outsider`, { role: 'viewer' })).status,
    ).toBe(200);
    expect(
      (await mole('PUT', `/api/operations/${halyard.id}/members/outsider`, { role: 'owner' })).status,
    ).toBe(403);
    expect((await mole('DELETE', `/api/operations/${halyard.id}/members/outsider`)).status).toBe(200);
    expect((await mole('DELETE', `/api/operations/${halyard.id}/members/boss`)).status).toBe(403);
    expect((await boss('DELETE', `/api/operations/${halyard.id}/members/boss`)).status).toBe(409);
    const removed = (await audits('operation.member.remove')).find((r) => r.details?.member === 'outsider');
    expect(removed?.actor).toBe('mole');
    expect(removed?.details?.operation).toBe('HALYARD');
    expect(
      (await boss('PUT', `/api/operations/${halyard.id}/members/mole`, { role: 'analyst' })).status,
    ).toBe(200);
  });

  it('an admin may add themselves (audited), then reads it', async () => {
    expect((await admin('GET', `/api/operations/${halyard.id}`)).status).toBe(200);
    expect(
      (await admin('GET', '/api/entities', undefined, { 'x-linkchart-operation': halyard.id })).status,
    ).toBe(404);
    const r = await admin('PUT', `/api/operations/${halyard.id}/members/root`, { role: 'viewer' });
    expect(r.status, r.text).toBe(200);
    expect(
      (await admin('GET', '/api/entities', undefined, { 'x-linkchart-operation': halyard.id })).status,
    ).toBe(200);
    const rec = (await audits('operation.member')).find((a) => a.details?.member === 'root');
    expect(rec?.actor).toBe('root');
  });
});

describe('changing an operation and writing in it', () => {
  it('the owner renames it (audited with the change); a member who does not manage may not', async () => {
    expect((await mole('PATCH', `/api/operations/${halyard.id}`, { name: 'renamed' })).status).toBe(403);
    const r = await boss('PATCH', `/api/operations/${halyard.id}`, { name: 'supplier network' });
    expect(r.status, r.text).toBe(200);
    expect((r.json as Op).name).toBe('supplier network');
    const rec = (await audits('operation.change')).find(
      (a) => a.objectIds.includes(halyard.id) && a.actor === 'boss',
    );
    expect(rec?.details?.operation).toBe('HALYARD');
    expect(JSON.stringify(rec?.details?.changes)).toContain('supplier network');
  });

  it('writers write in it; a viewer member and an outsider may not; the write lands in it', async () => {
    const hdr = { 'x-linkchart-operation': halyard.id };
    const w = await mole('POST', '/api/entities', { type: 'Person', label: 'Zed Halyard' }, hdr);
    expect(w.status, w.text).toBe(201);
    const id = (w.json as { id: string }).id;
    const byViewer = await lurker('POST', '/api/entities', { type: 'Person', label: 'Lurker Made' }, hdr);
    expect(byViewer.status).toBe(403);
    expect((byViewer.json as Err).error.code).toBe('operation_write_denied');
    const byOutsider = await outsider(
      'POST',
      '/api/entities',
      { type: 'Person', label: 'Outsider Made' },
      hdr,
    );
    expect(byOutsider.status).toBe(404);
    const two = await mole(
      'POST',
      '/api/entities',
      { type: 'Person', label: 'Two Ops' },
      {
        'x-linkchart-operation': `${halyard.id},op1`,
      },
    );
    expect(two.status).toBe(400);
    // Read back by the members, not by an outsider (whatever operation they name).
    expect((await lurker('GET', `/api/entities/${id}`)).status).toBe(200);
    expect((await outsider('GET', `/api/entities/${id}`)).status).toBe(404);
    // The outsider's own writes go to GENERAL and are read by all.
    const g = await outsider('POST', '/api/entities', { type: 'Person', label: 'Open Person' });
    expect(g.status, g.text).toBe(201);
    expect((await mole('GET', `/api/entities/${(g.json as { id: string }).id}`)).status).toBe(200);
  });

  it('a closed-for-changes operation refuses writes to everyone', async () => {
    expect((await boss('PATCH', `/api/operations/${halyard.id}`, { state: 'closed' })).status).toBe(200);
    const r = await mole(
      'POST',
      '/api/entities',
      { type: 'Person', label: 'Late' },
      { 'x-linkchart-operation': halyard.id },
    );
    expect(r.status).toBe(403);
    expect((await boss('PATCH', `/api/operations/${halyard.id}`, { state: 'active' })).status).toBe(200);
  });
});
