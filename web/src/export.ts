// Export of what the analyst sees: PNG at a chosen resolution (@sigma/export-image), SVG (from positions),
// the PDF briefing (rendered by the server from the chart image and the analysis record), and the chart's
// data as a file other tools open (i2 ANX, GraphML, GEXF, CSV, JSON; written by the server).
import { drawOnCanvas } from '@sigma/export-image';
import type { EntityType } from '@domain/model.ts';
import { api, request } from './api/client.ts';
import { chart } from './graph/controller.ts';
import { LABEL_STYLE, drawLabels, type LabelStyle, type PlacedLabel } from './graph/labels.ts';
import { drawLegendCanvas, legendHeight, legendSvg } from './graph/legend-model.ts';
import {
  buildSvg,
  handlingLines,
  type PictureHandling,
  type SvgEdge,
  type SvgNode,
} from './graph/svg-export.ts';
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

/** What the server says a picture must carry: its marking and, where C-coded, the handling conditions. */
export interface PictureClearance {
  marking: string;
  cCoded: boolean;
  statement: string;
  conditions: Array<{ ref: string; conditions: string }>;
}

/** What a picture of the chart shows: the entities and links left visible. */
function drawnIds(): { entityIds: string[]; linkIds: string[] } {
  const entityIds = chart.visibleNodeIds();
  const visible = new Set(entityIds);
  const linkIds = chart.graph.filterEdges(
    (e, _a, s, t) => visible.has(s) && visible.has(t) && chart.isEdgeVisible(e),
  );
  return { entityIds, linkIds };
}

/**
 * Asks the server to clear a picture for export (POST /api/exports/picture): the same disclosure check the
 * PDF and data exports pass, so a picture of C-coded intelligence needs the same confirmation (the server
 * answers 428 with the conditions until it has it), and the export is audited with every id drawn.
 */
export async function clearPicture(
  format: 'png' | 'svg',
  marking: string,
  handling?: HandlingConfirmation,
): Promise<PictureClearance> {
  return request<PictureClearance>('POST', '/api/exports/picture', {
    format,
    marking,
    chartName: appStore.get().chart.name,
    ...drawnIds(),
    ...(handling ? { handling } : {}),
  });
}

export interface PictureOptions {
  /** Protective marking, printed at the top and the bottom. */
  marking?: string;
  /** Printed under the chart when C-coded intelligence lies behind it. */
  handling?: PictureHandling;
  /** The legend column (colour, size, links); on unless turned off. */
  legend?: boolean;
}

/**
 * The chart as PNG, `width` x `height` pixels: the marking in bands at the top and the bottom, the chart
 * with its labels (placed so none overlaps), the legend in a column on the right, and the handling
 * conditions under the chart where C-coded. `whole`: the whole graph framed, whatever the analyst has
 * zoomed to.
 */
export async function pngBlob(
  width: number,
  height: number,
  whole = false,
  opts: PictureOptions = {},
): Promise<Blob> {
  const sigma = chart.sigma;
  if (!sigma) throw new Error('the chart is not ready');
  // Type and bands grow with the image so they stay readable when it is printed smaller.
  const k = Math.max(1, width / 1400);
  const band = opts.marking ? Math.round(24 * k) : 0;
  const legend = opts.legend === false ? null : chart.legend();
  const legendW = legend ? Math.round(230 * k) : 0;
  const hLines = opts.handling ? handlingLines(opts.handling, Math.floor(width / (6.5 * k))) : [];
  const condH = hLines.length ? Math.round((hLines.length * 14 + 14) * k) : 0;
  const chartW = width - legendW;
  const chartH = Math.max(100, height - 2 * band - condH);
  const style: LabelStyle = {
    ...LABEL_STYLE,
    fontSize: Math.round(LABEL_STYLE.fontSize * k),
    linkFontSize: Math.round(LABEL_STYLE.linkFontSize * k),
  };
  let labels: PlacedLabel[] = [];
  const chartCanvas = await drawOnCanvas(sigma, {
    ...(whole ? { cameraState: { x: 0.5, y: 0.5, ratio: 1.05, angle: 0 } } : {}),
    width: chartW,
    height: chartH,
    backgroundColor: '#ffffff',
    layers: ['edges', 'nodes', 'hovers'],
    withTempRenderer: (r) => {
      labels =
        appStore.get().appearance.showLabels || chart.selectedIds().length
          ? chart.computeLabels(r, style)
          : [];
    },
  });
  const pr = chartCanvas.width / chartW;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * pr);
  canvas.height = Math.round(height * pr);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(pr, pr);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(chartCanvas, 0, band, chartW, chartH);
  ctx.save();
  ctx.translate(0, band);
  ctx.beginPath();
  ctx.rect(0, 0, chartW, chartH);
  ctx.clip();
  drawLabels(ctx, labels, style);
  ctx.restore();
  if (legend) drawLegendCanvas(ctx, legend, chartW + 8 * k, band + 8 * k, legendW - 16 * k, k);
  if (hLines.length) {
    const y0 = band + chartH + 4 * k;
    ctx.fillStyle = '#fff8e6';
    ctx.strokeStyle = '#b7791f';
    ctx.lineWidth = k;
    ctx.fillRect(6 * k, y0, width - 12 * k, condH - 8 * k);
    ctx.strokeRect(6 * k, y0, width - 12 * k, condH - 8 * k);
    ctx.fillStyle = '#5a3b00';
    ctx.font = `400 ${Math.round(11 * k)}px Helvetica, Arial, sans-serif`;
    hLines.forEach((line, i) => ctx.fillText(line, 14 * k, y0 + (14 + i * 14) * k));
  }
  if (opts.marking) {
    ctx.fillStyle = '#bb0000';
    ctx.font = `700 ${Math.round(13 * k)}px Helvetica, Arial, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText(opts.marking, width / 2, band * 0.7);
    ctx.fillText(opts.marking, width / 2, height - band * 0.3);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the picture could not be drawn'))), 'image/png'),
  );
}

/** The chart as SVG, as drawn now: nodes, links, the same labels as the chart, the legend and the marking. */
export function svgString(opts: PictureOptions = {}): string {
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
  const legend = opts.legend === false ? null : chart.legend();
  return buildSvg(nodes, edges, {
    width,
    height,
    marking: opts.marking,
    labels: chart.computeLabels(sigma),
    ...(legend
      ? {
          legend: {
            svg: (x: number, y: number) => legendSvg(legend, x, y, 220),
            width: 220,
            height: legendHeight(legend),
          },
        }
      : {}),
    ...(opts.handling ? { handling: opts.handling } : {}),
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
  // The chart's own legend (communities largest first, as on the chart), to the PDF's limit of 50 rows.
  const legend = chart
    .legend()
    .colours.slice(0, 50)
    .map((c) => ({ label: c.label.slice(0, 100), colour: c.colour }));
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
