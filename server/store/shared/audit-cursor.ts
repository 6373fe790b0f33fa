// Where a page of the audit starts, checked the same way on both stores. The audit grows with every request:
// a page by offset reads every record before it, so deep pages are read by key (the sequence number).
import type { AuditQuery } from '../security-store.ts';
import { invalid } from './validate.ts';

/**
 * How far `offset` may reach into a list of audit records. Past it a caller pages with `after` or `before`
 * (each page's `next`), which reads one page's worth wherever the page is; the newest records are the first
 * page of `newestFirst`, not the last page by offset.
 */
export const MAX_AUDIT_OFFSET = 5_000;

/** The range of sequence numbers a page reads (after < seq < before), and its direction. */
export interface AuditRange {
  after: number;
  before: number;
  newestFirst: boolean;
}

const seqOk = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The range a query reads, or a 400 naming what was wrong. */
export function auditRange(q: AuditQuery): AuditRange {
  if (q.after !== undefined && !seqOk(q.after))
    throw invalid(['after'], 'after must be an audit sequence number (0 or more)');
  if (q.before !== undefined && !seqOk(q.before))
    throw invalid(['before'], 'before must be an audit sequence number (0 or more)');
  if ((q.offset ?? 0) > MAX_AUDIT_OFFSET)
    throw invalid(
      ['offset'],
      `offset reaches at most ${MAX_AUDIT_OFFSET.toLocaleString('en-GB')} records into the audit; to read further, ` +
        'give after=<the last seq you have> (or before=, newest first): each page says it as next',
    );
  return {
    after: q.after ?? 0,
    before: q.before ?? Number.MAX_SAFE_INTEGER,
    newestFirst: q.newestFirst === true,
  };
}
