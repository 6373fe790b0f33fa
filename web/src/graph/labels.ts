// Node labels. Sigma writes every label to the right of its node, so on a fitted chart the labels of the
// rightmost entities ran past the edge of the canvas and were cut off; here a label that would not fit on
// the right goes on the left when it fits there.
import type { NodeDisplayData, PartialButFor } from 'sigma/types';
import type { Settings } from 'sigma/settings';

const GAP = 3;

/** The side of its node a label goes on: right, unless it would run past the right edge and fits on the left. */
export function labelSide(
  x: number,
  nodeSize: number,
  textWidth: number,
  viewportWidth: number,
): 'right' | 'left' {
  const rightEnd = x + nodeSize + GAP + textWidth;
  const leftStart = x - nodeSize - GAP - textWidth;
  return rightEnd > viewportWidth && leftStart >= 0 ? 'left' : 'right';
}

/** Sigma's label drawer (same font, colour and placement), with labelSide deciding the side. */
export function drawNodeLabel(
  context: CanvasRenderingContext2D,
  data: PartialButFor<NodeDisplayData, 'x' | 'y' | 'size' | 'label' | 'color'>,
  settings: Settings,
): void {
  if (!data.label) return;
  const size = settings.labelSize;
  const attr = settings.labelColor.attribute;
  context.fillStyle =
    (attr ? ((data as Record<string, unknown>)[attr] as string | undefined) : undefined) ??
    settings.labelColor.color ??
    '#000';
  context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
  const width = context.measureText(data.label).width;
  // The context is scaled by the pixel ratio, so the canvas width in drawing units is width / scale.
  const viewport = context.canvas.width / (context.getTransform().a || 1);
  const x =
    labelSide(data.x, data.size, width, viewport) === 'left'
      ? data.x - data.size - GAP - width
      : data.x + data.size + GAP;
  // A light halo keeps a label legible where it crosses links or another label.
  context.lineJoin = 'round';
  context.lineWidth = 3;
  context.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  context.strokeText(data.label, x, data.y + size / 3);
  context.fillText(data.label, x, data.y + size / 3);
}
