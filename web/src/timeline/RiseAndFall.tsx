// Who rose and fell: betweenness of each person in the person network (phones folded into their users)
// for every month of the chart's time span, one server analysis job per month through the same job API as
// the Ranks panel, drawn as a line per person. With people selected, their lines; otherwise the six with
// the highest peak.
import { useState } from 'react';
import type { EdgeFacts } from '../state/filters.ts';
import { timeBounds, toViewFilter } from '../state/filters.ts';
import { runJobOver } from '../api/analysis.ts';
import { chart } from '../graph/controller.ts';
import { appStore } from '../state/hooks.ts';
import { LineChart } from '../components/LineChart.tsx';
import { lineColour } from './ThemeLines.tsx';
import { monthWindows, trajectories, type Trajectory, type Window } from './windows.ts';

type Scores = Array<{ id: string; label: string; score: number }>;

export function RiseAndFall({ selected }: { selected: string[] }) {
  const [windows, setWindows] = useState<Window[] | null>(null);
  const [lines, setLines] = useState<Trajectory[] | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const people = selected.filter(
    (n) => chart.graph.hasNode(n) && chart.graph.getNodeAttribute(n, 'etype') === 'Person',
  );

  const run = async (): Promise<void> => {
    const edges: EdgeFacts[] = [];
    chart.graph.forEachEdge((_e, a) => edges.push(a as unknown as EdgeFacts));
    const span = timeBounds(edges);
    if (!span) return setErr('Nothing on the chart is dated, so there are no months to compare.');
    const ws = monthWindows(span.min, span.max);
    setErr(null);
    setLines(null);
    setWindows(ws);
    const base = toViewFilter({ ...appStore.get().filters, time: null });
    const per: Scores[] = [];
    try {
      for (const [i, w] of ws.entries()) {
        setProgress(`${w.label} (${i + 1} of ${ws.length})`);
        const h = await runJobOver<{ scores: Scores }>(
          { kind: 'metric', metric: 'betweenness' },
          {
            view: {
              filter: { ...base, from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() },
              projection: { foldPhones: true, personVia: [], maxSharers: 200 },
              grading: 'ignore',
              directed: false,
            },
          },
          () => undefined,
        );
        per.push((await h.result).scores);
      }
      setLines(trajectories(per, 6, people.length ? new Set(people) : undefined));
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setProgress(null);
    }
  };

  const top = lines ? Math.max(1e-12, ...lines.map((l) => l.peak)) : 1;
  return (
    <div className="rise" data-testid="rise">
      <div className="row">
        <button
          className="primary"
          data-testid="rise-run"
          disabled={progress !== null}
          onClick={() => void run()}
        >
          Betweenness month by month
        </button>
        <span className="small muted">
          {progress
            ? `Working on ${progress}…`
            : people.length
              ? `for the ${people.length} selected people`
              : 'for the six people who peak highest; select people to follow them instead'}
        </span>
      </div>
      {err && <div className="toast error">{err}</div>}
      {lines && windows && (
        <div className="rise-result">
          <LineChart
            testId="rise-chart"
            width={460}
            height={170}
            series={lines.map((l, i) => ({
              name: l.label,
              values: l.scores.map((s) => s / top),
              colour: lineColour(i),
              labels: windows.map((w) => w.label),
            }))}
            xLabel="month"
            yLabel="betweenness (share of the highest)"
          />
          <table className="around-table small" data-testid="rise-table">
            <thead>
              <tr>
                <th>Person</th>
                <th>Peak month</th>
                <th>Peak</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={l.id}>
                  <td style={{ color: lineColour(i) }}>{l.label}</td>
                  <td>{windows[l.scores.indexOf(l.peak)]?.label ?? '—'}</td>
                  <td>{l.peak.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
