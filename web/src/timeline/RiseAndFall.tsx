// Who rose and fell: a measure of each person in the person network (phones folded into their users) for
// every month (or week, or quarter) of the chart's dated span, from ONE server job ("windows": each
// window's network built from the calls inside it; server/analysis/windows.ts). Drawn as small multiples
// (a small chart per person on one shared scale) or a line per person; the people drawn are each window's
// top K and those selected on the chart. Clicking a person selects them on the chart (bringing them onto
// it when they are not there).
import { useEffect, useRef, useState } from 'react';
import type { EdgeFacts } from '../state/filters.ts';
import { timeBounds, toViewFilter } from '../state/filters.ts';
import { runJobOver, type JobHandle, type JobRequest } from '../api/analysis.ts';
import { chart } from '../graph/controller.ts';
import { appStore } from '../state/hooks.ts';
import { bringOntoChart } from '../analysis/bring.ts';
import { LinePerPerson, SmallMultiples } from '../analysis/RiseCharts.tsx';
import { riseRange, scoreText, sharedTop, type RiseLine, type RiseResult } from '../analysis/rise.ts';
import '../analysis/rise.css';
import { lineColour } from './ThemeLines.tsx';

type Step = 'month' | 'week' | 'quarter';
const MEASURES = [
  ['betweenness', 'Betweenness'],
  ['degree', 'Contacts'],
  ['weightedDegree', 'Calls (weighted)'],
] as const;
type Measure = (typeof MEASURES)[number][0];
const STEP_WORD: Record<Step, string> = {
  month: 'Month by month',
  week: 'Week by week',
  quarter: 'Quarter by quarter',
};

export function RiseAndFall({ selected }: { selected: string[] }) {
  const [measure, setMeasure] = useState<Measure>('betweenness');
  const [step, setStep] = useState<Step>('month');
  const [top, setTop] = useState(5);
  const [mode, setMode] = useState<'multiples' | 'lines'>('multiples');
  const [result, setResult] = useState<{
    r: RiseResult;
    measure: string;
    cut: string | null;
    followed: string[];
  } | null>(null);
  /** With people followed, their lines only, unless the analyst asks for each window's top K too. */
  const [withTop, setWithTop] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const job = useRef<JobHandle<RiseResult> | null>(null);
  // The line chart takes the width the panel has (the dock is as wide as the chart column).
  const main = useRef<HTMLDivElement | null>(null);
  const [mainWidth, setMainWidth] = useState(560);
  useEffect(() => {
    const el = main.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setMainWidth(el.clientWidth));
    ro.observe(el);
    setMainWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [result]);
  const people = selected.filter(
    (n) => chart.graph.hasNode(n) && chart.graph.getNodeAttribute(n, 'etype') === 'Person',
  );
  const chosen = new Set(selected);

  const run = async (): Promise<void> => {
    const edges: EdgeFacts[] = [];
    chart.graph.forEachEdge((_e, a) => edges.push(a as unknown as EdgeFacts));
    const range = riseRange(timeBounds(edges), step);
    if (!range) return setErr('Nothing on the chart is dated, so there are no windows to compare.');
    setErr(null);
    setResult(null);
    setProgress('starting');
    const label = MEASURES.find(([m]) => m === measure)![1];
    try {
      const req: JobRequest = {
        kind: 'windows',
        metric: measure,
        step,
        from: range.from,
        to: range.to,
        top,
        follow: people,
      };
      const h = await runJobOver<RiseResult>(
        req,
        {
          view: {
            filter: toViewFilter({ ...appStore.get().filters, time: null }),
            projection: { foldPhones: true, personVia: [], maxSharers: 200 },
            grading: 'ignore',
            directed: false,
          },
        },
        (p) =>
          setProgress(p.message && p.message !== 'queued' ? p.message : `${Math.round(p.progress * 100)}%`),
      );
      job.current = h;
      const r = await h.result;
      setResult({
        r,
        measure: label,
        cut: range.cut ? `the latest ${range.windows} ${step}s of the chart's dated span` : null,
        followed: people,
      });
    } catch (e) {
      const m = (e as Error).message;
      setErr(m === 'cancelled' ? 'Stopped: no result.' : m);
    } finally {
      job.current = null;
      setProgress(null);
    }
  };

  const pick = async (line: RiseLine): Promise<void> => {
    if (chart.graph.hasNode(line.id)) {
      appStore.set((s) => ({ ...s, selection: { nodes: [line.id], edge: null } }));
      chart.focus(line.id);
    } else await bringOntoChart([line.id], { withPhones: true }, line.label);
  };

  const labels = result?.r.windows.map((w) => w.label) ?? [];
  const followed = new Set(result?.followed ?? []);
  const shown = result
    ? followed.size && !withTop
      ? result.r.lines.filter((l) => followed.has(l.id))
      : result.r.lines
    : [];
  const shared = result
    ? {
        lines: shown,
        labels,
        top: sharedTop(shown),
        colour: lineColour,
        selected: chosen,
        onPick: (l: RiseLine) => void pick(l),
        measure: result.measure,
      }
    : null;
  return (
    <div className="rise" data-testid="rise">
      <div className="row rise-controls">
        <select
          data-testid="rise-measure"
          value={measure}
          onChange={(e) => setMeasure(e.target.value as Measure)}
        >
          {MEASURES.map(([m, l]) => (
            <option key={m} value={m}>
              {l}
            </option>
          ))}
        </select>
        <select data-testid="rise-step" value={step} onChange={(e) => setStep(e.target.value as Step)}>
          <option value="week">weekly</option>
          <option value="month">monthly</option>
          <option value="quarter">quarterly</option>
        </select>
        <label className="small">
          top{' '}
          <select data-testid="rise-top" value={top} onChange={(e) => setTop(Number(e.target.value))}>
            {[3, 5, 10].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>{' '}
          of each
        </label>
        <button
          className="primary"
          data-testid="rise-run"
          disabled={progress !== null}
          onClick={() => void run()}
        >
          {STEP_WORD[step]}
        </button>
        {progress !== null && (
          <>
            <span className="small muted" data-testid="rise-progress">
              Working on {progress}…
            </span>
            <button className="small" onClick={() => void job.current?.cancel()}>
              Stop
            </button>
          </>
        )}
        {progress === null && !result && (
          <span className="small muted">
            {people.length
              ? `for the ${people.length} selected people (and each ${step}'s top ${top} on request)`
              : `each ${step}'s top ${top} people; select people to follow them too`}
          </span>
        )}
        {result && (
          <span className="rise-mode" role="group" aria-label="Drawing">
            <button
              className={`small${mode === 'multiples' ? ' active' : ''}`}
              data-testid="rise-mode-multiples"
              aria-pressed={mode === 'multiples'}
              onClick={() => setMode('multiples')}
            >
              Small multiples
            </button>
            <button
              className={`small${mode === 'lines' ? ' active' : ''}`}
              data-testid="rise-mode-lines"
              aria-pressed={mode === 'lines'}
              onClick={() => setMode('lines')}
            >
              Line per person
            </button>
          </span>
        )}
      </div>
      {err && <div className="toast error">{err}</div>}
      {result && shared && (
        <div className="rise-result">
          <div className="rise-main" ref={main}>
            <div className="small muted rise-about" data-testid="rise-about">
              {result.measure}, {labels.length} {result.r.record.step as string}s {labels[0]} to{' '}
              {labels.at(-1)}
              {result.cut ? ` (${result.cut})` : ''}, each from the calls inside it, on one scale;{' '}
              {followed.size && !withTop
                ? `the ${shown.length} selected people`
                : `each ${result.r.record.step as string}'s top ${top}${followed.size ? ' and the selected' : ''}`}
              . Click a person to select them on the chart.{' '}
              {followed.size > 0 && (
                <label>
                  <input
                    type="checkbox"
                    data-testid="rise-with-top"
                    checked={withTop}
                    onChange={(e) => setWithTop(e.target.checked)}
                  />{' '}
                  with each {result.r.record.step as string}&apos;s top {top}
                </label>
              )}
            </div>
            {mode === 'multiples' ? (
              <SmallMultiples {...shared} />
            ) : (
              <LinePerPerson {...shared} width={Math.max(280, mainWidth - 150)} />
            )}
          </div>
          <table className="rise-changes small" data-testid="rise-table">
            <thead>
              <tr>
                <th colSpan={3}>
                  {labels[0]} → {labels.at(-1)}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th colSpan={3}>Rose most</th>
              </tr>
              {result.r.rose.slice(0, 5).map((c) => (
                <tr key={`r${c.id}`}>
                  <td>{c.label}</td>
                  <td>+{scoreText(c.rise)}</td>
                  <td className="muted">
                    #{c.rankBefore} → #{c.rankAfter}
                  </td>
                </tr>
              ))}
              {result.r.rose.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    nobody
                  </td>
                </tr>
              )}
              <tr>
                <th colSpan={3}>Fell most</th>
              </tr>
              {result.r.fell.slice(0, 5).map((c) => (
                <tr key={`f${c.id}`}>
                  <td>{c.label}</td>
                  <td>{scoreText(c.rise)}</td>
                  <td className="muted">
                    #{c.rankBefore} → #{c.rankAfter}
                  </td>
                </tr>
              ))}
              {result.r.fell.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted">
                    nobody
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
