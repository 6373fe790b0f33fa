// The chart's links under a time window: CALLED and SIGHTED_AT links take the figures the server's view
// counted from the calls inside the window, or go when none is inside; other links keep the span rule; and
// clearing the window puts every link's own figures back.
import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../server/domain/model.ts';
import { applyWindow, restore } from '../../web/src/timeline/window-apply.ts';
import {
  DEFAULT_FILTERS,
  edgePasses,
  setTimeWindow,
  windowKey,
  type EdgeFacts,
} from '../../web/src/state/filters.ts';

const edge = (ltype: string, weight: number, firstSeen: string, lastSeen: string) => ({
  ltype,
  weight,
  firstSeen,
  lastSeen,
  grading: null,
  size: 1,
});

function chart() {
  const g = new MultiDirectedGraph();
  for (const n of ['a', 'b', 'c']) g.addNode(n);
  // l1: 12 calls over the year, 3 of them in March; l2: 5 calls, none in March (its span covers March);
  // l3: a kinship link, undated; l4: a USES link whose dates cover March.
  g.addDirectedEdgeWithKey('l1', 'a', 'b', edge('CALLED', 12, '2024-01-05', '2024-11-20'));
  g.addDirectedEdgeWithKey('l2', 'b', 'c', edge('CALLED', 5, '2024-02-01', '2024-06-30'));
  g.addDirectedEdgeWithKey('l3', 'a', 'c', {
    ...edge('RELATED_TO', 1, '', ''),
    firstSeen: null,
    lastSeen: null,
  });
  g.addDirectedEdgeWithKey('l4', 'c', 'a', edge('USES', 1, '2024-01-01', '2024-12-31'));
  return g;
}

const march = { from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 3, 1) - 1 };
const inMarch: Link = {
  id: 'l1',
  type: 'CALLED',
  from: 'a',
  to: 'b',
  directed: true,
  weight: 3,
  firstSeen: '2024-03-02T19:10:00Z',
  lastSeen: '2024-03-28T21:00:00Z',
  properties: { calls: 3, totalDuration: 400 },
  grading: null,
} as unknown as Link;

describe('a time window on the chart', () => {
  it('shows a call link with the count of its calls in the window, hides one with none, keeps the span rule for others', () => {
    const g = chart();
    const f = setTimeWindow(DEFAULT_FILTERS, march);
    const passes = (e: string) => edgePasses(g.getEdgeAttributes(e) as EdgeFacts, f);
    // Before the server's count arrives: the span rule for every link.
    expect(['l1', 'l2', 'l3', 'l4'].map(passes)).toEqual([true, true, true, true]);
    expect(applyWindow(g, windowKey(march), new Map([['l1', inMarch]]))).toBe(true);
    expect(g.getEdgeAttribute('l1', 'weight')).toBe(3);
    expect(g.getEdgeAttribute('l1', 'firstSeen')).toBe('2024-03-02T19:10:00Z');
    // l2's span overlaps March, but none of its calls is in it: it goes.
    expect(['l1', 'l2', 'l3', 'l4'].map(passes)).toEqual([true, false, true, true]);
    // Applying the same view again changes nothing.
    expect(applyWindow(g, windowKey(march), new Map([['l1', inMarch]]))).toBe(false);
  });

  it("a count for another window is not read for this one, and clearing puts each link's own figures back", () => {
    const g = chart();
    applyWindow(g, windowKey(march), new Map([['l1', inMarch]]));
    const april = { from: Date.UTC(2024, 3, 1), to: Date.UTC(2024, 4, 1) - 1 };
    const f = setTimeWindow(DEFAULT_FILTERS, april);
    // March's verdict on l2 does not hold for April: the span rule until April is counted.
    expect(edgePasses(g.getEdgeAttributes('l2') as EdgeFacts, f)).toBe(true);
    expect(restore(g)).toBe(true);
    expect(g.getEdgeAttributes('l1')).toMatchObject({
      weight: 12,
      firstSeen: '2024-01-05',
      lastSeen: '2024-11-20',
    });
    expect(g.getEdgeAttributes('l1')).not.toHaveProperty('inWindow');
    expect(edgePasses(g.getEdgeAttributes('l2') as EdgeFacts, DEFAULT_FILTERS)).toBe(true);
    expect(restore(g)).toBe(false);
  });
});
