// Targets and tasking: propose (analyst), approve or reject with a reason (supervisor, never their own
// proposal), log actions with dates and outcomes, and record the operational review.
import { useEffect, useState } from 'react';
import { ACTION_KINDS, ACTION_LABELS, TARGET_STATUSES, type ActionKind } from '@domain/target.ts';
import { cycleApi, type Target, type TargetStatus } from './api.ts';
import { EntityPicker, pickedFromId } from '../components/EntityPicker.tsx';

export interface ProposalDraft {
  entityId: string;
  label?: string;
  reason?: string;
  metric?: string;
  score?: number;
  dataVersion?: number;
}

export interface TargetsPanelProps {
  user: { name: string; role: string } | null;
  /** Prefills the proposal form (e.g. from the priority matrix or the selected chart node). */
  draft?: ProposalDraft | null;
  /** Opens the operational review for a target (its entity and action date). */
  onReview?: (t: Target) => void;
  /** Summary text the review view produced, offered when recording a review. */
  reviewSummary?: string;
}

const can = (role: string | undefined, what: 'propose' | 'decide'): boolean =>
  what === 'propose'
    ? role === 'analyst' || role === 'supervisor' || role === 'admin'
    : role === 'supervisor' || role === 'admin';

const today = (): string => new Date().toISOString().slice(0, 10);

export function TargetsPanel({ user, draft, onReview, reviewSummary }: TargetsPanelProps) {
  const [items, setItems] = useState<Target[]>([]);
  const [status, setStatus] = useState<TargetStatus | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<ProposalDraft>({ entityId: '', reason: '', metric: 'priority-matrix' });

  const load = async (): Promise<void> => {
    try {
      setItems((await cycleApi.targets(status || undefined)).items);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void load();
    // Reload when the status filter changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);
  useEffect(() => {
    if (draft) setForm({ metric: 'priority-matrix', reason: '', ...draft });
  }, [draft]);

  const act = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
      setError(null);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const propose = () =>
    act(async () => {
      await cycleApi.propose({
        entityId: form.entityId.trim(),
        reason: form.reason ?? '',
        analysis: {
          metric: form.metric || 'analyst judgement',
          ...(form.score !== undefined ? { score: form.score } : {}),
          ...(form.dataVersion !== undefined ? { dataVersion: form.dataVersion } : {}),
          view: {},
        },
      });
      setForm({ entityId: '', reason: '', metric: 'priority-matrix' });
    });

  return (
    <div className="cycle-targets" data-testid="targets-panel">
      {can(user?.role, 'propose') && (
        <fieldset className="cycle-propose" data-testid="propose-form">
          <legend>Propose a target</legend>
          <label className="grow">
            Entity
            <EntityPicker
              testId="propose-entity"
              value={form.entityId ? [pickedFromId(form.entityId, form.label)] : []}
              onChange={(v) => setForm({ ...form, entityId: v[0]?.id ?? '', label: v[0]?.label })}
            />
          </label>
          <label>
            Metric
            <input value={form.metric ?? ''} onChange={(e) => setForm({ ...form, metric: e.target.value })} />
          </label>
          <label className="grow">
            Reason
            <textarea
              rows={2}
              value={form.reason ?? ''}
              onChange={(e) => setForm({ ...form, reason: e.target.value })}
              data-testid="propose-reason"
            />
          </label>
          <button
            className="primary"
            disabled={!form.entityId.trim() || !form.reason?.trim()}
            onClick={() => void propose()}
            data-testid="propose-submit"
          >
            Propose
          </button>
        </fieldset>
      )}
      <div className="cycle-toolbar">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as TargetStatus | '')}>
            <option value="">all</option>
            {TARGET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button onClick={() => void load()}>Refresh</button>
      </div>
      {error && (
        <div className="cycle-error" data-testid="targets-error">
          {error}
        </div>
      )}
      {items.length === 0 && <p className="muted">No targets{status ? ` with status ${status}` : ''}.</p>}
      {items.map((t) => (
        <TargetCard
          key={t.id}
          t={t}
          user={user}
          act={act}
          onReview={onReview}
          reviewSummary={reviewSummary}
        />
      ))}
    </div>
  );
}

function TargetCard(props: {
  t: Target;
  user: TargetsPanelProps['user'];
  act: (f: () => Promise<unknown>) => Promise<void>;
  onReview?: (t: Target) => void;
  reviewSummary?: string;
}) {
  const { t, user, act } = props;
  const [reason, setReason] = useState('');
  const [kind, setKind] = useState<ActionKind>('arrest');
  const [date, setDate] = useState(today());
  const [outcome, setOutcome] = useState('');
  const [summary, setSummary] = useState('');
  const pe = t.analysis.predictedEffect;
  const mayDecide = can(user?.role, 'decide') && user?.name !== t.proposedBy;
  return (
    <div className={`cycle-target status-${t.status}`} data-testid={`target-${t.id}`}>
      <div className="head">
        <strong>{t.entityLabel}</strong> <span className="muted">{t.entityType}</span>
        <span className={`badge ${t.status}`} data-testid="target-status">
          {t.status}
        </span>
      </div>
      <div className="small">{t.reason}</div>
      <div className="small muted">
        Proposed by {t.proposedBy} on {t.proposedAt.slice(0, 10)}; {t.analysis.metric}
        {t.analysis.score !== undefined ? ` ${t.analysis.score.toFixed(2)}` : ''}, data version{' '}
        {t.analysis.dataVersion}
        {pe
          ? `; lab predicts largest component ${(pe.lccShareBefore * 100).toFixed(0)}% -> ${(pe.lccShareAfter * 100).toFixed(0)}%`
          : ''}
      </div>
      {t.decision && (
        <div className="small">
          {t.decision.decision === 'approved' ? 'Approved' : 'Rejected'} by {t.decision.by}:{' '}
          {t.decision.reason}
        </div>
      )}
      {t.actions.length > 0 && (
        <ul className="small cycle-actions">
          {t.actions.map((a) => (
            <li key={a.id}>
              {a.date.slice(0, 10)} {ACTION_LABELS[a.kind]}
              {a.outcome ? `: ${a.outcome}` : ''} <span className="muted">({a.actor})</span>
            </li>
          ))}
        </ul>
      )}
      {t.review && (
        <div className="small">
          Reviewed by {t.review.by}: {t.review.summary}
        </div>
      )}

      {t.status === 'proposed' && mayDecide && (
        <div className="row">
          <input
            placeholder="Reason for the decision"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="decision-reason"
          />
          <button
            className="primary"
            disabled={!reason.trim()}
            onClick={() => void act(() => cycleApi.decide(t.id, 'approved', reason, t.version))}
            data-testid="approve"
          >
            Approve
          </button>
          <button
            className="danger"
            disabled={!reason.trim()}
            onClick={() => void act(() => cycleApi.decide(t.id, 'rejected', reason, t.version))}
            data-testid="reject"
          >
            Reject
          </button>
        </div>
      )}
      {t.status === 'proposed' && can(user?.role, 'decide') && !mayDecide && (
        <div className="small muted">Awaiting another supervisor's decision (you proposed it).</div>
      )}
      {(t.status === 'approved' || t.status === 'actioned') && can(user?.role, 'propose') && (
        <div className="row">
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as ActionKind)}
            data-testid="action-kind"
          >
            {ACTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {ACTION_LABELS[k]}
              </option>
            ))}
          </select>
          <input
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            data-testid="action-date"
          />
          <input
            placeholder="Outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
            data-testid="action-outcome"
          />
          <button
            onClick={() => void act(() => cycleApi.action(t.id, { kind, date, outcome }))}
            data-testid="log-action"
          >
            Log action
          </button>
        </div>
      )}
      {t.status === 'actioned' && can(user?.role, 'propose') && (
        <div className="row">
          {props.onReview && (
            <button onClick={() => props.onReview!(t)} data-testid="open-review">
              Open review
            </button>
          )}
          <input
            className="grow"
            placeholder="Review summary"
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            data-testid="review-summary"
          />
          {props.reviewSummary && !summary && (
            <button
              className="small"
              onClick={() => setSummary(props.reviewSummary!)}
              data-testid="use-review"
            >
              Use review findings
            </button>
          )}
          <button
            disabled={!summary.trim()}
            onClick={() => void act(() => cycleApi.reviewTarget(t.id, { summary, version: t.version }))}
            data-testid="record-review"
          >
            Record review
          </button>
        </div>
      )}
    </div>
  );
}
