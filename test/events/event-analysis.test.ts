// Call patterns, contacts around a moment and the activity histogram, against counts made by hand from the
// fixture below (each expectation's comment says which events it counts).
import { describe, expect, it } from 'vitest';
import { callPattern } from '../../server/events/call-pattern.ts';
import { LocalClock, isTimeZone } from '../../server/events/clock.ts';
import { contactsAround } from '../../server/events/contacts-around.ts';
import { bucketStart, chooseUnit, histogram } from '../../server/events/histogram.ts';
import type { EventLike } from '../../server/events/event-shape.ts';

function ev(
  id: string,
  kind: 'call' | 'sighting',
  at: string,
  fromId: string,
  toId: string,
  durationSeconds: number | null,
  direction: 'outgoing' | 'incoming' | null,
): EventLike {
  return { id, kind, at, fromId, toId, durationSeconds, direction };
}

// Person A has phones P1 and P2; B has Q; C has R.
const EVENTS: EventLike[] = [
  ev('e1', 'call', '2024-03-04T09:15:00.000Z', 'P1', 'Q', 60, 'outgoing'), // Mon 09:15 GMT
  ev('e2', 'call', '2024-03-04T21:40:00.000Z', 'Q', 'P1', 120, 'outgoing'), // Mon 21:40
  ev('e3', 'call', '2024-07-06T22:30:00.000Z', 'P2', 'R', null, null), // Sat 23:30 BST
  ev('e4', 'call', '2024-03-05T10:00:00.000Z', 'P1', 'P2', 30, 'outgoing'), // Tue, A's own phones
  ev('e5', 'sighting', '2024-03-06T13:00:00.000Z', 'V1', 'CAM1', null, null),
  ev('e6', 'call', '2024-03-10T23:30:00.000Z', 'P1', 'Q', 90, 'incoming'), // Sun 23:30; Q called P1
  ev('e7', 'call', '2024-03-04T10:00:00.000Z', 'Q', 'R', 45, 'outgoing'), // not A's
];
const A = new Set(['P1', 'P2']);
const london = new LocalClock('Europe/London');

describe('call pattern', () => {
  it("counts a person's phones' calls by local hour and weekday", () => {
    const p = callPattern(EVENTS, A, null, london);
    expect(p.calls).toBe(5); // e1 e2 e3 e4 e6
    expect([p.outgoing, p.incoming, p.unknownDirection]).toEqual([2, 2, 1]); // out e1 e4; in e2 e6; e3
    expect(p.totalSeconds).toBe(300); // 60 + 120 + 30 + 90
    expect(p.meanSeconds).toBe(75); // e3 has no duration
    expect([p.first, p.last]).toEqual(['2024-03-04T09:15:00.000Z', '2024-07-06T22:30:00.000Z']);
    const hours: Record<number, number> = {};
    p.byHour.forEach((n, h) => n && (hours[h] = n));
    expect(hours).toEqual({ 9: 1, 10: 1, 21: 1, 23: 2 }); // e3 is 23:30 in summer time
    expect(p.byWeekday).toEqual([2, 1, 0, 0, 0, 1, 1]); // Mon e1 e2, Tue e4, Sat e3, Sun e6
    expect(p.contacts).toBe(3); // Q, R, P2
  });

  it('in UTC the summer call moves an hour', () => {
    const p = callPattern(EVENTS, A, null, new LocalClock('UTC'));
    expect(p.byHour[22]).toBe(1);
    expect(p.byHour[23]).toBe(1);
  });

  it('a pair keeps only the calls between its two sides', () => {
    const p = callPattern(EVENTS, A, new Set(['Q']), london);
    expect(p.calls).toBe(3); // e1 e2 e6
    expect([p.outgoing, p.incoming]).toEqual([1, 2]);
    expect(p.meanSeconds).toBe(90); // (60 + 120 + 90) / 3
    expect([p.first, p.last]).toEqual(['2024-03-04T09:15:00.000Z', '2024-03-10T23:30:00.000Z']);
    expect(p.contacts).toBe(1);
  });

  it('knows time zones', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('contacts around a moment', () => {
  const q = { at: Date.parse('2024-03-04T10:00:00Z'), hoursBefore: 1, hoursAfter: 12 };

  it("ranks the subject's contacts inside the window", () => {
    const a = contactsAround(EVENTS, A, q);
    expect([a.from, a.to]).toEqual(['2024-03-04T09:00:00.000Z', '2024-03-04T22:00:00.000Z']);
    expect(a.calls).toBe(2); // e1 e2 (e7 is not A's, e4 is the next day)
    expect(a.contacts).toEqual([
      {
        id: 'Q',
        calls: 2,
        outgoing: 1,
        incoming: 1,
        totalSeconds: 180,
        first: '2024-03-04T09:15:00.000Z',
        last: '2024-03-04T21:40:00.000Z',
        before: 1,
        after: 1,
      },
    ]);
  });

  it('with no subject every phone active in the window is ranked', () => {
    const a = contactsAround(EVENTS, null, q);
    expect(a.calls).toBe(3); // e1 e2 e7
    expect(a.contacts.map((c) => [c.id, c.calls, c.outgoing, c.incoming])).toEqual([
      ['Q', 3, 2, 1], // e1 in; e2, e7 out
      ['P1', 2, 1, 1],
      ['R', 1, 0, 1],
    ]);
  });

  it('an empty window answers with no contacts', () => {
    const a = contactsAround(EVENTS, A, {
      at: Date.parse('2025-01-01T00:00:00Z'),
      hoursBefore: 2,
      hoursAfter: 2,
    });
    expect(a).toMatchObject({ calls: 0, contacts: [] });
  });
});

describe('activity histogram', () => {
  it('chooses 6-hour buckets for a week and counts each event once', () => {
    const from = Date.parse('2024-03-04T00:00:00Z');
    const to = Date.parse('2024-03-11T00:00:00Z');
    const h = histogram(EVENTS, from, to);
    expect(h.unit).toBe('6 hours');
    expect(h.buckets).toHaveLength(29); // 28 buckets of the week and the one starting at `to`
    expect(h.total).toBe(6); // every event but e3 (July)
    const nonEmpty = h.buckets.flatMap((b, i) => (b.calls || b.sightings ? [[i, b.calls, b.sightings]] : []));
    expect(nonEmpty).toEqual([
      [1, 2, 0], // e1 09:15, e7 10:00
      [3, 1, 0], // e2 21:40
      [5, 1, 0], // e4 Tue 10:00
      [10, 0, 1], // e5 Wed 13:00
      [27, 1, 0], // e6 Sun 23:30
    ]);
  });

  it('uses months over years and years over decades, on calendar boundaries', () => {
    const y = (s: string): number => Date.parse(s);
    expect(chooseUnit(y('2021-01-01'), y('2024-01-01'))).toBe('month');
    expect(chooseUnit(y('2000-01-01'), y('2024-01-01'), 20)).toBe('year');
    expect(chooseUnit(0, 30 * 60_000)).toBe('minute');
    const h = histogram(EVENTS, y('2024-01-15'), y('2024-12-31'));
    expect(h.unit).toBe('week');
    const m = histogram(EVENTS, y('2022-01-15'), y('2024-12-31'));
    expect(m.unit).toBe('month');
    expect(m.buckets[0].start).toBe('2022-01-01T00:00:00.000Z');
    const march = m.buckets.find((b) => b.start === '2024-03-01T00:00:00.000Z')!;
    const july = m.buckets.find((b) => b.start === '2024-07-01T00:00:00.000Z')!;
    expect([march.calls, march.sightings, july.calls]).toEqual([5, 1, 1]);
  });

  it('weeks start on Monday', () => {
    expect(new Date(bucketStart(Date.parse('2024-03-06T12:00:00Z'), 'week')).toISOString()).toBe(
      '2024-03-04T00:00:00.000Z',
    );
  });
});
