// Metrics over time windows (server/analysis/windows.ts) against networkx: the reference's four months of
// calls (test/reference/windows_expectations.py) give, month by month, the network of the calls inside the
// month; its betweenness and weighted degree per person, the top 3 and the ranks must be networkx's. The
// windows themselves (calendar months, weeks from Monday, quarters), the bound on their count, the period
// parser the review shares and the comparison of two windows are checked by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeMetric } from '../../server/analysis/registry.ts';
import { buildView } from '../../server/analysis/view.ts';
import {
  calendarWindows,
  compareWindows,
  countWindows,
  parsePeriod,
  periodLabel,
  rankWithin,
  windowFilter,
  windowSeries,
  WINDOW_LIMITS,
  type ScoredWindow,
} from '../../server/analysis/windows.ts';
import type { Link, Subgraph } from '../../server/domain/model.ts';
import { entity, link } from '../cycle/fixtures.ts';

interface Expected {
  people: Record<string, string[]>;
  unknownPhone: string;
  calls: Array<[string, string, string, number]>;
  range: { step: 'month'; from: string; to: string };
  top: number;
  windows: Array<{
    from: string;
    to: string;
    label: string;
    nodes: number;
    links: number;
    metrics: Record<
      'betweenness' | 'weightedDegree',
      { scores: Record<string, number>; ranks: Record<string, number>; top: string[] }
    >;
  }>;
}
const ref = JSON.parse(
  readFileSync(new URL('../reference/expected/windows.json', import.meta.url), 'utf8'),
) as Expected;

/**
 * A window's subgraph as the store gives it: the undated USES links (kept in every window), and one CALLED
 * link per caller and callee phone with a call inside the window, its weight the calls inside. People are
 * named by their labels and phones by their numbers, so ids sort as networkx's labels do.
 */
function windowSubgraph(from: string, to: string): Subgraph {
  const links: Link[] = [];
  for (const [person, phones] of Object.entries(ref.people))
    for (const p of phones) links.push({ ...link(person, p, 'USES'), directed: true });
  const called = new Map<string, Link>();
  for (const [a, b, when] of ref.calls) {
    const day = when.slice(0, 10);
    if (day < from || day > to) continue;
    const key = `${a}>${b}`;
    const l = called.get(key) ?? { ...link(a, b, 'CALLED'), directed: true, weight: 0 };
    l.weight += 1;
    called.set(key, l);
  }
  links.push(...called.values());
  const ends = new Set(links.flatMap((l) => [l.from, l.to]));
  const nodes = [...ends].map((id) => entity(id, id in ref.people ? 'Person' : 'Phone'));
  return { dataVersion: 1, nodes, links, truncated: false };
}

function scored(metric: 'betweenness' | 'weightedDegree'): ScoredWindow[] {
  const windows = calendarWindows(ref.range.step, ref.range.from, ref.range.to);
  return windows.map((w) => {
    const v = buildView(windowSubgraph(w.from, w.to), { projection: { foldPhones: true } });
    return {
      window: w,
      ids: v.csr.ids,
      labels: v.labels,
      types: v.types,
      scores: computeMetric(v.csr, metric),
      nodes: v.csr.n,
      links: v.csr.m,
    };
  });
}

describe('metrics over windows against networkx', () => {
  it('cuts the range into the calendar months networkx was given', () => {
    const ws = calendarWindows(ref.range.step, ref.range.from, ref.range.to);
    expect(ws).toEqual(ref.windows.map(({ from, to, label }) => ({ from, to, label })));
  });

  for (const metric of ['betweenness', 'weightedDegree'] as const) {
    it(`${metric}: every person's score, rank and each month's top ${ref.top} are networkx's`, () => {
      const per = scored(metric);
      per.forEach((w, k) => {
        expect([w.nodes, w.links], w.window.label).toEqual([ref.windows[k].nodes, ref.windows[k].links]);
      });
      const people = Object.keys(ref.people);
      const s = windowSeries(per, { top: ref.top, follow: people });
      expect(s.lines.map((l) => l.id).sort()).toEqual([...people].sort());
      for (const line of s.lines) {
        ref.windows.forEach((w, k) => {
          const want = w.metrics[metric];
          expect(line.scores[k], `${line.id} in ${w.label}`).toBeCloseTo(want.scores[line.id], 10);
          expect(line.ranks[k], `${line.id}'s rank in ${w.label}`).toBe(want.ranks[line.id]);
        });
      }
      ref.windows.forEach((w, k) => {
        expect(s.windows[k].top.map((t) => t.id)).toEqual(w.metrics[metric].top);
        expect(s.windows[k].ranked).toBe(people.length);
      });
    });
  }

  it('follows the broker: Ann falls from the top, Cal rises', () => {
    const s = windowSeries(scored('betweenness'), { top: ref.top });
    // Only those in some month's top 3 are drawn; followed none.
    const ann = s.lines.find((l) => l.id === 'Ann Archer')!;
    expect(ann.peakWindow).toBe(1); // February
    expect(ann.reason).toBe('top');
    expect(s.rose[0]).toMatchObject({ id: 'Cal Crane', before: 0, rankAfter: 1 });
    expect(s.rose[0].after).toBeCloseTo(ref.windows[3].metrics.betweenness.scores['Cal Crane'], 10);
    expect(s.fell.map((c) => c.id)).toEqual(['Ann Archer', 'Dee Dunn']);
    expect(s.fell[0].rise).toBeCloseTo(-ref.windows[0].metrics.betweenness.scores['Ann Archer'], 10);
  });

  it('names the followed who are in no window, and draws a followed phone without a rank', () => {
    const s = windowSeries(scored('weightedDegree'), { top: 1, follow: [ref.unknownPhone, 'nobody'] });
    expect(s.notFound).toEqual(['nobody']);
    const phone = s.lines.find((l) => l.id === ref.unknownPhone)!;
    // The unknown phone called Cal once in March and is in no other month's network.
    expect(phone).toMatchObject({ reason: 'followed', type: 'Phone', scores: [null, null, 1, null] });
    expect(phone.ranks).toEqual([null, null, null, null]);
  });
});

describe('windows', () => {
  it('weeks start on Monday, quarters on Jan/Apr/Jul/Oct, months are whole', () => {
    expect(calendarWindows('week', '2024-03-06', '2024-03-12')).toEqual([
      { from: '2024-03-04', to: '2024-03-10', label: 'w/c 4 Mar 24' },
      { from: '2024-03-11', to: '2024-03-17', label: 'w/c 11 Mar 24' },
    ]);
    expect(calendarWindows('quarter', '2023-11-30', '2024-02-01')).toEqual([
      { from: '2023-10-01', to: '2023-12-31', label: 'Q4 23' },
      { from: '2024-01-01', to: '2024-03-31', label: 'Q1 24' },
    ]);
    expect(calendarWindows('month', '2024-02-29', '2024-02-29')).toEqual([
      { from: '2024-02-01', to: '2024-02-29', label: 'Feb 24' },
    ]);
  });

  it(`refuses more than ${WINDOW_LIMITS.maxWindows} windows, saying how to narrow`, () => {
    expect(countWindows('month', '2021-01-01', '2023-12-31')).toBe(36);
    expect(calendarWindows('month', '2021-01-01', '2023-12-31')).toHaveLength(36);
    expect(() => calendarWindows('month', '2021-01-01', '2024-01-01')).toThrow(
      /is 37 months; at most 36 windows are compared at once: shorten the range or compare by a longer step/,
    );
    expect(() => calendarWindows('month', '2024-02-01', '2024-01-01')).toThrow(/starts .* after it ends/);
  });

  it("a window's filter keeps the view's types and grading and puts the window's dates in", () => {
    expect(
      windowFilter(
        { entityTypes: ['Person', 'Phone'], from: '2020-01-01', to: '2030-01-01' },
        { from: '2024-03-01', to: '2024-03-31' },
      ),
    ).toEqual({ entityTypes: ['Person', 'Phone'], from: '2024-03-01', to: '2024-03-31' });
    expect(windowFilter(undefined, { to: '2024-03-31' })).toEqual({ to: '2024-03-31' });
  });

  it('periods parse as FROM..TO with open ends, as the review takes them', () => {
    expect(parsePeriod('2024-01-01..2024-06-30')).toEqual({ from: '2024-01-01', to: '2024-06-30' });
    expect(parsePeriod('..2024-06-30')).toEqual({ to: '2024-06-30' });
    expect(periodLabel({ from: '2024-07-01' })).toBe('2024-07-01..');
    expect(() => parsePeriod('2024-01-01')).toThrow(/is not FROM..TO/);
    expect(() => parsePeriod('2024-07-01..2024-01-01')).toThrow(/starts after it ends/);
  });

  it('ranks by score, equal scores by id; compares two windows among the ranked types', () => {
    expect([...rankWithin(['b', 'a', 'c'], new Map([['c', 2]]))]).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
    const w = (scores: Record<string, number>): ScoredWindow => ({
      window: { from: '2024-01-01', to: '2024-01-31', label: 'Jan 24' },
      ids: Object.keys(scores),
      labels: Object.keys(scores),
      types: Object.keys(scores).map((id) => (id === 'car' ? 'Vehicle' : 'Person')),
      scores: Object.values(scores),
      nodes: 0,
      links: 0,
    });
    const changes = compareWindows(
      w({ a: 0.5, b: 0.1, car: 0.9, gone: 0.3 }),
      w({ a: 0.2, b: 0.4, car: 0, new: 1 }),
      {
        among: new Set(['Person']),
        exclude: new Set(['x']),
      },
    );
    expect(changes.map((c) => [c.id, +c.rise.toFixed(2), c.rankBefore, c.rankAfter])).toEqual([
      ['b', 0.3, 3, 2],
      ['a', -0.3, 1, 3],
    ]);
  });
});
