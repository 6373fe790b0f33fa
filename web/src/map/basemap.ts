// The built-in basemap: Natural Earth's 1:10m and 1:50m countries (the world-atlas package, public domain), served by
// our own server as a static file of the web app, so the map draws with no network and no tile server. It
// holds land, coastlines and national borders (the UK's coast and its border with Ireland, to about 1 km):
// no roads, towns or internal boundaries; a force's own tile server adds those (LINKCHART_MAP_TILES).
//
// The outline is projected once into the chart's Web Mercator world units (layouts.ts `project`) as Path2D
// objects with their bounding boxes; each frame draws only those that cross the screen, through one affine
// transform taken from sigma's camera.
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import fineUrl from 'world-atlas/countries-10m.json?url';
import coarseUrl from 'world-atlas/countries-50m.json?url';
import { project } from '../graph/layouts.ts';

interface Shape {
  path: Path2D;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Basemap {
  land: Shape[];
  coast: Shape[];
  borders: Shape[];
}

const MAX_LAT = 85.05;

function shapeOf(lines: Position[][], close: boolean): Shape {
  const path = new Path2D();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const line of lines) {
    // A few rings and arcs (eastern Russia, Fiji) cross the 180th meridian: longitudes are kept continuous,
    // so they run on past the map's edge instead of striping back across the whole world.
    let shift = 0;
    let prev = NaN;
    line.forEach(([rawLon, lat], i) => {
      if (i > 0 && rawLon + shift - prev > 180) shift -= 360;
      else if (i > 0 && rawLon + shift - prev < -180) shift += 360;
      const lon = rawLon + shift;
      prev = lon;
      const [x, y] = project(Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)), lon);
      if (i === 0) path.moveTo(x, y);
      else path.lineTo(x, y);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    });
    if (close) path.closePath();
  }
  return { path, minX, minY, maxX, maxY };
}

/**
 * Two levels of detail: 1:50m (0.8 MB, a sixth of the points) for views wider than about 1,700 km, where
 * the finer outline would only cost drawing time, and 1:10m for anything closer.
 */
export type Detail = 'coarse' | 'fine';
const URLS: Record<Detail, string> = { coarse: coarseUrl, fine: fineUrl };
/** Screen widths in world units above which the coarse outline is drawn (256 = the globe). */
export const FINE_BELOW_WORLD_UNITS = 12;

const loading: Partial<Record<Detail, Promise<Basemap>>> = {};

/** Fetches and prepares one level of the outline once per page. */
export function loadBasemap(detail: Detail): Promise<Basemap> {
  const done = loading[detail];
  if (done) return done;
  const p = (async () => {
    const res = await fetch(URLS[detail]);
    if (!res.ok) throw new Error(`the built-in map could not be loaded (${res.status})`);
    const topo = (await res.json()) as Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
    const countries = topo.objects.countries;
    const land: Shape[] = [];
    for (const f of feature(topo, countries).features) {
      const g = f.geometry as Polygon | MultiPolygon | null;
      if (!g) continue;
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      for (const rings of polys) land.push(shapeOf(rings, true));
    }
    // Arcs shared by two countries are borders; arcs of one only are coastline.
    const split = (m: MultiLineString): Shape[] => m.coordinates.map((line) => shapeOf([line], false));
    return {
      land,
      coast: split(mesh(topo, countries, (a, b) => a === b)),
      borders: split(mesh(topo, countries, (a, b) => a !== b)),
    };
  })();
  loading[detail] = p;
  p.catch(() => {
    delete loading[detail];
  });
  return p;
}

/** sigma's graph-to-screen mapping as a canvas transform: [a, b, c, d, e, f]. */
export type Affine = [number, number, number, number, number, number];

export const SEA = '#dce8f2';
export const LAND = '#f6f5f0';
const COAST = '#8aa4b8';
const BORDER = '#9a8f86';

/**
 * Draws the basemap for one frame; returns how many shapes crossed the screen. `t` maps world units to
 * CSS pixels; the canvas is `width` x `height` CSS pixels at `ratio` device pixels each.
 */
export function drawBasemap(
  ctx: CanvasRenderingContext2D,
  map: Basemap,
  t: Affine,
  width: number,
  height: number,
  ratio: number,
): number {
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = SEA;
  ctx.fillRect(0, 0, width, height);
  // The screen's rectangle in world units (inverse of t), to skip shapes that are off it.
  const [a, b, c, d, e, f] = t;
  const det = a * d - b * c;
  if (!det) return 0;
  const inv = (x: number, y: number): [number, number] => [
    (d * (x - e) - c * (y - f)) / det,
    (-b * (x - e) + a * (y - f)) / det,
  ];
  const corners = [inv(0, 0), inv(width, 0), inv(0, height), inv(width, height)];
  const minX = Math.min(...corners.map((p) => p[0]));
  const maxX = Math.max(...corners.map((p) => p[0]));
  const minY = Math.min(...corners.map((p) => p[1]));
  const maxY = Math.max(...corners.map((p) => p[1]));
  const visible = (s: Shape): boolean => s.maxX >= minX && s.minX <= maxX && s.maxY >= minY && s.minY <= maxY;
  const scale = Math.hypot(a, b) || 1;
  ctx.setTransform(a * ratio, b * ratio, c * ratio, d * ratio, e * ratio, f * ratio);
  let drawn = 0;
  ctx.fillStyle = LAND;
  for (const s of map.land)
    if (visible(s)) {
      ctx.fill(s.path, 'evenodd');
      drawn++;
    }
  ctx.lineJoin = 'round';
  ctx.strokeStyle = COAST;
  ctx.lineWidth = 1 / scale;
  for (const s of map.coast)
    if (visible(s)) {
      ctx.stroke(s.path);
      drawn++;
    }
  ctx.strokeStyle = BORDER;
  ctx.lineWidth = 1.2 / scale;
  ctx.setLineDash([4 / scale, 3 / scale]);
  for (const s of map.borders)
    if (visible(s)) {
      ctx.stroke(s.path);
      drawn++;
    }
  ctx.setLineDash([]);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return drawn;
}
