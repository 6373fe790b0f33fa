// The PDF briefing page: what an analyst hands to a tasking meeting. A4 landscape; the protective marking at
// the top and bottom of every page; title, date and author; the chart image; a legend; the top entities by
// the chosen measure; the 3x5x2 grading key; the analysis record (so the chart can be reproduced); and the
// conditions of every C-coded report behind what is shown. Pure apart from pdfkit: input in, bytes out.
import PDFDocument from 'pdfkit';
import { HANDLING_LABELS, INTEL_LABELS, SOURCE_LABELS } from '../domain/model.ts';
import type { BriefingSection } from '../cycle/briefing.ts';
import { renderBriefingSections } from '../cycle/briefing-pdf.ts';

export interface BriefingInput {
  title: string;
  author: string;
  /** e.g. OFFICIAL-SENSITIVE. */
  marking: string;
  /** ISO date-time the briefing was made. */
  date: string;
  /** PNG bytes of the chart. */
  chartPng: Buffer;
  legend: Array<{ label: string; colour: string }>;
  /** Display name of the measure the table ranks by, or null. */
  metric: string | null;
  topNodes: Array<{ rank: number; label: string; type: string; value: number }>;
  /**
   * The operations the briefing's facts were read from, each `OP <REF> · <name> · OPEN|CLOSED`
   * (export/operation-marking.ts): printed under the marking on every page.
   */
  operations?: string[];
  /** Name-value pairs of the analysis record, printed in order. */
  record: Array<[string, string]>;
  /**
   * The disclosure check's answer (server/security/handling.ts assessDisclosure): the sentence about
   * handling code C, and the conditions of every C-coded report behind the briefing, by reference.
   */
  handling: { statement: string; conditions: Array<{ ref: string; conditions: string }> };
  /** Further sections on pages of their own, e.g. the operational review (server/cycle/briefing.ts). */
  sections?: BriefingSection[];
}

const MARK_COLOUR = '#b00000';

/** The chart picture has a PNG signature but cannot be decoded: the caller's input, not a server fault. */
export class UnreadableImageError extends Error {
  constructor(cause: unknown) {
    super(`chartPng is not a readable PNG image (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'UnreadableImageError';
  }
}

function isPng(b: Buffer): boolean {
  return b.length > 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a;
}

export function briefingPdf(input: BriefingInput): Promise<Buffer> {
  if (!isPng(input.chartPng)) return Promise.reject(new Error('chartPng is not a PNG image'));
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 40, bottom: 40, left: 36, right: 36 },
    info: { Title: input.title, Author: input.author, Subject: input.marking, Creator: 'Linkchart' },
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const W = doc.page.width;
  const H = doc.page.height;
  const left = 36;
  const right = W - 36;

  // --- page 1: title, chart, legend, top nodes ---
  let y = 44;
  doc
    .font('Helvetica-Bold')
    .fontSize(17)
    .fillColor('#1d2430')
    .text(input.title, left, y, { width: right - left });
  y = doc.y + 2;
  const when = new Date(input.date);
  const dateText = Number.isNaN(when.getTime())
    ? input.date
    : when.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#555')
    .text(`${dateText}   ·   Prepared by ${input.author}`, left, y);
  y = doc.y + 8;

  const chartW = 540;
  const chartH = H - y - 70;
  doc.rect(left, y, chartW, chartH).lineWidth(0.5).strokeColor('#ccc').stroke();
  try {
    doc.image(input.chartPng, left + 2, y + 2, {
      fit: [chartW - 4, chartH - 4],
      align: 'center',
      valign: 'center',
    });
  } catch (e) {
    throw new UnreadableImageError(e);
  }

  const colX = left + chartW + 16;
  const colW = right - colX;
  let cy = y;
  doc.font('Helvetica-Bold').fontSize(10).fillColor('#1d2430').text('Legend', colX, cy);
  cy = doc.y + 3;
  for (const l of input.legend.slice(0, 14)) {
    doc
      .circle(colX + 5, cy + 4.5, 4.5)
      .fillColor(/^#[0-9a-f]{3,8}$/i.test(l.colour) ? l.colour : '#888')
      .fill();
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor('#1d2430')
      .text(l.label, colX + 14, cy, { width: colW - 14 });
    cy = doc.y + 2;
  }
  cy += 8;
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .fillColor('#1d2430')
    .text(input.metric ? `Top entities by ${input.metric}` : 'Top entities', colX, cy, { width: colW });
  cy = doc.y + 3;
  if (!input.topNodes.length) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(8.5)
      .fillColor('#555')
      .text('No measure was run for this chart.', colX, cy, { width: colW });
    cy = doc.y;
  } else {
    doc.font('Helvetica-Bold').fontSize(8).fillColor('#555');
    doc.text('#', colX, cy, { width: 16 });
    doc.text('Entity', colX + 18, cy, { width: colW - 80 });
    doc.text('Score', right - 60, cy, { width: 60, align: 'right' });
    cy += 12;
    doc
      .moveTo(colX, cy - 2)
      .lineTo(right, cy - 2)
      .lineWidth(0.4)
      .strokeColor('#bbb')
      .stroke();
    for (const r of input.topNodes.slice(0, 15)) {
      doc.font('Helvetica').fontSize(8).fillColor('#1d2430');
      doc.text(String(r.rank), colX, cy, { width: 16 });
      doc.text(`${r.label} (${r.type})`, colX + 18, cy, {
        width: colW - 80,
        lineBreak: false,
        ellipsis: true,
      });
      // As the workbench prints a score (web/src/analysis/ranking.ts formatScore): counts whole.
      const shown = Number.isInteger(r.value)
        ? String(r.value)
        : Math.abs(r.value) < 10
          ? r.value.toFixed(4)
          : r.value.toFixed(1);
      doc.text(shown, right - 60, cy, {
        width: 60,
        align: 'right',
      });
      cy += 12;
    }
  }

  // --- page 2: grading key, analysis record, handling conditions ---
  doc.addPage();
  y = 50;
  doc.font('Helvetica-Bold').fontSize(13).fillColor('#1d2430').text('Grading key (3x5x2)', left, y);
  y = doc.y + 4;
  const keyCol = (title: string, rows: string[], x: number, w: number): number => {
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#1d2430').text(title, x, y, { width: w });
    let yy = doc.y + 2;
    for (const r of rows) {
      doc.font('Helvetica').fontSize(8.5).fillColor('#333').text(r, x, yy, { width: w });
      yy = doc.y + 1;
    }
    return yy;
  };
  const third = (right - left) / 3;
  const y1 = keyCol(
    'Source evaluation',
    Object.entries(SOURCE_LABELS).map(([k, v]) => `${k}  ${v}`),
    left,
    third - 10,
  );
  const y2 = keyCol(
    'Intelligence assessment',
    Object.entries(INTEL_LABELS).map(([k, v]) => `${k}  ${v}`),
    left + third,
    third - 10,
  );
  const y3 = keyCol(
    'Handling code',
    Object.entries(HANDLING_LABELS).map(([k, v]) => `${k}  ${v}`),
    left + 2 * third,
    third - 10,
  );
  y = Math.max(y1, y2, y3) + 14;

  doc.font('Helvetica-Bold').fontSize(13).fillColor('#1d2430').text('Analysis record', left, y);
  y = doc.y + 4;
  for (const [k, v] of input.record) {
    doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#333').text(k, left, y, { width: 150 });
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor('#333')
      .text(v, left + 155, y, { width: right - left - 155 });
    y = Math.max(doc.y, y + 11) + 1;
  }
  y += 12;
  doc.font('Helvetica-Bold').fontSize(13).fillColor('#1d2430').text('Handling conditions', left, y);
  y = doc.y + 4;
  // The statement and the conditions are the disclosure check's own answer, never worked out here.
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor('#333')
    .text(input.handling.statement, left, y, { width: right - left });
  if (input.handling.conditions.length) {
    y = doc.y + 4;
    for (const c of input.handling.conditions) {
      if (y > H - 70) {
        doc.addPage();
        y = 50;
      }
      doc.font('Helvetica-Bold').fontSize(8.5).fillColor(MARK_COLOUR).text(c.ref, left, y, { width: 120 });
      doc
        .font('Helvetica')
        .fontSize(8.5)
        .fillColor('#333')
        .text(c.conditions, left + 125, y, { width: right - left - 125 });
      y = Math.max(doc.y, y + 11) + 2;
    }
  }

  if (input.sections?.length) renderBriefingSections(doc, input.sections, { left, right, height: H });

  // The marking goes on every page, top and bottom, once the pages exist.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not start a new page
    doc.font('Helvetica-Bold').fontSize(11).fillColor(MARK_COLOUR);
    doc.text(input.marking, 0, 16, { width: W, align: 'center', lineBreak: false });
    doc.text(input.marking, 0, H - 26, { width: W, align: 'center', lineBreak: false });
    if (input.operations?.length) {
      // Inside the top margin, under the marking: which operations the page's facts come from.
      const ops = input.operations.join('   |   ');
      doc
        .font('Helvetica-Bold')
        .fontSize(7.5)
        .fillColor(ops.includes('· CLOSED') ? MARK_COLOUR : '#333');
      doc.text(ops, 36, 29, { width: W - 72, align: 'center', lineBreak: false, height: 10 });
    }
    doc
      .font('Helvetica')
      .fontSize(7)
      .fillColor('#777')
      .text(`Page ${i - range.start + 1} of ${range.count}`, right - 80, H - 24, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
