// Label placement (web/src/graph/labels.ts) and the placement of expanded nodes (layouts.ts besideParents):
// on a crowded random chart no two placed labels overlap, forced labels (selected, top-ranked) are all
// placed even where they crowd each other, priority decides who gets a contested spot, labels keep out
// of the legend, and link labels name type, count and months.
import { describe, expect, it } from 'vitest';
import { MultiDirectedGraph } from 'graphology';
import {
  boxesOverlap,
  linkLabelText,
  placeLabels,
  type NodeLabelItem,
  type PlacementOptions,
} from '../../web/src/graph/labels.ts';
import { besideParents } from '../../web/src/graph/layouts.ts';

const OPTS: PlacementOptions = {
  width: 800,
  height: 600,
  fontSize: 12,
  linkFontSize: 10,
  perCell: 100,
  minNodeSize: 4,
  maxLabels: 5000,
};
const measure = (t: string, size: number): number => t.length * size * 0.55;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

function crowd(n: number, seed = 7): NodeLabelItem[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    key: `n${i}`,
    text: `Entity number ${i}`,
    x: 50 + r() * 700,
    y: 30 + r() * 540,
    size: 5 + r() * 10,
    priority: r() * 100,
    forced: false,
    cell: 0,
  }));
}

describe('label placement', () => {
  it('never places two labels that overlap, on a chart far too crowded to label everything', () => {
    const items = crowd(600);
    const placed = placeLabels(items, [], measure, OPTS);
    expect(placed.length).toBeGreaterThan(40);
    expect(placed.length).toBeLessThan(600);
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++)
        expect(boxesOverlap(placed[i].box, placed[j].box), `${placed[i].text} / ${placed[j].text}`).toBe(
          false,
        );
    for (const p of placed) {
      expect(p.box.x1).toBeGreaterThanOrEqual(0);
      expect(p.box.x2).toBeLessThanOrEqual(OPTS.width);
    }
  });

  it('places every forced label, even ten nodes on one spot, with leader lines where they had to move', () => {
    const items = crowd(300);
    for (let i = 0; i < 10; i++)
      items.push({
        key: `top${i}`,
        text: `Top ${i}`,
        x: 400,
        y: 300,
        size: 10,
        priority: 0,
        forced: true,
        cell: 0,
      });
    const placed = placeLabels(items, [], measure, OPTS);
    const keys = new Set(placed.map((p) => p.key));
    for (let i = 0; i < 10; i++) expect(keys.has(`top${i}`)).toBe(true);
    expect(placed.filter((p) => p.leader).length).toBeGreaterThan(0);
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++)
        expect(boxesOverlap(placed[i].box, placed[j].box)).toBe(false);
  });

  it('gives a contested spot to the higher priority, and keeps out of obstacles', () => {
    const a: NodeLabelItem = {
      key: 'phone',
      text: '07700 900123',
      x: 100,
      y: 100,
      size: 8,
      priority: 10,
      forced: false,
      cell: 0,
    };
    const b: NodeLabelItem = { ...a, key: 'person', text: 'Amir Turner', x: 101, priority: 2010 };
    const placed = placeLabels([a, b], [], measure, { ...OPTS, perCell: 1 });
    expect(placed.map((p) => p.key)).toEqual(['person']);
    const blocked = placeLabels([a], [], measure, {
      ...OPTS,
      obstacles: [{ x1: 0, y1: 0, x2: 800, y2: 600 }],
    });
    expect(blocked).toEqual([]);
  });

  it('labels a link with its type, its count and its months', () => {
    expect(
      linkLabelText({ ltype: 'CALLED', weight: 42, firstSeen: '2024-03-02', lastSeen: '2024-06-30' }),
    ).toBe('called · 42 calls · Mar 2024–Jun 2024');
    expect(linkLabelText({ ltype: 'RESIDES_AT', weight: 1, firstSeen: null, lastSeen: null })).toBe(
      'resides at',
    );
    expect(
      linkLabelText({ ltype: 'SIGHTED_AT', weight: 1, firstSeen: '2024-05-01', lastSeen: '2024-05-20' }),
    ).toBe('sighted at · 1 sighting · May 2024');
  });
});

describe('expansion placement', () => {
  it('puts new nodes round their parent, on the side away from the chart, none on another', () => {
    const g = new MultiDirectedGraph();
    // An existing chart: a ring of 12 nodes round the origin, linked in a cycle, radius 100.
    for (let i = 0; i < 12; i++) {
      const t = (i / 12) * Math.PI * 2;
      g.addNode(`o${i}`, { x: Math.cos(t) * 100, y: Math.sin(t) * 100 });
    }
    for (let i = 0; i < 12; i++) g.addEdge(`o${i}`, `o${(i + 1) % 12}`);
    // Expanding o0 (at (100, 0)) adds 8 nodes linked to it, dropped on it.
    const added: string[] = [];
    for (let i = 0; i < 8; i++) {
      g.addNode(`n${i}`, { x: 100, y: 0 });
      g.addEdge('o0', `n${i}`);
      added.push(`n${i}`);
    }
    const p = besideParents(g, added);
    expect(Object.keys(p).sort()).toEqual(added.sort());
    const unit = Math.hypot(100 - Math.cos(Math.PI / 6) * 100, Math.sin(Math.PI / 6) * 100);
    for (const id of added) {
      const [x, y] = p[id];
      const d = Math.hypot(x - 100, y);
      expect(d).toBeGreaterThan(unit * 0.5);
      expect(d).toBeLessThan(unit * 4);
      // Outwards: further from the chart's middle than the parent.
      expect(Math.hypot(x, y)).toBeGreaterThan(100);
    }
    for (let i = 0; i < added.length; i++)
      for (let j = i + 1; j < added.length; j++) {
        const [x1, y1] = p[added[i]];
        const [x2, y2] = p[added[j]];
        expect(Math.hypot(x1 - x2, y1 - y2)).toBeGreaterThan(unit * 0.3);
      }
  });
});
