// Operational review, side by side: the network before and after (same positions), with the targets,
// who left, who appeared, the links that formed and the biggest risers in betweenness marked; the
// disruption lab's prediction beside what was observed; and the findings in words.
import { useMemo, useState } from 'react';
import type { EntityType, Subgraph } from '@domain/model.ts';
import { cycleApi, type ReviewResult } from './api.ts';
import { sharedLayout, type Positions } from './layout.ts';
import { foldPhones } from '../../../server/cycle/network.ts';
import { EntityPicker, pickedFromId, type PickedEntity } from '../components/EntityPicker.tsx';

export interface ReviewRequestDraft {
  before: string;
  after: string;
  targets: string[];
}

export interface ReviewViewProps {
  draft?: ReviewRequestDraft | null;
  /** Told the findings when a review has run (the Targets panel offers them as the review summary). */
  onResult?: (r: ReviewResult, summary: string) => void;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

interface Marks {
  targets: Set<string>;
  gone: Set<string>;
  appeared: Set<string>;
  risers: Map<string, number>;
  /** Pairs "a|b" (a < b) linked after but not before. */
  formed: Set<string>;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** What the review measured: phones folded into their users (as the server does by default). */
/** Links a before/after picture may draw: a picture, not the measurement (the server caps it lower if it must). */
const DRAW_LINKS = 5_000;

function asMeasured(sub: Subgraph): Subgraph {
  return { ...sub, ...foldPhones(sub) };
}

function NetworkSvg(props: {
  title: string;
  sub: Subgraph;
  pos: Positions;
  marks: Marks;
  side: 'before' | 'after';
  testid: string;
}) {
  const { sub, pos, marks, side } = props;
  const W = 460;
  const H = 380;
  const pts = [...pos.values()];
  const minX = Math.min(...pts.map((p) => p.x));
  const maxX = Math.max(...pts.map((p) => p.x));
  const minY = Math.min(...pts.map((p) => p.y));
  const maxY = Math.max(...pts.map((p) => p.y));
  const sx = (x: number) => 14 + ((W - 28) * (x - minX)) / (maxX - minX || 1);
  const sy = (y: number) => 14 + ((H - 28) * (y - minY)) / (maxY - minY || 1);
  const linked = new Set<string>();
  for (const l of sub.links) linked.add(l.from).add(l.to);
  const labels = new Map(sub.nodes.map((n) => [n.id, n.label] as const));
  const nodes = sub.nodes.filter((n) => linked.has(n.id) && pos.has(n.id));
  const small = nodes.length > 400;
  return (
    <figure className="cycle-network" data-testid={props.testid}>
      <figcaption>{props.title}</figcaption>
      <svg width={W} height={H} role="img" aria-label={props.title}>
        {sub.links.map((l) => {
          const a = pos.get(l.from);
          const b = pos.get(l.to);
          if (!a || !b) return null;
          const formed = side === 'after' && marks.formed.has(pairKey(l.from, l.to));
          return (
            <line
              key={l.id}
              x1={sx(a.x)}
              y1={sy(a.y)}
              x2={sx(b.x)}
              y2={sy(b.y)}
              stroke={formed ? '#27ae60' : '#b8c0cc'}
              strokeWidth={formed ? 1.6 : 0.6}
              strokeOpacity={formed ? 0.9 : 0.6}
            />
          );
        })}
        {nodes.map((n) => {
          const p = pos.get(n.id)!;
          const target = marks.targets.has(n.id);
          const rank = marks.risers.get(n.id);
          const gone = side === 'before' && marks.gone.has(n.id);
          const fresh = side === 'after' && marks.appeared.has(n.id);
          const fill = target
            ? '#1d2430'
            : rank !== undefined && side === 'after'
              ? '#e67e22'
              : gone
                ? '#c0392b'
                : fresh
                  ? '#27ae60'
                  : '#5b7fbf';
          const r = target || (rank !== undefined && side === 'after') ? 6 : small ? 2 : 3;
          return (
            <g key={n.id}>
              <circle cx={sx(p.x)} cy={sy(p.y)} r={r} fill={fill} stroke="#fff" strokeWidth={0.6}>
                <title>{n.label}</title>
              </circle>
              {!target && !(rank !== undefined && rank < 3 && side === 'after') && nodes.length <= 40 && (
                <text x={sx(p.x) + 6} y={sy(p.y) + 4} fontSize="10" fill="#687385">
                  {labels.get(n.id)}
                </text>
              )}
              {(target || (rank !== undefined && rank < 3 && side === 'after')) && (
                <text
                  x={sx(p.x) + 8}
                  y={sy(p.y) + 4}
                  fontSize="11"
                  fontWeight={600}
                  fill={target ? '#1d2430' : '#a35200'}
                >
                  {target ? `✕ ${labels.get(n.id)}` : `${rank! + 1}. ${labels.get(n.id)}`}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function reviewSummaryText(r: ReviewResult): string {
  return r.findings.join(' ');
}

export function ReviewView({ draft, onResult }: ReviewViewProps) {
  const [before, setBefore] = useState(draft?.before ?? '');
  const [after, setAfter] = useState(draft?.after ?? '');
  const [targets, setTargets] = useState<PickedEntity[]>(
    (draft?.targets ?? []).map((id) => pickedFromId(id)),
  );
  const [people, setPeople] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ r: ReviewResult; before: Subgraph; after: Subgraph } | null>(null);
  const [draftSeen, setDraftSeen] = useState(draft);
  if (draft !== draftSeen) {
    // A new draft from the Targets panel replaces the form (derived state, no effect needed).
    setDraftSeen(draft);
    if (draft) {
      setBefore(draft.before);
      setAfter(draft.after);
      setTargets(draft.targets.map((id) => pickedFromId(id)));
    }
  }

  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const ids = targets.map((t) => t.id);
      const view = people ? { entityTypes: ['Person', 'Phone'] as EntityType[] } : {};
      const r = await cycleApi.review({ before, after, targets: ids, view });
      const win = (w: string) => {
        const [from, to] = w.split('..').map((s) => s.trim());
        return cycleApi.window({ ...view, ...(from ? { from } : {}), ...(to ? { to } : {}) }, DRAW_LINKS);
      };
      const [b, a] = await Promise.all([win(before), win(after)]);
      setResult({ r, before: asMeasured(b), after: asMeasured(a) });
      onResult?.(r, reviewSummaryText(r));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const pos = useMemo(() => (result ? sharedLayout([result.before, result.after]) : new Map()), [result]);
  const marks: Marks | null = useMemo(() => {
    if (!result) return null;
    const { r } = result;
    return {
      targets: new Set(r.targets.map((t) => t.id)),
      gone: new Set(r.disappeared.items.map((x) => x.id)),
      appeared: new Set(r.appeared.items.map((x) => x.id)),
      risers: new Map(r.risers.map((x, i) => [x.id, i] as const)),
      formed: (() => {
        const had = new Set(result.before.links.map((l) => pairKey(l.from, l.to)));
        return new Set(result.after.links.map((l) => pairKey(l.from, l.to)).filter((k) => !had.has(k)));
      })(),
    };
  }, [result]);

  return (
    <div className="cycle-review" data-testid="review-view">
      <div className="cycle-toolbar">
        <label>
          Before{' '}
          <input
            value={before}
            placeholder="2024-01-01..2024-06-30"
            onChange={(e) => setBefore(e.target.value)}
            data-testid="review-before"
          />
        </label>
        <label>
          After{' '}
          <input
            value={after}
            placeholder="2024-07-01..2024-12-31"
            onChange={(e) => setAfter(e.target.value)}
            data-testid="review-after"
          />
        </label>
        <label>
          Targets <EntityPicker multiple value={targets} onChange={setTargets} testId="review-targets" />
        </label>
        <label>
          <input type="checkbox" checked={people} onChange={(e) => setPeople(e.target.checked)} /> people and
          phones only
        </label>
        <button
          className="primary"
          disabled={busy || !before || !after}
          onClick={() => void run()}
          data-testid="review-run"
        >
          {busy ? 'Reviewing...' : 'Run review'}
        </button>
      </div>
      {error && <div className="cycle-error">{error}</div>}
      {result && marks && (
        <>
          {(result.before.truncated || result.after.truncated) && (
            <div className="cycle-note small" data-testid="review-draw-truncated">
              The pictures show part of each window ({result.before.links.length.toLocaleString()} and{' '}
              {result.after.links.length.toLocaleString()} links drawn, the most a picture carries): the
              figures below are measured over all of it.
            </div>
          )}
          <div className="cycle-side-by-side">
            <NetworkSvg
              title={`Before ${result.r.before.label ?? ''}`}
              sub={result.before}
              pos={pos}
              marks={marks}
              side="before"
              testid="review-before-chart"
            />
            <NetworkSvg
              title={`After ${result.r.after.label ?? ''}`}
              sub={result.after}
              pos={pos}
              marks={marks}
              side="after"
              testid="review-after-chart"
            />
          </div>
          <div className="cycle-legend small">
            <span>
              <i style={{ background: '#1d2430' }} /> target
            </span>
            <span>
              <i style={{ background: '#c0392b' }} /> left the network
            </span>
            <span>
              <i style={{ background: '#27ae60' }} /> appeared / link formed
            </span>
            <span>
              <i style={{ background: '#e67e22' }} /> rose in betweenness (numbered)
            </span>
          </div>
          <div className="cycle-review-tables">
            <table className="cycle-table" data-testid="review-measures">
              <thead>
                <tr>
                  <th>Measure</th>
                  <th>Before</th>
                  {result.r.prediction && <th>Predicted (lab)</th>}
                  <th>Observed</th>
                </tr>
              </thead>
              <tbody>
                {result.r.prediction && (
                  <tr data-testid="review-lcc">
                    <td>Largest component (vs before)</td>
                    <td>{pct(result.r.prediction.predicted.lccShare.before)}</td>
                    <td>{pct(result.r.prediction.predicted.lccShare.after)}</td>
                    <td>{pct(result.r.prediction.observed.lccShare.after)}</td>
                  </tr>
                )}
                {result.r.prediction && (
                  <tr>
                    <td>Pairwise connectivity</td>
                    <td>{pct(result.r.prediction.predicted.pairwiseConnectivity.before)}</td>
                    <td>{pct(result.r.prediction.predicted.pairwiseConnectivity.after)}</td>
                    <td>{pct(result.r.prediction.observed.pairwiseConnectivity.after)}</td>
                  </tr>
                )}
                <tr>
                  <td>Entities</td>
                  <td>{result.r.before.nodes}</td>
                  {result.r.prediction && (
                    <td>{result.r.before.nodes - result.r.prediction.removed.length}</td>
                  )}
                  <td>{result.r.after.nodes}</td>
                </tr>
                <tr>
                  <td>Largest component share</td>
                  <td>{pct(result.r.before.lccShare)}</td>
                  {result.r.prediction && <td>-</td>}
                  <td>{pct(result.r.after.lccShare)}</td>
                </tr>
                <tr>
                  <td>Components</td>
                  <td>{result.r.before.components}</td>
                  {result.r.prediction && <td>{result.r.prediction.predicted.components.after}</td>}
                  <td>{result.r.after.components}</td>
                </tr>
                <tr>
                  <td>Communities</td>
                  <td>{result.r.before.communities}</td>
                  {result.r.prediction && <td>-</td>}
                  <td>{result.r.after.communities}</td>
                </tr>
              </tbody>
            </table>
            <table className="cycle-table" data-testid="review-risers">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Took over brokerage</th>
                  <th>Betweenness before</th>
                  <th>After</th>
                  <th>Rise</th>
                </tr>
              </thead>
              <tbody>
                {result.r.risers.slice(0, 8).map((x, i) => (
                  <tr key={x.id}>
                    <td>{i + 1}</td>
                    <td>
                      {x.label}
                      {x.targetNeighbour ? ' (linked to a target)' : ''}
                    </td>
                    <td>{x.before.toFixed(3)}</td>
                    <td>{x.after.toFixed(3)}</td>
                    <td>+{x.rise.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="cycle-findings" data-testid="review-findings">
            {result.r.findings.map((f) => (
              <p key={f}>{f}</p>
            ))}
            <p className="small muted">
              Left:{' '}
              {result.r.disappeared.items
                .slice(0, 12)
                .map((x) => x.label)
                .join(', ') || 'none'}
              {result.r.disappeared.total > 12 ? ` and ${result.r.disappeared.total - 12} more` : ''}.
              Appeared:{' '}
              {result.r.appeared.items
                .slice(0, 12)
                .map((x) => x.label)
                .join(', ') || 'none'}
              {result.r.appeared.total > 12 ? ` and ${result.r.appeared.total - 12} more` : ''}.
            </p>
          </div>
        </>
      )}
    </div>
  );
}
