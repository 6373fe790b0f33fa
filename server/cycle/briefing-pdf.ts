// Lays out briefing sections (server/cycle/briefing.ts: headings, sentences, tables) on pages of their
// own in a pdfkit briefing, after its first page. The briefing puts the protective marking on every page
// afterwards, so these pages carry it too.
import type { BriefingSection } from './briefing.ts';

export interface SectionLayout {
  left: number;
  right: number;
  /** Page height. */
  height: number;
}

export function renderBriefingSections(
  doc: PDFKit.PDFDocument,
  sections: BriefingSection[],
  { left, right, height }: SectionLayout,
): void {
  const width = right - left;
  const bottom = height - 60;
  for (const s of sections) {
    doc.addPage();
    let y = 50;
    doc.font('Helvetica-Bold').fontSize(15).fillColor('#1d2430').text(s.title, left, y, { width });
    y = doc.y + 6;
    for (const p of s.paragraphs) {
      doc.font('Helvetica').fontSize(9.5).fillColor('#333').text(p, left, y, { width });
      y = doc.y + 4;
    }
    y += 6;
    for (const t of s.tables) {
      if (t.rows.length === 0) continue;
      if (y > bottom - 60) {
        doc.addPage();
        y = 50;
      }
      doc.font('Helvetica-Bold').fontSize(11).fillColor('#1d2430').text(t.title, left, y, { width });
      y = doc.y + 4;
      // The first column holds names; the rest share what is left.
      const first = Math.min(260, width * 0.4);
      const rest = t.columns.length > 1 ? (width - first) / (t.columns.length - 1) : 0;
      const colX = (i: number): number => (i === 0 ? left : left + first + (i - 1) * rest);
      const colW = (i: number): number => (i === 0 ? first - 6 : rest - 6);
      const row = (cells: string[], bold: boolean): void => {
        if (y > bottom) {
          doc.addPage();
          y = 50;
        }
        let next = y;
        cells.forEach((c, i) => {
          doc
            .font(bold ? 'Helvetica-Bold' : 'Helvetica')
            .fontSize(8.5)
            .fillColor(bold ? '#555' : '#222')
            .text(c, colX(i), y, { width: colW(i) });
          next = Math.max(next, doc.y);
        });
        y = next + 3;
      };
      row(t.columns, true);
      doc
        .moveTo(left, y - 1)
        .lineTo(right, y - 1)
        .strokeColor('#ccc')
        .lineWidth(0.5)
        .stroke();
      for (const r of t.rows) row(r, false);
      y += 10;
    }
  }
}
