// Deconfliction: the subjects the working operation shares with another (one notice per entity and pair
// of operations), each with the other side as the server lets this reader know it, its state, and the
// buttons to record that the other side was contacted and that the clash is resolved. The owner of a
// closed operation may tell the other side who holds the subject (disclose). Supervisors may see the
// whole force's notices (still redacted the same way).
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/client.ts';
import { Modal, closeDialog } from '../components/Modal.tsx';
import { useApp } from '../state/hooks.ts';
import { opsApi, type NoticeDto, type NoticeState } from './api.ts';
import { NOTICE_STATE_WORDS, describeEntity, describeSide, otherSides } from './notice-words.ts';
import { refreshNotices } from './working.ts';

export function DeconflictionScreen() {
  const op = useApp((s) => s.operation.current);
  const role = useApp((s) => s.user?.role);
  const forceWideAllowed = role === 'supervisor' || role === 'admin';
  const [forceWide, setForceWide] = useState(false);
  const [state, setState] = useState<NoticeState | ''>('');
  const [items, setItems] = useState<NoticeDto[] | null>(null);
  const [total, setTotal] = useState(0);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const opId = op?.id ?? null;
  // The notices of an operation go to its members (and supervisors); a reader of an open operation who is
  // not a member sees theirs from the operations they are in.
  const member = op?.myRole !== null && op?.myRole !== undefined;
  const whole = forceWide || (!member && !forceWideAllowed);

  const load = useCallback(async () => {
    setErr(null);
    try {
      const page = await opsApi.notices(whole ? null : opId, state || undefined);
      setItems(page.items);
      setTotal(page.total);
    } catch (e) {
      setErr(messageOf(e));
      setItems([]);
    }
  }, [whole, opId, state]);
  useEffect(() => void load(), [load]);

  const decide = async (n: NoticeDto, change: { state?: NoticeState; disclose?: boolean }): Promise<void> => {
    setBusy(n.id);
    setErr(null);
    try {
      await opsApi.decide(n.id, change);
      await load();
      void refreshNotices();
    } catch (e) {
      setErr(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal title={`Deconfliction · OP ${op?.ref ?? ''}`} testId="deconfliction-screen" wide>
      <p className="small muted">
        A subject of this operation (a phone, a vehicle, a person) is also held by another operation. Contact
        the other side before acting on it; record here when you have, and when the clash is resolved. Nothing
        of the other operation&rsquo;s intelligence is shown.
      </p>
      <div className="row">
        <label>
          State{' '}
          <select
            data-testid="notice-state-filter"
            value={state}
            onChange={(e) => setState(e.target.value as NoticeState | '')}
          >
            <option value="">any</option>
            <option value="new">new</option>
            <option value="contacted">contacted</option>
            <option value="resolved">resolved</option>
          </select>
        </label>
        {forceWideAllowed && (
          <label className="row">
            <input
              type="checkbox"
              data-testid="notice-force-wide"
              checked={forceWide}
              onChange={() => setForceWide(!forceWide)}
            />
            The whole force (supervisors)
          </label>
        )}
      </div>
      {!member && !forceWide && (
        <p className="small muted" data-testid="notices-not-member">
          You are not a member of {op?.ref}: these are the notices of the operations you are in.
        </p>
      )}
      {err && <div className="toast error">{err}</div>}
      {items !== null && total > items.length && (
        <p className="small muted">
          The oldest {items.length} of {total} notices; choose a state to narrow them.
        </p>
      )}
      {items === null ? (
        <p className="muted">Reading the notices…</p>
      ) : items.length === 0 ? (
        <p data-testid="notices-empty">No deconfliction notice{state ? ` in state ${state}` : ''}.</p>
      ) : (
        <table className="op-table notices" data-testid="notices">
          <thead>
            <tr>
              <th>Subject</th>
              <th>Also held by</th>
              <th>Since</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((n) => (
              <tr key={n.id} data-testid="notice-row" data-state={n.state}>
                <td>{describeEntity(n)}</td>
                <td data-testid="notice-other" title={n.message}>
                  {otherSides(n).map((o) => (
                    <div key={o.role}>{describeSide(o.role, o.side)}</div>
                  ))}
                </td>
                <td>{n.createdAt.slice(0, 16).replace('T', ' ')}</td>
                <td>
                  <span className={`notice-state ${n.state}`}>{NOTICE_STATE_WORDS[n.state]}</span>
                </td>
                <td className="notice-actions">
                  <button
                    data-testid="notice-contacted"
                    disabled={busy === n.id || !n.canDecide || n.state !== 'new'}
                    onClick={() => void decide(n, { state: 'contacted' })}
                  >
                    Contacted
                  </button>
                  <button
                    data-testid="notice-resolved"
                    disabled={busy === n.id || !n.canDecide || n.state === 'resolved'}
                    onClick={() => void decide(n, { state: 'resolved' })}
                  >
                    Resolved
                  </button>
                  {n.canDisclose && (
                    <button
                      data-testid="notice-disclose"
                      disabled={busy === n.id}
                      title="Let the other operation see who holds this subject (this operation's ref and owner)"
                      onClick={() => void decide(n, { disclose: !n.disclose })}
                    >
                      {n.disclose ? 'Stop telling the other side' : 'Tell the other side'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="buttons">
        <button data-testid="deconfliction-close" onClick={closeDialog}>
          Close
        </button>
      </div>
    </Modal>
  );
}
