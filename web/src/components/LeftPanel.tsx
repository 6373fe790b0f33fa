// Left panel: filters (entity and link types, minimum grading, time window with playback), layout and
// appearance controls.
import { useEffect, useMemo, useState } from 'react';
import {
  ENTITY_TYPES,
  INTEL_ASSESSMENTS,
  LINK_TYPES,
  type IntelAssessment,
  type SourceEvaluation,
} from '@domain/model.ts';
import { chart } from '../graph/controller.ts';
import { LINK_COLOURS, iconUrl } from '../graph/style.ts';
import { appStore, useApp } from '../state/hooks.ts';
import {
  playbackStep,
  setMinGrading,
  setTimeWindow,
  timeBounds,
  toggleEntityType,
  toggleLinkType,
  type EdgeFacts,
} from '../state/filters.ts';
import { setColourBy, setSizeBy } from '../state/appearance.ts';
import { applyLayout, unhideAll } from '../actions.ts';
import { BasemapPicker } from './MapTiles.tsx';
import { describeSpec, measureLabel } from '../analysis/spec.ts';

const DAY = 86_400_000;

export function LeftPanel() {
  const graphVersion = useApp((s) => s.graphVersion);
  const filters = useApp((s) => s.filters);
  const hidden = useApp((s) => s.hidden.length);
  const counts = useMemo(() => {
    void graphVersion;
    const e: Record<string, number> = {};
    const l: Record<string, number> = {};
    chart.graph.forEachNode((_n, a) => (e[a.etype as string] = (e[a.etype as string] ?? 0) + 1));
    chart.graph.forEachEdge((_e, a) => (l[a.ltype as string] = (l[a.ltype as string] ?? 0) + 1));
    return { e, l };
  }, [graphVersion]);
  const bounds = useMemo(() => {
    void graphVersion;
    const edges: EdgeFacts[] = [];
    chart.graph.forEachEdge((_e, a) => edges.push(a as unknown as EdgeFacts));
    return timeBounds(edges);
  }, [graphVersion]);

  return (
    <aside className="panel left" data-testid="left-panel">
      <div className="section">
        <h3>Entities</h3>
        <div className="typelist">
          {ENTITY_TYPES.map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={!filters.hiddenEntityTypes.includes(t)}
                onChange={() => appStore.set((s) => ({ ...s, filters: toggleEntityType(s.filters, t) }))}
              />
              <img src={iconUrl(t)} alt="" />
              {t}
              <span className="count">{counts.e[t] ?? 0}</span>
            </label>
          ))}
        </div>
        {hidden > 0 && (
          <button className="small" onClick={unhideAll}>
            Show {hidden} hidden
          </button>
        )}
      </div>
      <div className="section">
        <h3>Links</h3>
        <div className="typelist">
          {LINK_TYPES.filter((t) => counts.l[t] || filters.hiddenLinkTypes.includes(t)).map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={!filters.hiddenLinkTypes.includes(t)}
                onChange={() => appStore.set((s) => ({ ...s, filters: toggleLinkType(s.filters, t) }))}
              />
              <span className="swatch" style={{ background: LINK_COLOURS[t] }} />
              {t.toLowerCase().replace(/_/g, ' ')}
              <span className="count">{counts.l[t] ?? 0}</span>
            </label>
          ))}
          {Object.keys(counts.l).length === 0 && (
            <span className="muted small">No links on the chart yet</span>
          )}
        </div>
      </div>
      <div className="section">
        <h3>Minimum grading</h3>
        <div className="row">
          <select
            aria-label="Worst source evaluation"
            data-testid="min-source"
            value={filters.minGrading?.source ?? ''}
            onChange={(e) =>
              appStore.set((s) => ({
                ...s,
                filters: setMinGrading(
                  s.filters,
                  e.target.value
                    ? {
                        source: Number(e.target.value) as SourceEvaluation,
                        intel: s.filters.minGrading?.intel ?? 'E',
                      }
                    : null,
                ),
              }))
            }
          >
            <option value="">any source</option>
            <option value="1">1 reliable</option>
            <option value="2">1–2</option>
            <option value="3">1–3</option>
          </select>
          <select
            aria-label="Worst intelligence assessment"
            value={filters.minGrading?.intel ?? ''}
            onChange={(e) =>
              appStore.set((s) => ({
                ...s,
                filters: setMinGrading(
                  s.filters,
                  e.target.value
                    ? { source: s.filters.minGrading?.source ?? 3, intel: e.target.value as IntelAssessment }
                    : null,
                ),
              }))
            }
          >
            <option value="">any assessment</option>
            {INTEL_ASSESSMENTS.map((i) => (
              <option key={i} value={i}>
                A{i === 'A' ? '' : `–${i}`}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TimeFilter bounds={bounds} />
      <LayoutControls />
      <Appearance />
    </aside>
  );
}

function TimeFilter({ bounds }: { bounds: { min: number; max: number } | null }) {
  const time = useApp((s) => s.filters.time);
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing || !bounds) return;
    const step = Math.max(DAY, (bounds.max - bounds.min) / 40);
    const t = setInterval(() => {
      appStore.set((s) => ({ ...s, filters: playbackStep(s.filters, bounds, step) }));
    }, 350);
    return () => clearInterval(t);
  }, [playing, bounds]);
  if (!bounds) return null;
  const from = time?.from ?? bounds.min;
  const to = time?.to ?? bounds.max;
  // The sliders move in whole UTC days: day i starts at first + i days. Stepping a day at a time from the
  // earliest link's own time could not reach the latest link (a window of under two days left the end
  // thumb half-way, and moving it cut the last day off).
  const first = Math.floor(bounds.min / DAY) * DAY;
  const lastDay = Math.floor((bounds.max - first) / DAY);
  const dayOf = (t: number): number => Math.min(lastDay, Math.max(0, Math.floor((t - first) / DAY)));
  const fmt = (t: number): string => new Date(t).toISOString().slice(0, 10);
  const set = (f: number, t: number): void =>
    appStore.set((s) => ({ ...s, filters: setTimeWindow(s.filters, { from: f, to: t }) }));
  return (
    <div className="section">
      <h3>
        Time window
        {time && (
          <button
            className="small"
            onClick={() => appStore.set((s) => ({ ...s, filters: setTimeWindow(s.filters, null) }))}
          >
            all
          </button>
        )}
      </h3>
      <div className="small muted">
        {fmt(from)} → {fmt(to)}
      </div>
      <input
        type="range"
        aria-label="From"
        style={{ width: '100%' }}
        min={0}
        max={lastDay}
        step={1}
        value={dayOf(from)}
        onChange={(e) => set(first + Number(e.target.value) * DAY, to)}
      />
      <input
        type="range"
        aria-label="To"
        style={{ width: '100%' }}
        min={0}
        max={lastDay}
        step={1}
        value={dayOf(to)}
        // The end of the chosen day, so its links stay in.
        onChange={(e) => set(from, first + (Number(e.target.value) + 1) * DAY - 1)}
      />
      <button data-testid="play" onClick={() => setPlaying(!playing)}>
        {playing ? '❚❚ Pause' : '▶ Play over time'}
      </button>
    </div>
  );
}

function LayoutControls() {
  const [running, setRunning] = useState(false);
  useEffect(() => {
    const t = setInterval(() => setRunning(chart.isLayoutRunning()), 500);
    return () => clearInterval(t);
  }, []);
  return (
    <div className="section">
      <h3>Layout</h3>
      <div className="row">
        <button
          data-testid="fa2"
          className={running ? 'on' : ''}
          onClick={() => {
            if (chart.isLayoutRunning()) chart.stopLayout();
            else chart.startLayout();
            setRunning(chart.isLayoutRunning());
          }}
        >
          {running ? '■ Stop forces' : '▶ Force layout'}
        </button>
        <button onClick={() => applyLayout('circular')}>Circle</button>
        <button onClick={() => applyLayout('grouped')}>By community</button>
        <button data-testid="map-layout" onClick={() => applyLayout('map')}>
          Map
        </button>
      </div>
      <BasemapPicker />
    </div>
  );
}

function Appearance() {
  const a = useApp((s) => s.appearance);
  const ranking = useApp((s) => s.ranking);
  const metricNames = Object.keys(a.metrics);
  return (
    <div className="section">
      <h3>Appearance</h3>
      <div className="row">
        <label>Size by</label>
        <select
          data-testid="size-by"
          value={a.sizeBy ?? ''}
          onChange={(e) =>
            appStore.set((s) => ({ ...s, appearance: setSizeBy(s.appearance, e.target.value || null) }))
          }
        >
          <option value="">(uniform)</option>
          {metricNames.map((m) => (
            <option key={m} value={m}>
              {measureLabel(m)}
            </option>
          ))}
        </select>
      </div>
      {ranking && a.sizeBy === ranking.metric && (
        <div className="small muted" data-testid="size-spec">
          Sized by {describeSpec(ranking.spec, ranking.facts)}
        </div>
      )}
      <div className="row">
        <label>Colour by</label>
        <select
          value={a.colourBy}
          onChange={(e) =>
            appStore.set((s) => ({
              ...s,
              appearance: setColourBy(s.appearance, e.target.value as 'type' | 'community'),
            }))
          }
        >
          <option value="type">entity type</option>
          <option value="community" disabled={!a.communities}>
            community
          </option>
        </select>
      </div>
      <label className="row">
        <input
          type="checkbox"
          checked={a.showLabels}
          onChange={() =>
            appStore.set((s) => ({
              ...s,
              appearance: { ...s.appearance, showLabels: !s.appearance.showLabels },
            }))
          }
        />
        Labels
      </label>
    </div>
  );
}
