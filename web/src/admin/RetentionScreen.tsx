// The retention queue for supervisors: reports whose review date has come. Retain one for another period
// (a reason, and a next review date or the policy's), or dispose of it and of whatever rests on it alone,
// after a confirmation. Every decision goes in the audit with the reviewer and the reason.
import { useEffect, useState } from 'react';
import type { Report } from '@domain/model.ts';
import { adminApi, type Page } from './api.ts';
import { FieldError, useFormError } from './form-error.tsx';
import { Pager, useKeyTrail } from './Pager.tsx';

const PAGE = 50;
const today = (): string => new Date().toISOString().slice(0, 10);

export function RetentionScreen() {
  const [before, setBefore] = useState(today());
  const [page, setPage] = useState<Page<Report> | null>(null);
  const [rules, setRules] = useState<Array<{ years: number; why: string }>>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; what: 'retain' | 'dispose' } | null>(null);
  const err = useFormError();

  const pages = useKeyTrail((after, trail) => {
    err.clear();
    adminApi.retentionQueue(before, after, PAGE).then((p) => {
      if (pages.arrived(trail, p.items.length)) setPage(p);
    }, err.show);
  });
  useEffect(() => {
    pages.first();
    adminApi.retentionPolicy().then((p) => setRules(p.rules), err.show);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const decided = (text: string): void => {
    setNotice(text);
    setOpen(null);
    pages.reload();
  };

  return (
    <div className="admin-screen" data-testid="retention-screen">
      <p className="small muted">
        Review periods from the date of the report:{' '}
        {rules
          .map(
            (r) =>
              `${r.years} year${r.years === 1 ? '' : 's'} ${/^default/.test(r.why) ? 'otherwise' : `when ${r.why}`}`,
          )
          .join('; ')}
        .
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          pages.first();
        }}
      >
        <label className="row">
          Due for review before
          <input
            type="date"
            data-testid="retention-before"
            aria-invalid={err.on('before') || undefined}
            value={before}
            onChange={(e) => setBefore(e.target.value)}
          />
        </label>
        <button type="submit" data-testid="retention-load">
          Show
        </button>
        <span className="muted" data-testid="retention-count">
          {page ? `${page.total} report${page.total === 1 ? '' : 's'} due` : 'Loading…'}
        </span>
      </form>
      {notice && (
        <div className="admin-notice" role="status" data-testid="retention-notice">
          {notice}
          <button type="button" className="small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <FieldError error={err.error} testId="retention-error" />
      <FieldError error={err.error} fields={['before']} testId="retention-error" />
      {page && page.items.length === 0 && (
        <p className="muted">Nothing is due for review before that date.</p>
      )}
      {page && page.items.length > 0 && (
        <table className="grid admin-table" data-testid="retention-table">
          <thead>
            <tr>
              <th>Report</th>
              <th>Dated</th>
              <th>Author</th>
              <th title="source evaluation, intelligence assessment, handling code">Grading</th>
              <th>Review due</th>
              <th>Text</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((r) => (
              <RetentionRow
                key={r.id}
                r={r}
                open={open?.id === r.id ? open.what : null}
                onOpen={(what) => setOpen(what ? { id: r.id, what } : null)}
                onDecided={decided}
              />
            ))}
          </tbody>
        </table>
      )}
      {page && <Pager trail={pages} page={page} pageSize={PAGE} />}
    </div>
  );
}

function RetentionRow(props: {
  r: Report;
  open: 'retain' | 'dispose' | null;
  onOpen: (what: 'retain' | 'dispose' | null) => void;
  onDecided: (notice: string) => void;
}) {
  const { r, open } = props;
  const [reason, setReason] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useFormError();
  const act = async (): Promise<void> => {
    err.clear();
    if (reason.trim().length < 5)
      return err.show(new Error('Reason: say why, in at least 5 characters.'), 'reason');
    setBusy(true);
    try {
      if (open === 'retain') {
        const kept = await adminApi.retain(r.id, reason.trim(), next || undefined);
        props.onDecided(`Retained ${r.ref}; next review ${kept.reviewDate ?? 'not set'}.`);
      } else {
        const out = await adminApi.dispose(r.id, reason.trim());
        props.onDecided(
          `Disposed of ${out.report}, with ${out.entities.length} entit${out.entities.length === 1 ? 'y' : 'ies'} and ${out.links.length} link${out.links.length === 1 ? '' : 's'} that rested on it alone.`,
        );
      }
    } catch (e) {
      err.show(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <tr data-testid="retention-row" data-ref={r.ref}>
        <td>{r.ref}</td>
        <td className="nowrap">{r.date.slice(0, 10)}</td>
        <td>{r.author}</td>
        <td>
          {r.source}
          {r.intel}
          {r.handling}
        </td>
        <td className="nowrap">{r.reviewDate ?? ''}</td>
        <td className="details">{r.text.length > 90 ? `${r.text.slice(0, 87)}…` : r.text}</td>
        <td className="actions">
          <button
            type="button"
            className={`small${open === 'retain' ? ' on' : ''}`}
            data-testid="retention-retain"
            onClick={() => props.onOpen(open === 'retain' ? null : 'retain')}
          >
            Retain…
          </button>
          <button
            type="button"
            className={`small danger${open === 'dispose' ? ' on' : ''}`}
            data-testid="retention-dispose"
            onClick={() => props.onOpen(open === 'dispose' ? null : 'dispose')}
          >
            Dispose…
          </button>
        </td>
      </tr>
      {open && (
        <tr className="decision" data-testid="retention-decision">
          <td colSpan={7}>
            {open === 'dispose' && (
              <p className="warn" data-testid="dispose-warning">
                Disposing deletes report {r.ref} and every entity and link that rests on it alone. This cannot
                be undone.
              </p>
            )}
            <div className="form">
              <label htmlFor={`reason-${r.id}`}>Reason</label>
              <textarea
                id={`reason-${r.id}`}
                rows={2}
                autoFocus
                data-testid="retention-reason"
                aria-invalid={err.on('reason') || undefined}
                placeholder={open === 'retain' ? 'why it is still needed' : 'why it is no longer needed'}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <FieldError error={err.error} fields={['reason']} testId="retention-reason-error" />
              {open === 'retain' && (
                <>
                  <label htmlFor={`next-${r.id}`}>Next review</label>
                  <input
                    id={`next-${r.id}`}
                    type="date"
                    min={today()}
                    data-testid="retention-next"
                    aria-invalid={err.on('nextReview') || undefined}
                    value={next}
                    onChange={(e) => setNext(e.target.value)}
                  />
                  <span className="small muted" style={{ gridColumn: 2 }}>
                    Leave empty for the policy&apos;s period for this grading.
                  </span>
                  <FieldError error={err.error} fields={['nextReview']} />
                </>
              )}
            </div>
            <FieldError error={err.error} />
            <div className="row end">
              <button type="button" onClick={() => props.onOpen(null)}>
                Cancel
              </button>
              <button
                type="button"
                className={open === 'retain' ? 'primary' : 'danger'}
                data-testid="retention-confirm"
                disabled={busy}
                onClick={() => void act()}
              >
                {open === 'retain' ? 'Retain' : 'Dispose for good'}
              </button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
