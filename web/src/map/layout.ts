// Where each entity goes on the map. An entity with a place of its own (lat/lon properties, or a postcode
// the postcode table knows) sits at that place; one without sits beside what it links to (a person by their
// address, a phone by its user), within three links; anything else has no place and is listed, not drawn.
import type Graph from 'graphology';
import { latLon, project, type Positions } from '../graph/layouts.ts';

export interface MapPlacement {
  positions: Positions;
  /** Entities at a place of their own (coordinates or postcode). */
  own: number;
  /** Of those, placed by the postcode table. */
  byPostcode: number;
  /** Entities placed beside what they link to. */
  near: number;
  /** Entities with no place of their own and nothing placed within three links. */
  unplaced: string[];
}

/** The key postcodes are looked up by: upper case, no spaces. */
export function postcodeKey(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function postcodeOf(props: Record<string, unknown> | undefined): string | null {
  const pc = props?.postcode;
  return typeof pc === 'string' && pc.trim() ? postcodeKey(pc) : null;
}

/** Postcodes of entities that have no coordinates of their own: the ones to ask the postcode table for. */
export function postcodesToPlace(graph: Graph): string[] {
  const out = new Set<string>();
  graph.forEachNode((_id, a) => {
    const props = a.props as Record<string, unknown> | undefined;
    if (latLon(props)) return;
    const pc = postcodeOf(props);
    if (pc) out.add(pc);
  });
  return [...out];
}

/** A stable number in [0, 1) from an id, so the same chart lays out the same way every time. */
function hash01(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

/**
 * World units (256 = the globe's width) between an entity and what it is placed beside: about 250 m in
 * Britain, so at street scale the people at an address and their phones stand apart, and at county scale
 * they still sit on the address.
 */
const NEAR = 0.0025;
const GOLDEN_ANGLE = 2.399963229728653;

export function placeOnMap(
  graph: Graph,
  postcodePlaces: ReadonlyMap<string, { lat: number; lon: number }>,
): MapPlacement {
  const positions: Positions = {};
  let own = 0;
  let byPostcode = 0;
  graph.forEachNode((id, a) => {
    const props = a.props as Record<string, unknown> | undefined;
    const ll = latLon(props);
    if (ll) {
      positions[id] = project(ll[0], ll[1]);
      own++;
      return;
    }
    const pc = postcodeOf(props);
    const p = pc ? postcodePlaces.get(pc) : undefined;
    if (p) {
      positions[id] = project(p.lat, p.lon);
      own++;
      byPostcode++;
    }
  });
  // Rounds by distance, so a phone goes beside its user and not half-way to a number it called.
  let near = 0;
  const crowd = new Map<string, number>();
  for (let round = 1; round <= 3; round++) {
    const next: Positions = {};
    graph.forEachNode((id) => {
      if (positions[id]) return;
      let sx = 0;
      let sy = 0;
      let n = 0;
      graph.forEachNeighbor(id, (nb) => {
        const p = positions[nb];
        if (p) {
          sx += p[0];
          sy += p[1];
          n++;
        }
      });
      if (!n) return;
      // Entities around the same spot fan out on a sunflower spiral instead of landing on each other.
      const ax = sx / n;
      const ay = sy / n;
      const spot = `${ax.toFixed(6)},${ay.toFixed(6)}`;
      const k = crowd.get(spot) ?? 0;
      crowd.set(spot, k + 1);
      const t = hash01(spot) * Math.PI * 2 + k * GOLDEN_ANGLE;
      const r = NEAR * (0.6 * round + 0.9 * Math.sqrt(k));
      next[id] = [ax + Math.cos(t) * r, ay + Math.sin(t) * r];
    });
    for (const [id, p] of Object.entries(next)) positions[id] = p;
    near += Object.keys(next).length;
  }
  // The unplaced keep a position (the middle of the map) only so the camera frames the placed ones; the
  // map view hides them and lists them instead.
  const placed = Object.values(positions);
  const cx = placed.length ? placed.reduce((s, p) => s + p[0], 0) / placed.length : 128;
  const cy = placed.length ? placed.reduce((s, p) => s + p[1], 0) / placed.length : -128;
  const unplaced: string[] = [];
  graph.forEachNode((id) => {
    if (positions[id]) return;
    unplaced.push(id);
    positions[id] = [cx, cy];
  });
  return { positions, own, byPostcode, near, unplaced };
}
