// A small SVG line chart (no chart library): the disruption lab's curves per removal step. One series
// (`values`) or several (`series`, each with its own colour and a legend).
export interface LineSeries {
  name: string;
  values: number[];
  colour: string;
  labels?: string[];
}

export function LineChart(props: {
  values?: number[];
  series?: LineSeries[];
  width?: number;
  height?: number;
  yLabel?: string;
  xLabel?: string;
  labels?: string[];
  testId?: string;
}) {
  const w = props.width ?? 300;
  const h = props.height ?? 150;
  const pad = { l: 34, r: 8, t: 8, b: 26 };
  const series: LineSeries[] = props.series ?? [
    { name: props.yLabel ?? '', values: props.values ?? [], colour: '#d62728', labels: props.labels },
  ];
  const n = Math.max(0, ...series.map((s) => s.values.length));
  const x = (i: number): number => pad.l + ((w - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const y = (v: number): number => pad.t + (h - pad.t - pad.b) * (1 - v);
  return (
    <svg
      className="linechart"
      width={w}
      height={h}
      data-testid={props.testId ?? 'disruption-chart'}
      role="img"
      aria-label={props.yLabel}
    >
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g key={t}>
          <line x1={pad.l} x2={w - pad.r} y1={y(t)} y2={y(t)} stroke="#eceef1" />
          <text x={pad.l - 4} y={y(t) + 3} textAnchor="end">
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      {Array.from({ length: n }, (_v, i) => (
        <text key={i} x={x(i)} y={h - pad.b + 12} textAnchor="middle">
          {i}
        </text>
      ))}
      <text x={(w + pad.l) / 2} y={h - 2} textAnchor="middle">
        {props.xLabel ?? 'removed'}
      </text>
      {series.map((s) => (
        <g key={s.name} data-series={s.name}>
          <polyline
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            fill="none"
            stroke={s.colour}
            strokeWidth={2}
          />
          {s.values.map((v, i) => (
            <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.colour}>
              <title>{`${s.name ? `${s.name}, ` : ''}${s.labels?.[i] ?? `step ${i}`}: ${(v * 100).toFixed(1)}%`}</title>
            </circle>
          ))}
        </g>
      ))}
    </svg>
  );
}
