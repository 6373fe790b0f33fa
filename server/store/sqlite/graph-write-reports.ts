// writeBatch step (graph-write.ts): reports, immutable once written; the same ref with other content is a
// conflict. A report belongs to the operation that first wrote it.
import { defaultReviewDate } from '../../security/retention.ts';
import { StoreError } from '../common.ts';
import { tally, type Batch, type ReportRef } from './graph-write-batch.ts';
import { REPORT_COLS, gradeBit, type ReportRow } from './rows.ts';
import { reportId } from '../shared/ids.ts';
import type { ReportParsed } from '../shared/validate.ts';

export function upsertReports(b: Batch, reports: ReportParsed[]): void {
  if (reports.length === 0) return;
  const get = b.c.st(`SELECT ${REPORT_COLS}, r.grade_bit FROM reports r WHERE r.ref = ?`);
  const ins = b.c.st(
    `INSERT INTO reports (ref, date, author, text, source, intel, handling, conditions, review_date, grade_bit, created_at, op_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < reports.length; i++) {
    const r = reports[i];
    const conditions = r.conditions ?? null;
    const ex = get.get(r.ref) as (ReportRow & { grade_bit: number }) | undefined;
    let ref: ReportRef;
    if (ex) {
      if (!sameReport(ex, r, conditions)) {
        throw new StoreError(
          'conflict',
          `reports[${i}]: report ${r.ref} already exists with different content; reports cannot be changed once recorded`,
          ['reports', i, 'ref'],
        );
      }
      ref = { id: ex.id, bit: ex.grade_bit };
      b.res.reports.unchanged++;
    } else {
      const bit = gradeBit(r.source, r.intel);
      // Every report has a review date, set by its grading on entry when the source gave none.
      const review = r.reviewDate ?? defaultReviewDate(r);
      const id = ins.run(
        r.ref,
        r.date,
        r.author,
        r.text,
        r.source,
        r.intel,
        r.handling,
        conditions,
        review,
        bit,
        b.now,
        b.op,
      ).lastInsertRowid;
      ref = { id: Number(id), bit };
      tally(b, b.res.reports, 'created');
    }
    b.refs.set(r.ref, ref);
    b.res.reportIds.push(reportId(ref.id));
  }
}

function sameReport(ex: ReportRow, r: ReportParsed, conditions: string | null): boolean {
  return (
    ex.date === r.date &&
    ex.author === r.author &&
    ex.text === r.text &&
    ex.source === r.source &&
    ex.intel === r.intel &&
    ex.handling === r.handling &&
    ex.conditions === conditions &&
    // The review date is not part of a report's identity (retention moves it on): a report
    // written again without one is the same report; a different date given outright is not.
    (r.reviewDate === undefined || ex.review_date === r.reviewDate)
  );
}
