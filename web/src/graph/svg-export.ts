// SVG export written from node positions (sigma draws with WebGL, which has no vector output). Uses what
// the analyst sees: sigma's display data after the reducers (hidden items skipped, colours and sizes as drawn).
import type { EntityType } from '@domain/model.ts';
import { ICON_PATHS } from './style.ts';

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

/** Nodes and edges in viewport pixels (sigma's framed coordinates converted by the caller). */
export function buildSvg(
  nodes: SvgNode[],
  edges: SvgEdge[],
  opts: { width: number; height: number; title?: string; marking?: string; labels?: boolean },
): string {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parts: string[] = [];
  const { width: w, height: h } = opts;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>`,
  );
  if (opts.marking)
    parts.push(
      `<text x="${w / 2}" y="16" text-anchor="middle" font-size="12" font-weight="bold" fill="#b00">${esc(opts.marking)}</text>`,
    );
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
      const mx = (a.x + tx) / 2 - dy * e.curvature;
      const my = (a.y + ty) / 2 + dx * e.curvature;
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
        (opts.labels !== false && n.label
          ? `<text x="${(s + 3).toFixed(1)}" y="4" font-size="11" fill="#1d2430">${esc(n.label)}</text>`
          : '') +
        `</g>`,
    );
  }
  parts.push('</g>');
  if (opts.marking)
    parts.push(
      `<text x="${w / 2}" y="${h - 6}" text-anchor="middle" font-size="12" font-weight="bold" fill="#b00">${esc(opts.marking)}</text>`,
    );
  parts.push('</svg>');
  return parts.join('\n');
}
