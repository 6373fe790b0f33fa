// The two drawings of a windowed series: small multiples (one small line chart per person, all on one y
// scale, so heights compare across panels) and one chart with a line per person. Window names on the x
// axis ("Jan 24"). A person's panel, line or legend entry is a button: it picks them (the caller selects
// them on the chart). A window where the person is not in the network is a gap, its point hollow.
import { labelledTicks, scoreText, type RiseLine } from './rise.ts';

export interface RiseChartProps {
  lines: RiseLine[];
  labels: string[];
  /** Top of the shared y scale. */
  top: number;
  colour: (i: number) => string;
  selected: ReadonlySet<string>;
  onPick: (line: RiseLine) => void;
  measure: string;
}

/** The line as SVG path data, broken where the person is not in a window's network. */
function pathOf(scores: Array<number | null>, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  scores.forEach((s, i) => {
    if (s === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(s).toFixed(1)}`;
    pen = true;
  });
  return d;
}

function Points(props: {
  line: RiseLine;
  colour: string;
  labels: string[];
  x: (i: number) => number;
  y: (v: number) => number;
  r: number;
}) {
  const { line, colour, labels, x, y, r } = props;
  return (
    <>
      {line.scores.map((s, i) => (
        <circle
          key={i}
          cx={x(i)}
          cy={y(s ?? 0)}
          r={r}
          fill={s === null ? 'white' : colour}
          stroke={s === null ? '#a0a6ad' : colour}
        >
          <title>
            {s === null
              ? `${line.label}, ${labels[i]}: not in that window's network`
              : `${line.label}, ${labels[i]}: ${scoreText(s)}${line.ranks[i] ? ` (#${line.ranks[i]})` : ''}`}
          </title>
        </circle>
      ))}
    </>
  );
}

const PANEL = { w: 184, h: 62, l: 6, r: 6, t: 5, b: 15 };

export function SmallMultiples(p: RiseChartProps) {
  const x = (i: number): number =>
    PANEL.l + ((PANEL.w - PANEL.l - PANEL.r) * i) / Math.max(1, p.labels.length - 1);
  const y = (v: number): number => PANEL.t + (PANEL.h - PANEL.t - PANEL.b) * (1 - v / p.top);
  const ticks = labelledTicks(p.labels.length, PANEL.w - 20, 46);
  return (
    <div className="rise-multiples" data-testid="rise-chart" data-mode="multiples">
      {p.lines.map((line, k) => {
        const colour = p.colour(k);
        const peakAt = line.peakWindow >= 0 ? p.labels[line.peakWindow] : '';
        return (
          <button
            type="button"
            key={line.id}
            className={`rise-panel${p.selected.has(line.id) ? ' sel' : ''}`}
            data-testid="rise-panel"
            data-id={line.id}
            title={`Select ${line.label} on the chart`}
            onClick={() => p.onPick(line)}
          >
            <span className="rise-panel-head">
              <span className="rise-swatch" style={{ background: colour }} />
              <span className="rise-name">{line.label}</span>
              <span className="muted" title={`highest: ${scoreText(line.peak)} in ${peakAt}`}>
                {scoreText(line.peak)}
              </span>
            </span>
            <svg width={PANEL.w} height={PANEL.h} role="img" aria-label={`${p.measure} of ${line.label}`}>
              <line x1={PANEL.l} x2={PANEL.w - PANEL.r} y1={y(0)} y2={y(0)} stroke="#d5d9de" />
              <line x1={PANEL.l} x2={PANEL.w - PANEL.r} y1={y(p.top)} y2={y(p.top)} stroke="#eceef1" />
              <g data-series={line.label}>
                <path d={pathOf(line.scores, x, y)} fill="none" stroke={colour} strokeWidth={1.8} />
                <Points line={line} colour={colour} labels={p.labels} x={x} y={y} r={2.2} />
              </g>
              {ticks.map((i) => (
                <text
                  key={i}
                  x={x(i)}
                  y={PANEL.h - 3}
                  textAnchor={i === 0 ? 'start' : i === p.labels.length - 1 ? 'end' : 'middle'}
                >
                  {p.labels[i]}
                </text>
              ))}
            </svg>
          </button>
        );
      })}
    </div>
  );
}

const BIG = { h: 164, l: 44, r: 12, t: 8, b: 30 };

export function LinePerPerson(p: RiseChartProps & { width: number }) {
  const w = p.width;
  const x = (i: number): number => BIG.l + ((w - BIG.l - BIG.r) * i) / Math.max(1, p.labels.length - 1);
  const y = (v: number): number => BIG.t + (BIG.h - BIG.t - BIG.b) * (1 - v / p.top);
  const ticks = labelledTicks(p.labels.length, w - BIG.l - BIG.r);
  const anySelected = p.lines.some((l) => p.selected.has(l.id));
  return (
    <div className="rise-lines">
      <svg
        width={w}
        height={BIG.h}
        data-testid="rise-chart"
        data-mode="lines"
        role="img"
        aria-label={p.measure}
      >
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <line x1={BIG.l} x2={w - BIG.r} y1={y(t * p.top)} y2={y(t * p.top)} stroke="#eceef1" />
            <text x={BIG.l - 4} y={y(t * p.top) + 3} textAnchor="end">
              {scoreText(t * p.top)}
            </text>
          </g>
        ))}
        {ticks.map((i) => (
          <text
            key={i}
            x={x(i)}
            y={BIG.h - BIG.b + 14}
            textAnchor={i === 0 ? 'start' : i === p.labels.length - 1 ? 'end' : 'middle'}
          >
            {p.labels[i]}
          </text>
        ))}
        <text x={(w + BIG.l) / 2} y={BIG.h - 2} textAnchor="middle" className="muted">
          {p.measure} in each window
        </text>
        {p.lines.map((line, k) => {
          const dim = anySelected && !p.selected.has(line.id);
          return (
            <g
              key={line.id}
              data-series={line.label}
              className="rise-line"
              opacity={dim ? 0.25 : 1}
              onClick={() => p.onPick(line)}
            >
              <path
                d={pathOf(line.scores, x, y)}
                fill="none"
                stroke={p.colour(k)}
                strokeWidth={p.selected.has(line.id) ? 3 : 2}
              />
              <Points line={line} colour={p.colour(k)} labels={p.labels} x={x} y={y} r={3} />
            </g>
          );
        })}
      </svg>
      <div className="rise-legend">
        {p.lines.map((line, k) => (
          <button
            type="button"
            key={line.id}
            className={`rise-legend-item${p.selected.has(line.id) ? ' sel' : ''}`}
            data-testid="rise-legend-item"
            data-id={line.id}
            onClick={() => p.onPick(line)}
          >
            <span className="rise-swatch" style={{ background: p.colour(k) }} />
            {line.label}
          </button>
        ))}
      </div>
    </div>
  );
}
