// Parallel links fan out as @sigma/edge-curve numbers them: curveParallelEdges (one pass, one batched write)
// gives every link of a random multigraph, links both ways included, the type and curvature the library's
// indexParallelEdgesIndex leads to, and straightens a link again once its parallel is gone.
import { describe, expect, it, vi } from 'vitest';
// @sigma/edge-curve loads sigma's WebGL programs, which read these globals.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.WebGL2RenderingContext ??= class {};
  g.WebGLRenderingContext ??= class {};
});
import { MultiDirectedGraph } from 'graphology';
import { DEFAULT_EDGE_CURVATURE, indexParallelEdgesIndex } from '@sigma/edge-curve';
import { curveParallelEdges } from '../../web/src/graph/build.ts';

/** The curvature rule of build.ts, applied to the library's numbering. */
function expected(g: MultiDirectedGraph): Map<string, { type: string; curvature: number }> {
  const h = g.copy();
  indexParallelEdgesIndex(h, {
    edgeIndexAttribute: 'i',
    edgeMinIndexAttribute: 'lo',
    edgeMaxIndexAttribute: 'hi',
  });
  const curve = (index: number, max: number): number => {
    if (index < 0) return -curve(-index, max);
    const amplitude = 3.5;
    const maxCurvature = amplitude * (1 - Math.exp(-max / amplitude)) * DEFAULT_EDGE_CURVATURE;
    return (maxCurvature * index) / Math.max(1, max);
  };
  const out = new Map<string, { type: string; curvature: number }>();
  h.forEachEdge((e, a) => {
    const straight = a.directed ? 'arrow' : 'line';
    const i = a.i as number | null;
    const max = a.hi as number | null;
    if (typeof i === 'number' && typeof max === 'number' && max > 0) {
      const flat = typeof a.lo === 'number' && i === 0;
      out.set(e, {
        type: flat ? straight : a.directed ? 'curvedArrow' : 'curved',
        curvature: flat ? 0 : curve(i, max),
      });
    } else out.set(e, { type: straight, curvature: 0 });
  });
  return out;
}

describe('curveParallelEdges', () => {
  it('numbers parallel links as indexParallelEdgesIndex does', () => {
    let s = 7;
    const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x80000000;
    const g = new MultiDirectedGraph();
    for (let i = 0; i < 40; i++) g.addNode(`n${i}`);
    for (let i = 0; i < 400; i++) {
      // Few nodes, many links: singles, bundles one way, and bundles both ways.
      const a = Math.floor(rnd() * 40);
      const b = Math.floor(rnd() * 40);
      if (a === b) continue;
      g.addDirectedEdgeWithKey(`e${i}`, `n${a}`, `n${b}`, { directed: rnd() < 0.5, type: 'line' });
    }
    curveParallelEdges(g);
    const want = expected(g);
    const kinds = new Set<string>();
    g.forEachEdge((e, a) => {
      const w = want.get(e)!;
      kinds.add(w.type);
      expect(a.type, e).toBe(w.type);
      expect(Number(a.curvature ?? 0), e).toBeCloseTo(w.curvature, 12);
    });
    // The graph exercises straight, curved and (odd bundles one way) straight-in-the-middle links.
    expect(kinds).toEqual(new Set(['line', 'arrow', 'curved', 'curvedArrow']));
  });

  it('straightens a link whose parallel was removed', () => {
    const g = new MultiDirectedGraph();
    g.addNode('a');
    g.addNode('b');
    g.addDirectedEdgeWithKey('x', 'a', 'b', { directed: false });
    g.addDirectedEdgeWithKey('y', 'a', 'b', { directed: false });
    curveParallelEdges(g);
    expect(g.getEdgeAttribute('x', 'type')).toBe('curved');
    expect(g.getEdgeAttribute('x', 'curvature')).not.toBe(0);
    g.dropEdge('y');
    curveParallelEdges(g);
    expect(g.getEdgeAttribute('x', 'type')).toBe('line');
    expect(g.getEdgeAttribute('x', 'curvature')).toBe(0);
  });
});
