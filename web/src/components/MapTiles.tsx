// Map tiles behind the chart in map mode. Node positions are Web Mercator world units (see layouts.ts
// `project`), so for each frame we find the visible world rectangle through sigma's camera and lay the
// slippy-map tiles of a matching zoom level under it. With no tile URL configured, nothing is drawn and the
// map layout is a plain coordinate layout.
import { useEffect, useState } from 'react';
import { chart } from '../graph/controller.ts';

interface Tile {
  key: string;
  src: string;
  left: number;
  top: number;
  size: number;
}

export function MapTiles(props: { url: string }) {
  const [tiles, setTiles] = useState<Tile[]>([]);
  useEffect(() => {
    const sigma = chart.sigma;
    if (!sigma) return;
    const update = (): void => {
      const { width, height } = sigma.getDimensions();
      const a = sigma.viewportToGraph({ x: 0, y: 0 });
      const b = sigma.viewportToGraph({ x: width, y: height });
      const worldW = Math.abs(b.x - a.x);
      if (!(worldW > 0)) return;
      // Pick the zoom whose 256-px tiles are shown at roughly 256 screen pixels.
      const z = Math.max(0, Math.min(19, Math.round(Math.log2((width / worldW) * 1))));
      const n = 2 ** z;
      const unit = 256 / n; // world units per tile
      const minX = Math.min(a.x, b.x);
      const maxX = Math.max(a.x, b.x);
      const minY = Math.min(-a.y, -b.y);
      const maxY = Math.max(-a.y, -b.y);
      const out: Tile[] = [];
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
