// The map layout: own places (coordinates, or a postcode the table knows) exactly where they are; the rest
// beside what they link to, fanned out rather than stacked; entities with nothing placed near them listed.
import { describe, expect, it, vi } from 'vitest';
// web/src/graph/build.ts (a layouts.ts import) loads sigma's WebGL programs, which read these globals.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.WebGL2RenderingContext ??= class {};
  g.WebGLRenderingContext ??= class {};
});
import { MultiDirectedGraph } from 'graphology';
import { placeOnMap, postcodesToPlace } from '../../web/src/map/layout.ts';
import { project } from '../../web/src/graph/layouts.ts';

function chartGraph(): MultiDirectedGraph {
  const g = new MultiDirectedGraph();
  g.addNode('cam', { etype: 'Location', props: { lat: 53.4, lon: -2.2, kind: 'ANPR camera' } });
  g.addNode('home', { etype: 'Location', props: { postcode: 'm1 1ae' } });
  g.addNode('unknown-pc', { etype: 'Location', props: { postcode: 'ZZ9 9ZZ' } });
  g.addNode('p1', { etype: 'Person', props: {} });
  g.addNode('p2', { etype: 'Person', props: {} });
  g.addNode('p3', { etype: 'Person', props: {} });
  g.addNode('phone', { etype: 'Phone', props: {} });
  g.addNode('car', { etype: 'Vehicle', props: {} });
  g.addNode('alone', { etype: 'Person', props: {} });
  g.addEdge('p1', 'home');
  g.addEdge('p2', 'home');
  g.addEdge('p3', 'home');
  g.addEdge('p1', 'phone');
  g.addEdge('car', 'cam');
  g.addEdge('alone', 'unknown-pc');
  return g;
}

describe('placing a chart on the map', () => {
  it('asks the postcode table only for postcodes of entities without coordinates', () => {
    expect(postcodesToPlace(chartGraph()).sort()).toEqual(['M11AE', 'ZZ99ZZ']);
  });

  it('puts own places exactly, neighbours beside them and fanned out, and lists the rest', () => {
    const g = chartGraph();
    const p = placeOnMap(g, new Map([['M11AE', { lat: 53.481, lon: -2.237 }]]));
    expect(p.own).toBe(2);
    expect(p.byPostcode).toBe(1);
    expect(p.near).toBe(5);
    expect(p.unplaced.sort()).toEqual(['alone', 'unknown-pc']);
    expect(p.positions.cam).toEqual(project(53.4, -2.2));
    expect(p.positions.home).toEqual(project(53.481, -2.237));
    const dist = (a: string, b: string): number =>
      Math.hypot(p.positions[a][0] - p.positions[b][0], p.positions[a][1] - p.positions[b][1]);
    // 1 world unit is ~94 km at this latitude: beside means within ~1 km, and apart means > 10 m.
    for (const id of ['p1', 'p2', 'p3']) {
      expect(dist(id, 'home')).toBeLessThan(0.01);
      expect(dist(id, 'home')).toBeGreaterThan(0.0001);
    }
    expect(dist('p1', 'p2')).toBeGreaterThan(0.0001);
    expect(dist('p2', 'p3')).toBeGreaterThan(0.0001);
    expect(dist('p1', 'p3')).toBeGreaterThan(0.0001);
    // The phone beside its user, further out than the user from the address.
    expect(dist('phone', 'p1')).toBeLessThan(0.01);
    expect(dist('car', 'cam')).toBeLessThan(0.01);
    // The same chart lays out the same way again.
    expect(placeOnMap(chartGraph(), new Map([['M11AE', { lat: 53.481, lon: -2.237 }]])).positions).toEqual(
      p.positions,
    );
  });

  it('places nothing by postcode without a table, and everything unlinked is listed', () => {
    const p = placeOnMap(chartGraph(), new Map());
    expect(p.own).toBe(1);
    expect(p.byPostcode).toBe(0);
    expect(p.unplaced.sort()).toEqual(['alone', 'home', 'p1', 'p2', 'p3', 'phone', 'unknown-pc']);
  });
});
