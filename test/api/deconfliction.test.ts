// Issue 17's done-when, over real HTTP on a real SQLite file with the audit on: a call data file imported
// (the real import route, CSV) into the open operation KESTREL shares two phones with the closed operation
// HALYARD. HALYARD's owner is told KESTREL (ref, owner) brought them in; KESTREL's owner is told only that a
// closed operation holds them and to contact the deconfliction desk; neither reads the other's facts through
// any route they call here; the notices and every step on them are in the audit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeDetailOut, NoticePageOut } from '../../server/api-types/deconfliction.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Role } from '../../server/domain/model.ts';
import type { Operation } from '../../server/domain/operations.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';

const OP_HEADER = 'x-linkchart-operation';
const CSV = { 'content-type': 'text/csv' };
/** KESTREL's call data: 07700 900101 and 900102 are HALYARD's phones too; 900555 is KESTREL's alone. */
const CALLS = [
  'A Number,B Number,Start Time,Duration',
  '07700 900101,07700 900555,2024-03-01 14:05:00,60',
  '07700 900555,07700 900102,2024-03-02 09:00:00,30',
  '07700 900101,07700 900555,2024-03-03 10:00:00,5',
].join('\n');
const IMPORT =
  '/api/imports?format=cdr&map=A Number=caller,B Number=callee,Start Time=start&grading=2B&report=KES-CDR-1';
/** Words of HALYARD's facts that must never reach KESTREL's owner, and the other way round. */
const HALYARD_WORDS = ['Victor Hale', 'HAL-7', 'covert line', 'KX19ABC'];

interface Session {
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: unknown; text: string }>;
}

let dir: string;
let stores: Stores;
let app: FastifyInstance;
let url: string;
let kestrel: Operation;
let halyard: Operation;
const as: Record<string, Session> = {};
const ids: Record<string, string> = {};

async function signIn(name: string, role: Role): Promise<Session> {
  const user = await stores.security.createUser({ name, role, passwordHash: 'not-used' });
  const { id, session } = await app.security.sessions.create({
    id: user.id,
    name: user.name,
    role: user.role,
  });
  const auth = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
  return {
    async call(method, path, body, headers = {}) {
      const text = typeof body === 'string';
      const res = await fetch(url + path, {
        method,
        headers: {
          ...auth,
          ...(body !== undefined && !text ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: text ? body : JSON.stringify(body) } : {}),
      });
      const out = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(out);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text: out };
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-deconflict-'));
  stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') });
  app = await buildApp({ stores, config: loadConfig({}, dir), security: {} });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  as.anna = await signIn('anna', 'analyst');
  as.dsmith = await signIn('dsmith', 'analyst');
  as.olly = await signIn('olly', 'analyst');
  as.sue = await signIn('sue', 'supervisor');
  kestrel = await stores.operations.create(
    { ref: 'KESTREL', name: 'County lines', sensitivity: 'open' },
    { actor: 'anna' },
  );
  halyard = await stores.operations.create(
    { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
    { actor: 'dsmith' },
  );
  // HALYARD's supplier network, written by its owner into HALYARD.
  const r = await stores.graph.writeBatch(
    {
      reports: [
        {
          ref: 'HAL-7',
          date: '2024-02-01',
          author: 'DS Smith',
          text: 'covert line to the supplier',
          source: 1,
          intel: 'A',
          handling: 'P',
        },
      ],
      entities: [
        { type: 'Person', label: 'Victor Hale', key: 'vh', reports: ['HAL-7'] },
        {
          type: 'Phone',
          label: '07700 900101',
          properties: { number: '07700 900101', note: 'covert line' },
          reports: ['HAL-7'],
        },
        { type: 'Phone', label: '07700 900102', properties: { number: '07700 900102' } },
        { type: 'Vehicle', label: 'KX19ABC', properties: { vrm: 'KX19ABC' } },
      ],
      links: [
        {
          type: 'USES',
          from: { type: 'Person', key: 'vh' },
          to: { type: 'Phone', key: '+447700900101' },
          reports: ['HAL-7'],
        },
        { type: 'OWNS', from: { type: 'Person', key: 'vh' }, to: { type: 'Vehicle', key: 'KX19ABC' } },
      ],
    },
    { actor: 'dsmith', operationId: halyard.id },
  );
  [ids.victor, ids.p101, ids.p102, ids.van] = r.entityIds;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

const list = async (who: string, query = '') => {
  const r = await as[who].call('GET', `/api/deconfliction${query}`);
  expect(r.status, r.text).toBe(200);
  return r.json as NoticePageOut;
};

describe('deconfliction, done-when', () => {
  it('an import into KESTREL sharing two of HALYARD’s phones leaves two notices, none before', async () => {
    expect((await list('dsmith')).total).toBe(0);
    const imp = await as.anna.call('POST', IMPORT, CALLS, { ...CSV, [OP_HEADER]: kestrel.id });
    expect(imp.status, imp.text).toBe(200);
    expect(imp.json).toMatchObject({ entities: { created: 1, matched: 2 } });
    ids.p555 = (await stores.graph.findEntity('Phone', '+447700900555'))!.id;
    const notices = await stores.deconfliction.list();
    expect(notices.items.map((n) => [n.entityId, n.newOpId, n.heldOpId]).sort()).toEqual(
      [
        [ids.p101, kestrel.id, halyard.id],
        [ids.p102, kestrel.id, halyard.id],
      ].sort(),
    );
  });

  it('HALYARD’s owner is told KESTREL (ref and owner) brought in its phones', async () => {
    const page = await list('dsmith');
    expect(page.total).toBe(2);
    for (const n of page.items) {
      expect(n.yourSide).toBe('held');
      expect(n.incoming.operation).toMatchObject({ id: kestrel.id, ref: 'KESTREL', owner: 'anna' });
      expect(n.message).toContain('KESTREL');
      expect(n.canDisclose).toBe(true);
    }
    expect(page.items.map((n) => n.entity?.id).sort()).toEqual([ids.p101, ids.p102].sort());
  });

  it('KESTREL’s owner is told only that a closed operation holds them: contact the desk', async () => {
    const page = await list('anna');
    expect(page.total).toBe(2);
    for (const n of page.items) {
      expect(n.yourSide).toBe('incoming');
      expect(n.held).toEqual({ operation: null, closed: true, yours: false });
      expect(n.message).toMatch(/a closed operation already holds .*contact the deconfliction desk/);
      expect(n.canDisclose).toBe(false);
    }
    expect(JSON.stringify(page)).not.toMatch(/HALYARD|dsmith|Supplier/);
    expect(JSON.stringify(page)).not.toContain(`"${halyard.id}"`);
  });

  it('neither reads the other’s facts through the routes they call', async () => {
    const kes = { [OP_HEADER]: kestrel.id };
    const hal = { [OP_HEADER]: halyard.id };
    // KESTREL's owner: HALYARD's person, vehicle, report and the phone's HALYARD property are not there.
    for (const id of [ids.victor, ids.van])
      expect((await as.anna.call('GET', `/api/entities/${id}`, undefined, kes)).status).toBe(404);
    const shared = await as.anna.call('GET', `/api/entities/${ids.p101}`, undefined, kes);
    expect(shared.status, shared.text).toBe(200);
    const seenByAnna = [
      shared.text,
      (await as.anna.call('GET', '/api/search?q=Victor', undefined, kes)).text,
      (await as.anna.call('GET', `/api/deconfliction/${(await list('anna')).items[0].id}`)).text,
    ].join('\n');
    for (const w of [...HALYARD_WORDS, 'HALYARD', 'dsmith']) expect(seenByAnna).not.toContain(w);
    // HALYARD's owner, working in HALYARD: KESTREL's third phone, its calls and its report are not there.
    expect((await as.dsmith.call('GET', `/api/entities/${ids.p555}`, undefined, hal)).status).toBe(404);
    const theirs = await as.dsmith.call('GET', `/api/entities/${ids.p101}`, undefined, hal);
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.text).not.toMatch(/KES-CDR-1|900555/);
    expect(theirs.text).toContain('covert line');
    // Someone in neither operation does not know the notices exist.
    expect((await list('olly')).total).toBe(0);
    const one = (await list('dsmith')).items[0].id;
    expect((await as.olly.call('GET', `/api/deconfliction/${one}`)).status).toBe(404);
    expect((await as.olly.call('POST', `/api/deconfliction/${one}`, { note: 'hello' })).status).toBe(404);
  });

  it('the sides work a notice forward; only HALYARD’s owner discloses it, and then KESTREL sees who', async () => {
    const id = (await list('dsmith')).items[0].id;
    const c = await as.anna.call('POST', `/api/deconfliction/${id}`, {
      state: 'contacted',
      note: 'Rang the desk',
    });
    expect(c.status, c.text).toBe(200);
    expect((c.json as NoticeDetailOut).state).toBe('contacted');
    const denied = await as.anna.call('POST', `/api/deconfliction/${id}`, { disclose: true });
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('only the owner of the closed operation');
    const back = await as.anna.call('POST', `/api/deconfliction/${id}`, { state: 'new' });
    expect(back.status).toBe(409);
    const bad = await as.anna.call('POST', `/api/deconfliction/${id}`, { state: 'sorted' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('sorted');
    const d = await as.dsmith.call('POST', `/api/deconfliction/${id}`, { disclose: true, note: 'Call me' });
    expect(d.status, d.text).toBe(200);
    const seen = await as.anna.call('GET', `/api/deconfliction/${id}`);
    const detail = seen.json as NoticeDetailOut;
    expect(detail.held.operation).toMatchObject({ ref: 'HALYARD', owner: 'dsmith' });
    expect(detail.steps.map((s) => [s.action, s.actor])).toEqual([
      ['created', 'anna'],
      ['contacted', 'anna'],
      ['disclosed', 'dsmith'],
    ]);
    // Disclosure names the operation, never its facts.
    for (const w of HALYARD_WORDS) expect(seen.text).not.toContain(w);
    const r = await as.dsmith.call('POST', `/api/deconfliction/${id}`, { state: 'resolved' });
    expect((r.json as NoticeDetailOut).state).toBe('resolved');
    // A supervisor sees it force-wide, by state.
    const resolved = await list('sue', '?state=resolved');
    expect(resolved.items.map((n) => n.id)).toEqual([id]);
    expect((await list('sue', `?operation=${halyard.id}`)).total).toBe(2);
    expect((await as.olly.call('GET', `/api/deconfliction?operation=${halyard.id}`)).status).toBe(404);
  });

  it('the notices and every step on them are in the audit', async () => {
    const notices = (await stores.deconfliction.list()).items;
    const made = await stores.security.listAudit({ action: 'deconfliction.notice', limit: 100 });
    expect(made.items.map((a) => a.objectIds[0]).sort()).toEqual(notices.map((n) => n.id).sort());
    for (const a of made.items) expect(a.objectIds).toEqual(expect.arrayContaining([kestrel.id, halyard.id]));
    const steps = await stores.security.listAudit({ action: 'deconfliction.decide', limit: 100 });
    const id = notices.find((n) => n.state === 'resolved')!.id;
    expect(steps.items.filter((a) => a.objectIds.includes(id)).map((a) => [a.actor, a.outcome])).toEqual([
      // Someone in neither operation asked first: refused as if the notice did not exist.
      ['olly', 'failed'],
      ['anna', 'ok'],
      ['anna', 'denied'],
      ['anna', 'failed'],
      ['anna', 'failed'],
      ['dsmith', 'ok'],
      ['dsmith', 'ok'],
    ]);
  });
});
