// The web app's pure state modules and graph helpers, without React or a browser.
import { describe, expect, it, vi } from 'vitest';

// @sigma/edge-curve (used for parallel-link curves) loads sigma's WebGL programs, which read these globals.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.WebGL2RenderingContext ??= class {};
  g.WebGLRenderingContext ??= class {};
});
import { MultiDirectedGraph } from 'graphology';
import { labelSide } from '../../web/src/graph/labels.ts';
import type { Entity, Link } from '../../server/domain/model.ts';
import {
  DEFAULT_FILTERS,
  edgePasses,
  playbackStep,
  setMinGrading,
  setTimeWindow,
  timeBounds,
  toViewFilter,
  toggleEntityType,
  toggleLinkType,
} from '../../web/src/state/filters.ts';
import { clickNode, EMPTY_SELECTION, pruneSelection, selectNodes } from '../../web/src/state/selection.ts';
import {
  EMPTY_HISTORY,
  HISTORY_LIMIT,
  inverse,
  record,
  redo,
  undo,
  type HistoryEntry,
} from '../../web/src/state/history.ts';
import { communityGroups, formatMetric, rankRows } from '../../web/src/state/appearance.ts';
import { parseChartFile, toChartFile } from '../../web/src/state/chart-file.ts';
import { edgeThickness, sizeScale } from '../../web/src/graph/style.ts';
import { mergeSubgraph } from '../../web/src/graph/build.ts';
import { circularLayout, project, unproject } from '../../web/src/graph/layouts.ts';
import { components, simpleCopy } from '../../web/src/graph/local-analysis.ts';
import { buildSvg } from '../../web/src/graph/svg-export.ts';

const edge = (over: Partial<Parameters<typeof edgePasses>[0]> = {}) => ({
  ltype: 'CALLED' as const,
  grading: { source: 2 as const, intel: 'C' as const },
  firstSeen: '2024-03-01',
  lastSeen: '2024-05-01',
  ...over,
});

describe('filters', () => {
  it('hides link types, weak grading and links outside the time window; keeps undated links', () => {
    expect(edgePasses(edge(), DEFAULT_FILTERS)).toBe(true);
    expect(edgePasses(edge(), toggleLinkType(DEFAULT_FILTERS, 'CALLED'))).toBe(false);
    expect(edgePasses(edge(), setMinGrading(DEFAULT_FILTERS, { source: 1, intel: 'E' }))).toBe(false);
    expect(edgePasses(edge(), setMinGrading(DEFAULT_FILTERS, { source: 2, intel: 'C' }))).toBe(true);
    expect(
      edgePasses(edge({ grading: null }), setMinGrading(DEFAULT_FILTERS, { source: 3, intel: 'E' })),
    ).toBe(false);
    const june = setTimeWindow(DEFAULT_FILTERS, {
      from: Date.parse('2024-06-01'),
      to: Date.parse('2024-07-01'),
    });
    expect(edgePasses(edge(), june)).toBe(false);
    expect(edgePasses(edge({ lastSeen: '2024-06-10' }), june)).toBe(true);
    expect(edgePasses(edge({ firstSeen: null, lastSeen: null }), june)).toBe(true);
  });
  it('swaps a reversed window, and playback grows the window to the end then starts again', () => {
    const f = setTimeWindow(DEFAULT_FILTERS, { from: 10, to: 5 });
    expect(f.time).toEqual({ from: 5, to: 10 });
    let p = playbackStep(DEFAULT_FILTERS, { min: 0, max: 100 }, 40);
    expect(p.time).toEqual({ from: 0, to: 40 });
    p = playbackStep(playbackStep(p, { min: 0, max: 100 }, 40), { min: 0, max: 100 }, 40);
    expect(p.time).toEqual({ from: 0, to: 100 });
    expect(playbackStep(p, { min: 0, max: 100 }, 40).time).toEqual({ from: 0, to: 0 });
  });
  it('time bounds span the dated links, and the view filter lists what is shown', () => {
    expect(timeBounds([edge(), edge({ firstSeen: null, lastSeen: null })])).toEqual({
      min: Date.parse('2024-03-01'),
      max: Date.parse('2024-05-01'),
    });
    expect(timeBounds([edge({ firstSeen: null, lastSeen: null })])).toBeNull();
    const v = toViewFilter(toggleEntityType(DEFAULT_FILTERS, 'Phone'));
    expect(v.entityTypes).not.toContain('Phone');
    expect(v.entityTypes).toContain('Person');
    expect(toViewFilter(DEFAULT_FILTERS)).toEqual({});
  });
});

describe('selection and history', () => {
  it('click selects one, shift-click toggles in order, pruning drops what left the chart', () => {
    let s = clickNode(EMPTY_SELECTION, 'a', false);
    s = clickNode(s, 'b', true);
    expect(s.nodes).toEqual(['a', 'b']);
    expect(clickNode(s, 'a', true).nodes).toEqual(['b']);
    expect(clickNode(s, 'c', false).nodes).toEqual(['c']);
    expect(selectNodes(s, ['b', 'c', 'c'], true).nodes).toEqual(['a', 'b', 'c']);
    expect(
      pruneSelection(
        s,
        (id) => id !== 'a',
        () => true,
      ).nodes,
    ).toEqual(['b']);
  });
  it('undo and redo walk the stack; a new edit clears redo; inverse swaps add/remove and before/after', () => {
    const add: HistoryEntry = { kind: 'add', label: 'add', nodes: [{ id: 'x', attributes: {} }], edges: [] };
    const move: HistoryEntry = { kind: 'move', label: 'move', before: { x: [0, 0] }, after: { x: [1, 1] } };
    let h = record(record(EMPTY_HISTORY, add), move);
    const u = undo(h);
    expect(u.entry).toBe(move);
    expect(inverse(move)).toMatchObject({ before: { x: [1, 1] }, after: { x: [0, 0] } });
    expect(inverse(add).kind).toBe('remove');
    const r = redo(u.history);
    expect(r.entry).toBe(move);
    h = record(u.history, add);
    expect(h.future).toEqual([]);
    expect(undo(EMPTY_HISTORY).entry).toBeNull();
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = record(h, move);
    expect(h.past.length).toBe(HISTORY_LIMIT);
  });
});

describe('appearance and scales', () => {
  it('ranks with shared ranks for ties, in either order', () => {
    const r = rankRows({ a: 3, b: 5, c: 3, d: 1 });
    expect(r.map((x) => [x.id, x.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
    ]);
    expect(rankRows({ a: 3, b: 5 }, false)[0].id).toBe('a');
    // Degree is a count: 8, not 8.0000; fractions keep their places.
    expect([8, 0, 0.0123456, 12.345, 150].map(formatMetric)).toEqual(['8', '0', '0.0123', '12.3', '150']);
    expect(communityGroups({ a: 1, b: 0, c: 1 })).toEqual([
      { community: 1, members: ['a', 'c'] },
      { community: 0, members: ['b'] },
    ]);
  });
  it('sizes grow with the value between the bounds; thickness is bounded', () => {
    const s = sizeScale(
      new Map([
        ['a', 0],
        ['b', 25],
        ['c', 100],
      ]),
      { min: 4, max: 20 },
    );
    expect(s('a')).toBe(4);
    expect(s('c')).toBe(20);
    expect(s('b')).toBeCloseTo(12, 6); // sqrt scale: area follows the value
    expect(s('missing')).toBe(4);
    expect(edgeThickness(1)).toBeLessThan(edgeThickness(100));
    expect(edgeThickness(1e9)).toBeLessThanOrEqual(5);
  });
});

const ent = (id: string, type: Entity['type'] = 'Person', properties: Entity['properties'] = {}): Entity => ({
  id,
  type,
  label: id,
  key: id,
  properties,
  reviewDate: null,
  createdAt: '',
  updatedAt: '',
});
const lnk = (
  id: string,
  from: string,
  to: string,
  type: Link['type'] = 'ASSOCIATE_OF',
  weight = 1,
): Link => ({
  id,
  type,
  from,
  to,
  directed: type !== 'ASSOCIATE_OF',
  weight,
  firstSeen: null,
  lastSeen: null,
  properties: {},
  grading: null,
  createdAt: '',
  updatedAt: '',
});

describe('graph building and layouts', () => {
  it('adds only what is new, places expansions near their anchor, and curves parallel links apart', () => {
    const g = new MultiDirectedGraph();
    mergeSubgraph(g, { nodes: [ent('a')], links: [] });
    g.mergeNodeAttributes('a', { x: 1000, y: 1000 });
    const r = mergeSubgraph(g, {
      nodes: [ent('a'), ent('b')],
      links: [lnk('l1', 'a', 'b'), lnk('l2', 'a', 'b', 'RELATIVE_OF'), lnk('l3', 'b', 'zzz')],
    });
    expect(r.addedNodes).toEqual(['b']);
    expect(r.addedEdges).toEqual(['l1', 'l2']);
    const d = Math.hypot(g.getNodeAttribute('b', 'x') - 1000, g.getNodeAttribute('b', 'y') - 1000);
    expect(d).toBeLessThan(20);
    const c1 = g.getEdgeAttribute('l1', 'curvature') as number;
    const c2 = g.getEdgeAttribute('l2', 'curvature') as number;
    expect(c1).not.toBe(c2);
    expect(g.getEdgeAttribute('l2', 'type')).toMatch(/curved/);
  });
  it('circular layout keeps pinned nodes; the map projection puts Manchester north-west of London and back', () => {
    const g = new MultiDirectedGraph();
    mergeSubgraph(g, { nodes: [ent('p'), ent('q'), ent('pinned')], links: [lnk('x', 'p', 'q')] });
    g.setNodeAttribute('pinned', 'fixed', true);
    const placed = circularLayout(g);
    expect(Object.keys(placed)).not.toContain('pinned');
    expect(Object.keys(placed).sort()).toEqual(['p', 'q']);
    const manchester = project(53.48, -2.24);
    const london = project(51.5, -0.12);
    expect(manchester[1]).toBeGreaterThan(london[1]);
    expect(manchester[0]).toBeLessThan(london[0]);
    const [lat, lon] = unproject(...manchester);
    expect(lat).toBeCloseTo(53.48, 6);
    expect(lon).toBeCloseTo(-2.24, 6);
  });
});

describe('analysis on the chart', () => {
  it('finds components and simulates removing the cut vertex of a barbell', () => {
    const g = new MultiDirectedGraph();
    const nodes = ['a1', 'a2', 'a3', 'hub', 'b1', 'b2', 'b3'].map((i) => ent(i));
    const links = [
      lnk('1', 'a1', 'a2'),
      lnk('2', 'a2', 'a3'),
      lnk('3', 'a3', 'a1'),
      lnk('4', 'a1', 'hub'),
      lnk('5', 'hub', 'b1'),
      lnk('6', 'b1', 'b2'),
      lnk('7', 'b2', 'b3'),
      lnk('8', 'b3', 'b1'),
    ];
    mergeSubgraph(g, { nodes, links });
    const s = simpleCopy(g);
    expect(new Set(Object.values(components(s))).size).toBe(1);
    // Without the hub the two triangles fall apart: the fragments the disruption lab draws.
    const f = components(s, new Set(['hub']));
    expect(f.a1).toBe(f.a2);
    expect(f.a1).not.toBe(f.b1);
    expect(f.hub).toBeUndefined();
  });
});

describe('saved charts and SVG', () => {
  it('round-trips the chart file and refuses foreign state', () => {
    const f = toChartFile({
      nodes: ['a'],
      positions: { a: { x: 1, y: 2 } },
      filter: {},
      snapshot: { nodes: [{ id: 'a', attributes: { x: 1, y: 2 } }], edges: [] },
      appearance: { sizeBy: null, colourBy: 'type', showLabels: true, metrics: {}, communities: null },
      filters: DEFAULT_FILTERS,
      hidden: [],
      camera: null,
      mapMode: false,
    });
    expect(parseChartFile(JSON.parse(JSON.stringify(f)) as Record<string, unknown>)).toEqual(f);
    expect(() => parseChartFile({ nodes: [] })).toThrow(/not saved by this version/);
  });
  it('writes escaped labels, arrows for directed links and the marking', () => {
    const svg = buildSvg(
      [
        { id: 'a', x: 10, y: 10, size: 8, color: '#123456', label: 'A <&> "B"', etype: 'Person' },
        { id: 'b', x: 100, y: 50, size: 8, color: '#654321', label: 'B', etype: 'Phone' },
      ],
      [{ source: 'a', target: 'b', size: 2, color: '#999', directed: true, curvature: 0 }],
      { width: 200, height: 100, marking: 'OFFICIAL-SENSITIVE' },
    );
    expect(svg).toContain('A &lt;&amp;&gt; &quot;B&quot;');
    expect(svg).toContain('marker-end="url(#arrow)"');
    expect(svg.match(/OFFICIAL-SENSITIVE/g)!.length).toBe(2);
    expect(svg.startsWith('<svg')).toBe(true);
  });
});

describe('labels', () => {
  it('go right of their node unless they would run past the right edge and fit on the left', () => {
    // 800 px wide canvas, node radius 10, label 100 px.
    expect(labelSide(100, 10, 100, 800)).toBe('right');
    expect(labelSide(686, 10, 100, 800)).toBe('right'); // ends at 799
    expect(labelSide(688, 10, 100, 800)).toBe('left'); // would end at 801
    // Too long for either side: stays on the right (cut, as before) rather than running off the left.
    expect(labelSide(400, 10, 500, 800)).toBe('right');
  });
});
