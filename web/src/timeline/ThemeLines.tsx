// Theme lines: one horizontal line per entity (a person carries their phones' and vehicles' events), each
// call drawn at its time as a stroke between the two lines it joins (a tick when the other end is not on the
// timeline), each sighting a diamond on its line. Wheel zooms (years down to minutes), dragging pans,
// shift-dragging brushes a time window onto the chart, clicking an event shows its record and report.
// Drawn on a canvas: at the 5,000-event default a frame takes a few milliseconds, so it stays on the main thread.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineResponse } from '@api/event-patterns.ts';
import type { Report } from '@domain/model.ts';
import { COMMUNITY_PALETTE } from '../graph/style.ts';
import { appStore } from '../state/hooks.ts';
import { setTimeWindow } from '../state/filters.ts';
import { ReportCard } from '../components/DetailsTab.tsx';
import { duration, timelineApi, when } from './api.ts';
import { marksOf, nearestMark, spanOf, type Mark } from './lanes.ts';
import { fitScale, msOf, panBy, ticks, xOf, zoomAt, type TimeScale } from './scale.ts';
import { useWidth } from './useWidth.ts';

const LABEL_W = 150;
const AXIS_H = 20;
const SIGHTING = '#D55E00';

export function lineColour(i: number): string {
  return COMMUNITY_PALETTE[i % COMMUNITY_PALETTE.length];
}

function spanWords(ms: number): string {
  const m = ms / 60_000;
  if (m < 120) return `${Math.round(m)} minutes`;
  if (m < 72 * 60) return `${Math.round(m / 60)} hours`;
  if (m < 120 * 24 * 60) return `${Math.round(m / 1440)} days`;
  return `${(m / 525_960).toFixed(1)} years`;
}

export function ThemeLines({ entityIds, height }: { entityIds: string[]; height: number }) {
  const [data, setData] = useState<TimelineResponse | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [box, boxWidth] = useWidth(700);
  const width = Math.max(200, boxWidth - 270 - LABEL_W);
  const [scale, setScale] = useState<TimeScale | null>(null);
  const [picked, setPicked] = useState<Mark | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const gesture = useRef<{ x0: number; x: number; brush: boolean; moved: boolean } | null>(null);
  const [brush, setBrush] = useState<{ a: number; b: number } | null>(null);
  const key = entityIds.join(',');

  useEffect(() => {
    if (!entityIds.length) return setData(null);
    let live = true;
    setErr(null);
    setPicked(null);
    timelineApi.lines({ entityIds }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setScale(null);
      },
      (e: unknown) => live && setErr((e as Error).message),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the ids' contents, not the array's identity
  }, [key]);

  const marks = useMemo(() => (data ? marksOf(data.lines, data.events) : []), [data]);
  const span = useMemo(() => spanOf(marks), [marks]);
  const view: TimeScale | null = scale
    ? { ...scale, width }
    : span
      ? fitScale(span.min, span.max, width)
      : null;
  const nLines = data?.lines.length ?? 0;
  const rowH = nLines ? Math.min(36, (height - AXIS_H - 8) / nLines) : 30;
  const yOf = (line: number): number => AXIS_H + rowH * (line + 0.5);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !view || !data) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(height * dpr);
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    g.font = '10px system-ui, sans-serif';
    g.fillStyle = '#687385';
    g.strokeStyle = '#eceef2';
    for (const t of ticks(view)) {
      g.beginPath();
      g.moveTo(t.x, AXIS_H - 4);
      g.lineTo(t.x, height);
      g.stroke();
      g.fillText(t.label, t.x + 2, 11);
    }
    data.lines.forEach((_l, i) => {
      g.strokeStyle = lineColour(i);
      g.globalAlpha = 0.45;
      g.lineWidth = 2;
      g.beginPath();
      g.moveTo(0, yOf(i));
      g.lineTo(width, yOf(i));
      g.stroke();
    });
    g.globalAlpha = 0.85;
    g.lineWidth = 1.5;
    for (const m of marks) {
      const x = xOf(view, m.ms);
      if (x < -4 || x > width + 4) continue;
      const y = yOf(m.line);
      g.strokeStyle = g.fillStyle = m.event.kind === 'sighting' ? SIGHTING : lineColour(m.line);
      if (m.event.kind === 'sighting') {
        g.beginPath();
        g.moveTo(x, y - 5);
        g.lineTo(x + 4, y);
        g.lineTo(x, y + 5);
        g.lineTo(x - 4, y);
        g.fill();
      } else if (m.other !== null) {
        const y2 = yOf(m.other);
        g.beginPath();
        g.moveTo(x, y);
        g.lineTo(x, y2);
        g.stroke();
        g.beginPath();
        g.arc(x, y2, 2.5, 0, Math.PI * 2);
        g.fill();
      } else {
        g.beginPath();
        g.moveTo(x, y - 7);
        g.lineTo(x, y + 7);
        g.stroke();
      }
    }
    if (picked) {
      const x = xOf(view, picked.ms);
      g.globalAlpha = 1;
      g.strokeStyle = '#1d2430';
      g.lineWidth = 2;
      const y1 = yOf(picked.line);
      const y2 = picked.other === null ? y1 : yOf(picked.other);
      g.strokeRect(x - 5, Math.min(y1, y2) - 8, 10, Math.abs(y2 - y1) + 16);
    }
    g.globalAlpha = 1;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- yOf derives from rowH
  }, [data, marks, view?.from, view?.to, width, height, rowH, picked]);

  if (!entityIds.length)
    return (
      <p className="muted small" ref={box}>
        Select people, phones or vehicles on the chart (shift-click adds) to see their calls and sightings in
        time.
      </p>
    );
  if (err)
    return (
      <p className="toast error" ref={box}>
        The timeline could not be drawn: {err}
      </p>
    );
  if (!data || !view)
    return (
      <p className="muted small" ref={box} data-testid="timeline-loading">
        {data ? 'No calls or sightings recorded for these entities.' : 'Loading…'}
      </p>
    );

  const counts = data.lines.map(() => 0);
  for (const m of marks) {
    counts[m.line]++;
    if (m.other !== null) counts[m.other]++;
  }
  const between = marks.filter((m) => m.other !== null).length;
  const sightings = marks.filter((m) => m.event.kind === 'sighting').length;
  const px = (e: React.MouseEvent): number => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const py = (e: React.MouseEvent): number => e.clientY - e.currentTarget.getBoundingClientRect().top;
  const zoom = (f: number, x = width / 2): void => setScale(zoomAt(view, f, x));
  return (
    <div className="themelines" ref={box} data-testid="timeline">
      <div className="themelines-main">
        <div className="themelines-bar small muted">
          <span data-testid="timeline-summary">
            {data.lines.length} lines · {marks.length - sightings} calls ({between} between these lines) ·{' '}
            {sightings} sightings{data.truncated ? ' · the earliest 5,000 events shown' : ''}
          </span>
          <span>
            showing {spanWords(view.to - view.from)}{' '}
            <button className="small" title="Zoom in" onClick={() => zoom(0.5)}>
              +
            </button>
            <button className="small" title="Zoom out" onClick={() => zoom(2)}>
              −
            </button>
            <button className="small" data-testid="timeline-fit" onClick={() => setScale(null)}>
              fit
            </button>
          </span>
        </div>
        <div className="themelines-body" style={{ height }}>
          <div className="themelines-labels" style={{ width: LABEL_W }}>
            {data.lines.map((l, i) => (
              <div
                key={l.id}
                className="themelines-label"
                data-testid="timeline-line"
                data-events={counts[i]}
                style={{ top: yOf(i) - 8, color: lineColour(i) }}
                title={`${l.label} (${l.type}${l.members.length > 1 ? `, ${l.members.length - 1} phones and vehicles` : ''}): ${counts[i]} events`}
              >
                {l.label} <span className="muted">{counts[i]}</span>
              </div>
            ))}
          </div>
          <div style={{ position: 'relative' }}>
            <canvas
              ref={canvas}
              data-testid="timeline-canvas"
              style={{ width, height, display: 'block', cursor: 'grab' }}
              onWheel={(e) => zoom(e.deltaY > 0 ? 1.25 : 0.8, px(e))}
              onMouseDown={(e) => {
                const x = px(e);
                gesture.current = { x0: x, x, brush: e.shiftKey, moved: false };
              }}
              onMouseMove={(e) => {
                const gst = gesture.current;
                if (!gst) return;
                const x = px(e);
                if (Math.abs(x - gst.x0) > 3) gst.moved = true;
                if (gst.brush) setBrush({ a: gst.x0, b: x });
                else if (gst.moved) {
                  setScale(panBy(view, x - gst.x));
                  gst.x = x;
                }
              }}
              onMouseUp={(e) => {
                const gst = gesture.current;
                gesture.current = null;
                setBrush(null);
                if (!gst) return;
                if (gst.brush && gst.moved) {
                  const a = msOf(view, Math.min(gst.x0, px(e)));
                  const b = msOf(view, Math.max(gst.x0, px(e)));
                  appStore.set((s) => ({ ...s, filters: setTimeWindow(s.filters, { from: a, to: b }) }));
                } else if (!gst.moved) {
                  setPicked(nearestMark(marks, (ms) => xOf(view, ms), yOf, px(e), py(e)));
                }
              }}
              onMouseLeave={() => {
                gesture.current = null;
                setBrush(null);
              }}
            />
            {brush && (
              <div
                className="themelines-brush"
                style={{ left: Math.min(brush.a, brush.b), width: Math.abs(brush.b - brush.a), height }}
              />
            )}
          </div>
        </div>
        <div className="small muted">
          Wheel to zoom, drag to move, shift-drag to filter the chart to a time window, click an event for its
          record.
        </div>
      </div>
      <EventRecord mark={picked} data={data} />
    </div>
  );
}

function EventRecord({ mark, data }: { mark: Mark | null; data: TimelineResponse }) {
  const [report, setReport] = useState<Report | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const reportId = mark?.event.reportId ?? null;
  useEffect(() => {
    setReport(null);
    setErr(null);
    if (!reportId) return;
    let live = true;
    timelineApi.report(reportId).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setErr((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [reportId]);
  if (!mark)
    return <aside className="event-record muted small">Click a call or sighting to see its record.</aside>;
  const e = mark.event;
  const name = (id: string): string => data.labels[id] ?? id;
  const caller = e.direction === 'incoming' ? e.toId : e.fromId;
  const callee = caller === e.fromId ? e.toId : e.fromId;
  return (
    <aside className="event-record" data-testid="event-record">
      <h4>{e.kind === 'call' ? 'Call' : 'Sighting'}</h4>
      <dl className="kv small">
        <dt>When</dt>
        <dd>{when(e.at)} UTC</dd>
        {e.kind === 'call' ? (
          <>
            <dt>{e.direction ? 'Caller' : 'Between'}</dt>
            <dd>{name(caller)}</dd>
            <dt>{e.direction ? 'Called' : 'and'}</dt>
            <dd>{name(callee)}</dd>
            <dt>Duration</dt>
            <dd>{duration(e.durationSeconds)}</dd>
          </>
        ) : (
          <>
            <dt>Seen</dt>
            <dd>{name(e.fromId)}</dd>
            <dt>At</dt>
            <dd>{e.place ?? name(e.toId)}</dd>
          </>
        )}
        {e.kind === 'call' && e.place && (
          <>
            <dt>Cell</dt>
            <dd>{e.place}</dd>
          </>
        )}
      </dl>
      {reportId ? (
        report ? (
          <ReportCard r={report} />
        ) : (
          <div className="small muted">{err ? `Report not shown: ${err}` : 'Loading the report…'}</div>
        )
      ) : (
        <div className="small muted">No report recorded for this event.</div>
      )}
    </aside>
  );
}
