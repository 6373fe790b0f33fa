// Where sigma's curved links run, on the y-down viewport (and so in the SVG export): a quadratic curve whose
// control point is the chord's middle moved by (dy, -dx) * curvature. @sigma/edge-curve's shader takes the
// normal (-dy, dx) with y up, which is this on screen; taking it with y down put each label (and each SVG
// curve) on the mirror side, so the label of A->B sat on B->A's curve.

/** The control point of the curve from (x1, y1) to (x2, y2) with the given curvature. */
export function curveControl(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  curvature: number,
): [number, number] {
  return [(x1 + x2) / 2 + (y2 - y1) * curvature, (y1 + y2) / 2 - (x2 - x1) * curvature];
}

/** The curve's middle (t = 0.5): half way from the chord's middle to the control point. */
export function curveMiddle(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  curvature: number,
): [number, number] {
  const [cx, cy] = curveControl(x1, y1, x2, y2, curvature);
  return [((x1 + x2) / 2 + cx) / 2, ((y1 + y2) / 2 + cy) / 2];
}
