// The link labels and the SVG export follow the curve sigma draws: checked against @sigma/edge-curve's own
// label drawer, which places each character on the curve it renders. A canvas that records where the drawer
// puts its characters stands in for the screen (Node has no 2D canvas); the geometry is the library's.
import { describe, expect, it, vi } from 'vitest';
// @sigma/edge-curve loads sigma's WebGL programs, which read these globals.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.WebGL2RenderingContext ??= class {};
  g.WebGLRenderingContext ??= class {};
});
import { DEFAULT_EDGE_CURVE_PROGRAM_OPTIONS, createDrawCurvedEdgeLabel } from '@sigma/edge-curve';
import { curveMiddle } from '../../web/src/graph/curve.ts';

type Point = [number, number];

/** Where the library draws a one-character label of the link (x1, y1) -> (x2, y2): the character's point. */
function libraryLabelPoint(x1: number, y1: number, x2: number, y2: number, curvature: number): Point {
  const drawn: Point[] = [];
  let at: Point = [0, 0];
  const ctx = {
    fillStyle: '',
    font: '',
    measureText: () => ({ width: 1 }),
    save: () => undefined,
    restore: () => undefined,
    rotate: () => undefined,
    translate: (x: number, y: number) => {
      at = [x, y];
    },
    fillText: () => drawn.push(at),
  };
  const draw = createDrawCurvedEdgeLabel({
    ...DEFAULT_EDGE_CURVE_PROGRAM_OPTIONS,
    curvatureAttribute: 'curvature',
  });
  const settings = {
    edgeLabelSize: 12,
    edgeLabelFont: 'sans',
    edgeLabelWeight: 'normal',
    edgeLabelColor: { color: '#000' },
  };
  draw(
    ctx as unknown as CanvasRenderingContext2D,
    { label: 'x', size: 1, curvature } as never,
    { x: x1, y: y1, size: 2 } as never,
    { x: x2, y: y2, size: 2 } as never,
    settings as never,
  );
  expect(drawn).toHaveLength(1);
  return drawn[0];
}

describe('the middle of a curved link', () => {
  const cases: Array<[number, number, number, number, number]> = [
    [100, 100, 300, 100, 0.25],
    [300, 100, 100, 100, 0.25], // the other direction of the same pair: the other side
    [100, 100, 100, 300, 0.4],
    [50, 400, 350, 120, -0.3],
    [350, 120, 50, 400, 0.15],
  ];
  it.each(cases)('(%d,%d)->(%d,%d) curvature %d: on the side the library draws', (x1, y1, x2, y2, c) => {
    const ours = curveMiddle(x1, y1, x2, y2, c);
    const lib = libraryLabelPoint(x1, y1, x2, y2, c);
    const mid: Point = [(x1 + x2) / 2, (y1 + y2) / 2];
    const side = (ours[0] - mid[0]) * (lib[0] - mid[0]) + (ours[1] - mid[1]) * (lib[1] - mid[1]);
    expect(side).toBeGreaterThan(0);
    // The library lifts its text off the line by size * 0.7 + 5 px; the rest is the curve's own offset.
    expect(Math.hypot(ours[0] - lib[0], ours[1] - lib[1])).toBeLessThan(8);
  });
});
