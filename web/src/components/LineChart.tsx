// A small SVG line chart (no chart library): the disruption lab's remaining largest component per step.
export function LineChart(props: {
  values: number[];
  width?: number;
  height?: number;
  yLabel?: string;
  xLabel?: string;
  labels?: string[];
}) {
  const w = props.width ?? 300;
  const h = props.height ?? 150;
  const pad = { l: 34, r: 8, t: 8, b: 26 };
  const n = props.values.length;
  const x = (i: number): number => pad.l + ((w - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const y = (v: number): number => pad.t + (h - pad.t - pad.b) * (1 - v);
  const pts = props.values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  return (
    <svg
      className="linechart"
      width={w}
      height={h}
      data-testid="disruption-chart"
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
      {props.values.map((_v, i) => (
        <text key={i} x={x(i)} y={h - pad.b + 12} textAnchor="middle">
          {i}
        </text>
      ))}
      <text x={(w + pad.l) / 2} y={h - 2} textAnchor="middle">
        {props.xLabel ?? 'removed'}
      </text>
      <polyline points={pts} fill="none" stroke="#d62728" strokeWidth={2} />
      {props.values.map((v, i) => (
        <circle key={i} cx={x(i)} cy={y(v)} r={3} fill="#d62728">
          <title>{`${props.labels?.[i] ?? `step ${i}`}: ${(v * 100).toFixed(1)}%`}</title>
        </circle>
      ))}
    </svg>
  );
}
