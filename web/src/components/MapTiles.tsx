// What lies under and beside the chart in map mode: the built-in outline basemap (web/src/map/basemap.ts),
// drawn on a canvas under sigma's; the force's own map tiles over it when an administrator configured a
// tile server (LINKCHART_MAP_TILES) and the analyst chose it; and the list of entities that have no place.
// Node positions are Web Mercator world units (layouts.ts `project`), so each frame takes the world-to-screen
// mapping from sigma's camera.
import { useEffect, useRef, useState } from 'react';
import { chart } from '../graph/controller.ts';
import { useApp } from '../state/hooks.ts';
import { useStore } from '../state/store.ts';
import {
  FINE_BELOW_WORLD_UNITS,
  drawBasemap,
  loadBasemap,
  type Affine,
  type Basemap,
  type Detail,
} from '../map/basemap.ts';
import { loadMapSettings, mapStore, selectUnplaced } from '../map/apply.ts';

const BASEMAP_KEY = 'linkchart.basemap';
/** The free-text tile address of earlier versions: no longer used (the CSP would block it). */
const OLD_TILE_KEY = 'linkchart.tileUrl';

type BasemapChoice = 'outline' | 'tiles';
const choiceEvent = 'linkchart-basemap';

function storedChoice(): BasemapChoice {
  return localStorage.getItem(BASEMAP_KEY) === 'tiles' ? 'tiles' : 'outline';
}

/** sigma's current graph-to-screen transform (graphToViewport is affine). */
function cameraAffine(): Affine | null {
  const s = chart.sigma;
  if (!s) return null;
  const o = s.graphToViewport({ x: 0, y: 0 });
  const ex = s.graphToViewport({ x: 1, y: 0 });
  const ey = s.graphToViewport({ x: 0, y: 1 });
  return [ex.x - o.x, ex.y - o.y, ey.x - o.x, ey.y - o.y, o.x, o.y];
}

export function MapLayers() {
  const settings = useStore(mapStore, (m) => m.settings);
  const [choice, setChoice] = useState<BasemapChoice>(storedChoice);
  useEffect(() => {
    void loadMapSettings().catch(() => undefined);
    const f = (): void => setChoice(storedChoice());
    window.addEventListener(choiceEvent, f);
    return () => window.removeEventListener(choiceEvent, f);
  }, []);
  const tiles = choice === 'tiles' && settings?.tiles ? settings.tiles.url : null;
  return (
    <>
      <BasemapCanvas />
      {tiles && <MapTiles url={tiles} />}
      <Unplaced />
    </>
  );
}

function BasemapCanvas() {
  const ref = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    const canvas = ref.current;
    const sigma = chart.sigma;
    if (!canvas || !sigma) return;
    const maps: Partial<Record<Detail, Basemap>> = {};
    let frame = 0;
    const draw = (): void => {
      frame = 0;
      const t = cameraAffine();
      const ctx = canvas.getContext('2d');
      if (!t || !ctx) return;
      const { width, height } = sigma.getDimensions();
      // The finer outline once it is loaded and the view is narrow enough to show its detail.
      const across = width / (Math.hypot(t[0], t[1]) || 1);
      const map = across < FINE_BELOW_WORLD_UNITS ? (maps.fine ?? maps.coarse) : (maps.coarse ?? maps.fine);
      if (!map) return;
      const ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      const started = performance.now();
      const shapes = drawBasemap(ctx, map, t, width, height, ratio);
      // Read by the end-to-end test and handy when judging the map's cost.
      canvas.dataset.drawMs = (performance.now() - started).toFixed(2);
      canvas.dataset.shapes = String(shapes);
      canvas.dataset.detail = map === maps.fine ? 'fine' : 'coarse';
    };
    // One draw per animation frame however many renders sigma makes in it.
    const schedule = (): void => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    let live = true;
    const asked = performance.now();
    // The coarse outline first (a quick first picture), then the fine one.
    for (const detail of ['coarse', 'fine'] as const)
      loadBasemap(detail).then(
        (m) => {
          if (!live) return;
          maps[detail] = m;
          // Fetch, parse and projection (once per page; later mounts find it ready).
          canvas.dataset[detail === 'fine' ? 'loadMs' : 'coarseLoadMs'] = (performance.now() - asked).toFixed(
            0,
          );
          if (detail === 'fine') canvas.dataset.ready = '1';
          draw();
        },
        (e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)),
      );
    sigma.on('afterRender', schedule);
    return () => {
      live = false;
      if (frame) cancelAnimationFrame(frame);
      sigma.off('afterRender', schedule);
    };
  }, []);
  return (
    <>
      <canvas
        ref={ref}
        className="map-basemap"
        data-testid="basemap"
        style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
      />
      {failed && (
        <div className="map-note" style={noteStyle}>
          {failed}
        </div>
      )}
    </>
  );
}

const noteStyle = {
  position: 'absolute',
  left: 10,
  top: 10,
  zIndex: 6,
  maxWidth: 280,
  background: 'rgba(255, 255, 255, 0.94)',
  border: '1px solid var(--line)',
  borderRadius: 6,
  padding: '6px 8px',
  fontSize: 12,
} as const;

/** The entities with no place: counted, listed, each a click away from its details. */
function Unplaced() {
  const summary = useStore(mapStore, (m) => m.summary);
  const graphVersion = useApp((s) => s.graphVersion);
  const [open, setOpen] = useState(false);
  void graphVersion;
  if (!summary) return null;
  const ids = summary.unplaced.filter((id) => chart.graph.hasNode(id));
  const label = (id: string): string => String(chart.graph.getNodeAttribute(id, 'label') ?? id);
  const type = (id: string): string => String(chart.graph.getNodeAttribute(id, 'etype') ?? '');
  return (
    <div className="map-note" style={noteStyle} data-testid="map-summary">
      <div>
        <b>{summary.own}</b> at their own place
        {summary.byPostcode ? ` (${summary.byPostcode} by postcode)` : ''}, <b>{summary.near}</b> beside what
        they link to.
      </div>
      {summary.unknownPostcodes > 0 && (
        <div className="muted" data-testid="map-unknown-postcodes">
          {summary.unknownPostcodes} postcodes could not be placed
          {summary.table ? ' (not in the postcode table)' : ': no postcode table is loaded'}.
        </div>
      )}
      {ids.length > 0 && (
        <>
          <button
            data-testid="unplaced-toggle"
            style={{ marginTop: 4 }}
            onClick={() => setOpen(!open)}
            title="Entities with no place of their own and nothing placed within three links: hidden on the map"
          >
            Not on the map: {ids.length} {open ? '▾' : '▸'}
          </button>
          {open && (
            <ul
              data-testid="unplaced-list"
              style={{ maxHeight: 220, overflowY: 'auto', margin: '4px 0 0', padding: 0, listStyle: 'none' }}
            >
              {ids.map((id) => (
                <li key={id}>
                  <button
                    className="link"
                    style={{
                      border: 'none',
                      background: 'none',
                      padding: '1px 0',
                      textAlign: 'left',
                      cursor: 'pointer',
                    }}
                    onClick={() => selectUnplaced(id)}
                  >
                    {label(id)} <span className="muted small">{type(id)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/**
 * The basemap picker beside the layout buttons: the built-in outline, or the force's tile server when one
 * is configured. There is no free-text tile address: the page may load images only from the configured
 * server (the CSP), so a typed address would be blocked silently.
 */
export function BasemapPicker() {
  const settings = useStore(mapStore, (m) => m.settings);
  const [choice, setChoice] = useState<BasemapChoice>(storedChoice);
  const [oldUrl] = useState(() => localStorage.getItem(OLD_TILE_KEY));
  useEffect(() => {
    void loadMapSettings().catch(() => undefined);
  }, []);
  const pick = (c: BasemapChoice): void => {
    localStorage.setItem(BASEMAP_KEY, c);
    localStorage.removeItem(OLD_TILE_KEY);
    setChoice(c);
    window.dispatchEvent(new Event(choiceEvent));
  };
  const tiles = settings?.tiles ?? null;
  return (
    <div className="row" style={{ flexWrap: 'wrap' }}>
      <label htmlFor="basemap">Map</label>
      <select
        id="basemap"
        data-testid="basemap-choice"
        value={tiles ? choice : 'outline'}
        onChange={(e) => pick(e.target.value as BasemapChoice)}
        title={
          tiles
            ? 'The built-in outline works offline; the tile server is the one your administrator set up'
            : 'The built-in outline map (coast and borders) works offline. Street maps need a tile server set up by your administrator (LINKCHART_MAP_TILES)'
        }
      >
        <option value="outline">Outline (built in, offline)</option>
        {tiles && <option value="tiles">{tiles.name}</option>}
      </select>
      {oldUrl && !tiles && (
        <div className="small muted" data-testid="old-tile-note" style={{ width: '100%' }}>
          The tile address typed here before ({oldUrl.slice(0, 40)}) is not used: map tiles come only from a
          server your administrator sets up.
        </div>
      )}
    </div>
  );
}

/** Slippy-map tiles from the configured server, laid under the visible world rectangle. */
function MapTiles(props: { url: string }) {
  const [tiles, setTiles] = useState<
    Array<{ key: string; src: string; left: number; top: number; size: number }>
  >([]);
  useEffect(() => {
    const sigma = chart.sigma;
    if (!sigma) return;
    const update = (): void => {
      const { width, height } = sigma.getDimensions();
      const a = sigma.viewportToGraph({ x: 0, y: 0 });
      const b = sigma.viewportToGraph({ x: width, y: height });
      const worldW = Math.abs(b.x - a.x);
      if (!(worldW > 0)) return;
      // The zoom whose 256-px tiles are shown at roughly 256 screen pixels.
      const z = Math.max(0, Math.min(19, Math.round(Math.log2(width / worldW))));
      const n = 2 ** z;
      const unit = 256 / n; // world units per tile
      const minX = Math.min(a.x, b.x);
      const maxX = Math.max(a.x, b.x);
      const minY = Math.min(-a.y, -b.y);
      const maxY = Math.max(-a.y, -b.y);
      const out: Array<{ key: string; src: string; left: number; top: number; size: number }> = [];
      for (let tx = Math.floor(minX / unit); tx <= Math.floor(maxX / unit) && out.length < 200; tx++) {
        for (let ty = Math.floor(minY / unit); ty <= Math.floor(maxY / unit) && out.length < 200; ty++) {
          if (tx < 0 || ty < 0 || tx >= n || ty >= n) continue;
          const p0 = sigma.graphToViewport({ x: tx * unit, y: -ty * unit });
          const p1 = sigma.graphToViewport({ x: (tx + 1) * unit, y: -(ty + 1) * unit });
          out.push({
            key: `${z}/${tx}/${ty}`,
            src: props.url.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty)),
            left: Math.min(p0.x, p1.x),
            top: Math.min(p0.y, p1.y),
            size: Math.abs(p1.x - p0.x) + 0.5,
          });
        }
      }
      setTiles(out);
    };
    sigma.on('afterRender', update);
    update();
    return () => {
      sigma.off('afterRender', update);
    };
  }, [props.url]);
  return (
    <div className="map-tiles">
      {tiles.map((t) => (
        <img
          key={t.key}
          src={t.src}
          alt=""
          style={{ left: t.left, top: t.top, width: t.size, height: t.size }}
        />
      ))}
    </div>
  );
}
