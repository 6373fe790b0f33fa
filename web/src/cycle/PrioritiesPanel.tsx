// Priorities: each person's RFG harm score beside their network position, as a 2x2 matrix and a table
// that says why each person sits where they do. "Propose" hands a person to the Targets panel.
import { useEffect, useState } from 'react';
import { cycleApi, type PrioritiesResponse, type PriorityRow } from './api.ts';
import { ordinal } from '../../../server/domain/ordinal.ts';

export const QUADRANT_ORDER = [
  'high harm, central',
  'high harm, peripheral',
  'low harm, central',
  'low harm, peripheral',
] as const;
const QUADRANT_COLOUR: Record<string, string> = {
  'high harm, central': '#c0392b',
  'high harm, peripheral': '#e67e22',
  'low harm, central': '#2f6fdb',
  'low harm, peripheral': '#8a94a6',
};

export interface PrioritiesPanelProps {
  /** Called with a person the analyst wants to propose as a target. */
  onPropose?: (row: PriorityRow, dataVersion: number) => void;
  canPropose?: boolean;
}

function Matrix({ data, onPick }: { data: PrioritiesResponse; onPick: (id: string) => void }) {
  const W = 300;
  const H = 220;
  const pad = 28;
  const x = (p: number) => pad + ((W - 2 * pad) * p) / 100;
  const y = (p: number) => H - pad - ((H - 2 * pad) * p) / 100;
  return (
    <svg
      width={W}
      height={H}
      className="cycle-matrix"
      data-testid="priority-matrix"
      role="img"
      aria-label="Priority matrix"
    >
      <rect
        x={x(data.options.centralPercentile)}
        y={y(100)}
        width={x(100) - x(data.options.centralPercentile)}
        height={y(data.options.harmPercentile) - y(100)}
        fill="#fdecea"
      />
      <line
        x1={x(data.options.centralPercentile)}
        x2={x(data.options.centralPercentile)}
        y1={y(0)}
        y2={y(100)}
        stroke="#ccd"
        strokeDasharray="3 3"
      />
      <line
        x1={x(0)}
        x2={x(100)}
        y1={y(data.options.harmPercentile)}
        y2={y(data.options.harmPercentile)}
        stroke="#ccd"
        strokeDasharray="3 3"
      />
      <line x1={x(0)} x2={x(100)} y1={y(0)} y2={y(0)} stroke="#889" />
      <line x1={x(0)} x2={x(0)} y1={y(0)} y2={y(100)} stroke="#889" />
      <text x={W / 2} y={H - 6} textAnchor="middle" fontSize="10" fill="#687385">
        network position (betweenness percentile)
      </text>
      <text
        x={10}
        y={H / 2}
        textAnchor="middle"
        fontSize="10"
        fill="#687385"
        transform={`rotate(-90 10 ${H / 2})`}
      >
        harm (RFG percentile)
      </text>
      {data.rows.map((r) => (
        <circle
          key={r.entityId}
          cx={x(r.betweennessPercentile)}
          cy={y(r.rfgPercentile)}
          r={r.broker ? 5 : 3.5}
          fill={QUADRANT_COLOUR[r.quadrant]}
          fillOpacity={0.75}
          stroke={r.broker ? '#1d2430' : 'none'}
          onClick={() => onPick(r.entityId)}
        >
          <title>{r.why}</title>
        </circle>
      ))}
    </svg>
  );
}

export function PrioritiesPanel({ onPropose, canPropose = true }: PrioritiesPanelProps) {
  const [data, setData] = useState<PrioritiesResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [halfLife, setHalfLife] = useState(180);
  const [asOf, setAsOf] = useState('');
  const [filter, setFilter] = useState<string>('all');
  const [open, setOpen] = useState<string | null>(null);

  const load = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setData(
        await cycleApi.priorities({
          recency: { mode: 'exponential', halfLifeDays: halfLife },
          ...(asOf ? { asOf } : {}),
          limit: 1000,
        }),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
    // Load once on mount; the analyst reloads with the button after changing the settings.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const rows = data?.rows.filter((r) => filter === 'all' || r.quadrant === filter) ?? [];
  return (
    <div className="cycle-priorities" data-testid="priorities-panel">
      <div className="cycle-toolbar">
        <label>
          Half-life (days){' '}
          <input
            type="number"
            min={1}
            value={halfLife}
            onChange={(e) => setHalfLife(Number(e.target.value) || 180)}
            style={{ width: 70 }}
          />
        </label>
        <label>
          As of <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        </label>
        <button onClick={() => void load()} disabled={busy} data-testid="priorities-run">
          {busy ? 'Scoring...' : 'Score'}
        </button>
        {data && (
          <span className="muted small">
            {data.people} people, as of {data.asOf?.slice(0, 10) ?? 'n/a'}, data version {data.dataVersion}
          </span>
        )}
      </div>
      {error && <div className="cycle-error">{error}</div>}
      {data && (
        <p className="muted small" data-testid="priorities-computed">
          Network position is betweenness over the person network of this view (each phone folded into the
          person who uses it), undirected, each pair of people linked once whatever the number of calls,
          grading not applied; exact up to 4,000 entities, estimated from 1,000 sampled sources above that.
          The percentile places each person among the {data.people} people scored. The workbench&apos;s Ranks
          use the same person network but count link strength when asked, so their order can differ.
        </p>
      )}
      {data && (
        <div className="cycle-priorities-body">
          <div>
            <Matrix data={data} onPick={(id) => setOpen(id)} />
            <div className="cycle-quadrants">
              <button className={filter === 'all' ? 'on' : ''} onClick={() => setFilter('all')}>
                All ({data.people})
              </button>
              {QUADRANT_ORDER.map((q) => (
                <button key={q} className={filter === q ? 'on' : ''} onClick={() => setFilter(q)}>
                  <span className="swatch" style={{ background: QUADRANT_COLOUR[q] }} /> {q} (
                  {data.counts[q] ?? 0})
                </button>
              ))}
            </div>
          </div>
          <table className="cycle-table" data-testid="priorities-table">
            <thead>
              <tr>
                <th>Person</th>
                <th>Quadrant</th>
                <th title="recency-frequency-gravity score">RFG</th>
                <th>Events</th>
                <th title="betweenness percentile among people">Position</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 300).map((r) => (
                <PriorityTableRow
                  key={r.entityId}
                  r={r}
                  open={open === r.entityId}
                  onToggle={() => setOpen(open === r.entityId ? null : r.entityId)}
                  onPropose={canPropose && onPropose ? () => onPropose(r, data.dataVersion) : undefined}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PriorityTableRow(props: {
  r: PriorityRow;
  open: boolean;
  onToggle: () => void;
  onPropose?: () => void;
}) {
  const { r } = props;
  return (
    <>
      <tr data-testid={`priority-${r.entityId}`} onClick={props.onToggle} className="clickable">
        <td>{r.label}</td>
        <td>
          <span className="swatch" style={{ background: QUADRANT_COLOUR[r.quadrant] }} /> {r.quadrant}
        </td>
        <td>{r.rfg.toFixed(1)}</td>
        <td>{r.frequency}</td>
        <td>
          {ordinal(r.betweennessPercentile)}
          {r.broker ? ', broker' : ''}
        </td>
        <td>
          {props.onPropose && (
            <button
              className="small"
              onClick={(e) => {
                e.stopPropagation();
                props.onPropose!();
              }}
            >
              Propose
            </button>
          )}
        </td>
      </tr>
      {props.open && (
        <tr className="why">
          <td colSpan={6}>{r.why}</td>
        </tr>
      )}
    </>
  );
}
