// What the chart's legend says, in one place: the chart's on-screen legend (components/Legend.tsx), the PNG
// and SVG exports and the PDF's chart picture all draw this model, so none can disagree with the chart.
// Colour: the entity types on the chart, or every community (largest first); size: the measure and its
// range; links: the link types on the chart.
import { ENTITY_TYPES, LINK_TYPES, type EntityType, type LinkType } from '@domain/model.ts';
import type Graph from 'graphology';
import {
  COMMUNITY_RING,
  LINK_COLOURS,
  MAX_COMMUNITY_STYLES,
  MAX_NODE_SIZE,
  MIN_NODE_SIZE,
  OTHER_COMMUNITY,
  TYPE_COLOURS,
  currentCommunityStyles,
  linkTypeWords,
} from './style.ts';

export interface LegendSwatch {
  label: string;
  colour: string;
  ring: string | null;
  /** Entity type of the pictogram drawn in the swatch (types legend). */
  etype?: EntityType;
  count: number;
}
export interface LegendLink {
  type: LinkType;
  label: string;
  colour: string;
  count: number;
}
export interface LegendModel {
  colourTitle: string;
  colours: LegendSwatch[];
  size: { measure: string; min: number; max: number; minSize: number; maxSize: number } | null;
  links: LegendLink[];
}

export interface LegendInput {
  colourBy: 'type' | 'community';
  communities: Record<string, number> | null;
  sizeBy: string | null;
  /** Human name of the measure sizing the nodes. */
  sizeLabel: string | null;
  sizeValues: Record<string, number> | null;
}

/** The legend of the nodes and links `visible` lets through. */
export function legendModel(
  graph: Graph,
  input: LegendInput,
  visible: (id: string) => boolean,
  edgeVisible: (id: string) => boolean,
): LegendModel {
  const typeCount = new Map<EntityType, number>();
  const communityCount = new Map<number, number>();
  let unassigned = 0;
  const comm = input.colourBy === 'community' ? input.communities : null;
  let lo = Infinity;
  let hi = -Infinity;
  graph.forEachNode((n, a) => {
    if (!visible(n)) return;
    const t = a.etype as EntityType;
    typeCount.set(t, (typeCount.get(t) ?? 0) + 1);
    if (comm) {
      const c = comm[n];
      if (c === undefined) unassigned++;
      else communityCount.set(c, (communityCount.get(c) ?? 0) + 1);
    }
    const v = input.sizeValues?.[n];
    if (v !== undefined && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  let colours: LegendSwatch[];
  let colourTitle: string;
  if (comm) {
    colourTitle = 'Colour: community';
    const styles = currentCommunityStyles(comm);
    const shown = [...communityCount.entries()]
      .map(([c, count]) => ({ c, count, s: styles.get(c)! }))
      .filter((x) => x.s)
      .sort((a, b) => a.s.rank - b.s.rank);
    colours = [];
    let other = 0;
    let otherCount = 0;
    for (const x of shown) {
      if (x.s.rank >= MAX_COMMUNITY_STYLES) {
        other++;
        otherCount += x.count;
        continue;
      }
      // Named as the Groups panel names them (by the community's number), listed largest first.
      colours.push({ label: `Community ${x.c + 1}`, colour: x.s.fill, ring: x.s.ring, count: x.count });
    }
    if (other)
      colours.push({
        label: `${other} smaller communities`,
        colour: OTHER_COMMUNITY,
        ring: null,
        count: otherCount,
      });
    if (unassigned)
      colours.push({
        label: 'No community (added since)',
        colour: '#ffffff',
        ring: COMMUNITY_RING,
        count: unassigned,
      });
  } else {
    colourTitle = 'Colour: entity type';
    colours = ENTITY_TYPES.filter((t) => typeCount.has(t)).map((t) => ({
      label: t,
      colour: TYPE_COLOURS[t],
      ring: null,
      etype: t,
      count: typeCount.get(t)!,
    }));
  }
  const linkCount = new Map<LinkType, number>();
  graph.forEachEdge((e, a, s, t) => {
    if (!edgeVisible(e) || !visible(s) || !visible(t)) return;
    const lt = a.ltype as LinkType;
    linkCount.set(lt, (linkCount.get(lt) ?? 0) + 1);
  });
  const links = LINK_TYPES.filter((t) => linkCount.has(t)).map((t) => ({
    type: t,
    label: linkTypeWords(t),
    colour: LINK_COLOURS[t],
    count: linkCount.get(t)!,
  }));
  const size =
    input.sizeBy && Number.isFinite(lo)
      ? {
          measure: input.sizeLabel ?? input.sizeBy,
          min: lo,
          max: hi,
          minSize: MIN_NODE_SIZE,
          maxSize: MAX_NODE_SIZE,
        }
      : null;
  return { colourTitle, colours, size, links };
}

/** A measure's value as a legend prints it. */
export function legendNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-GB');
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

// ---------------------------------------------------------------------------------------------
// Drawing the legend into an exported picture (canvas for PNG; SVG text for SVG), as a column.

export interface LegendBox {
  width: number;
  height: number;
}

const ROW = 17;
const TITLE = 19;

/** The height the legend column needs at scale 1 (so the export can size its panel). */
export function legendHeight(m: LegendModel): number {
  let h = 8 + TITLE + m.colours.length * ROW;
  if (m.size) h += 10 + TITLE + 2 * MAX_NODE_SIZE + 22;
  if (m.links.length) h += 10 + TITLE + m.links.length * ROW;
  return h + 8;
}

export function drawLegendCanvas(
  ctx: CanvasRenderingContext2D,
  m: LegendModel,
  x0: number,
  y0: number,
  width: number,
  scale: number,
): void {
  ctx.save();
  ctx.translate(x0, y0);
  ctx.scale(scale, scale);
  const w = width / scale;
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#c9ced6';
  ctx.lineWidth = 1;
  ctx.fillRect(0, 0, w, legendHeight(m));
  ctx.strokeRect(0.5, 0.5, w - 1, legendHeight(m) - 1);
  let y = 8;
  const title = (t: string): void => {
    ctx.font = '600 12px Helvetica, Arial, sans-serif';
    ctx.fillStyle = '#1d2430';
    ctx.fillText(t, 10, y + 13, w - 20);
    y += TITLE;
  };
  const text = (t: string, x: number): void => {
    ctx.font = '400 11px Helvetica, Arial, sans-serif';
    ctx.fillStyle = '#1d2430';
    ctx.fillText(t, x, y + 12, w - x - 8);
  };
  title(m.colourTitle);
  for (const c of m.colours) {
    ctx.beginPath();
    ctx.arc(18, y + 8, 6, 0, Math.PI * 2);
    ctx.fillStyle = c.ring ?? c.colour;
    ctx.fill();
    if (c.ring) {
      ctx.beginPath();
      ctx.arc(18, y + 8, 4.6, 0, Math.PI * 2);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.beginPath();
      ctx.arc(18, y + 8, 3.8, 0, Math.PI * 2);
      ctx.fillStyle = c.colour;
      ctx.fill();
    }
    text(`${c.label} (${c.count})`, 30);
    y += ROW;
  }
  if (m.size) {
    y += 10;
    title(`Size: ${m.size.measure}`);
    const r1 = m.size.minSize;
    const r2 = m.size.maxSize;
    ctx.fillStyle = '#9aa3b0';
    ctx.beginPath();
    ctx.arc(10 + r1, y + r2, r1, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.arc(10 + 2 * r1 + 40 + r2, y + r2, r2, 0, Math.PI * 2);
    ctx.fill();
    y += 2 * r2 + 4;
    ctx.font = '400 11px Helvetica, Arial, sans-serif';
    ctx.fillStyle = '#1d2430';
    ctx.fillText(legendNumber(m.size.min), 10, y + 12);
    const hiText = legendNumber(m.size.max);
    ctx.fillText(hiText, 10 + 2 * r1 + 40, y + 12);
    y += 18;
  }
  if (m.links.length) {
    y += 10;
    title('Links');
    for (const l of m.links) {
      ctx.strokeStyle = l.colour;
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(10, y + 8);
      ctx.lineTo(28, y + 8);
      ctx.stroke();
      text(`${l.label} (${l.count})`, 34);
      y += ROW;
    }
  }
  ctx.restore();
}

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** The same legend as SVG elements, at (x0, y0). */
export function legendSvg(m: LegendModel, x0: number, y0: number, width: number): string {
  const p: string[] = [`<g class="legend" transform="translate(${x0},${y0})">`];
  p.push(
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${legendHeight(m) - 1}" fill="#ffffff" stroke="#c9ced6"/>`,
  );
  let y = 8;
  const title = (t: string): void => {
    p.push(`<text x="10" y="${y + 13}" font-size="12" font-weight="600" fill="#1d2430">${esc(t)}</text>`);
    y += TITLE;
  };
  const text = (t: string, x: number): void => {
    p.push(`<text x="${x}" y="${y + 12}" font-size="11" fill="#1d2430">${esc(t)}</text>`);
  };
  title(m.colourTitle);
  for (const c of m.colours) {
    p.push(`<circle cx="18" cy="${y + 8}" r="6" fill="${c.ring ?? c.colour}"/>`);
    if (c.ring)
      p.push(
        `<circle cx="18" cy="${y + 8}" r="4.6" fill="#ffffff"/><circle cx="18" cy="${y + 8}" r="3.8" fill="${c.colour}"/>`,
      );
    text(`${c.label} (${c.count})`, 30);
    y += ROW;
  }
  if (m.size) {
    y += 10;
    title(`Size: ${m.size.measure}`);
    const r1 = m.size.minSize;
    const r2 = m.size.maxSize;
    p.push(`<circle cx="${10 + r1}" cy="${y + r2}" r="${r1}" fill="#9aa3b0"/>`);
    p.push(`<circle cx="${10 + 2 * r1 + 40 + r2}" cy="${y + r2}" r="${r2}" fill="#9aa3b0"/>`);
    y += 2 * r2 + 4;
    text(legendNumber(m.size.min), 10);
    text(legendNumber(m.size.max), 10 + 2 * r1 + 40);
    y += 18;
  }
  if (m.links.length) {
    y += 10;
    title('Links');
    for (const l of m.links) {
      p.push(`<line x1="10" y1="${y + 8}" x2="28" y2="${y + 8}" stroke="${l.colour}" stroke-width="3"/>`);
      text(`${l.label} (${l.count})`, 34);
      y += ROW;
    }
  }
  p.push('</g>');
  return p.join('');
}
