// Labels that never overlap. Sigma's own label pass draws the labels its grid picks and then every forced
// label on top, with no test between them, so selected and top-ranked entities piled up on one another and
// on their neighbours. Here the chart's labels are placed in priority order (forced labels first: selected,
// on a path, top-ranked; then by a score that favours people, organisations and large nodes), each in the
// first free spot beside its node, and a label that fits nowhere is not drawn. Link labels go in the same
// occupancy, so they never cover a node label either. Placement is pure (placeLabels); drawing is separate,
// so the chart, the PNG and the SVG all print the same labels.

/** A node that could be labelled, in viewport pixels. */
export interface NodeLabelItem {
  key: string;
  text: string;
  x: number;
  y: number;
  /** Rendered radius of the node in pixels. */
  size: number;
  /** Higher goes first. */
  priority: number;
  /** Labelled whatever the density (placed with a leader line if nothing beside the node is free). */
  forced: boolean;
  /** Cell of the label grid (fixed in graph space, so panning does not change which labels show). */
  cell: number;
}

/** A link that could be labelled: its label sits at the middle of the drawn line or curve. */
export interface LinkLabelItem {
  key: string;
  text: string;
  x: number;
  y: number;
  /** Length of the link on screen; a label longer than the link is not drawn. */
  length: number;
  priority: number;
}

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PlacedLabel {
  key: string;
  text: string;
  kind: 'node' | 'link';
  /** Left end of the text's baseline. */
  x: number;
  y: number;
  box: Box;
  /** From the node's rim to the label, when the label had to move away from its node. */
  leader?: [number, number, number, number];
}

export interface PlacementOptions {
  width: number;
  height: number;
  fontSize: number;
  linkFontSize: number;
  /** Non-forced node labels per grid cell. */
  perCell: number;
  /** Nodes drawn smaller than this (pixels) are labelled only when forced. */
  minNodeSize: number;
  /** Bound on the labels placed per frame (the cost of a frame stays flat on a large chart). */
  maxLabels: number;
  /** Areas no label may cover (the legend and the buttons floating over the chart). */
  obstacles?: Box[];
}

const GAP = 3;
const PAD = 2;

/** A uniform grid of boxes for overlap tests: each test looks at the few cells a box covers. */
export class Occupancy {
  private cells = new Map<number, Box[]>();
  constructor(private readonly cell = 48) {}

  private keys(b: Box): number[] {
    const out: number[] = [];
    const x1 = Math.floor(b.x1 / this.cell);
    const x2 = Math.floor(b.x2 / this.cell);
    const y1 = Math.floor(b.y1 / this.cell);
    const y2 = Math.floor(b.y2 / this.cell);
    for (let x = x1; x <= x2; x++) for (let y = y1; y <= y2; y++) out.push((y + 4096) * 8192 + (x + 4096));
    return out;
  }

  fits(b: Box): boolean {
    for (const k of this.keys(b)) {
      const list = this.cells.get(k);
      if (!list) continue;
      for (const o of list) if (b.x1 < o.x2 && b.x2 > o.x1 && b.y1 < o.y2 && b.y2 > o.y1) return false;
    }
    return true;
  }

  add(b: Box): void {
    for (const k of this.keys(b)) {
      const list = this.cells.get(k);
      if (list) list.push(b);
      else this.cells.set(k, [b]);
    }
  }
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && a.x2 > b.x1 && a.y1 < b.y2 && a.y2 > b.y1;
}

/** Spots beside a node, nearest first: right, left, below, above; forced labels then try further out. */
function spots(
  it: NodeLabelItem,
  w: number,
  h: number,
): Array<{ x: number; y: number; leader?: [number, number] }> {
  const r = it.size + GAP;
  const base = [
    { x: it.x + r, y: it.y + h / 3 },
    { x: it.x - r - w, y: it.y + h / 3 },
    { x: it.x - w / 2, y: it.y + r + h * 0.8 },
    { x: it.x - w / 2, y: it.y - r - h * 0.25 },
  ];
  if (!it.forced) return base;
  const far: Array<{ x: number; y: number; leader?: [number, number] }> = [];
  for (const d of [1.6, 2.6, 3.8, 5, 6.5, 8]) {
    const dy = h * d;
    for (const [sx, sy] of [
      [1, -1],
      [1, 1],
      [-1, -1],
      [-1, 1],
    ] as const) {
      const ax = it.x + sx * (r + h * (d - 1));
      const ay = it.y + sy * dy;
      far.push({ x: sx > 0 ? ax : ax - w, y: ay + h / 3, leader: [ax, ay] });
    }
  }
  return [...base, ...far];
}

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

function textBox(x: number, y: number, w: number, h: number): Box {
  return { x1: x - PAD, y1: y - h * 0.8 - PAD, x2: x + w + PAD, y2: y + h * 0.25 + PAD };
}

/**
 * Places node labels, then link labels, so that no two overlap and no label covers a labelled node.
 * `nodes` and `links` may come in any order; `measure` gives a text's width at the given font size.
 */
export function placeLabels(
  nodes: NodeLabelItem[],
  links: LinkLabelItem[],
  measure: (text: string, fontSize: number) => number,
  o: PlacementOptions,
  /** Link labels placed before the non-forced node labels (those of hovered or selected nodes). */
  urgentLinks: LinkLabelItem[] = [],
): PlacedLabel[] {
  const occ = new Occupancy();
  for (const b of o.obstacles ?? []) occ.add(b);
  const placed: PlacedLabel[] = [];
  const h = o.fontSize;
  const onScreen = (b: Box): boolean => b.x1 >= 0 && b.y1 >= 0 && b.x2 <= o.width && b.y2 <= o.height;
  const order = [...nodes].sort(
    (a, b) => Number(b.forced) - Number(a.forced) || b.priority - a.priority || (a.key < b.key ? -1 : 1),
  );
  // Forced nodes' discs are taken before any text goes down, so no label hides them; another node's disc is
  // taken with its label.
  const perCell = new Map<number, number>();
  const chosen: NodeLabelItem[] = [];
  for (const it of order) {
    if (!it.text) continue;
    if (it.x < -50 || it.y < -50 || it.x > o.width + 50 || it.y > o.height + 50) continue;
    if (!it.forced) {
      if (it.size < o.minNodeSize) continue;
      const n = perCell.get(it.cell) ?? 0;
      if (n >= o.perCell) continue;
      perCell.set(it.cell, n + 1);
    }
    chosen.push(it);
    if (chosen.length >= o.maxLabels) break;
  }
  const disc = (it: NodeLabelItem): Box => ({
    x1: it.x - it.size,
    y1: it.y - it.size,
    x2: it.x + it.size,
    y2: it.y + it.size,
  });
  for (const it of chosen) if (it.forced) occ.add(disc(it));

  const placeNode = (it: NodeLabelItem): void => {
    const w = measure(it.text, h);
    for (const s of spots(it, w, h)) {
      const b = textBox(s.x, s.y, w, h);
      if (!onScreen(b) || !occ.fits(b)) continue;
      occ.add(b);
      if (!it.forced && occ.fits(disc(it))) occ.add(disc(it));
      const p: PlacedLabel = { key: it.key, text: it.text, kind: 'node', x: s.x, y: s.y, box: b };
      if (s.leader) {
        const dx = s.leader[0] - it.x;
        const dy = s.leader[1] - it.y;
        const len = Math.hypot(dx, dy) || 1;
        p.leader = [it.x + (dx / len) * it.size, it.y + (dy / len) * it.size, s.leader[0], s.leader[1]];
      }
      placed.push(p);
      return;
    }
  };
  // A link label sits on the middle of its link; an asked-for one (hover, selection) may be longer than
  // the link and, where the middle is taken, slide a little along it.
  const placeLink = (it: LinkLabelItem, urgent: boolean): void => {
    const lh = o.linkFontSize;
    const w = measure(it.text, lh);
    if (urgent ? it.length < 12 : w * 0.8 > it.length) return;
    for (const off of urgent ? [0, -lh * 1.3, lh * 1.3] : [0]) {
      const x = it.x - w / 2;
      const y = it.y + lh / 3 + off;
      const b = textBox(x, y, w, lh);
      if (!onScreen(b) || !occ.fits(b)) continue;
      occ.add(b);
      placed.push({ key: it.key, text: it.text, kind: 'link', x, y, box: b });
      return;
    }
  };

  for (const it of chosen) if (it.forced) placeNode(it);
  for (const l of [...urgentLinks].sort((a, b) => b.priority - a.priority)) placeLink(l, true);
  for (const it of chosen) if (!it.forced) placeNode(it);
  for (const l of [...links].sort((a, b) => b.priority - a.priority)) placeLink(l, false);
  return placed;
}

export interface LabelStyle {
  font: string;
  weight: string;
  fontSize: number;
  linkFontSize: number;
  colour: string;
  linkColour: string;
}

export const LABEL_STYLE: LabelStyle = {
  font: 'Inter, system-ui, sans-serif',
  weight: '500',
  fontSize: 12,
  linkFontSize: 10,
  colour: '#1d2430',
  linkColour: '#3d4654',
};

/** Draws placed labels on a 2D canvas (the chart's label layer, or the PNG export's canvas). */
export function drawLabels(ctx: CanvasRenderingContext2D, placed: PlacedLabel[], style = LABEL_STYLE): void {
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.textBaseline = 'alphabetic';
  for (const p of placed) {
    if (p.leader) {
      ctx.strokeStyle = '#8a93a3';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(p.leader[0], p.leader[1]);
      ctx.lineTo(p.leader[2], p.leader[3]);
      ctx.stroke();
    }
    const link = p.kind === 'link';
    const size = link ? style.linkFontSize : style.fontSize;
    ctx.font = `${link ? '400' : style.weight} ${size}px ${style.font}`;
    if (link) {
      // Link labels sit on a light plate so the line under them does not strike the text through.
      ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.fillRect(p.box.x1, p.box.y1, p.box.x2 - p.box.x1, p.box.y2 - p.box.y1);
    } else {
      // A light halo keeps a node label legible where it crosses links.
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.strokeText(p.text, p.x, p.y);
    }
    ctx.fillStyle = link ? style.linkColour : style.colour;
    ctx.fillText(p.text, p.x, p.y);
  }
  ctx.restore();
}

/** A canvas text measurer with a cache (labels repeat from frame to frame). */
export function canvasMeasurer(style = LABEL_STYLE): (text: string, fontSize: number) => number {
  const ctx = document.createElement('canvas').getContext('2d')!;
  const cache = new Map<string, number>();
  return (text, fontSize) => {
    const k = `${fontSize}|${text}`;
    let w = cache.get(k);
    if (w === undefined) {
      ctx.font = `${fontSize === style.fontSize ? style.weight : '400'} ${fontSize}px ${style.font}`;
      w = ctx.measureText(text).width;
      if (cache.size > 50_000) cache.clear();
      cache.set(k, w);
    }
    return w;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(iso);
  return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : iso.slice(0, 10);
}

/** What a link label says: its type, how many calls or sightings lie behind it, and when. */
export function linkLabelText(a: {
  ltype: string;
  weight?: number;
  firstSeen?: string | null;
  lastSeen?: string | null;
}): string {
  const parts = [a.ltype.toLowerCase().replace(/_/g, ' ')];
  const w = Number(a.weight ?? 1);
  if (w > 1 || a.ltype === 'CALLED' || a.ltype === 'SIGHTED_AT') {
    const unit =
      a.ltype === 'CALLED'
        ? 'call'
        : a.ltype === 'SIGHTED_AT'
          ? 'sighting'
          : a.ltype === 'TRANSFERRED'
            ? 'transfer'
            : 'time';
    parts.push(`${w} ${unit}${w === 1 ? '' : 's'}`);
  }
  const from = a.firstSeen ? monthYear(a.firstSeen) : null;
  const to = a.lastSeen ? monthYear(a.lastSeen) : null;
  if (from && to) parts.push(from === to ? from : `${from}–${to}`);
  else if (from || to) parts.push((from ?? to)!);
  return parts.join(' · ');
}

/**
 * Sigma's hover and highlight drawer, reduced to a ring round the node: the label pass names it (sigma's
 * own drawer adds a label box that would sit over the placed labels).
 */
export function drawNodeRing(
  context: CanvasRenderingContext2D,
  data: { x: number; y: number; size: number; color?: string },
): void {
  context.save();
  context.beginPath();
  context.arc(data.x, data.y, data.size + 3, 0, Math.PI * 2);
  context.lineWidth = 3;
  context.strokeStyle = '#ffffff';
  context.stroke();
  context.beginPath();
  context.arc(data.x, data.y, data.size + 4.5, 0, Math.PI * 2);
  context.lineWidth = 1.5;
  context.strokeStyle = '#1d2430';
  context.stroke();
  context.restore();
}
