// The reports step of a write batch: reports are immutable once written, so one met again must be the same.
import { defaultReviewDate } from '../../security/retention.ts';
import { StoreError } from '../common.ts';
import type { EntityParsed, LinkParsed, ReportParsed } from '../shared/validate.ts';
import type { BatchRun } from './graph-write-batch.ts';
import { gradeCode, type ReportNode } from './rows.ts';

/** Same ref, same report; the review date is not part of its identity: absent means "as recorded". */
function sameReport(ex: ReportNode, r: ReportParsed): boolean {
  return (
    ex.date === r.date &&
    ex.author === r.author &&
    ex.text === r.text &&
    ex.source === r.source &&
    ex.intel === r.intel &&
    ex.handling === r.handling &&
    (ex.conditions ?? null) === (r.conditions ?? null) &&
    (r.reviewDate === undefined || (ex.reviewDate ?? null) === r.reviewDate)
  );
}

function newReport(run: BatchRun, r: ReportParsed): ReportNode {
  const n = run.st.take('report');
  return {
    id: `r${n}`,
    n,
    ref: r.ref,
    date: r.date,
    author: r.author,
    text: r.text,
    source: r.source,
    intel: r.intel,
    handling: r.handling,
    conditions: r.conditions ?? null,
    reviewDate: r.reviewDate ?? defaultReviewDate(r),
    grade: gradeCode(r.source, r.intel),
    op: run.op,
    createdAt: run.now,
  };
}

type BatchInput = { reports: ReportParsed[]; entities: EntityParsed[]; links: LinkParsed[] };

/** Stored reports a batch names: by ref, and whether each it gives content for is the one given. */
export interface KnownReports {
  known: Map<string, ReportNode>;
  same: Map<string, boolean>;
}

/**
 * The stored reports the batch names (its own and those its entities and links cite), by ref. Each is compared
 * with the batch's own content for it in the database (reports-check), so only its id and grading come back,
 * not its text: `known` holds those, `same` whether each stored report of the batch's own is the one it gives.
 * A ref the batch gives twice comes back whole and is compared here, each time.
 */
export async function lookupReports(run: BatchRun, batch: BatchInput): Promise<KnownReports> {
  const given = new Map<string, ReportParsed | null>();
  for (const r of batch.reports) given.set(r.ref, given.has(r.ref) ? null : r);
  const wanted = new Set<string>(given.keys());
  for (const e of batch.entities) for (const r of e.reports) wanted.add(r);
  for (const l of batch.links) for (const r of l.reports) wanted.add(r);
  const out: KnownReports = { known: new Map(), same: new Map() };
  if (wanted.size === 0) return out;
  const refs = [...wanted].map((ref) => {
    const r = given.get(ref);
    const c = r
      ? {
          date: r.date,
          author: r.author,
          text: r.text,
          source: r.source,
          intel: r.intel,
          handling: r.handling,
          conditions: r.conditions ?? null,
          hasReview: r.reviewDate !== undefined,
          reviewDate: r.reviewDate ?? null,
        }
      : null;
    return { ref, c, full: r === null };
  });
  for (const row of await run.tx.run('reports-check', { refs })) {
    const ref = row.ref as string;
    const full = row.full as ReportNode | null;
    // Only the id and grading of a report cited are used (provenance, a link's gradings, its events).
    out.known.set(ref, full ?? ({ id: row.id, ref, grade: row.grade } as ReportNode));
    if (typeof row.same === 'boolean') out.same.set(ref, row.same);
  }
  return out;
}

/** How many reports the batch creates (refs not stored): numbers to reserve. */
export function newReportCount(batch: BatchInput, { known }: KnownReports): number {
  return new Set(batch.reports.filter((r) => !known.has(r.ref)).map((r) => r.ref)).size;
}

/**
 * Reports are immutable once written: the same ref with other content is a conflict. Returns every report the
 * batch may cite by ref: its own and the stored ones its entities and links name (`known`, from lookupReports).
 */
export async function upsertReports(
  run: BatchRun,
  batch: BatchInput,
  stored: KnownReports,
): Promise<Map<string, ReportNode>> {
  const created: ReportNode[] = [];
  const { known, same } = stored;
  await run.st.reserve('report', newReportCount(batch, stored));
  batch.reports.forEach((r, i) => {
    const ex = known.get(r.ref);
    // A stored report given once was compared in the database; one created by this batch, or given twice, here.
    if (ex && !(same.get(r.ref) ?? sameReport(ex, r))) {
      throw new StoreError(
        'conflict',
        `reports[${i}]: report ${r.ref} already exists with different content; reports cannot be changed once recorded`,
        ['reports', i, 'ref'],
      );
    }
    const node = ex ?? newReport(run, r);
    if (!ex) {
      created.push(node);
      known.set(r.ref, node);
      run.changed = true;
    }
    run.res.reports[ex ? 'unchanged' : 'created']++;
    run.res.reportIds.push(node.id);
  });
  if (created.length) {
    // Reports another writer created at the same moment: the same report is simply cited (and counted
    // unchanged); another with the same ref is the conflict it would have been had it come first.
    for (const t of await run.tx.run('reports-merge', { rows: created })) {
      const stored = t.r as ReportNode;
      const i = batch.reports.findIndex((r) => r.ref === stored.ref);
      if (!sameReport(stored, batch.reports[i])) {
        throw new StoreError(
          'conflict',
          `reports[${i}]: report ${stored.ref} already exists with different content; reports cannot be changed once recorded`,
          ['reports', i, 'ref'],
        );
      }
      const mine = known.get(stored.ref)!;
      known.set(stored.ref, stored);
      run.res.reports.created--;
      run.res.reports.unchanged++;
      run.res.reportIds = run.res.reportIds.map((id) => (id === mine.id ? stored.id : id));
    }
  }
  return known;
}
