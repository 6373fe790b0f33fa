// Retention review (Police Information and Records Management Code of Practice: review, retain,
// dispose). Every intelligence report has a review date, set on entry from the table below when the
// source did not give one. The queue is what is due; retaining records a reviewer, a reason and the
// next date; disposing deletes the report and whatever rested on nothing else. The audit hook records
// all three (actions retention.read, retention.retain, retention.dispose).
import type { Report, ReportInput, WriteContext } from '../domain/model.ts';
import { StoreError, type Page } from '../store/common.ts';
import type { GraphStore, WriteBatch } from '../store/graph-store.ts';

export interface ReviewRule {
  /** Applies when the report matches (first matching rule wins). */
  when: (r: Pick<Report, 'source' | 'intel' | 'handling'>) => boolean;
  years: number;
  why: string;
}

/**
 * Default review periods from the report's date. Intelligence thought false or from an unreliable
 * source is reviewed soonest, because holding it longer is hardest to justify; everything else follows
 * the MoPI group 3 six-year review. A force replaces this table with its own policy.
 */
export const REVIEW_TABLE: readonly ReviewRule[] = [
  { when: (r) => r.intel === 'E', years: 1, why: 'assessed as suspected false (E)' },
  { when: (r) => r.source === 3, years: 1, why: 'source not reliable (3)' },
  { when: (r) => r.intel === 'D', years: 3, why: 'not known to the source (D)' },
  { when: () => true, years: 6, why: 'default review period' },
];

function addYears(isoDate: string, years: number): string {
  const d = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  if (Number.isNaN(d.getTime()))
    throw new StoreError('invalid', `date ${JSON.stringify(isoDate)} is not a date`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** The review date a report gets when none was given: its date plus the table's period. */
export function defaultReviewDate(r: Pick<Report, 'date' | 'source' | 'intel' | 'handling'>): string {
  const rule = REVIEW_TABLE.find((x) => x.when(r))!;
  return addYears(r.date, rule.years);
}

/** The batch with a review date on every report: for the import pipeline and the batch route. */
export function withReviewDates(batch: WriteBatch): WriteBatch {
  if (!batch.reports?.length) return batch;
  return {
    ...batch,
    reports: batch.reports.map((r): ReportInput => {
      if (r.reviewDate) return r;
      const grading = { date: r.date, source: r.source, intel: r.intel, handling: r.handling };
      try {
        return {
          ...r,
          reviewDate: defaultReviewDate(grading as Pick<Report, 'date' | 'source' | 'intel' | 'handling'>),
        };
      } catch {
        // Leave an unusable date for the store's validation to report with its row.
        return r;
      }
    }),
  };
}

/** Reports whose review date is before `before` (default: today, UTC). */
export async function reviewQueue(
  graph: GraphStore,
  opts: { before?: string; offset?: number; limit?: number; after?: string } = {},
): Promise<Page<Report>> {
  const before = opts.before ?? new Date().toISOString().slice(0, 10);
  const { offset, limit, after } = opts;
  return graph.listReports({ dueBefore: before, offset, limit, ...(after === undefined ? {} : { after }) });
}

export interface RetainDecision {
  reason: string;
  /** Next review date; default: today plus the table's period for this report's grading. */
  nextReview?: string;
}

/** Keeps a report for another period. The reviewer and reason go in the audit record. */
export async function retainReport(
  graph: GraphStore,
  idOrRef: string,
  decision: RetainDecision,
  ctx: WriteContext,
): Promise<Report> {
  const report = await graph.getReport(idOrRef);
  if (!report) throw new StoreError('not_found', `no report ${JSON.stringify(idOrRef)}`, ['id']);
  const today = new Date().toISOString().slice(0, 10);
  const next = decision.nextReview ?? defaultReviewDate({ ...report, date: today });
  if (next <= today)
    throw new StoreError('invalid', `next review date ${next} must be after today (${today})`, [
      'nextReview',
    ]);
  if (graph.setReportReviewDate) return graph.setReportReviewDate(report.id, next, ctx);
  // Stores without the method: re-write the same report with the new date (an upsert by ref).
  const input: ReportInput = {
    ref: report.ref,
    date: report.date,
    author: report.author,
    text: report.text,
    source: report.source,
    intel: report.intel,
    handling: report.handling,
    ...(report.conditions ? { conditions: report.conditions } : {}),
    reviewDate: next,
  };
  await graph.writeBatch({ reports: [input] }, ctx);
  const after = await graph.getReport(report.id);
  if (!after || after.reviewDate !== next)
    throw new StoreError('conflict', `the store did not record the new review date for ${report.ref}`);
  return after;
}

/** Removes the report and everything that rested only on it; returns what went. */
export async function disposeReport(
  graph: GraphStore,
  idOrRef: string,
  ctx: WriteContext,
): Promise<{ report: Report; entities: string[]; links: string[] }> {
  const report = await graph.getReport(idOrRef);
  if (!report) throw new StoreError('not_found', `no report ${JSON.stringify(idOrRef)}`, ['id']);
  const removed = await graph.deleteReport(report.id, ctx);
  return { report, ...removed };
}
