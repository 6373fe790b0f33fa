// The "Map" layout: asks the server's postcode table for the chart's postcodes, places every entity
// (layout.ts), hides and lists those with no place, and switches the chart to map mode. Leaving map mode
// (any other layout) shows them again.
import { request } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { appStore, showError, showNotice } from '../state/app.ts';
import { createStore } from '../state/store.ts';
import type { MapSettings, PlacesResponse } from '../../../server/geo/route.ts';
import { placeOnMap, postcodesToPlace } from './layout.ts';

export interface MapSummary {
  own: number;
  byPostcode: number;
  near: number;
  /** Entities hidden because they have no place; shown again when map mode ends. */
  unplaced: string[];
  /** Postcodes on the chart that could not be placed (no table loaded, or not in it). */
  unknownPostcodes: number;
  table: boolean;
}

export const mapStore = createStore<{ summary: MapSummary | null; settings: MapSettings | null }>({
  summary: null,
  settings: null,
});

/** Matches the server's cap (server/geo/route.ts MAX_PLACES_PER_REQUEST). */
const CHUNK = 5000;

let settingsLoad: Promise<MapSettings> | null = null;
export function loadMapSettings(): Promise<MapSettings> {
  settingsLoad ??= request<MapSettings>('GET', '/api/map/settings').then((s) => {
    mapStore.set((m) => ({ ...m, settings: s }));
    return s;
  });
  settingsLoad.catch(() => {
    settingsLoad = null;
  });
  return settingsLoad;
}

async function lookUp(
  postcodes: string[],
): Promise<{ places: Map<string, { lat: number; lon: number }>; table: boolean }> {
  const places = new Map<string, { lat: number; lon: number }>();
  let table = true;
  for (let i = 0; i < postcodes.length; i += CHUNK) {
    const r = await request<PlacesResponse>('POST', '/api/map/places', {
      postcodes: postcodes.slice(i, i + CHUNK),
    });
    table = r.table;
    if (!r.table) break;
    for (const p of r.places) places.set(p.postcode.replace(/\s/g, ''), { lat: p.lat, lon: p.lon });
  }
  return { places, table };
}

export async function applyMapLayout(): Promise<void> {
  chart.stopLayout();
  try {
    const wanted = postcodesToPlace(chart.graph);
    const { places, table } = wanted.length ? await lookUp(wanted) : { places: new Map(), table: true };
    const p = placeOnMap(chart.graph, places);
    if (!p.own) {
      appStore.set((s) =>
        showNotice(
          s,
          wanted.length && !table
            ? 'No entity on the chart has coordinates, and no postcode table is loaded to place its postcodes (see the README, "The map")'
            : 'No entity on the chart has coordinates or a postcode the postcode table knows',
        ),
      );
      return;
    }
    restoreUnplaced();
    chart.moveTo(p.positions, 'map layout', false);
    const summary: MapSummary = {
      own: p.own,
      byPostcode: p.byPostcode,
      near: p.near,
      unplaced: p.unplaced,
      unknownPostcodes: wanted.length - places.size,
      table,
    };
    mapStore.set((m) => ({ ...m, summary }));
    const hide = new Set(p.unplaced);
    appStore.set((s) => ({
      ...s,
      mapMode: true,
      hidden: [...new Set([...s.hidden, ...hide])],
      selection: { ...s.selection, nodes: s.selection.nodes.filter((n) => !hide.has(n)) },
    }));
    chart.fit();
  } catch (e) {
    appStore.set((s) => showError(s, e));
  }
}

/** Shows again the entities the map hid for having no place. */
export function restoreUnplaced(): void {
  const summary = mapStore.get().summary;
  if (!summary) return;
  const back = new Set(summary.unplaced);
  mapStore.set((m) => ({ ...m, summary: null }));
  if (back.size) appStore.set((s) => ({ ...s, hidden: s.hidden.filter((n) => !back.has(n)) }));
}

// Leaving map mode (another layout, a chart opened without it): the entities hidden for having no place
// come back. Watched here rather than in a component so nothing else has to remember it.
let wasMapMode = appStore.get().mapMode;
appStore.subscribe(() => {
  const now = appStore.get().mapMode;
  if (wasMapMode && !now) restoreUnplaced();
  wasMapMode = now;
});

/** Selects an entity that is not on the map: its details open on the right; it stays off the map. */
export function selectUnplaced(id: string): void {
  appStore.set((s) => ({ ...s, selection: { nodes: [id], edge: null }, rightTab: 'details' }));
}
