// The disruption lab (right panel, "Disrupt"): strategies compared on the person-level network of the whole
// view (server job 'lab': server/jobs/lab-request.ts), with each plan's curves, the people it removes, the
// fragments it leaves drawn on the chart, the recovery the network may make and how often the plan stays
// the best when the picture is incomplete. Below it, the quick what-if on the chart alone.
import { useState } from 'react';
import { api } from '../api/client.ts';
import { METRICS, runJob, type JobHandle } from '../api/analysis.ts';
import { chart } from '../graph/controller.ts';
import { appStore, useApp } from '../state/hooks.ts';
import type { DisruptionStep } from '../state/app.ts';
import { toViewFilter } from '../state/filters.ts';
import { createStore, useStore } from '../state/store.ts';
import { clearDisruption, fail, runDisruption, runServerDisruption } from '../actions.ts';
import { labelOf } from './DetailsTab.tsx';
import { LineChart } from './LineChart.tsx';
import './DisruptionLab.css';

interface Named {
  id: string;
  label: string;
}
interface Interval {
  point: number;
  low: number;
  high: number;
}
interface CurvePoint {
  step: number;
  removed: Named | null;
  lccShare: number;
  components: number;
  pairwiseConnectivity: number;
  fragmentation: number;
  efficiency: number;
}
interface LabPlan {
  name: string;
  kind: string;
  removed: Named[];
  curve: CurvePoint[];
  keyPlayer: { method: string; optimal: boolean; restarts: number; restartsAtBest: number } | null;
  fragments: Record<string, number>;
  fragmentCount: number;
  recovery: {
    parameters: { runs: number; pRecover: number };
    damageSurviving: Interval | null;
    pairwiseConnectivity: { intact: number; afterRemoval: number; recovered: Interval };
    successors: Array<Named & { share: number; rise: number; targetNeighbour: boolean }>;
  } | null;
}
interface LabResult {
  k: number;
  nodes: number;
  links: number;
  isolated: number;
  eligible: number;
  plans: LabPlan[];
  robustness: {
    resamples: number;
    dropShare: number;
    addShare: number;
    plans: Array<{ name: string; bestShare: number; score: Interval }>;
  } | null;
}

const MEASURES = [
  ['pairwiseConnectivity', 'pairs still connected'],
  ['lccShare', 'largest group'],
  ['fragmentation', 'fragmentation'],
  ['efficiency', 'efficiency'],
] as const;
type Measure = (typeof MEASURES)[number][0];
const PLAN_COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The plan's fragments on the chart. The lab runs with phones folded into their users, so a phone on the
 * chart takes its user's fragment (or is drawn removed with them).
 */
function showFragments(plan: LabPlan): void {
  const fragments: Record<string, number> = { ...plan.fragments };
  const removed = plan.removed.map((r) => r.id);
  const gone = new Set(removed);
  chart.graph.forEachNode((n, a) => {
    if (a.etype !== 'Phone') return;
    chart.graph.forEachEdge(n, (_e, ea, s, t) => {
      if (ea.ltype !== 'USES' && ea.ltype !== 'OWNS') return;
      const user = s === n ? t : s;
      if (gone.has(user)) removed.push(n);
      else if (fragments[user] !== undefined) fragments[n] = fragments[user];
    });
  });
  const steps: DisruptionStep[] = plan.curve.map((c) => ({
    removed: c.removed ? c.removed.label : null,
    lccShare: c.lccShare,
    components: c.components,
  }));
  labShown = { steps, fragments, removed };
  const shownState = labShown;
  appStore.set((s) => ({ ...s, disruption: shownState }));
}

/** The chart state the lab last drew, so the quick what-if does not list the lab's plan as its own. */
let labShown: { steps: DisruptionStep[]; fragments: Record<string, number>; removed: string[] } | null = null;

/**
 * A chart entity as the person-level network has it: a phone is folded into the person with the strongest
 * USES or OWNS link to it (as server/analysis/view.ts folds it; the first on a tie), everything else is itself.
 */
function personLevel(id: string): string[] {
  if (!chart.graph.hasNode(id) || chart.graph.getNodeAttribute(id, 'etype') !== 'Phone') return [id];
  let best: { user: string; w: number } | null = null;
  chart.graph.forEachEdge(id, (_e, a, s, t) => {
    if ((a.ltype === 'USES' || a.ltype === 'OWNS') && t === id && (!best || a.weight > best.w))
      best = { user: s, w: a.weight };
  });
  const found = best as { user: string; w: number } | null;
  return [found ? found.user : id];
}

function Chips(props: { ids: string[]; onDrop: (id: string) => void; testId: string }) {
  if (!props.ids.length) return <span className="muted small">nobody</span>;
  return (
    <span className="chips" data-testid={props.testId}>
      {props.ids.map((id) => (
        <span key={id} className="chip">
          {labelOf(id)}
          <button aria-label={`drop ${labelOf(id)}`} onClick={() => props.onDrop(id)}>
            ×
          </button>
        </span>
      ))}
    </span>
  );
}

interface Running {
  progress: number;
  phase: string;
  handle: JobHandle<LabResult> | null;
}
/**
 * The lab's settings and last result live outside the component: picking people on the chart switches the
 * panel to Details, and coming back must find the lab as it was (and a running comparison still running).
 */
interface LabState {
  k: number;
  useTopk: boolean;
  topkMetric: string;
  useSeq: boolean;
  seqMetric: string;
  useKp: boolean;
  own: string[];
  peopleOnly: boolean;
  mustKeep: string[];
  mustRemove: string[];
  running: Running | null;
  result: LabResult | null;
  shown: number;
  measure: Measure;
  note: string | null;
}
const labStore = createStore<LabState>({
  k: 5,
  useTopk: true,
  topkMetric: 'betweenness',
  useSeq: true,
  seqMetric: 'betweenness',
  useKp: true,
  own: [],
  peopleOnly: true,
  mustKeep: [],
  mustRemove: [],
  running: null,
  result: null,
  shown: 0,
  measure: 'pairwiseConnectivity',
  note: null,
});

function useLabField<K extends keyof LabState>(
  key: K,
): [LabState[K], (v: LabState[K] | ((old: LabState[K]) => LabState[K])) => void] {
  const value = useStore(labStore, (s) => s[key]);
  const set = (v: LabState[K] | ((old: LabState[K]) => LabState[K])) =>
    labStore.set((s) => ({
      ...s,
      [key]: typeof v === 'function' ? (v as (old: LabState[K]) => LabState[K])(s[key]) : v,
    }));
  return [value, set];
}

export function DisruptionLab() {
  const selection = useApp((s) => s.selection.nodes);
  const [k, setK] = useLabField('k');
  const [useTopk, setUseTopk] = useLabField('useTopk');
  const [topkMetric, setTopkMetric] = useLabField('topkMetric');
  const [useSeq, setUseSeq] = useLabField('useSeq');
  const [seqMetric, setSeqMetric] = useLabField('seqMetric');
  const [useKp, setUseKp] = useLabField('useKp');
  const [own, setOwn] = useLabField('own');
  const [peopleOnly, setPeopleOnly] = useLabField('peopleOnly');
  const [mustKeep, setMustKeep] = useLabField('mustKeep');
  const [mustRemove, setMustRemove] = useLabField('mustRemove');
  const [running, setRunning] = useLabField('running');
  const [result, setResult] = useLabField('result');
  const [shown, setShown] = useLabField('shown');
  const [measure, setMeasure] = useLabField('measure');
  const [note, setNote] = useLabField('note');

  const addFromSelection = (list: string[], set: (x: string[]) => void, others: string[][]) => {
    const taken = new Set(others.flat());
    const picked = [...new Set(selection.flatMap(personLevel))];
    set([...list, ...picked.filter((id) => !list.includes(id) && !taken.has(id))]);
  };

  const run = async () => {
    const plans: Array<Record<string, unknown>> = [];
    if (useTopk) plans.push({ kind: 'topk', metric: topkMetric });
    if (useSeq) plans.push({ kind: 'sequential', metric: seqMetric });
    if (useKp) plans.push({ kind: 'keyPlayer' });
    if (own.length) plans.push({ kind: 'own', targets: own });
    if (!plans.length) return setNote('Choose at least one strategy.');
    setNote(null);
    setRunning({ progress: 0, phase: 'starting', handle: null });
    try {
      const filter = toViewFilter(appStore.get().filters);
      let eligible: string[] | undefined;
      if (peopleOnly) {
        // Every person in the store, not only those on the chart: the lab runs on the whole view.
        const people = await api.view({ entityTypes: ['Person'] }, 100_000);
        eligible = people.nodes.filter((e) => e.type === 'Person').map((e) => e.id);
        if (people.truncated)
          setNote('More people than one request lists: only the first ones may be removed.');
      }
      const h = await runJob<LabResult>(
        { kind: 'lab', k, plans, mustKeep, mustRemove, ...(eligible ? { eligible } : {}) },
        filter,
        (p) => setRunning((r) => (r ? { ...r, progress: p.progress, phase: p.message ?? '' } : r)),
        { foldPhones: true },
      );
      setRunning((r) => (r ? { ...r, handle: h } : r));
      const r = await h.result;
      setResult(r);
      setShown(0);
      if (r.plans.length) showFragments(r.plans[0]);
    } catch (e) {
      if (e instanceof Error && e.message === 'cancelled') setNote('Cancelled.');
      else fail(e);
    } finally {
      setRunning(null);
    }
  };

  const plan = result?.plans[shown] ?? null;
  return (
    <div className="lab" data-testid="disruption-lab">
      <p className="small muted">
        Compare ways of choosing whom to remove, on the person-level network of the whole view (phones folded
        into their users). Each curve shows what is left after each removal.
      </p>
      <div className="row">
        <label>Remove</label>
        <input
          type="number"
          min={1}
          max={50}
          value={k}
          data-testid="lab-k"
          style={{ width: 54 }}
          onChange={(e) => setK(Number(e.target.value))}
        />
        <span className="small">{peopleOnly ? 'people' : 'entities'}</span>
      </div>
      <fieldset className="lab-strategies">
        <legend>Strategies</legend>
        <label>
          <input type="checkbox" checked={useTopk} onChange={(e) => setUseTopk(e.target.checked)} /> top k at
          once by
        </label>
        <MetricSelect value={topkMetric} onChange={setTopkMetric} />
        <label>
          <input type="checkbox" checked={useSeq} onChange={(e) => setUseSeq(e.target.checked)} /> one at a
          time, recomputing
        </label>
        <MetricSelect value={seqMetric} onChange={setSeqMetric} />
        <label className="wide">
          <input type="checkbox" checked={useKp} onChange={(e) => setUseKp(e.target.checked)} /> key player
          (the set that fragments most)
        </label>
        <div className="wide lab-pick">
          <span>Own set:</span>
          <Chips ids={own} onDrop={(id) => setOwn(own.filter((x) => x !== id))} testId="lab-own" />
          <button
            data-testid="lab-own-add"
            disabled={!selection.length}
            onClick={() => addFromSelection(own, setOwn, [])}
          >
            + selected
          </button>
        </div>
      </fieldset>
      <label className="small">
        <input
          type="checkbox"
          checked={peopleOnly}
          data-testid="lab-people-only"
          onChange={(e) => setPeopleOnly(e.target.checked)}
        />{' '}
        remove people only
      </label>
      <div className="lab-pick">
        <span>Never remove:</span>
        <Chips
          ids={mustKeep}
          onDrop={(id) => setMustKeep(mustKeep.filter((x) => x !== id))}
          testId="lab-keep"
        />
        <button
          data-testid="lab-keep-add"
          disabled={!selection.length}
          onClick={() => addFromSelection(mustKeep, setMustKeep, [mustRemove])}
        >
          + selected
        </button>
      </div>
      <div className="lab-pick">
        <span>Always remove:</span>
        <Chips
          ids={mustRemove}
          onDrop={(id) => setMustRemove(mustRemove.filter((x) => x !== id))}
          testId="lab-must-remove"
        />
        <button
          data-testid="lab-remove-add"
          disabled={!selection.length}
          onClick={() => addFromSelection(mustRemove, setMustRemove, [mustKeep])}
        >
          + selected
        </button>
      </div>
      <div className="row">
        <button className="primary" data-testid="lab-run" disabled={!!running} onClick={() => void run()}>
          Compare
        </button>
        {running && (
          <>
            <progress max={1} value={running.progress} data-testid="lab-progress" />
            <button data-testid="lab-cancel" onClick={() => void running.handle?.cancel()}>
              Cancel
            </button>
          </>
        )}
        {result && !running && (
          <button
            onClick={() => {
              setResult(null);
              clearDisruption();
            }}
          >
            Clear
          </button>
        )}
      </div>
      {running && <div className="small muted">{running.phase}</div>}
      {note && <div className="small muted">{note}</div>}
      {result && (
        <LabResultView
          result={result}
          shown={shown}
          measure={measure}
          setMeasure={setMeasure}
          onShow={(i) => {
            setShown(i);
            showFragments(result.plans[i]);
          }}
        />
      )}
      {plan && <RecoveryView plan={plan} />}
      {result?.robustness && <RobustnessView r={result.robustness} />}
      {result && (
        <p className="small muted" data-testid="lab-cycle-note">
          The Cycle page's prediction uses the same person-level network (undirected, parallel links
          collapsed, phones folded) but only the entities linked in its time window
          {result.isolated > 0
            ? `; this view also holds ${result.isolated} unlinked ${result.isolated === 1 ? 'entity, which counts' : 'entities, which count'} here in the pairs`
            : ''}
          . Where its numbers differ from these, that window is why.
        </p>
      )}
      <QuickWhatIf />
    </div>
  );
}

function MetricSelect(props: { value: string; onChange: (v: string) => void }) {
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {METRICS.map((m) => (
        <option key={m.id} value={m.id}>
          {m.label}
        </option>
      ))}
    </select>
  );
}

function LabResultView(props: {
  result: LabResult;
  shown: number;
  measure: Measure;
  setMeasure: (m: Measure) => void;
  onShow: (i: number) => void;
}) {
  const { result, shown, measure } = props;
  return (
    <div data-testid="lab-result">
      <div className="row">
        <label>Curve</label>
        <select
          value={measure}
          data-testid="lab-measure"
          onChange={(e) => props.setMeasure(e.target.value as Measure)}
        >
          {MEASURES.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <LineChart
        testId="lab-chart"
        yLabel={MEASURES.find(([id]) => id === measure)![1]}
        xLabel="people removed"
        series={result.plans.map((p, i) => ({
          name: p.name,
          colour: PLAN_COLOURS[i % PLAN_COLOURS.length],
          values: p.curve.map((c) => c[measure]),
          labels: p.curve.map((c) => (c.removed ? `without ${c.removed.label}` : 'before')),
        }))}
      />
      <ol className="lab-plans" data-testid="lab-plans">
        {result.plans.map((p, i) => {
          const last = p.curve[p.curve.length - 1];
          return (
            <li key={p.name} className={i === shown ? 'shown' : ''} data-testid={`lab-plan-${i}`}>
              <button
                className="lab-plan-name"
                onClick={() => props.onShow(i)}
                title="Draw its fragments on the chart"
              >
                <span className="swatch" style={{ background: PLAN_COLOURS[i % PLAN_COLOURS.length] }} />
                {p.name}
              </button>
              <span className="small">
                {' '}
                leaves {pct(last.pairwiseConnectivity)} of pairs connected, {p.fragmentCount} fragments
                {p.keyPlayer && !p.keyPlayer.optimal ? ` (best of ${p.keyPlayer.restarts} searches)` : ''}
                {p.keyPlayer?.optimal ? ' (proved the best set)' : ''}
              </span>
              <div className="small lab-removed" data-testid={`lab-removed-${i}`}>
                {p.removed.map((r) => r.label).join(', ')}
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function RecoveryView({ plan }: { plan: LabPlan }) {
  const r = plan.recovery;
  if (!r) return null;
  const d = r.damageSurviving;
  return (
    <div className="lab-box" data-testid="lab-recovery">
      <h4>If the network recovers ({plan.name})</h4>
      {d ? (
        <p className="small">
          Of the damage, <b data-testid="lab-recovery-point">{pct(d.point)}</b> survives the network's repair
          (
          <span data-testid="lab-recovery-interval">
            {pct(d.low)} to {pct(d.high)}
          </span>{' '}
          in 90% of {r.parameters.runs} simulations): contacts who lost a tie make new ones, mostly with those
          they share contacts or a group with. Pairs connected: {pct(r.pairwiseConnectivity.intact)} before,{' '}
          {pct(r.pairwiseConnectivity.afterRemoval)} after removal,{' '}
          {pct(r.pairwiseConnectivity.recovered.point)} after repair.
        </p>
      ) : (
        <p className="small">These removals break nothing, so there is nothing to recover from.</p>
      )}
      {r.successors.length > 0 && (
        <p className="small" data-testid="lab-successors">
          Likely to take over the brokerage:{' '}
          {r.successors
            .map(
              (s) => `${s.label} (${pct(s.share)} of simulations${s.targetNeighbour ? ', a contact' : ''})`,
            )
            .join('; ')}
        </p>
      )}
    </div>
  );
}

function RobustnessView({ r }: { r: NonNullable<LabResult['robustness']> }) {
  return (
    <div className="lab-box" data-testid="lab-robustness">
      <h4>If the picture is incomplete</h4>
      <p className="small muted">
        On {r.resamples} versions of the network with {pct(r.dropShare)} of links missing and{' '}
        {pct(r.addShare)} more added at random, how often each plan still fragments most:
      </p>
      <table className="grid">
        <tbody>
          {r.plans.map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td className="num">{pct(p.bestShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The quick what-if: remove entities from the chart (or the whole view) and watch the largest group. */
function QuickWhatIf() {
  const d = useApp((s) => s.disruption);
  const [strategy, setStrategy] = useState<'selected' | 'topk' | 'sequential'>('topk');
  const [metric, setMetric] = useState('betweenness');
  const [k, setK] = useState(5);
  const [scope, setScope] = useState<'chart' | 'store'>('chart');
  return (
    <div className="lab-quick">
      <h4>Quick what-if</h4>
      <p className="small muted">
        What if these entities were taken out? The chart shows the fragments left; the line shows the largest
        connected group's share of the network after each removal.
      </p>
      <div className="row">
        <label>Targets</label>
        <select
          data-testid="disrupt-strategy"
          value={strategy}
          onChange={(e) => setStrategy(e.target.value as typeof strategy)}
        >
          <option value="topk">top k by a measure, at once</option>
          <option value="sequential">one at a time, recomputing</option>
          <option value="selected">the selected entities</option>
        </select>
      </div>
      {strategy !== 'selected' && (
        <div className="row">
          <label>Measure</label>
          <MetricSelect value={metric} onChange={setMetric} />
          <label style={{ minWidth: 0 }}>k</label>
          <input
            type="number"
            min={1}
            max={50}
            value={k}
            style={{ width: 54 }}
            onChange={(e) => setK(Number(e.target.value))}
          />
        </div>
      )}
      <div className="row">
        <select value={scope} onChange={(e) => setScope(e.target.value as 'chart' | 'store')}>
          <option value="chart">on chart</option>
          <option value="store">whole view (server)</option>
        </select>
        <button
          className="primary"
          data-testid="run-disruption"
          onClick={() =>
            scope === 'chart'
              ? runDisruption({ strategy, metric, k })
              : void runServerDisruption({ strategy, metric, k })
          }
        >
          Simulate
        </button>
        {d && <button onClick={clearDisruption}>Clear</button>}
      </div>
      {d && d !== labShown && (
        <>
          <LineChart
            values={d.steps.map((s) => s.lccShare)}
            labels={d.steps.map((s, i) => (s.removed ? `${i}: without ${labelOf(s.removed)}` : 'before'))}
            yLabel="largest component"
            xLabel="entities removed"
          />
          <table className="grid">
            <thead>
              <tr>
                <th>Step</th>
                <th>Removed</th>
                <th>Largest</th>
                <th>Groups</th>
              </tr>
            </thead>
            <tbody>
              {d.steps.map((s, i) => (
                <tr key={i}>
                  <td>{i}</td>
                  <td>{s.removed ? labelOf(s.removed) : '(before)'}</td>
                  <td className="num">{(s.lccShare * 100).toFixed(1)}%</td>
                  <td className="num">{s.components}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
