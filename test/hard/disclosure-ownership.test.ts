// Issue 16, "objects belong to someone", over real HTTP against a real server process: another analyst
// cannot change or delete a note or a chart (403 naming the owner, as charts already answered); a
// supervisor may, and the audit record shows the override; a PATCH carrying only `text` changes only
// the text (tags and the target flag stay).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, tempDb, type Server, type Session } from './harness.ts';

const PASSWORD = 'Quartz-Lantern-Harbour-73';

let dir = '';
let server: Server;
let admin: Session;
let owner: Session;
let other: Session;
let sup: Session;
let entityId = '';

async function call(
  s: Session,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string; json: Record<string, unknown> | null }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...s.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, json };
}

beforeAll(async () => {
  const db = tempDb();
  dir = db.dir;
  server = await startServer(db.dbPath);
  admin = await login(server.url);
  for (const [name, role] of [
    ['olive', 'analyst'],
    ['oscar', 'analyst'],
    ['sue', 'supervisor'],
  ] as const) {
    const r = await call(admin, 'POST', '/api/users', { name, role, password: PASSWORD });
    expect(r.status, r.text).toBe(200);
  }
  owner = await login(server.url, 'olive', PASSWORD);
  other = await login(server.url, 'oscar', PASSWORD);
  sup = await login(server.url, 'sue', PASSWORD);
  const w = await call(admin, 'POST', '/api/batch', {
    entities: [{ type: 'Person', label: 'Noted Person', key: 'noted-person' }],
  });
  expect(w.status, w.text).toBe(200);
  entityId = (w.json as { entityIds: string[] }).entityIds[0];
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function note(): Promise<{ id: string; tags: string[]; targetFlag: boolean; author: string }> {
  const r = await call(owner, 'POST', '/api/annotations', {
    target: { kind: 'entity', id: entityId },
    text: 'Seen at the depot',
    tags: ['vehicle', 'depot'],
    target_flag: true,
  });
  expect(r.status, r.text).toBe(201);
  return r.json as unknown as { id: string; tags: string[]; targetFlag: boolean; author: string };
}

describe('ownership: notes and charts belong to their makers', () => {
  it("another analyst cannot change or delete someone's note (403 naming the owner); the note is unchanged", async () => {
    const n = await note();
    const patch = await call(other, 'PATCH', `/api/annotations/${n.id}`, { text: 'Rewritten by oscar' });
    expect(patch.status, patch.text).toBe(403);
    expect((patch.json!.error as { code: string; message: string }).code).toBe('not_owner');
    expect((patch.json!.error as { message: string }).message).toContain('olive');
    const del = await call(other, 'DELETE', `/api/annotations/${n.id}`);
    expect(del.status, del.text).toBe(403);
    expect(del.text).toContain('olive');
    const list = await call(other, 'GET', `/api/annotations?kind=entity&targetId=${entityId}`);
    expect(list.status).toBe(200);
    const still = (list.json!.items as Array<{ id: string; text: string; author: string }>).find(
      (x) => x.id === n.id,
    );
    expect(still).toMatchObject({ text: 'Seen at the depot', author: 'olive' });
  });

  it("another analyst cannot change or delete someone's chart (403 naming the owner)", async () => {
    const c = await call(owner, 'POST', '/api/charts', { name: 'Olive chart', state: { zoom: 1 } });
    expect(c.status, c.text).toBe(201);
    const id = (c.json as { id: string }).id;
    const put = await call(other, 'PUT', `/api/charts/${id}`, { name: 'Taken', state: {} });
    expect(put.status, put.text).toBe(403);
    expect(put.text).toContain('olive');
    const del = await call(other, 'DELETE', `/api/charts/${id}`);
    expect(del.status, del.text).toBe(403);
    expect((await call(other, 'GET', `/api/charts/${id}`)).status).toBe(200);
  });

  it('a supervisor may change and delete them, and the audit record shows the override', async () => {
    const n = await note();
    const patch = await call(sup, 'PATCH', `/api/annotations/${n.id}`, { text: 'Corrected by supervisor' });
    expect(patch.status, patch.text).toBe(200);
    expect(patch.json).toMatchObject({ text: 'Corrected by supervisor', author: 'olive' });
    const del = await call(sup, 'DELETE', `/api/annotations/${n.id}`);
    expect(del.status, del.text).toBe(200);
    const audit = await call(admin, 'GET', `/api/audit?objectId=${encodeURIComponent(n.id)}&limit=100`);
    expect(audit.status, audit.text).toBe(200);
    const recs = audit.json!.items as Array<{
      actor: string;
      action: string;
      outcome: string;
      details: Record<string, unknown> | null;
    }>;
    const change = recs.find((r) => r.actor === 'sue' && r.action === 'change')!;
    const remove = recs.find((r) => r.actor === 'sue' && r.action === 'delete')!;
    for (const r of [change, remove]) {
      expect(r.outcome).toBe('ok');
      expect(r.details?.ownerOverride).toMatchObject({ owner: 'olive', by: 'sue', role: 'supervisor' });
    }
  });

  it('a PATCH carrying only text changes only the text: tags and the target flag stay', async () => {
    const n = await note();
    expect(n).toMatchObject({ tags: ['vehicle', 'depot'], targetFlag: true });
    const r = await call(owner, 'PATCH', `/api/annotations/${n.id}`, { text: 'Seen at the depot twice' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      text: 'Seen at the depot twice',
      tags: ['vehicle', 'depot'],
      targetFlag: true,
      author: 'olive',
    });
    const t = await call(owner, 'PATCH', `/api/annotations/${n.id}`, { tags: ['depot'] });
    expect(t.json).toMatchObject({ text: 'Seen at the depot twice', tags: ['depot'], targetFlag: true });
  });
});
