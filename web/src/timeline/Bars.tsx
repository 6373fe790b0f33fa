// A small bar chart with a label under each bar and its count on hover (hour of day, day of week).
export function Bars({
  values,
  labels,
  testId,
  width = 300,
  height = 70,
}: {
  values: number[];
  labels: string[];
  testId: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...values);
  const w = width / values.length;
  const plot = height - 14;
  return (
    <svg width={width} height={height} data-testid={testId} role="img" aria-label={testId}>
      {values.map((v, i) => {
        const h = (v / max) * (plot - 2);
        return (
          <g key={i}>
            <title>
              {labels[i]}: {v} call{v === 1 ? '' : 's'}
            </title>
            <rect
              x={i * w + 1}
              y={plot - h}
              width={Math.max(1, w - 2)}
              height={h}
              fill="#0072B2"
              data-count={v}
            />
            {(values.length <= 7 || i % 3 === 0) && (
              <text x={i * w + w / 2} y={height - 2} fontSize={9} textAnchor="middle" fill="#687385">
                {labels[i]}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
