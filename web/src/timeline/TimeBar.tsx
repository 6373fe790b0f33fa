// The time bar under the chart: a histogram of the calls and sightings of the chart's entities over time,
// and a brush: dragging across it sets the chart's time window (the same filter as the left panel's
// sliders), so the chart keeps only the links seen in that range, its call and sighting links counted from
// the calls and reads inside it (window-links.ts).
import { useEffect, useMemo, useState } from 'react';
import type { HistogramResponse } from '@api/event-patterns.ts';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { setTimeWindow } from '../state/filters.ts';
import { timelineApi } from './api.ts';
import { useWidth } from './useWidth.ts';
import { useWindowLinks } from './window-links.ts';

const HEIGHT = 40;
/** Beyond this many entities the bar counts the whole store's events rather than sending every id. */
const MAX_IDS = 5000;

export function chartEntityIds(): string[] {
  return chart.graph.nodes();
}

export function TimeBar() {
  const graphVersion = useApp((s) => s.graphVersion);
  const time = useApp((s) => s.filters.time);
  const [box, width] = useWidth();
  const [hist, setHist] = useState<HistogramResponse | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  // The window's calls re-derive the chart's call and sighting links (counts, first and last).
  const windowNote = useWindowLinks();

  useEffect(() => {
    const ids = chartEntityIds();
    if (!ids.length) return setHist(null);
    let live = true;
    const t = setTimeout(() => {
      timelineApi
        .histogram({
          ...(ids.length <= MAX_IDS ? { entityIds: ids } : {}),
          maxBuckets: Math.max(20, Math.min(200, Math.floor(width / 7))),
        })
        .then(
          (h) => {
            if (!live) return;
            setHist(h);
            setErr(null);
          },
          (e: unknown) => live && setErr((e as Error).message),
        );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [graphVersion, width]);

  const geom = useMemo(() => {
    if (!hist || !hist.buckets.length) return null;
    const t0 = Date.parse(hist.buckets[0].start);
    const t1 = Date.parse(hist.buckets[hist.buckets.length - 1].end);
    const max = Math.max(1, ...hist.buckets.map((b) => b.calls + b.sightings));
    const x = (ms: number): number => ((ms - t0) / (t1 - t0)) * width;
    const ms = (px: number): number => t0 + (Math.min(width, Math.max(0, px)) / width) * (t1 - t0);
    return { t0, t1, max, x, ms };
  }, [hist, width]);

  if (err || !hist || !geom || hist.total === 0) {
    return (
      <div className="timebar muted small" ref={box} data-testid="timebar-empty">
        {err
          ? `Activity could not be counted: ${err}`
          : chart.graph.order && hist
            ? 'No calls or sightings recorded for the entities on the chart.'
            : ''}
      </div>
    );
  }
  const calls = hist.buckets.reduce((n, b) => n + b.calls, 0);
  const sightings = hist.total - calls;
  const px = (e: React.MouseEvent): number => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const brush = drag ?? (time ? { a: geom.x(time.from), b: geom.x(time.to) } : null);
  const fmt = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <div className="timebar" ref={box} data-testid="timebar">
      <div className="timebar-head small muted">
        <span data-testid="timebar-summary">
          Activity by {hist.unit}: {calls.toLocaleString()} calls, {sightings.toLocaleString()} sightings
          {hist.truncated ? ' (the first 200,000 counted)' : ''}
          {windowNote && (
            <span className="timebar-note" data-testid="timebar-window-note">
              {' '}
              {windowNote}
            </span>
          )}
        </span>
        <span className="timebar-hint">
          {time ? (
            <>
              Window {fmt(time.from)} → {fmt(time.to)}{' '}
              <button
                className="small"
                data-testid="timebar-clear"
                onClick={() => appStore.set((s) => ({ ...s, filters: setTimeWindow(s.filters, null) }))}
              >
                show all
              </button>
            </>
          ) : (
            'drag across the bars to filter the chart to a time window'
          )}
        </span>
      </div>
      <svg
        width={width}
        height={HEIGHT}
        data-testid="histogram"
        style={{ cursor: 'col-resize', display: 'block' }}
        onMouseDown={(e) => {
          const x = px(e);
          setDrag({ a: x, b: x });
        }}
        onMouseMove={(e) => {
          if (drag) setDrag({ a: drag.a, b: px(e) });
        }}
        onMouseUp={() => {
          if (!drag) return;
          setDrag(null);
          if (Math.abs(drag.b - drag.a) < 3) return;
          const from = geom.ms(Math.min(drag.a, drag.b));
          const to = geom.ms(Math.max(drag.a, drag.b));
          appStore.set((s) => ({ ...s, filters: setTimeWindow(s.filters, { from, to }) }));
        }}
        onMouseLeave={() => setDrag(null)}
      >
        {hist.buckets.map((b, i) => {
          const x0 = geom.x(Date.parse(b.start));
          const w = Math.max(1, geom.x(Date.parse(b.end)) - x0 - 1);
          const hc = (b.calls / geom.max) * (HEIGHT - 2);
          const hs = (b.sightings / geom.max) * (HEIGHT - 2);
          return (
            <g key={i}>
              <title>
                {b.start.slice(0, 16).replace('T', ' ')}: {b.calls} calls, {b.sightings} sightings
              </title>
              {b.calls > 0 && (
                <rect className="bar-calls" x={x0} y={HEIGHT - hc} width={w} height={hc} fill="#0072B2" />
              )}
              {b.sightings > 0 && <rect x={x0} y={HEIGHT - hc - hs} width={w} height={hs} fill="#E69F00" />}
              {/* The whole bucket height takes the pointer, so a thin bar still shows its count. */}
              <rect x={x0} y={0} width={w + 1} height={HEIGHT} fill="transparent" />
            </g>
          );
        })}
        {brush && (
          <rect
            data-testid="brush"
            x={Math.min(brush.a, brush.b)}
            y={0}
            width={Math.max(2, Math.abs(brush.b - brush.a))}
            height={HEIGHT}
            fill="rgba(47,111,219,0.15)"
            stroke="#2f6fdb"
            pointerEvents="none"
          />
        )}
      </svg>
      <div className="timebar-axis small muted">
        <span>{fmt(geom.t0).slice(0, 10)}</span>
        <span>{fmt(geom.t1).slice(0, 10)}</span>
      </div>
    </div>
  );
}
