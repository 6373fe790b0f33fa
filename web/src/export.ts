// Export of what the analyst sees: PNG at a chosen resolution (@sigma/export-image), SVG (from positions),
// the PDF briefing (rendered by the server from the chart image and the analysis record), and the chart's
// data as a file other tools open (i2 ANX, GraphML, GEXF, CSV, JSON; written by the server).
import { toBlob } from '@sigma/export-image';
import type { EntityType } from '@domain/model.ts';
import { api } from './api/client.ts';
import { chart } from './graph/controller.ts';
import { buildSvg, type SvgEdge, type SvgNode } from './graph/svg-export.ts';
import { TYPE_COLOURS, communityColour } from './graph/style.ts';
import { appStore } from './state/app.ts';
import { describeFilters, toViewFilter } from './state/filters.ts';
import { analysisRecord, briefingTop, exportedScores } from './analysis/record.ts';

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'chart';
}

/** The chart as PNG. `whole`: the whole graph framed, whatever the analyst has zoomed to. */
export async function pngBlob(width: number, height: number, whole = false): Promise<Blob> {
  const sigma = chart.sigma;
  if (!sigma) throw new Error('the chart is not ready');
  return toBlob(sigma, {
    ...(whole ? { cameraState: { x: 0.5, y: 0.5, ratio: 1.05, angle: 0 } } : {}),
    // Labels scale with the image so they stay readable when it is printed smaller.
    sigmaSettings: { labelSize: Math.round(12 * Math.max(1, width / 1400)) },
    width,
    height,
    format: 'png',
    backgroundColor: '#ffffff',
    layers: ['edges', 'nodes', 'edgeLabels', 'labels'],
  });
}

export function svgString(opts: { marking?: string } = {}): string {
  const sigma = chart.sigma;
  if (!sigma) throw new Error('the chart is not ready');
  const { width, height } = sigma.getDimensions();
  const nodes: SvgNode[] = [];
  chart.graph.forEachNode((id, a) => {
    const d = sigma.getNodeDisplayData(id);
    if (!d || d.hidden) return;
    const v = sigma.framedGraphToViewport(d);
    nodes.push({
      id,
      x: v.x,
      y: v.y,
      size: sigma.scaleSize(d.size),
      color: d.color,
      label: String(a.label),
      etype: a.etype as EntityType,
    });
  });
  const edges: SvgEdge[] = [];
  chart.graph.forEachEdge((id, a, s, t) => {
    const d = sigma.getEdgeDisplayData(id);
    if (!d || d.hidden) return;
    edges.push({
      source: s,
      target: t,
      size: Math.max(0.6, sigma.scaleSize(d.size)),
      color: d.color,
      directed: !!a.directed,
      curvature: Number(a.curvature ?? 0),
    });
  });
  return buildSvg(nodes, edges, {
    width,
    height,
    marking: opts.marking,
    labels: appStore.get().appearance.showLabels,
  });
}

export interface BriefingOptions {
  title: string;
  author: string;
  marking: string;
  /** Long side of the chart image in pixels. */
  resolution: number;
}

async function blobToBase64(b: Blob): Promise<string> {
  const buf = new Uint8Array(await b.arrayBuffer());
  let s = '';
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Everything the briefing page needs, gathered from the chart and the state. */
export async function briefingBody(o: BriefingOptions): Promise<Record<string, unknown>> {
  const s = appStore.get();
  const png = await pngBlob(o.resolution, Math.round(o.resolution * 0.85), true);
  const visible = new Set(chart.visibleNodeIds());
  const top = briefingTop(s.ranking);
  const types = new Set<string>();
  chart.graph.forEachNode((n, a) => visible.has(n) && types.add(a.etype as string));
  const legend =
    s.appearance.colourBy === 'community' && s.appearance.communities
      ? [...new Set(Object.values(s.appearance.communities))]
          .slice(0, 12)
          .map((c) => ({ label: `Community ${c + 1}`, colour: communityColour(c) }))
      : [...types].map((t) => ({ label: t, colour: TYPE_COLOURS[t as EntityType] }));
  return {
    title: o.title,
    author: o.author,
    marking: o.marking,
    date: new Date().toISOString(),
    chartPng: await blobToBase64(png),
    legend,
    metric: top.title,
    topNodes: top.rows,
    // The server adds the data version and who exported; it finds the C-coded conditions itself from the ids.
    record: {
      Chart: s.chart.name,
      Filters: describeFilters(s.filters),
      'View filter': toViewFilter(s.filters),
      ...analysisRecord(s.ranking, s.appearance.communities !== null),
    },
    entityIds: [...visible].slice(0, 5000),
    linkIds: chart.graph
      .filterEdges((_e, _a, src, tgt) => visible.has(src) && visible.has(tgt))
      .slice(0, 5000),
  };
}

/** The data formats the Export dialog offers, in the order an analyst reaches for them. */
export const DATA_FORMATS = [
  { id: 'anx', label: "i2 Analyst's Notebook chart (ANX)", ext: 'anx' },
  { id: 'graphml', label: 'GraphML', ext: 'graphml' },
  { id: 'gexf', label: 'GEXF (Gephi)', ext: 'gexf' },
  { id: 'csv-nodes', label: 'CSV: entities', ext: 'nodes.csv' },
  { id: 'csv-links', label: 'CSV: links', ext: 'links.csv' },
  { id: 'json', label: 'JSON', ext: 'json' },
] as const;
export type DataFormat = (typeof DATA_FORMATS)[number]['id'];

/**
 * The entities on the chart (those the filters leave visible), where they are drawn, the view filter and the
 * measure sizing the nodes, as an export request: the file holds what the analyst sees, laid out as drawn.
 */
export function dataExportBody(format: DataFormat): Record<string, unknown> {
  const s = appStore.get();
  const ids = chart.visibleNodeIds();
  const positions: Record<string, { x: number; y: number }> = {};
  for (const id of ids) {
    const a = chart.graph.getNodeAttributes(id);
    if (Number.isFinite(a.x) && Number.isFinite(a.y)) positions[id] = { x: a.x as number, y: a.y as number };
  }
  const scored = exportedScores(s.ranking, new Set(ids));
  const [fmt, part] = format.startsWith('csv-') ? ['csv', format.slice(4)] : [format, undefined];
  return {
    format: fmt,
    ...(part ? { part } : {}),
    entityIds: ids,
    positions,
    view: toViewFilter(s.filters),
    ...(scored ? { analysis: scored } : {}),
  };
}

export async function dataExport(
  format: DataFormat,
  base: string,
  handling?: HandlingConfirmation,
): Promise<void> {
  const blob = await api.exportFile({ ...dataExportBody(format), ...(handling ? { handling } : {}) });
  download(blob, `${base}.${DATA_FORMATS.find((f) => f.id === format)!.ext}`);
}

/** Confirmation the server asks for (HTTP 428) when the chart rests on C-coded intelligence. */
export interface HandlingConfirmation {
  confirmConditions: true;
  justification: string;
  recipient: string;
}

export async function briefingPdf(o: BriefingOptions, handling?: HandlingConfirmation): Promise<Blob> {
  return api.briefingPdf({ ...(await briefingBody(o)), ...(handling ? { handling } : {}) });
}
