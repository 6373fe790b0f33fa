// The Ranks tab: one ranking, computed by the server's engine over the chart's entities or the whole view,
// people first, every ranked entity listed (paged) with those on the chart marked, and the top N or the
// ticked ones brought onto the chart with their links. What it was computed over is said in words beside
// it, and it says when it has gone stale.
import { useEffect, useState } from 'react';
import { ENTITY_TYPES, type EntityType } from '@domain/model.ts';
import { api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { toViewFilter } from '../state/filters.ts';
import { bringOntoChart } from './bring.ts';
import {
  boundWords,
  formatScore,
  rankedRows,
  staleReasons,
  type ErrorBound,
  type RankingRun,
} from './ranking.ts';
import { rankAmong, runRanking, showRanking } from './run.ts';
import {
  describeSpec,
  MEASURES,
  PEOPLE_FIRST,
  typesInWords,
  whyDiffer,
  type AnalysisSpec,
  type Measure,
  type SharedThing,
} from './spec.ts';

const PAGE = 50;
const OPTIONS = { display: 'flex', flexWrap: 'wrap', gap: '2px 10px', margin: '4px 0' } as const;
const SHARED: SharedThing[] = ['Vehicle', 'Location', 'Event'];

/** The store's data version, asked again whenever the chart changes (a drawn entity changes the store). */
function useDataVersion(): number | null {
  const graphVersion = useApp((s) => s.graphVersion);
  const [v, setV] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    api.health().then(
      (h) => live && setV('store' in h ? h.store.dataVersion : null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [graphVersion]);
  return v;
}

export function RanksPanel() {
  const run = useApp((s) => s.ranking);
  // Busy or not, never the job's progress: a progress event must not re-render the list.
  const busy = useApp((s) => s.job !== null);
  const [spec, setSpec] = useState<AnalysisSpec>(() => run?.spec ?? PEOPLE_FIRST);
  const edit = (p: Partial<AnalysisSpec>) => setSpec((s) => ({ ...s, ...p }));
  const typeValue = spec.types.length === 1 ? spec.types[0] : '';
  const onTypes = (v: string) => {
    const types = v ? [v as EntityType] : [];
    edit({ types });
    // Ranking among other types needs no new computation: the network's scores are the same.
    if (run && !whyDiffer({ ...run.spec, types }, { ...spec, types }).length) rankAmong(types);
  };
  return (
    <div data-testid="ranks">
      <div className="row">
        <select
          data-testid="metric"
          value={spec.measure}
          onChange={(e) => edit({ measure: e.target.value as Measure })}
        >
          {MEASURES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
        <select
          data-testid="rank-scope"
          value={spec.scope}
          onChange={(e) => edit({ scope: e.target.value as AnalysisSpec['scope'] })}
          title="Over the entities on the chart, or over the whole filtered view"
        >
          <option value="view">whole view</option>
          <option value="chart">on the chart</option>
        </select>
        <button
          className="primary"
          data-testid="run-metric"
          disabled={busy}
          onClick={() => void runRanking(spec)}
        >
          Rank
        </button>
      </div>
      <div className="row">
        <label>Network</label>
        <select
          data-testid="rank-network"
          value={spec.foldPhones ? 'people' : 'entities'}
          onChange={(e) => edit({ foldPhones: e.target.value === 'people' })}
          title="People: each phone is folded into the person who uses it, so a call is contact between people"
        >
          <option value="people">people (phones folded into users)</option>
          <option value="entities">entities (phones kept)</option>
        </select>
      </div>
      <div className="small" style={OPTIONS}>
        <span className="muted" style={{ width: '100%' }}>
          {spec.foldPhones ? 'Also join people through shared' : 'Join people through shared'}
        </span>
        {SHARED.map((t) => (
          <label key={t}>
            <input
              type="checkbox"
              data-testid={`rank-via-${t}`}
              checked={spec.personVia.includes(t)}
              onChange={() =>
                edit({
                  personVia: spec.personVia.includes(t)
                    ? spec.personVia.filter((x) => x !== t)
                    : [...spec.personVia, t],
                })
              }
            />{' '}
            {t.toLowerCase()}s
          </label>
        ))}
      </div>
      <div className="small" style={OPTIONS}>
        <label title="Call counts and shared items make a link stronger: shorter for paths, more for degree">
          <input
            type="checkbox"
            data-testid="rank-weighted"
            checked={spec.weighted}
            onChange={() => edit({ weighted: !spec.weighted })}
          />{' '}
          by link strength
        </label>
        <label title="Links resting on weakly graded intelligence count for less (1A full, 3E almost nothing)">
          <input
            type="checkbox"
            data-testid="rank-grading"
            checked={spec.grading === 'weight'}
            onChange={() => edit({ grading: spec.grading === 'weight' ? 'ignore' : 'weight' })}
          />{' '}
          weak intelligence counts less
        </label>
      </div>
      <div className="row">
        <label>Rank among</label>
        <select data-testid="rank-type" value={typeValue} onChange={(e) => onTypes(e.target.value)}>
          <option value="">all entity types</option>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {typesInWords([t])}
            </option>
          ))}
        </select>
      </div>
      {!run && (
        <p className="muted">
          Rank to see who matters: the server ranks every entity of the network, the list shows them all, and
          the chart's nodes are sized by the same scores.
        </p>
      )}
      {run && <RunView run={run} controls={spec} onRerun={() => void runRanking(run.spec)} />}
    </div>
  );
}

/**
 * A sampled ranking's accuracy in words ("Sampled: top 100 separated"), the explanation in its tooltip
 * (hover) and, clicked or pressed, spelt out under the paragraph: the same words the briefing's analysis
 * record prints.
 */
function BoundNote({ bound, open, onToggle }: { bound: ErrorBound; open: boolean; onToggle: () => void }) {
  const w = boundWords(bound);
  return (
    <>
      {' '}
      <span
        className="rank-bound"
        data-testid="rank-bound"
        title={w.detail}
        role="button"
        tabIndex={0}
        aria-expanded={open}
        onClick={onToggle}
        onKeyDown={(e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          onToggle();
        }}
      >
        {w.headline}
      </span>
      .
    </>
  );
}

function RunView({
  run,
  controls,
  onRerun,
}: {
  run: RankingRun;
  controls: AnalysisSpec;
  onRerun: () => void;
}) {
  const graphVersion = useApp((s) => s.graphVersion);
  const filters = useApp((s) => s.filters);
  const selection = useApp((s) => s.selection.nodes);
  const dataVersion = useDataVersion();
  const [page, setPage] = useState(0);
  const [ticked, setTicked] = useState<string[]>([]);
  const [n, setN] = useState(10);
  const [explained, setExplained] = useState(false);
  const rows = rankedRows(run);
  useEffect(() => setPage(0), [run]);
  const stale = staleReasons(run, {
    graphVersion,
    filterKey: JSON.stringify(toViewFilter(filters)),
    dataVersion,
  });
  const differ = whyDiffer(run.spec, controls).filter((w) => !w.includes('entity types'));
  // Read on every render: graphVersion (above) re-renders the list when the chart changes.
  const onChart = new Set(rows.filter((r) => chart.graph.hasNode(r.id)).map((r) => r.id));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  const bring = async (ids: string[], label: string) => {
    await bringOntoChart(ids, { withPhones: run.spec.foldPhones }, label);
    showRanking(appStore.get().ranking ?? run);
  };
  return (
    <div>
      <p className="small" data-testid="rank-spec">
        {describeSpec(run.spec, run.facts)}
        {run.errorBound !== null && (
          <BoundNote bound={run.errorBound} open={explained} onToggle={() => setExplained((x) => !x)} />
        )}
        {run.notes.length ? ` ${run.notes.join('; ')}.` : ''}
      </p>
      {explained && run.errorBound !== null && (
        <p className="small rank-bound-detail" data-testid="rank-bound-detail">
          {boundWords(run.errorBound).detail}
        </p>
      )}
      {differ.length > 0 && (
        <p className="small conditions" data-testid="rank-differs">
          This list is from the last ranking; the settings above differ ({differ.join('; ')}). Rank again to
          see them.
        </p>
      )}
      {stale.length > 0 && (
        <div className="row small conditions" data-testid="rank-stale">
          <span>Out of date: {stale.join(', ')}.</span>
          <button data-testid="rank-rerun" onClick={onRerun}>
            Re-run
          </button>
        </div>
      )}
      <div className="row">
        <button
          data-testid="bring-top"
          onClick={() =>
            void bring(
              rows.slice(0, n).map((r) => r.id),
              `top ${n}`,
            )
          }
        >
          Bring top
        </button>
        <input
          data-testid="bring-n"
          type="number"
          min={1}
          max={200}
          value={n}
          style={{ width: 54 }}
          onChange={(e) => setN(Math.max(1, Math.min(200, Number(e.target.value) || 1)))}
        />
        <span className="small">onto the chart</span>
        <button
          data-testid="bring-ticked"
          disabled={!ticked.length}
          onClick={() => void bring(ticked, `${ticked.length} ranked`).then(() => setTicked([]))}
        >
          Bring ticked ({ticked.length})
        </button>
      </div>
      <div className="small muted" data-testid="rank-count">
        {rows.length} ranked among {typesInWords(run.spec.types)}; {onChart.size} on the chart (●).
      </div>
      <table className="grid" data-testid="rankings">
        <thead>
          <tr>
            <th />
            <th title="Rank among the entity types shown">#</th>
            <th>Entity</th>
            <th title="On the chart">●</th>
            <th>{MEASURES.find((m) => m.id === run.spec.measure)?.label}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr
              key={r.id}
              data-id={r.id}
              className={`clickable ${selection.includes(r.id) ? 'sel' : ''}`}
              onClick={() => {
                appStore.set((s) => ({ ...s, selection: { nodes: [r.id], edge: null } }));
                if (chart.graph.hasNode(r.id)) chart.focus(r.id);
              }}
            >
              <td onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  aria-label={`tick ${r.label}`}
                  checked={ticked.includes(r.id)}
                  onChange={() =>
                    setTicked((t) => (t.includes(r.id) ? t.filter((x) => x !== r.id) : [...t, r.id]))
                  }
                />
              </td>
              <td>{r.rank}</td>
              <td>
                {r.label} <span className="muted small">{r.type ?? ''}</span>
              </td>
              <td title={onChart.has(r.id) ? 'on the chart' : 'not on the chart'}>
                {onChart.has(r.id) ? '●' : ''}
              </td>
              <td className="num" data-testid="rank-score">
                {formatScore(r.score)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row small" data-testid="rank-pager">
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>
          ‹ Previous
        </button>
        <span>
          {rows.length ? page * PAGE + 1 : 0}–{Math.min(rows.length, (page + 1) * PAGE)} of {rows.length}
        </span>
        <button data-testid="rank-next" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
          Next ›
        </button>
      </div>
    </div>
  );
}
