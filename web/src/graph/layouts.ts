// Layouts that run in one pass on the main thread (ForceAtlas2 runs in a worker: see controller.ts).
// Each returns a position map and never writes the graph, so the caller can record the move for undo.
import type Graph from 'graphology';
import { UndirectedGraph } from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import noverlap from 'graphology-layout-noverlap';

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

/** Room each node gets in a laid-out chart, in graph units (sized so noverlap's margins read as pixels). */
const NODE_ROOM = 48;
/** The pixels a fitted chart's longer side spans on a laptop screen (the smallest the workbench is used at). */
const FIT_PIXELS = 700;

/**
 * Communities laid out so their members can be read: each community starts as a disc on a spiral of
 * discs (largest first), then ForceAtlas2 runs with links inside a community pulling harder than links
 * between communities, so groups stay apart while members spread out along their own links; noverlap
 * finally pushes apart any two discs that still touch. Pinned nodes stay where they are.
 */
export function groupedLayout(graph: Graph, community: Record<string, number>): Positions {
  const groups = new Map<number, string[]>();
  // Entities with no link on the chart form no group: laid out with the rest, each drifts off on its own and
  // the fitted chart shrinks round them, so they go in a column beside it instead (as i2 and Gephi set them apart).
  const loose: string[] = [];
  graph.forEachNode((id, a) => {
    if (!a.fixed && graph.degree(id) === 0) {
      loose.push(id);
      return;
    }
    const c = community[id] ?? -1;
    const l = groups.get(c) ?? [];
    l.push(id);
    groups.set(c, l);
  });
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
  const work = new UndirectedGraph();
  let angle = 0;
  let ring = 0;
  ordered.forEach((members, gi) => {
    const discR = Math.sqrt(members.length) * NODE_ROOM * 0.6 + NODE_ROOM;
    let cx = 0;
    let cy = 0;
    if (gi > 0) {
      ring += discR * 1.3;
      angle += 2.399963;
      cx = Math.cos(angle) * ring;
      cy = Math.sin(angle) * ring;
      ring += discR * 0.4;
    } else ring = discR;
    members.forEach((id, i) => {
      const a = graph.getNodeAttributes(id);
      const r = NODE_ROOM * 0.6 * Math.sqrt(i + 0.5);
      const t = i * 2.399963;
      work.addNode(id, {
        x: a.fixed ? (a.x as number) : cx + Math.cos(t) * r,
        y: a.fixed ? (a.y as number) : cy + Math.sin(t) * r,
        size: Number(a.size ?? 9),
        fixed: !!a.fixed,
      });
    });
  });
  graph.forEachEdge((_e, a, s, t) => {
    if (s === t) return;
    const same = (community[s] ?? -1) === (community[t] ?? -2);
    // Inside a community a link pulls at full strength; across communities, a tenth.
    const w = Math.max(1, Number(a.weight ?? 1)) ** 0.5 * (same ? 1 : 0.1);
    if (work.hasEdge(s, t)) work.updateEdgeAttribute(s, t, 'weight', (x: number) => x + w);
    else work.addEdge(s, t, { weight: w });
  });
  // Community attraction: a hidden hub per community holds its members together (removed afterwards), so
  // a group stays one group even where its members share few links among themselves.
  const hubs: string[] = [];
  ordered.forEach((members, gi) => {
    if (members.length < 2) return;
    const hub = `\u0000hub${gi}`;
    let x = 0;
    let y = 0;
    for (const m of members) {
      x += work.getNodeAttribute(m, 'x') as number;
      y += work.getNodeAttribute(m, 'y') as number;
    }
    work.addNode(hub, { x: x / members.length, y: y / members.length, size: 1 });
    for (const m of members) if (!work.hasEdge(hub, m)) work.addEdge(hub, m, { weight: 0.6 });
    hubs.push(hub);
  });
  if (work.order > 1) {
    forceAtlas2.assign(work, {
      iterations: work.order > 3000 ? 60 : work.order > 1000 ? 120 : 300,
      getEdgeWeight: 'weight',
      settings: {
        ...forceAtlas2.inferSettings(work),
        barnesHutOptimize: work.order > 1000,
        linLogMode: true,
        edgeWeightInfluence: 1,
        scalingRatio: 10,
        gravity: 0.05,
      },
    });
  }
  for (const h of hubs) work.dropNode(h);
  if (work.order > 1) {
    // Node sizes are pixels on the fitted chart: convert them to graph units at that zoom before
    // pushing overlapping nodes apart, so that nothing overlaps as the chart first shows.
    if (work.order <= 5000) {
      const b = boundsOf(Object.fromEntries(work.mapNodes((n, a) => [n, [a.x as number, a.y as number]])));
      const unitsPerPixel = Math.max(b.maxX - b.minX, b.maxY - b.minY, 1e-9) / FIT_PIXELS;
      noverlap.assign(work, {
        maxIterations: 500,
        inputReducer: (_k, a) => ({ x: a.x, y: a.y, size: (a.size ?? 9) * unitsPerPixel }),
        outputReducer: (_k, a) => ({ x: a.x, y: a.y }),
        settings: { margin: 6 * unitsPerPixel, ratio: 1.15, expansion: 1.05 },
      });
    }
  }
  const out: Positions = {};
  work.forEachNode((id, a) => {
    if (!a.fixed) out[id] = [a.x as number, a.y as number];
  });
  placeInColumnsBeside(out, loose, Object.keys(out).length > 0 ? boundsOf(out) : null);
  return out;
}

/**
 * Puts `ids` in columns to the right of `beside` (or round the origin), spaced as the fitted chart spaces its
 * nodes: a chart is drawn wider than it is tall, so a column there costs the least room.
 */
function placeInColumnsBeside(
  out: Positions,
  ids: string[],
  beside: ReturnType<typeof boundsOf> | null,
): void {
  if (ids.length === 0) return;
  const span = beside ? Math.max(beside.maxX - beside.minX, beside.maxY - beside.minY, 1e-9) : 0;
  const step = beside ? (span / FIT_PIXELS) * NODE_ROOM : NODE_ROOM;
  const height = beside ? beside.maxY - beside.minY : step * Math.ceil(Math.sqrt(ids.length));
  const perColumn = Math.max(1, Math.floor(height / step) + 1);
  const x0 = beside ? beside.maxX + 1.5 * step : 0;
  const y0 = beside ? beside.maxY : 0;
  ids.forEach((id, i) => {
    out[id] = [x0 + Math.floor(i / perColumn) * step, y0 - (i % perColumn) * step];
  });
}

/**
 * Where new nodes go when an expansion adds them: on arcs round the node they were reached from (their
 * parent), facing away from the middle of the chart so they grow outwards into free space, spaced by the
 * chart's own typical link length, in as many rings as they need. Nodes without a parent on the chart
 * keep the place they were given.
 */
export function besideParents(graph: Graph, added: readonly string[]): Positions {
  const fresh = new Set(added);
  const out: Positions = {};
  if (!added.length) return out;
  // The chart's scale: the median length of links between nodes that were already there.
  const lengths: number[] = [];
  let cx = 0;
  let cy = 0;
  let old = 0;
  graph.forEachNode((n, a) => {
    if (fresh.has(n)) return;
    cx += a.x as number;
    cy += a.y as number;
    old++;
  });
  if (!old) return out;
  cx /= old;
  cy /= old;
  graph.forEachEdge((_e, _a, s, t, sa, ta) => {
    if (fresh.has(s) || fresh.has(t) || lengths.length > 2000) return;
    lengths.push(Math.hypot((sa.x as number) - (ta.x as number), (sa.y as number) - (ta.y as number)));
  });
  lengths.sort((x, y) => x - y);
  const unit = lengths.length ? Math.max(lengths[Math.floor(lengths.length / 2)], 1e-6) : 10;
  const children = new Map<string, string[]>();
  for (const id of added) {
    let parent: string | null = null;
    let best = -1;
    graph.forEachNeighbor(id, (nb) => {
      if (fresh.has(nb)) return;
      const deg = graph.degree(nb);
      if (deg > best) {
        best = deg;
        parent = nb;
      }
    });
    if (parent === null) continue;
    const l = children.get(parent) ?? [];
    l.push(id);
    children.set(parent, l);
  }
  for (const [parent, kids] of children) {
    kids.sort();
    const px = graph.getNodeAttribute(parent, 'x') as number;
    const py = graph.getNodeAttribute(parent, 'y') as number;
    const away = Math.atan2(py - cy, px - cx);
    const central = Math.hypot(px - cx, py - cy) < unit;
    const spacing = unit * 0.55;
    let placed = 0;
    for (let ringNo = 1; placed < kids.length; ringNo++) {
      const r = unit * (0.8 + 0.7 * ringNo);
      const arc =
        central || kids.length > 12 ? Math.PI * 2 : Math.min(Math.PI * 2, Math.PI * 0.9 + kids.length * 0.12);
      const capacity = Math.max(1, Math.floor((arc * r) / spacing));
      const here = Math.min(capacity, kids.length - placed);
      for (let i = 0; i < here; i++) {
        const t =
          arc >= Math.PI * 2 ? away + (2 * Math.PI * i) / here : away - arc / 2 + (arc * (i + 0.5)) / here;
        out[kids[placed + i]] = [px + Math.cos(t) * r, py + Math.sin(t) * r];
      }
      placed += here;
    }
  }
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
