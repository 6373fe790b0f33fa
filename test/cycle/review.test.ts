// Operational review on a hand-built case: the bridge T is arrested and S takes over by linking to b2.
import { describe, expect, it } from 'vitest';
import { operationalReview, parseWindow } from '../../server/cycle/review.ts';
import { entity, link, subgraph } from './fixtures.ts';

const nodes = ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'T', 'S'].map((id) => entity(id, 'Person'));
const shared = [
  link('a0', 'a1'),
  link('a1', 'a2'),
  link('a0', 'a2'),
  link('b0', 'b1'),
  link('b1', 'b2'),
  link('b0', 'b2'),
  link('S', 'a2'),
];
const before = subgraph(
  nodes,
  [...shared, link('T', 'a0', undefined, { id: 'Ta' }), link('T', 'b0', undefined, { id: 'Tb' })],
  3,
);
const after = subgraph(
  nodes,
  [...shared, link('S', 'b2', undefined, { id: 'Sb', firstSeen: '2024-08-01' })],
  4,
);

describe('operational review', () => {
  const r = operationalReview(before, after, { targets: ['T'], beforeLabel: 'before', afterLabel: 'after' });

  it('lists who left and which links formed and ended', () => {
    expect(r.disappeared).toEqual({ total: 1, items: [{ id: 'T', label: 'T', type: 'Person' }] });
    expect(r.appeared.total).toBe(0);
    expect(r.linksFormed.items.map((l) => l.id)).toEqual(['Sb']);
    expect(r.linksEnded.items.map((l) => l.id).sort()).toEqual(['Ta', 'Tb']);
    expect(r.targets).toEqual([
      { id: 'T', label: 'T', type: 'Person', presentBefore: true, presentAfter: false },
    ]);
    expect(r.before).toMatchObject({
      label: 'before',
      nodes: 8,
      links: 9,
      lccShare: 1,
      components: 1,
      dataVersion: 3,
    });
    expect(r.after).toMatchObject({
      label: 'after',
      nodes: 7,
      links: 8,
      lccShare: 1,
      components: 1,
      dataVersion: 4,
    });
  });

  it('names the successor as the biggest riser in betweenness', () => {
    // After: S lies on all 9 a-b pairs of 15 -> 0.6 (was a leaf: 0). b2 on {b0,b1}x{S,a0,a1,a2} = 8/15.
    // a2 before: on S's 6 paths of 21 = 0.2857; after on {a0,a1}x{S,b0,b1,b2} = 8/15.
    expect(r.risers.map((x) => x.id)).toEqual(['S', 'b2', 'a2']);
    expect(r.risers[0].after).toBeCloseTo(0.6, 10);
    expect(r.risers[0].rise).toBeCloseTo(0.6, 10);
    expect(r.risers[1].rise).toBeCloseTo(8 / 15, 10);
    expect(r.risers[2].rise).toBeCloseTo(8 / 15 - 6 / 21, 10);
    expect(r.risers[0]).toMatchObject({ rankAfter: 1, targetNeighbour: false });
    expect(r.risers.find((x) => x.id === 'b2')).toBeDefined();
  });

  it('puts the disruption lab prediction beside the observed effect', () => {
    // Lab terms, relative to the "before" graph (8 nodes, LCC 8, 28 pairs). Removing T splits
    // {a0,a1,a2,S} from {b0,b1,b2}: LCC 4/8; pairs 6 + 3 = 9 of 28; 2 components.
    // Observed: LCC 7/8; pairs 21 of 28; 1 component.
    const p = r.prediction!;
    expect(p.removed).toEqual(['T']);
    expect(p.notInView).toEqual([]);
    expect(p.predicted.lccShare).toEqual({ before: 1, after: 0.5, change: -0.5 });
    expect(p.predicted.pairwiseConnectivity.after).toBeCloseTo(9 / 28, 10);
    expect(p.predicted.components.after).toBe(2);
    expect(p.observed.lccShare).toEqual({ before: 1, after: 7 / 8, change: 7 / 8 - 1 });
    expect(p.observed.pairwiseConnectivity.after).toBeCloseTo(21 / 28, 10);
    expect(p.observed.components.after).toBe(1);
    // The lab, removing T from a fixed network, predicts no one inherits (everyone's betweenness
    // falls); what happened is that S formed a new link and took over.
    expect(p.inheritors).toEqual([]);
    expect(r.findings.join(' ')).toMatch(
      /shrink the largest component to 50\.0% of its size before \(-50\.0 points\); observed: 87\.5% \(-12\.5 points\)/,
    );
    expect(r.findings.join(' ')).toMatch(/re-formed around others/);
    const none = operationalReview(before, after, { targets: ['nobody'] });
    expect(none.prediction).toMatchObject({ removed: [], notInView: ['nobody'] });
  });

  it('reviews without targets and parses windows', () => {
    const plain = operationalReview(before, after);
    expect(plain.prediction).toBeNull();
    expect(plain.risers[0].id).toBe('S');
    expect(parseWindow('2024-01-01..2024-06-30')).toEqual({ from: '2024-01-01', to: '2024-06-30' });
    expect(parseWindow('..2024-06-30')).toEqual({ to: '2024-06-30' });
    expect(() => parseWindow('2024-01-01')).toThrow(/FROM\.\.TO/);
    expect(() => parseWindow('2024-13-45..')).toThrow(/not an ISO date/);
    expect(() => parseWindow('2024-06-01..2024-01-01')).toThrow(/starts after it ends/);
  });
});
