// The timeline's pure parts: the time axis (zoom about a point, pan, ticks from years to minutes) and the
// placing of calls and sightings on theme lines.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent, TimelineLine } from '@api/event-patterns.ts';
import {
  MAX_SPAN,
  MIN_SPAN,
  fitScale,
  msOf,
  panBy,
  ticks,
  xOf,
  zoomAt,
} from '../../web/src/timeline/scale.ts';
import { marksOf, nearestMark, spanOf } from '../../web/src/timeline/lanes.ts';
import { monthWindows, trajectories, weekWindows } from '../../web/src/timeline/windows.ts';

const T = (s: string): number => Date.parse(s);

describe('time axis', () => {
  const s = { from: T('2024-01-01T00:00Z'), to: T('2024-01-11T00:00Z'), width: 1000 };

  it('maps times to pixels and back', () => {
    expect(xOf(s, T('2024-01-06T00:00Z'))).toBe(500);
    expect(msOf(s, 100)).toBe(T('2024-01-02T00:00Z'));
  });

  it('zooms about the pointer, keeping the time under it', () => {
    const z = zoomAt(s, 0.5, 200);
    expect(z.to - z.from).toBe(5 * 86_400_000);
    expect(msOf(z, 200)).toBe(msOf(s, 200));
  });

  it('zooms from decades down to minutes and no further', () => {
    let z = s;
    for (let i = 0; i < 60; i++) z = zoomAt(z, 0.5, 500);
    expect(z.to - z.from).toBe(MIN_SPAN);
    for (let i = 0; i < 80; i++) z = zoomAt(z, 2, 500);
    expect(z.to - z.from).toBe(MAX_SPAN);
  });

  it('dragging right shows earlier times', () => {
    const p = panBy(s, 100);
    expect(p.from).toBe(T('2023-12-31T00:00Z'));
  });

  it('ticks suit the zoom: days, then hours and minutes, then years', () => {
    expect(ticks(s).map((t) => t.label)).toEqual([
      '1 Jan 2024',
      '2 Jan 2024',
      '3 Jan 2024',
      '4 Jan 2024',
      '5 Jan 2024',
      '6 Jan 2024',
      '7 Jan 2024',
      '8 Jan 2024',
      '9 Jan 2024',
      '10 Jan 2024',
      '11 Jan 2024',
    ]);
    const hour = { from: T('2024-01-01T22:50Z'), to: T('2024-01-01T23:50Z'), width: 800 };
    expect(ticks(hour).map((t) => t.label)).toEqual(['23:00', '23:15', '23:30', '23:45']);
    const years = { from: T('2015-06-01T00:00Z'), to: T('2024-06-01T00:00Z'), width: 900 };
    expect(ticks(years).map((t) => t.label)).toEqual([
      '2016',
      '2017',
      '2018',
      '2019',
      '2020',
      '2021',
      '2022',
      '2023',
      '2024',
    ]);
    const months = { from: T('2024-01-15T00:00Z'), to: T('2024-07-15T00:00Z'), width: 900 };
    expect(ticks(months).map((t) => t.label)).toEqual([
      'Feb 2024',
      'Mar 2024',
      'Apr 2024',
      'May 2024',
      'Jun 2024',
      'Jul 2024',
    ]);
  });

  it('a single moment still gets a view', () => {
    const f = fitScale(T('2024-01-01T12:00Z'), T('2024-01-01T12:00Z'), 500);
    expect(f.to - f.from).toBeGreaterThanOrEqual(MIN_SPAN);
    expect(f.from).toBeLessThan(T('2024-01-01T12:00Z'));
  });
});

function call(
  id: string,
  at: string,
  fromId: string,
  toId: string,
  direction: 'outgoing' | 'incoming' | null = 'outgoing',
): TimelineEvent {
  return {
    id,
    kind: 'call',
    at,
    durationSeconds: 30,
    direction,
    fromId,
    toId,
    linkId: 'L',
    place: null,
    reportId: null,
    importId: null,
  };
}

describe('theme lines', () => {
  const lines: TimelineLine[] = [
    { id: 'A', label: 'Ann', type: 'Person', members: ['A', 'P1', 'P2'] },
    { id: 'B', label: 'Bob', type: 'Person', members: ['B', 'Q'] },
    { id: 'S', label: 'shared', type: 'Phone', members: ['P2'] }, // P2 already on Ann's line
  ];
  const events: TimelineEvent[] = [
    call('e1', '2024-01-01T10:00Z', 'P1', 'Q'),
    call('e2', '2024-01-01T11:00Z', 'P1', 'Q', 'incoming'), // Bob called Ann
    call('e3', '2024-01-02T10:00Z', 'Q', 'X'), // Bob to someone off the timeline
    call('e4', '2024-01-03T10:00Z', 'P1', 'P2'), // Ann's own phones
    {
      ...call('e5', '2024-01-04T10:00Z', 'V', 'CAM'),
      kind: 'sighting',
      direction: null,
      place: 'M1 J10',
    }, // nobody's vehicle here: dropped
    call('e6', 'not a time', 'P1', 'Q'),
  ];

  it('joins two lines for a call between them, caller first', () => {
    const m = marksOf(lines, events);
    expect(m.map((x) => [x.event.id, x.line, x.other, x.outside])).toEqual([
      ['e1', 0, 1, null],
      ['e2', 1, 0, null],
      ['e3', 1, null, 'X'],
      ['e4', 0, null, null],
    ]);
    expect(spanOf(m)).toEqual({ min: T('2024-01-01T10:00Z'), max: T('2024-01-03T10:00Z') });
  });

  it('puts a sighting on the line of the vehicle', () => {
    const withCar = [...lines, { id: 'V', label: 'AB12 CDE', type: 'Vehicle', members: ['V'] }];
    const m = marksOf(withCar, events).filter((x) => x.event.kind === 'sighting');
    expect(m.map((x) => [x.line, x.other, x.outside])).toEqual([[3, null, 'M1 J10']]);
  });

  it('a click finds the call whose stroke passes under it', () => {
    const m = marksOf(lines, events);
    const x = (ms: number): number => (ms - T('2024-01-01T00:00Z')) / 3_600_000; // 1 px an hour
    const y = (line: number): number => 20 + 30 * line;
    expect(nearestMark(m, x, y, 10, 35)?.event.id).toBe('e1'); // between the two lines at 10:00
    expect(nearestMark(m, x, y, 11.5, 21)?.event.id).toBe('e2');
    expect(nearestMark(m, x, y, 30, 20)).toBeNull();
  });
});

describe('sliding windows', () => {
  it('cuts a range into calendar months, keeping the latest', () => {
    const w = monthWindows(T('2024-01-20T00:00Z'), T('2024-03-02T00:00Z'));
    expect(w.map((x) => x.label)).toEqual(['Jan 2024', 'Feb 2024', 'Mar 2024']);
    expect(w[1]).toMatchObject({ from: T('2024-02-01T00:00Z'), to: T('2024-03-01T00:00Z') - 1 });
    expect(monthWindows(T('2020-01-01T00:00Z'), T('2024-12-01T00:00Z'), 24)[0].label).toBe('Jan 2023');
  });

  it('weeks start on Monday', () => {
    const w = weekWindows(T('2024-03-06T00:00Z'), T('2024-03-12T00:00Z'));
    expect(w.map((x) => x.label)).toEqual(['4 Mar', '11 Mar']);
  });

  it("follows each person's score across windows, highest peak first", () => {
    const per = [
      [
        { id: 'a', label: 'Ann', score: 0.5 },
        { id: 'b', label: 'Ben', score: 0.1 },
      ],
      [{ id: 'b', label: 'Ben', score: 0.9 }],
      [{ id: 'c', label: 'Cat', score: 0.2 }],
    ];
    expect(trajectories(per, 2).map((t) => [t.label, t.scores])).toEqual([
      ['Ben', [0.1, 0.9, 0]],
      ['Ann', [0.5, 0, 0]],
    ]);
    expect(trajectories(per, 2, new Set(['c'])).map((t) => t.scores)).toEqual([[0, 0, 0.2]]);
  });
});
