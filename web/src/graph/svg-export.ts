// SVG export written from node positions (sigma draws with WebGL, which has no vector output). Uses what
// the analyst sees: sigma's display data after the reducers (hidden items skipped, colours and sizes as drawn).
import type { EntityType } from '@domain/model.ts';
import type { PlacedLabel } from './labels.ts';
import { ICON_PATHS } from './style.ts';
import { curveControl } from './curve.ts';

export interface SvgNode {
  id: string;
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  etype: EntityType;
}
export interface SvgEdge {
  source: string;
  target: string;
  size: number;
  color: string;
  directed: boolean;
  curvature: number;
}

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Handling statement and conditions printed under a picture of C-coded intelligence. */
export interface PictureHandling {
  statement: string;
  conditions: Array<{ ref: string; conditions: string }>;
}

export interface SvgOptions {
  /** The chart area, in the viewport pixels the node positions are in. */
  width: number;
  height: number;
  title?: string;
  /** Protective marking, printed centred at the top and the bottom of the picture. */
  marking?: string;
  /** Placed labels (labels.ts), or true / false for every node's label beside it. */
  labels?: boolean | PlacedLabel[];
  /** The legend as SVG (legend-model.ts legendSvg), drawn in a column right of the chart. */
  legend?: { svg: (x: number, y: number) => string; width: number; height: number };
  /** Where C-coded intelligence lies behind the picture: the statement and each report's conditions. */
  handling?: PictureHandling;
}

/** Splits text into lines of at most `max` characters, at spaces. */
export function wrapText(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** The lines a picture prints about handling code C (statement, then one block per report). */
export function handlingLines(h: PictureHandling, max: number): string[] {
  const lines = wrapText(h.statement, max);
  for (const c of h.conditions) lines.push(...wrapText(`${c.ref}: ${c.conditions}`, max));
  return lines;
}

const BAND = 24;
const LINE = 14;

/** Nodes and edges in viewport pixels (sigma's framed coordinates converted by the caller). */
export function buildSvg(nodes: SvgNode[], edges: SvgEdge[], opts: SvgOptions): string {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parts: string[] = [];
  const { width: cw, height: ch } = opts;
  const top = opts.marking ? BAND : 0;
  const legendW = opts.legend ? opts.legend.width + 16 : 0;
  const w = cw + legendW;
  const bodyH = Math.max(ch, opts.legend ? opts.legend.height + 16 : 0);
  const hLines = opts.handling ? handlingLines(opts.handling, Math.max(40, Math.floor(w / 6.5))) : [];
  const condH = hLines.length ? hLines.length * LINE + 14 : 0;
  const h = top + bodyH + condH + (opts.marking ? BAND : 0);
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>`,
  );
  if (opts.marking)
    parts.push(
      `<text class="marking" x="${w / 2}" y="16" text-anchor="middle" font-size="12" font-weight="bold" fill="#b00">${esc(opts.marking)}</text>`,
    );
  parts.push(`<g class="chart" transform="translate(0,${top})">`);
  parts.push('<g class="edges">');
  for (const e of edges) {
    const a = byId.get(e.source);
    const b = byId.get(e.target);
    if (!a || !b) continue;
    // Stop the line at the target's rim so the arrow head is visible.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const tx = b.x - (dx / len) * b.size;
    const ty = b.y - (dy / len) * b.size;
    const marker = e.directed ? ' marker-end="url(#arrow)"' : '';
    if (e.curvature) {
      const [mx, my] = curveControl(a.x, a.y, b.x, b.y, e.curvature);
      parts.push(
        `<path d="M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${tx.toFixed(1)},${ty.toFixed(1)}" fill="none" stroke="${e.color}" stroke-width="${e.size.toFixed(1)}"${marker}/>`,
      );
    } else {
      parts.push(
        `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${tx.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="${e.color}" stroke-width="${e.size.toFixed(1)}"${marker}/>`,
      );
    }
  }
  parts.push('</g><g class="nodes">');
  for (const n of nodes) {
    const s = n.size;
    parts.push(
      `<g transform="translate(${n.x.toFixed(1)},${n.y.toFixed(1)})"><title>${esc(n.label)} (${n.etype})</title>` +
        `<circle r="${s.toFixed(1)}" fill="${n.color}"/>` +
        `<g transform="translate(${(-s * 0.65).toFixed(2)},${(-s * 0.65).toFixed(2)}) scale(${((s * 1.3) / 24).toFixed(3)})"><path fill="#fff" d="${ICON_PATHS[n.etype]}"/></g>` +
        (opts.labels === true || opts.labels === undefined
          ? n.label
            ? `<text x="${(s + 3).toFixed(1)}" y="4" font-size="11" fill="#1d2430">${esc(n.label)}</text>`
            : ''
          : '') +
        `</g>`,
    );
  }
  parts.push('</g>');
  if (Array.isArray(opts.labels)) {
    parts.push('<g class="labels">');
    for (const l of opts.labels) {
      if (l.leader)
        parts.push(
          `<line x1="${l.leader[0].toFixed(1)}" y1="${l.leader[1].toFixed(1)}" x2="${l.leader[2].toFixed(1)}" y2="${l.leader[3].toFixed(1)}" stroke="#8a93a3" stroke-width="1"/>`,
        );
      if (l.kind === 'link')
        parts.push(
          `<rect x="${l.box.x1.toFixed(1)}" y="${l.box.y1.toFixed(1)}" width="${(l.box.x2 - l.box.x1).toFixed(1)}" height="${(l.box.y2 - l.box.y1).toFixed(1)}" fill="#ffffff" fill-opacity="0.9"/>`,
        );
      parts.push(
        `<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" font-size="${l.kind === 'link' ? 10 : 12}" ${
          l.kind === 'link'
            ? 'fill="#3d4654"'
            : 'font-weight="500" fill="#1d2430" stroke="#ffffff" stroke-width="3" paint-order="stroke"'
        }>${esc(l.text)}</text>`,
      );
    }
    parts.push('</g>');
  }
  parts.push('</g>');
  if (opts.legend) parts.push(opts.legend.svg(cw + 8, top + 8));
  if (hLines.length) {
    const y0 = top + bodyH + 4;
    parts.push(
      `<g class="handling"><rect x="6" y="${y0}" width="${w - 12}" height="${condH - 8}" fill="#fff8e6" stroke="#b7791f"/>`,
    );
    hLines.forEach((line, i) =>
      parts.push(`<text x="14" y="${y0 + 14 + i * LINE}" font-size="11" fill="#5a3b00">${esc(line)}</text>`),
    );
    parts.push('</g>');
  }
  if (opts.marking)
    parts.push(
      `<text class="marking" x="${w / 2}" y="${h - 8}" text-anchor="middle" font-size="12" font-weight="bold" fill="#b00">${esc(opts.marking)}</text>`,
    );
  parts.push('</svg>');
  return parts.join('\n');
}
