// The review queue of likely duplicates over real HTTP on a real SQLite file, with the real resolver run in
// its worker: a run fills the queue, accept merges (search then finds one record), undo brings both back as
// they were, a rejected pair is not proposed again, viewers read but cannot decide, bad input gets a 400
// saying what was wrong, and an import can look for duplicates in what it brought in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalDetailOut, ProposalPageOut, RunResultOut } from '../../server/api-types/duplicates.ts';
import { startHarness, type Harness } from './server-harness.ts';

const FIRST = ['Aled', 'Bryony', 'Callum', 'Dafydd', 'Eira', 'Fergus', 'Gwen', 'Hamish', 'Iona', 'Jude'];
const LAST = ['Ashdown', 'Birtle', 'Crofter', 'Dunmore', 'Elgood', 'Farrow', 'Gorse', 'Hartigan'];
const OTHERS = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));

let h: Harness;
let ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const r = await h.call('POST', '/api/batch', {
    reports: [
      { ref: 'DUP-1', date: '2024-01-01', author: 'DC Test', source: 2, intel: 'B', handling: 'P' },
      { ref: 'DUP-2', date: '2024-02-01', author: 'DC Test', source: 1, intel: 'A', handling: 'P' },
    ],
    entities: [
      {
        type: 'Person',
        label: 'Marcus Quill',
        key: 'mq-1',
        properties: { dob: '1988-03-14' },
        reports: ['DUP-1'],
      },
      {
        type: 'Person',
        label: 'Marcus Quill',
        key: 'mq-2',
        properties: { dob: '1988-03-14' },
        reports: ['DUP-2'],
      },
      { type: 'Person', label: 'Tilda Fenwick', key: 'tf-1', properties: { dob: '1990-07-01' } },
      { type: 'Person', label: 'Tilda Fenwick', key: 'tf-2', properties: { dob: '1990-07-01' } },
      { type: 'Phone', label: '07700 900555', properties: { number: '07700 900555' } },
      { type: 'Phone', label: '07700 900666', properties: { number: '07700 900666' } },
      // Other people, so that the pairs' names and dates of birth are as rare as in a real store.
      ...OTHERS.map((label, i) => ({
        type: 'Person' as const,
        label,
        key: `other-${i}`,
        properties: {
          dob: `19${60 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        },
      })),
    ],
    links: [
      { type: 'USES', from: { type: 'Person', key: 'mq-1' }, to: { type: 'Phone', key: '+447700900555' } },
      { type: 'ASSOCIATE_OF', from: { type: 'Person', key: 'mq-2' }, to: { type: 'Person', key: 'tf-1' } },
      // Each pair shares a phone: with the same name and date of birth, enough to propose them.
      { type: 'USES', from: { type: 'Person', key: 'mq-2' }, to: { type: 'Phone', key: '+447700900555' } },
      { type: 'USES', from: { type: 'Person', key: 'tf-1' }, to: { type: 'Phone', key: '+447700900666' } },
      { type: 'USES', from: { type: 'Person', key: 'tf-2' }, to: { type: 'Phone', key: '+447700900666' } },
    ],
  });
  expect(r.status).toBe(200);
  const res = r.json as { entityIds: string[] };
  ids = { mq1: res.entityIds[0], mq2: res.entityIds[1], tf1: res.entityIds[2], tf2: res.entityIds[3] };
});
afterAll(async () => {
  await h?.close();
});

async function queue(state = 'new'): Promise<ProposalPageOut> {
  const r = await h.call('GET', `/api/duplicates?state=${state}`);
  expect(r.status).toBe(200);
  return r.json as ProposalPageOut;
}

const pairId = (x: string, y: string) =>
  [x, y].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).join('-');

describe('duplicates API', () => {
  it('a run fills the queue; a pair shows both records side by side', async () => {
    const r = await h.call('POST', '/api/duplicates/runs', {});
    expect(r.status).toBe(200);
    const run = r.json as RunResultOut;
    expect(run).toMatchObject({ proposed: 2, created: 2, waiting: 2 });
    expect(run.records).toBeGreaterThanOrEqual(85);
    const q = await queue();
    expect(q.items.map((p) => p.id).sort()).toEqual(
      [pairId(ids.mq1, ids.mq2), pairId(ids.tf1, ids.tf2)].sort(),
    );
    expect(q.items[0].evidence).toContain('same name');
    expect(q.items[0].evidence.join('; ')).toMatch(/same date of birth.*both use 07700 900(555|666)/);
    const d = await h.call('GET', `/api/duplicates/${pairId(ids.mq1, ids.mq2)}`);
    expect(d.status).toBe(200);
    const detail = d.json as ProposalDetailOut;
    expect(detail.a.entity!.label).toBe('Marcus Quill');
    expect(detail.a.entity!.reports.map((x) => x.ref)).toEqual(['DUP-1']);
    expect(detail.a.links.map((l) => [l.type, l.otherLabel])).toEqual([['USES', '07700 900555']]);
    expect(detail.b.links.map((l) => [l.type, l.otherLabel]).sort()).toEqual([
      ['ASSOCIATE_OF', 'Tilda Fenwick'],
      ['USES', '07700 900555'],
    ]);
  });

  it('accept merges (search finds one record); undo restores both exactly', async () => {
    const id = pairId(ids.mq1, ids.mq2);
    const before = await Promise.all([ids.mq1, ids.mq2].map((e) => h.call('GET', `/api/entities/${e}`)));
    const a = await h.call('POST', `/api/duplicates/${id}/accept`, {});
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ state: 'accepted', keptId: ids.mq1, decidedBy: 'tester' });
    const s = await h.call('GET', '/api/search?q=Marcus');
    expect((s.json as { items: unknown[] }).items).toHaveLength(1);
    expect((await h.call('GET', `/api/entities/${ids.mq2}`)).status).toBe(404);
    const again = await h.call('POST', `/api/duplicates/${id}/accept`, {});
    expect(again.status).toBe(409);
    expect((again.json as { error: { message: string } }).error.message).toMatch(/already|accepted|undo/);

    const u = await h.call('POST', `/api/duplicates/${id}/undo`);
    expect(u.status).toBe(200);
    expect(u.json).toMatchObject({ state: 'new', mergeId: null });
    const after = await Promise.all([ids.mq1, ids.mq2].map((e) => h.call('GET', `/api/entities/${e}`)));
    expect(after.map((x) => x.json)).toEqual(before.map((x) => x.json));
    expect(((await h.call('GET', '/api/search?q=Marcus')).json as { items: unknown[] }).items).toHaveLength(
      2,
    );
  });

  it('a rejected pair is not proposed again by the next run', async () => {
    const id = pairId(ids.tf1, ids.tf2);
    expect((await h.call('POST', `/api/duplicates/${id}/reject`)).status).toBe(200);
    const run = (await h.call('POST', '/api/duplicates/runs', {})).json as RunResultOut;
    expect(run).toMatchObject({ stillRejected: 1, created: 0 });
    expect((await queue()).items.map((p) => p.id)).toEqual([pairId(ids.mq1, ids.mq2)]);
    expect((await queue('rejected')).items.map((p) => p.id)).toEqual([id]);
  });

  it('refuses bad input with what was wrong', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/api/duplicates/e1-e1/accept', {}, 404, /no possible duplicate|there is no/],
      ['POST', '/api/duplicates/nonsense/reject', undefined, 404, /possible duplicate/],
      ['GET', '/api/duplicates?state=maybe', undefined, 400, /state/],
      ['GET', '/api/duplicates?cursor=xyz', undefined, 400, /cursor/],
      ['POST', '/api/duplicates/runs', { entityIds: ['r1'] }, 400, /entity id/],
      ['POST', '/api/duplicates/bulk', { action: 'merge', minWeight: 1 }, 400, /action/],
      [
        'POST',
        `/api/duplicates/${pairId(ids.mq1, ids.mq2)}/accept`,
        { keepId: ids.tf1 },
        400,
        /one of the pair/,
      ],
      ['POST', `/api/duplicates/${pairId(ids.mq1, ids.mq2)}/undo`, undefined, 409, /no decision to undo/],
    ];
    for (const [method, path, body, status, msg] of cases) {
      const r = await h.call(method, path, body);
      expect([path, r.status]).toEqual([path, status]);
      expect((r.json as { error: { message: string } }).error.message).toMatch(msg);
    }
  });

  it('viewers read the queue but cannot decide', async () => {
    const user = await h.stores.security.createUser({ name: 'vic', role: 'viewer', passwordHash: 'x' });
    const { id, session } = await h.app.security.sessions.create({
      id: user.id,
      name: user.name,
      role: user.role,
    });
    const viewer = { cookie: `${h.app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
    expect((await h.call('GET', '/api/duplicates', undefined, viewer)).status).toBe(200);
    const r = await h.call('POST', `/api/duplicates/${pairId(ids.mq1, ids.mq2)}/accept`, {}, viewer);
    expect(r.status).toBe(403);
    expect((await h.call('POST', '/api/duplicates/runs', {}, viewer)).status).toBe(403);
  });

  it('bulk accepts the pairs above a score; an import can look for duplicates in what it brought in', async () => {
    const b = await h.call('POST', '/api/duplicates/bulk', { action: 'accept', minWeight: 10 });
    expect(b.status).toBe(200);
    expect((b.json as { done: Array<{ id: string }> }).done.map((p) => p.id)).toEqual([
      pairId(ids.mq1, ids.mq2),
    ]);
    // The same person entered twice under two keys, with the same police reference.
    const csv =
      'label,type,key,dob,externalRef\n' +
      'Orla Brennick,Person,ob-1,1979-11-02,PNC 79/551230X\n' +
      'Orla Brennick,Person,ob-2,1979-11-02,PNC 79/551230X\n';
    const imp = await h.call(
      'POST',
      '/api/imports?format=entities&name=people.csv&map=label=label,type=type,key=key&findDuplicates=true',
      csv,
      { 'content-type': 'text/csv' },
    );
    expect(imp.status).toBe(200);
    expect((imp.json as { duplicates?: unknown }).duplicates).toEqual({
      proposed: 1,
      created: 1,
      waiting: 1,
    });
    const [orla] = (await queue()).items;
    expect(orla.evidence.join('; ')).toMatch(/same name.*same date of birth/);
  });
});
