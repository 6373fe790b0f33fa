// The chart stage: mounts sigma once, and overlays the empty state, the lasso, map tiles, the legend,
// zoom buttons and the status line (progress, notices, errors) on top of it.
import { useEffect, useRef } from 'react';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { cancelJob, loadDemo, startFromCentral } from '../actions.ts';
import { MapLayers } from './MapTiles.tsx';
import { Legend } from './Legend.tsx';

export function ChartView() {
  const ref = useRef<HTMLDivElement>(null);
  const lassoRef = useRef<SVGSVGElement>(null);
  const graphVersion = useApp((s) => s.graphVersion);
  const lasso = useApp((s) => s.lasso);
  const mapMode = useApp((s) => s.mapMode);

  useEffect(() => {
    if (!ref.current) return;
    chart.mount(ref.current);
    chart.lassoSvg = lassoRef.current;
    const stage = ref.current.parentElement!;
    chart.labelObstacles = () => [
      ...stage.querySelectorAll<HTMLElement>('[data-testid=legend], .toolbar-float'),
    ];
    chart.fitObstacles = () => stage.querySelector<HTMLElement>('[data-testid=legend]');
    return () => chart.destroy();
  }, []);

  const empty = chart.graph.order === 0;
  void graphVersion;

  return (
    <div className="stage" style={{ cursor: lasso ? 'crosshair' : undefined }}>
      {mapMode && <MapLayers />}
      <div className="sigma-container" ref={ref} data-testid="chart" />
      <svg className="lasso" ref={lassoRef} />
      {empty && <EmptyState />}
      <Status />
      {!empty && <Legend />}
      <div className="toolbar-float">
        <button title="Zoom in" onClick={() => void chart.sigma?.getCamera().animatedZoom({ duration: 200 })}>
          +
        </button>
        <button
          title="Zoom out"
          onClick={() => void chart.sigma?.getCamera().animatedUnzoom({ duration: 200 })}
        >
          −
        </button>
        <button title="Fit to screen (f)" onClick={() => chart.fit()}>
          ⤢
        </button>
      </div>
    </div>
  );
}

function EmptyState() {
  const busy = useApp((s) => s.job !== null);
  return (
    <div className="empty" data-testid="empty-state">
      <div className="card">
        <h2>Start a chart</h2>
        <p className="muted">The chart is empty. To begin:</p>
        <ol>
          <li>
            <b>Load the demo network</b> (a synthetic organised-crime network) or start from the{' '}
            <b>most central people</b> in your data,
          </li>
          <li>
            or <b>search</b> for a person, phone or vehicle in the box at the top (press <kbd>/</kbd>),
          </li>
          <li>
            then select an entity to see its intelligence, and press <kbd>e</kbd> to expand it.
          </li>
        </ol>
        <div className="actions">
          <button className="primary" data-testid="load-demo" disabled={busy} onClick={() => void loadDemo()}>
            Load demo network
          </button>
          <button data-testid="start-central" disabled={busy} onClick={() => void startFromCentral()}>
            Start from the most central people
          </button>
        </div>
      </div>
    </div>
  );
}

function Status() {
  const job = useApp((s) => s.job);
  const error = useApp((s) => s.error);
  const notice = useApp((s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => appStore.set((s) => (s.notice === notice ? { ...s, notice: null } : s)), 4000);
    return () => clearTimeout(t);
  }, [notice]);
  return (
    <div className="status">
      {job && (
        <div className="toast" data-testid="job">
          <span>{job.label}…</span>
          <div className={`progress ${job.progress < 0 ? 'indeterminate' : ''}`}>
            <div style={{ width: `${Math.max(0, Math.min(1, job.progress)) * 100}%` }} />
          </div>
          {job.message && <span className="small">{job.message}</span>}
          {job.id && (
            <button title="Cancel" data-testid="cancel-job" onClick={() => void cancelJob()}>
              Cancel
            </button>
          )}
        </div>
      )}
      {error && (
        <div className="toast error" role="alert" data-testid="error">
          <span>{error}</span>
          <button title="Dismiss" onClick={() => appStore.set((s) => ({ ...s, error: null }))}>
            ✕
          </button>
        </div>
      )}
      {notice && !error && (
        <div className="toast" data-testid="notice">
          {notice}
        </div>
      )}
    </div>
  );
}
