// The event analyses over real HTTP against a real SQLite file: a call data file is imported (so every call
// is kept as an event), people are linked to their phones, and the timeline, call pattern, contacts-around
// and histogram answers are checked against counts made by hand from the rows below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './server-harness.ts';

// Ann uses 101 and 102, Ben 201, Cat 301; 999 is nobody known.
const CDR = [
  'Caller,Callee,Start,Duration',
  '07700900101,07700900201,2024-03-04T09:15:00Z,60', // r1 Mon 09:15 Ann -> Ben
  '07700900201,07700900101,2024-03-04T21:40:00Z,120', // r2 Mon 21:40 Ben -> Ann
  '07700900102,07700900301,2024-07-06T22:30:00Z,30', // r3 Sat 23:30 BST Ann -> Cat
  '07700900201,07700900301,2024-03-04T10:00:00Z,45', // r4 Mon 10:00 Ben -> Cat
  '07700900101,07700900201,2024-03-10T23:30:00Z,90', // r5 Sun 23:30 Ann -> Ben
  '07700900999,07700900102,2024-03-04T11:00:00Z,15', // r6 Mon 11:00 stranger -> Ann
].join('\n');

type Err = { error: { code: string; message: string; path?: unknown[] } };
let h: Harness;
const id: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const imp = await h.call('POST', '/api/imports?format=cdr', CDR, { 'content-type': 'text/csv' });
  expect(imp.status, imp.text).toBe(200);
  const phones = await h.call('GET', '/api/entities?type=Phone&limit=100');
  for (const p of (phones.json as { items: Array<{ id: string; key: string }> }).items)
    id[p.key.slice(-3)] = p.id;
  for (const [name, owned] of [
    ['Ann', ['101', '102']],
    ['Ben', ['201']],
    ['Cat', ['301']],
  ] as const) {
    const r = await h.call('POST', '/api/entities', { type: 'Person', label: `${name} Example` });
    expect(r.status, r.text).toBe(201);
    id[name] = (r.json as { id: string }).id;
    for (const p of owned) {
      const l = await h.call('POST', '/api/links', {
        type: 'USES',
        from: { id: id[name] },
        to: { id: id[p] },
        firstSeen: '2024-01-01',
        lastSeen: '2024-12-31',
      });
      expect(l.status, l.text).toBe(201);
    }
  }
});
afterAll(async () => h?.close());

describe('call pattern', () => {
  it("counts a person's calls over all their phones by UK hour and weekday", async () => {
    const r = await h.call('POST', '/api/events/patterns', { entityId: id.Ann });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      subject: { id: id.Ann, label: 'Ann Example', phones: 2 },
      other: null,
      calls: 5, // r1 r2 r3 r5 r6
      outgoing: 3, // r1 r3 r5
      incoming: 2, // r2 r6
      totalSeconds: 315,
      meanSeconds: 63,
      first: '2024-03-04T09:15:00Z',
      last: '2024-07-06T22:30:00Z',
      byWeekday: [3, 0, 0, 0, 0, 1, 1], // Mon r1 r2 r6, Sat r3, Sun r5
      contacts: 3, // Ben's phone, Cat's, the stranger
      timeZone: 'Europe/London',
      truncated: false,
    });
    const hours = (r.json as { byHour: number[] }).byHour;
    expect(Object.fromEntries(hours.flatMap((n, hr) => (n ? [[hr, n]] : [])))).toEqual({
      9: 1,
      11: 1,
      21: 1,
      23: 2, // r3 at 22:30 UTC is 23:30 in summer time
    });
  });

  it('a pair keeps only the calls between them', async () => {
    const r = await h.call('POST', '/api/events/patterns', { entityId: id.Ann, otherId: id.Ben });
    expect(r.json).toMatchObject({
      other: { id: id.Ben, phones: 1 },
      calls: 3, // r1 r2 r5
      outgoing: 2,
      incoming: 1,
      meanSeconds: 90,
      first: '2024-03-04T09:15:00Z',
      last: '2024-03-10T23:30:00Z',
    });
  });

  it('refuses an unknown time zone, a pair of one, and an unknown entity, naming the field', async () => {
    const tz = await h.call('POST', '/api/events/patterns', { entityId: id.Ann, timeZone: 'Mars/Olympus' });
    expect(tz.status).toBe(400);
    expect((tz.json as Err).error.path).toEqual(['body', 'timeZone']);
    const same = await h.call('POST', '/api/events/patterns', { entityId: id.Ann, otherId: id.Ann });
    expect(same.status).toBe(400);
    const gone = await h.call('POST', '/api/events/patterns', { entityId: 'nobody' });
    expect(gone.status).toBe(404);
    expect((gone.json as Err).error.path).toEqual(['body', 'entityId']);
  });
});

describe('contacts around an event', () => {
  const at = '2024-03-04T10:00:00Z';

  it("ranks a person's contacts in the hours around the moment, with who uses each phone", async () => {
    const r = await h.call('POST', '/api/events/around', {
      entityId: id.Ann,
      at,
      hoursBefore: 1,
      hoursAfter: 12,
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      from: '2024-03-04T09:00:00.000Z',
      to: '2024-03-04T22:00:00.000Z',
      calls: 3, // r1 r2 r6
      contactCount: 2,
      contacts: [
        {
          id: id['201'],
          user: { id: id.Ben, label: 'Ben Example' },
          calls: 2,
          outgoing: 1,
          incoming: 1,
          before: 1,
          after: 1,
          first: '2024-03-04T09:15:00Z',
          last: '2024-03-04T21:40:00Z',
          totalSeconds: 180,
        },
        { id: id['999'], user: null, calls: 1, outgoing: 0, incoming: 1 },
      ],
    });
  });

  it('with nobody chosen, every phone active in the window is ranked', async () => {
    const r = await h.call('POST', '/api/events/around', { at, hoursBefore: 1, hoursAfter: 12 });
    const j = r.json as {
      calls: number;
      contactCount: number;
      contacts: Array<{ id: string; calls: number }>;
    };
    expect(j.calls).toBe(4); // r1 r2 r4 r6
    expect(j.contactCount).toBe(5);
    expect(j.contacts.slice(0, 3).map((c) => [c.id, c.calls])).toEqual([
      [id['201'], 3], // r1 r2 r4
      [id['101'], 2], // r1 r2
      [id['301'], 1], // r4 at 10:00, the earliest of the single calls
    ]);
  });

  it('refuses a window over a month', async () => {
    const r = await h.call('POST', '/api/events/around', { at, hoursBefore: 1000, hoursAfter: 1 });
    expect(r.status).toBe(400);
    expect((r.json as Err).error.path).toEqual(['body', 'hoursBefore']);
  });
});

describe('timeline and histogram', () => {
  it("draws a person's line with their phones, and every event touching them", async () => {
    const r = await h.call('POST', '/api/events/timeline', { entityIds: [id.Ann, id.Ben] });
    expect(r.status, r.text).toBe(200);
    const j = r.json as {
      lines: Array<{ id: string; members: string[] }>;
      events: Array<{ id: string }>;
      labels: Record<string, string>;
      truncated: boolean;
    };
    expect(j.lines.map((l) => [l.id, [...l.members].sort()])).toEqual([
      [id.Ann, [id.Ann, id['101'], id['102']].sort()],
      [id.Ben, [id.Ben, id['201']].sort()],
    ]);
    expect(j.events).toHaveLength(6); // every row touches Ann's or Ben's phones
    expect(j.labels[id['301']]).toBeTruthy();
    expect(j.truncated).toBe(false);
  });

  it('counts activity in buckets suited to the range', async () => {
    const week = await h.call('POST', '/api/events/histogram', {
      entityIds: [id.Ann],
      from: '2024-03-04T00:00:00Z',
      to: '2024-03-11T00:00:00Z',
    });
    expect(week.status, week.text).toBe(200);
    const w = week.json as { unit: string; total: number; buckets: Array<{ calls: number }> };
    expect(w.unit).toBe('6 hours');
    expect(w.total).toBe(4); // r1 r2 r5 r6
    expect(w.buckets[1].calls).toBe(2); // 06:00-12:00 Monday: r1 r6
    const all = await h.call('POST', '/api/events/histogram', {});
    expect(all.json).toMatchObject({ unit: 'week', total: 6, truncated: false });
  });

  it('refuses an empty timeline and a window that ends before it starts', async () => {
    const none = await h.call('POST', '/api/events/timeline', { entityIds: [] });
    expect(none.status).toBe(400);
    const back = await h.call('POST', '/api/events/histogram', {
      from: '2024-03-05T00:00:00Z',
      to: '2024-03-04T00:00:00Z',
    });
    expect(back.status).toBe(400);
    expect((back.json as Err).error.path).toEqual(['body', 'to']);
  });
});
