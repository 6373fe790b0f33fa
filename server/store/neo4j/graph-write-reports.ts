// The reports step of a write batch: reports are immutable once written, so one met again must be the same.
import { createHash } from 'node:crypto';
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

/**
 * What is compared of a report given again: all of it but the review date (the one field that may change), as
 * a SHA-256 of its fields: a report's text may run to many kilobytes, and up to SEEN_MAX are remembered.
 */
const content = (r: ReportParsed | ReportNode): string =>
  createHash('sha256')
    .update(JSON.stringify([r.date, r.author, r.text, r.source, r.intel, r.handling, r.conditions ?? null]))
    .digest('base64');

/** Reports a server knows stored, as committed: the id and grading each had, and its content. */
interface SeenReport {
  id: string;
  grade: string;
  content: string;
}

/** Reports remembered per server (a bound: the oldest are dropped first). */
const SEEN_MAX = 200_000;

/**
 * Reports this server has seen committed, by ref. A report's content never changes once written (only its
 * review date, which is read each time), and its id is never given to another report once committed, so a
 * stored report with the id remembered for a ref is that report: a batch giving it again with the same content
 * need not send that content for comparing (most batches of an import cite the same reports again and again).
 * A report deleted and made again has a new id and is compared in full.
 */
export class SeenReports {
  private readonly byRef = new Map<string, SeenReport>();

  get(ref: string): SeenReport | undefined {
    return this.byRef.get(ref);
  }

  /** Forgets every report (the store's data was replaced: Neo4jContext.seeEpoch). */
  clear(): void {
    this.byRef.clear();
  }

  /** After a commit: what that write found or created. */
  add(ref: string, seen: SeenReport): void {
    this.byRef.delete(ref);
    this.byRef.set(ref, seen);
    if (this.byRef.size > SEEN_MAX) this.byRef.delete(this.byRef.keys().next().value!);
  }
}

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
export async function lookupReports(
  run: BatchRun,
  batch: BatchInput,
  seen: SeenReports,
): Promise<KnownReports> {
  const given = new Map<string, ReportParsed | null>();
  for (const r of batch.reports) given.set(r.ref, given.has(r.ref) ? null : r);
  const wanted = new Set<string>(given.keys());
  for (const e of batch.entities) for (const r of e.reports) wanted.add(r);
  for (const l of batch.links) for (const r of l.reports) wanted.add(r);
  const out: KnownReports = { known: new Map(), same: new Map() };
  if (wanted.size === 0) return out;
  // Reports given with the content this server saw stored under that ref: only their id (and review date) is
  // read, and the content is not sent. The rest are compared in the database.
  const light = new Map<string, SeenReport>();
  for (const [ref, r] of given) {
    const m = r ? seen.get(ref) : undefined;
    if (m && r && m.content === content(r)) light.set(ref, m);
  }
  const full = await checkReports(run, [...wanted], given, light, out);
  // A remembered report whose id changed was deleted and made again: compared in full after all.
  if (full.length) await checkReports(run, full, given, new Map(), out);
  return out;
}

/** One reports-check over `refs`; returns the refs of `light` found stored under another id. */
async function checkReports(
  run: BatchRun,
  wanted: string[],
  given: Map<string, ReportParsed | null>,
  light: Map<string, SeenReport>,
  out: KnownReports,
): Promise<string[]> {
  const again: string[] = [];
  const refs = wanted.map((ref) => {
    const r = light.has(ref) ? null : given.get(ref);
    const review = light.has(ref) && given.get(ref)?.reviewDate !== undefined;
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
    return { ref, c, full: given.get(ref) === null, review };
  });
  for (const row of await run.tx.run('reports-check', { refs })) {
    const ref = row.ref as string;
    const full = row.full as ReportNode | null;
    const m = light.get(ref);
    if (m && m.id !== row.id) {
      again.push(ref);
      continue;
    }
    // Only the id and grading of a report cited are used (provenance, a link's gradings, its events).
    out.known.set(ref, full ?? ({ id: row.id, ref, grade: row.grade } as ReportNode));
    if (m) {
      const r = given.get(ref)!;
      out.same.set(ref, r.reviewDate === undefined || (row.reviewDate ?? null) === r.reviewDate);
    } else if (typeof row.same === 'boolean') out.same.set(ref, row.same);
  }
  return again;
}

/**
 * After the batch committed: the reports it gave, each now stored with that content (created by it, or found
 * the same, or the batch would have been refused), are remembered with the id they are stored under.
 */
export function rememberReports(
  seen: SeenReports,
  given: readonly ReportParsed[],
  known: ReadonlyMap<string, ReportNode>,
): void {
  for (const r of given) {
    const node = known.get(r.ref);
    if (node) seen.add(r.ref, { id: node.id, grade: node.grade, content: content(r) });
  }
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
