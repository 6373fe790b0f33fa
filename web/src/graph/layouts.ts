// Layouts that run in one pass on the main thread (ForceAtlas2 runs in a worker: see controller.ts).
// Each returns a position map and never writes the graph, so the caller can record the move for undo.
import type Graph from 'graphology';
import { hash01 } from './build.ts';

export type Positions = Record<string, [number, number]>;

export function currentPositions(graph: Graph, ids?: Iterable<string>): Positions {
  const p: Positions = {};
  for (const id of ids ?? graph.nodes())
    p[id] = [graph.getNodeAttribute(id, 'x') as number, graph.getNodeAttribute(id, 'y') as number];
  return p;
}

/** Nodes on a circle, ordered by entity type then label so like sits by like. Pinned nodes stay. */
export function circularLayout(graph: Graph, opts: { radius?: number } = {}): Positions {
  const ids = graph
    .filterNodes((_n, a) => !a.fixed)
    .sort((a, b) => {
      const ta = String(graph.getNodeAttribute(a, 'etype'));
      const tb = String(graph.getNodeAttribute(b, 'etype'));
      return (
        ta.localeCompare(tb) ||
        String(graph.getNodeAttribute(a, 'label')).localeCompare(String(graph.getNodeAttribute(b, 'label')))
      );
    });
  const r = opts.radius ?? Math.max(50, ids.length * 3);
  const out: Positions = {};
  ids.forEach((id, i) => {
    const t = (2 * Math.PI * i) / Math.max(1, ids.length);
    out[id] = [Math.cos(t) * r, Math.sin(t) * r];
  });
  return out;
}

/**
 * Communities as separate discs: each community's members on a phyllotaxis disc, the discs themselves
 * on a larger spiral, biggest first. Nodes without a community form their own group.
 */
export function groupedLayout(graph: Graph, community: Record<string, number>): Positions {
  const groups = new Map<number, string[]>();
  graph.forEachNode((id, a) => {
    if (a.fixed) return;
    const c = community[id] ?? -1;
    const l = groups.get(c) ?? [];
    l.push(id);
    groups.set(c, l);
  });
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
  const out: Positions = {};
  let angle = 0;
  let ring = 0;
  ordered.forEach((members, gi) => {
    const discR = Math.sqrt(members.length) * 6 + 6;
    let cx = 0;
    let cy = 0;
    if (gi > 0) {
      ring += discR * 1.2;
      angle += 2.399963;
      cx = Math.cos(angle) * ring;
      cy = Math.sin(angle) * ring;
      ring += discR * 0.3;
    } else {
      ring = discR;
    }
    members.forEach((id, i) => {
      const r = 6 * Math.sqrt(i + 0.5);
      const t = i * 2.399963;
      out[id] = [cx + Math.cos(t) * r, cy + Math.sin(t) * r];
    });
  });
  return out;
}

/** Reads latitude and longitude from an entity's properties (lat/lon, latitude/longitude). */
export function latLon(props: Record<string, unknown> | undefined): [number, number] | null {
  if (!props) return null;
  const lat = Number(props.lat ?? props.latitude);
  const lon = Number(props.lon ?? props.lng ?? props.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 85 || Math.abs(lon) > 180)
    return null;
  if (props.lat === undefined && props.latitude === undefined) return null;
  return [lat, lon];
}

/** Web Mercator in "world units" (0..256 at zoom 0), y pointing up as sigma expects. */
export function project(lat: number, lon: number): [number, number] {
  const x = ((lon + 180) / 360) * 256;
  const s = Math.sin((lat * Math.PI) / 180);
  const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256;
  return [x, -y];
}
export function unproject(x: number, yUp: number): [number, number] {
  const y = -yUp;
  const lon = (x / 256) * 360 - 180;
  const n = Math.PI - (2 * Math.PI * y) / 256;
  const lat = (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
  return [lat, lon];
}

/**
 * Geographic layout: entities with coordinates at their projected place; the others at the mean of their
 * placed neighbours (repeated so chains of unplaced nodes settle), with a small offset so they do not sit
 * on top of the place; anything still unplaced goes to a column at the left.
 */
export function mapLayout(graph: Graph): { positions: Positions; placed: number } {
  const out: Positions = {};
  let placed = 0;
  graph.forEachNode((id, a) => {
    const ll = latLon(a.props as Record<string, unknown>);
    if (ll) {
      out[id] = project(ll[0], ll[1]);
      placed++;
    }
  });
  let xs = Object.values(out).map((p) => p[0]);
  const span = xs.length > 1 ? Math.max(...xs) - Math.min(...xs) : 0.01;
  const jitter = Math.max(span, 0.002) * 0.03;
  for (let round = 0; round < 4; round++) {
    graph.forEachNode((id) => {
      if (out[id]) return;
      let sx = 0;
      let sy = 0;
      let n = 0;
      graph.forEachNeighbor(id, (nb) => {
        const p = out[nb];
        if (p) {
          sx += p[0];
          sy += p[1];
          n++;
        }
      });
      if (n) {
        const t = hash01(id) * Math.PI * 2;
        out[id] = [sx / n + Math.cos(t) * jitter, sy / n + Math.sin(t) * jitter];
      }
    });
  }
  xs = Object.values(out).map((p) => p[0]);
  const ys = Object.values(out).map((p) => p[1]);
  const minX = xs.length ? Math.min(...xs) : 0;
  const minY = ys.length ? Math.min(...ys) : 0;
  let k = 0;
  graph.forEachNode((id) => {
    if (out[id]) return;
    out[id] = [minX - jitter * 4, minY + k * jitter];
    k++;
  });
  return { positions: out, placed };
}

/** Stretch positions to a readable spread (map coordinates are tiny numbers; sigma rescales anyway). */
export function boundsOf(p: Positions): { minX: number; maxX: number; minY: number; maxY: number } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x, y] of Object.values(p)) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return { minX, maxX, minY, maxY };
}
