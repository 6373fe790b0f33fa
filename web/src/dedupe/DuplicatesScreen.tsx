// "Possible duplicates": the review queue. On the left the pairs by score with their evidence in words; on
// the right the selected pair's two records side by side (attributes, links, reports) and the decision:
// same (merge), not the same, later; undo after any of them. Merging every waiting pair above a score is one
// step. Viewers see the queue but no decision buttons.
import { useCallback, useEffect, useState } from 'react';
import type { ProposalDetailOut, ProposalListItem, SideOut } from '@api/duplicates.ts';
import { messageOf } from '../api/client.ts';
import { Modal, closeDialog } from '../components/Modal.tsx';
import { useApp } from '../state/hooks.ts';
import { duplicatesApi, type QueueState } from './api.ts';
import { STATE_LABELS, attributeName, likelihoodWords, linkWords, percent, runWords } from './words.ts';
import './duplicates.css';

const STATES: QueueState[] = ['new', 'deferred', 'accepted', 'rejected'];
const TYPES = ['', 'Person', 'Phone', 'Vehicle'];
/** The score bulk merging starts from, unless the analyst changes it. */
const DEFAULT_BULK_SCORE = 14;

type Notice = { text: string; error?: boolean; undo?: string } | null;

export function DuplicatesScreen() {
  const role = useApp((s) => s.user?.role);
  const mayDecide = role !== undefined && role !== 'viewer';
  const [state, setState] = useState<QueueState>('new');
  const [type, setType] = useState('');
  const [items, setItems] = useState<ProposalListItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<ProposalDetailOut | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [bulkScore, setBulkScore] = useState(String(DEFAULT_BULK_SCORE));

  const load = useCallback(
    async (keep: string | null = null) => {
      try {
        const page = await duplicatesApi.list({ state, ...(type ? { type } : {}) });
        setItems(page.items);
        setTotal(page.total);
        setNext(page.next);
        const still = keep && page.items.some((p) => p.id === keep) ? keep : (page.items[0]?.id ?? null);
        setSelected(still);
      } catch (e) {
        setNotice({ text: messageOf(e), error: true });
      }
    },
    [state, type],
  );

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!selected) {
      setDetail(null);
      return;
    }
    let live = true;
    duplicatesApi.get(selected).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setNotice({ text: messageOf(e), error: true }),
    );
    return () => {
      live = false;
    };
  }, [selected]);

  const more = async (): Promise<void> => {
    if (!next) return;
    const page = await duplicatesApi.list({ state, ...(type ? { type } : {}), cursor: next });
    setItems((cur) => [...(cur ?? []), ...page.items]);
    setNext(page.next);
  };

  /** Runs one decision, says what it did, and moves on to the next pair of the list. */
  const act = async (what: () => Promise<Notice>): Promise<void> => {
    setBusy(true);
    try {
      const n = await what();
      setNotice(n);
      const at = items?.findIndex((p) => p.id === selected) ?? -1;
      const after = items && at >= 0 ? (items[at + 1]?.id ?? items[at - 1]?.id ?? null) : null;
      await load(after);
    } catch (e) {
      setNotice({ text: messageOf(e), error: true });
    } finally {
      setBusy(false);
    }
  };

  const names = (p: ProposalListItem | ProposalDetailOut['proposal'], d?: ProposalDetailOut | null) => {
    const a = d?.a.entity?.label ?? ('aLabel' in p ? p.aLabel : null) ?? p.aId;
    const b = d?.b.entity?.label ?? ('bLabel' in p ? p.bLabel : null) ?? p.bId;
    return `${a} and ${b}`;
  };

  const accept = (keepId?: string) =>
    act(async () => {
      const p = await duplicatesApi.accept(selected!, keepId);
      return { text: `Merged ${names(p, detail)} into one record.`, undo: p.id };
    });
  const reject = () =>
    act(async () => {
      const p = await duplicatesApi.reject(selected!);
      return {
        text: `Marked ${names(p, detail)} as different; they will not be suggested again unless new evidence links them.`,
        undo: p.id,
      };
    });
  const defer = () =>
    act(async () => {
      const p = await duplicatesApi.defer(selected!);
      return { text: `Put ${names(p, detail)} aside for later.`, undo: p.id };
    });
  const undo = (id: string) =>
    act(async () => {
      await duplicatesApi.undo(id);
      return { text: 'Undone: both records are back as they were, and the pair waits for a decision again.' };
    });
  const run = () => act(async () => ({ text: runWords(await duplicatesApi.run()) }));
  const bulk = () => {
    const score = Number(bulkScore);
    if (!Number.isFinite(score)) {
      setNotice({
        text: 'Enter a score, such as 14, to merge every waiting pair at or above it.',
        error: true,
      });
      return;
    }
    const count = items?.filter((p) => p.weight >= score).length ?? 0;
    if (!window.confirm(`Merge every waiting pair scoring ${score} or more (${count} shown here)?`)) return;
    void act(async () => {
      const r = await duplicatesApi.bulkAccept(score);
      const skipped = r.skipped.length
        ? ` ${r.skipped.length} passed over: one of their records had just been merged into another.`
        : '';
      return { text: `Merged ${r.done.length} pairs.${skipped} Each can be undone from the Merged list.` };
    });
  };

  const current = items?.find((p) => p.id === selected) ?? null;

  return (
    <Modal title="Possible duplicates" testId="duplicates-screen" wide>
      <div className="dup-screen">
        <div className="dup-bar">
          <div className="tabs" role="tablist">
            {STATES.map((s) => (
              <button
                key={s}
                type="button"
                role="tab"
                aria-selected={s === state}
                className={s === state ? 'active' : ''}
                data-testid={`dup-tab-${s}`}
                onClick={() => setState(s)}
              >
                {STATE_LABELS[s]}
              </button>
            ))}
          </div>
          <label>
            Type{' '}
            <select value={type} onChange={(e) => setType(e.target.value)} data-testid="dup-type">
              {TYPES.map((t) => (
                <option key={t} value={t}>
                  {t || 'All'}
                </option>
              ))}
            </select>
          </label>
          <div className="spacer" />
          {mayDecide && (
            <>
              <label title="Merge every waiting pair at or above this score">
                Merge all scoring ≥{' '}
                <input
                  className="dup-score"
                  type="number"
                  value={bulkScore}
                  onChange={(e) => setBulkScore(e.target.value)}
                  data-testid="dup-bulk-score"
                />
              </label>
              <button
                disabled={busy || state !== 'new' || !items?.some((p) => p.weight >= Number(bulkScore))}
                title="Merge every waiting pair at or above the score (each can be undone)"
                onClick={bulk}
                data-testid="dup-bulk"
              >
                Merge all
              </button>
              <button
                className="primary"
                disabled={busy}
                onClick={() => void run()}
                data-testid="dup-run"
                title="Compare every person, phone and vehicle for likely duplicates"
              >
                Look for duplicates
              </button>
            </>
          )}
        </div>
        {notice && (
          <div className={`dup-notice${notice.error ? ' error' : ''}`} data-testid="dup-notice" role="status">
            {notice.text}
            {notice.undo && mayDecide && (
              <button disabled={busy} onClick={() => void undo(notice.undo!)} data-testid="dup-notice-undo">
                Undo
              </button>
            )}
          </div>
        )}
        <div className="dup-main">
          <ol className="dup-list" data-testid="dup-list" aria-label="Pairs by score">
            {items === null && <li className="dup-empty">Loading…</li>}
            {items?.length === 0 && (
              <li className="dup-empty" data-testid="dup-empty">
                {state === 'new'
                  ? 'No possible duplicates are waiting. "Look for duplicates" compares everything again.'
                  : `Nothing under "${STATE_LABELS[state]}".`}
              </li>
            )}
            {items?.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={p.id === selected ? 'dup-item selected' : 'dup-item'}
                  onClick={() => setSelected(p.id)}
                  data-testid="dup-item"
                  data-id={p.id}
                >
                  <span className="dup-names">
                    {p.aLabel ?? '(merged)'} <span className="dup-and">and</span> {p.bLabel ?? '(merged)'}
                  </span>
                  <span className="dup-score-line">
                    <span className="dup-meter" aria-hidden="true">
                      <span style={{ width: `${Math.round(p.probability * 100)}%` }} />
                    </span>
                    {p.type} · {likelihoodWords(p.probability)} · score {p.weight.toFixed(1)}
                  </span>
                  <span className="dup-evidence">{p.evidence.join('; ')}</span>
                </button>
              </li>
            ))}
            {next && (
              <li>
                <button type="button" className="dup-more" onClick={() => void more()}>
                  Show more (of {total})
                </button>
              </li>
            )}
          </ol>
          <section className="dup-detail" data-testid="dup-detail" aria-label="The two records">
            {!current || !detail || detail.proposal.id !== current.id ? (
              <p className="dup-empty">{items?.length ? 'Loading the two records…' : ''}</p>
            ) : (
              <PairDetail
                d={detail}
                busy={busy}
                mayDecide={mayDecide}
                onAccept={(keep) => void accept(keep)}
                onReject={() => void reject()}
                onDefer={() => void defer()}
                onUndo={() => void undo(detail.proposal.id)}
              />
            )}
          </section>
        </div>
        <div className="buttons">
          <span className="dup-count" data-testid="dup-count">
            {items ? `${total} ${STATE_LABELS[state].toLowerCase()}` : ''}
          </span>
          <button onClick={closeDialog}>Close</button>
        </div>
      </div>
    </Modal>
  );
}

function PairDetail(props: {
  d: ProposalDetailOut;
  busy: boolean;
  mayDecide: boolean;
  onAccept: (keepId?: string) => void;
  onReject: () => void;
  onDefer: () => void;
  onUndo: () => void;
}) {
  const { proposal: p, a, b } = props.d;
  const keys = [
    ...new Set([...Object.keys(a.entity?.properties ?? {}), ...Object.keys(b.entity?.properties ?? {})]),
  ].sort();
  const val = (s: SideOut, k: string): string => {
    const v = s.entity?.properties?.[k];
    return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  };
  const waiting = p.state === 'new' || p.state === 'deferred';
  return (
    <>
      <div className="dup-why" data-testid="dup-why">
        <strong>
          {percent(p.probability)} · {likelihoodWords(p.probability)}
        </strong>{' '}
        (score {p.weight.toFixed(1)}): {p.evidence.join('; ')}.
        {p.decidedBy && (
          <span className="dup-decided">
            {' '}
            {STATE_LABELS[p.state]} by {p.decidedBy}
            {p.decidedAt ? ` on ${p.decidedAt.slice(0, 10)}` : ''}.
          </span>
        )}
      </div>
      <table className="dup-compare" data-testid="dup-compare">
        <colgroup>
          <col className="dup-col-name" />
          <col />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th />
            <th>{a.entity ? a.entity.label : '(merged into the other)'}</th>
            <th>{b.entity ? b.entity.label : '(merged into the other)'}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>record</th>
            <td>{p.aId}</td>
            <td>{p.bId}</td>
          </tr>
          {keys.map((k) => {
            const x = val(a, k);
            const y = val(b, k);
            return (
              <tr key={k} className={x && y ? (x === y ? 'same' : 'differs') : ''}>
                <th>{attributeName(k)}</th>
                <td>{x || '—'}</td>
                <td>{y || '—'}</td>
              </tr>
            );
          })}
          <tr className="dup-lists">
            <th>links</th>
            <td>
              <Links s={a} />
            </td>
            <td>
              <Links s={b} />
            </td>
          </tr>
          <tr className="dup-lists">
            <th>reports</th>
            <td>
              <Reports s={a} />
            </td>
            <td>
              <Reports s={b} />
            </td>
          </tr>
        </tbody>
      </table>
      {props.mayDecide && (
        <div className="dup-actions">
          {waiting ? (
            <>
              <button
                className="primary"
                disabled={props.busy}
                onClick={() => props.onAccept()}
                data-testid="dup-accept"
                title={`Merge: ${b.entity?.label ?? p.bId} (${p.bId}) goes into ${a.entity?.label ?? p.aId} (${p.aId}); can be undone`}
              >
                Same — merge them
              </button>
              <button
                disabled={props.busy}
                onClick={() => props.onAccept(p.bId)}
                data-testid="dup-accept-b"
                title={`Merge: ${a.entity?.label ?? p.aId} (${p.aId}) goes into ${b.entity?.label ?? p.bId} (${p.bId}); can be undone`}
              >
                Same — keep the right-hand record
              </button>
              <button disabled={props.busy} onClick={props.onReject} data-testid="dup-reject">
                Not the same
              </button>
              {p.state === 'new' && (
                <button disabled={props.busy} onClick={props.onDefer} data-testid="dup-defer">
                  Later
                </button>
              )}
            </>
          ) : (
            <button disabled={props.busy} onClick={props.onUndo} data-testid="dup-undo">
              {p.state === 'accepted' ? 'Undo the merge' : 'Undo'}
            </button>
          )}
        </div>
      )}
    </>
  );
}

function Links({ s }: { s: SideOut }) {
  if (!s.entity) return <span className="dup-none">—</span>;
  if (s.links.length === 0) return <span className="dup-none">none</span>;
  return (
    <ul>
      {s.links.map((l) => (
        <li key={l.id}>
          {linkWords(l.type)} <strong>{l.otherLabel}</strong>
          {l.firstSeen ? <span className="dup-since"> since {l.firstSeen.slice(0, 10)}</span> : null}
        </li>
      ))}
      {s.moreLinks > 0 && <li className="dup-none">and {s.moreLinks} more</li>}
    </ul>
  );
}

function Reports({ s }: { s: SideOut }) {
  if (!s.entity) return <span className="dup-none">—</span>;
  if (s.entity.reports.length === 0) return <span className="dup-none">none</span>;
  return (
    <ul>
      {s.entity.reports.map((r) => (
        <li key={r.id}>
          <strong>{r.ref}</strong> {r.date.slice(0, 10)}
          {r.author ? ` · ${r.author}` : ''}
        </li>
      ))}
    </ul>
  );
}
