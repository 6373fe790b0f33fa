// "Contacts around an event": pick a moment (an incident, an arrest) and the hours before and after; the
// answer lists every phone in contact then (the selected person's or phone's contacts, or every phone
// active when nothing is selected), ranked by calls, with who uses it and first and last call inside the window.
import { useState } from 'react';
import type { AroundResponse } from '@api/event-patterns.ts';
import { chart } from '../graph/controller.ts';
import { duration, timelineApi, when } from './api.ts';

function labelOf(id: string): string {
  return chart.graph.hasNode(id) ? String(chart.graph.getNodeAttribute(id, 'label')) : id;
}

export function AroundForm({ entityId }: { entityId: string | null }) {
  const [at, setAt] = useState('');
  const [before, setBefore] = useState(2);
  const [after, setAfter] = useState(2);
  const [onlySubject, setOnlySubject] = useState(true);
  const [answer, setAnswer] = useState<AroundResponse | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const subject = entityId && onlySubject ? entityId : null;
  const ask = (): void => {
    if (!at) return setErr('Pick the date and time of the event first.');
    setBusy(true);
    setErr(null);
    timelineApi
      .around({
        ...(subject ? { entityId: subject } : {}),
        // The picker gives a UTC wall time without a zone.
        at: `${at}:00Z`,
        hoursBefore: before,
        hoursAfter: after,
      })
      .then(setAnswer, (e: unknown) => setErr((e as Error).message))
      .finally(() => setBusy(false));
  };
  return (
    <div className="around" data-testid="around">
      <form
        className="around-form"
        onSubmit={(e) => {
          e.preventDefault();
          ask();
        }}
      >
        <label>
          Event at (UTC){' '}
          <input
            type="datetime-local"
            data-testid="around-at"
            value={at}
            onChange={(e) => setAt(e.target.value)}
          />
        </label>
        <label>
          hours before{' '}
          <input
            type="number"
            min={0}
            max={744}
            step={0.5}
            style={{ width: 56 }}
            data-testid="around-before"
            value={before}
            onChange={(e) => setBefore(Number(e.target.value))}
          />
        </label>
        <label>
          after{' '}
          <input
            type="number"
            min={0}
            max={744}
            step={0.5}
            style={{ width: 56 }}
            data-testid="around-after"
            value={after}
            onChange={(e) => setAfter(Number(e.target.value))}
          />
        </label>
        {entityId && (
          <label>
            <input type="checkbox" checked={onlySubject} onChange={() => setOnlySubject(!onlySubject)} /> only{' '}
            {labelOf(entityId)}
          </label>
        )}
        <button className="primary" type="submit" disabled={busy} data-testid="around-ask">
          Who was in contact?
        </button>
      </form>
      {err && <div className="toast error">{err}</div>}
      {answer && (
        <div data-testid="around-answer">
          <p className="small" data-testid="around-summary">
            {answer.subject ? `${answer.subject.label}: ` : 'All phones: '}
            {answer.calls} call{answer.calls === 1 ? '' : 's'} with {answer.contactCount} contact
            {answer.contactCount === 1 ? '' : 's'} between {when(answer.from)} and {when(answer.to)} UTC
            {answer.truncated ? ' (the first 200,000 calls counted)' : ''}
          </p>
          {answer.contacts.length > 0 && (
            <table className="around-table small">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Phone</th>
                  <th>Used by</th>
                  <th>Calls</th>
                  <th>before / after</th>
                  <th>made / received</th>
                  <th>First</th>
                  <th>Last</th>
                  <th>Talk time</th>
                </tr>
              </thead>
              <tbody>
                {answer.contacts.map((c, i) => (
                  <tr key={c.id} data-testid="around-contact">
                    <td>{i + 1}</td>
                    <td>{c.label}</td>
                    <td>{c.user?.label ?? '—'}</td>
                    <td>{c.calls}</td>
                    <td>
                      {c.before} / {c.after}
                    </td>
                    <td>
                      {c.outgoing} / {c.incoming}
                    </td>
                    <td>{when(c.first).slice(5)}</td>
                    <td>{when(c.last).slice(5)}</td>
                    <td>{duration(c.totalSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
