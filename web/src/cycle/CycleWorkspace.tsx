// The intelligence cycle in one place: Priorities -> Targets (tasking) -> Operational review. The app
// shell mounts it (e.g. as a full-height overlay from the top bar) and passes the signed-in user.
import { useState } from 'react';
import { PrioritiesPanel } from './PrioritiesPanel.tsx';
import { TargetsPanel, type ProposalDraft } from './TargetsPanel.tsx';
import { ReviewView, type ReviewRequestDraft } from './ReviewView.tsx';
import type { Target } from './api.ts';
import './cycle.css';

export type CycleTab = 'priorities' | 'targets' | 'review';

export interface CycleWorkspaceProps {
  user: { name: string; role: string } | null;
  initialTab?: CycleTab;
  /** Entity selected on the chart, offered as the proposal's entity. */
  selectedEntityId?: string | null;
  onClose?: () => void;
}

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Windows either side of a target's first action: the half-year before it and the half-year from it. */
export function windowsAround(dateIso: string, days = 182): { before: string; after: string } {
  const t = Date.parse(dateIso.slice(0, 10));
  return { before: `${day(t - days * DAY)}..${day(t - DAY)}`, after: `${day(t)}..${day(t + days * DAY)}` };
}

export function CycleWorkspace({
  user,
  initialTab = 'priorities',
  selectedEntityId,
  onClose,
}: CycleWorkspaceProps) {
  const [tab, setTab] = useState<CycleTab>(initialTab);
  const [draft, setDraft] = useState<ProposalDraft | null>(
    selectedEntityId ? { entityId: selectedEntityId } : null,
  );
  const [reviewDraft, setReviewDraft] = useState<ReviewRequestDraft | null>(null);
  const [reviewSummary, setReviewSummary] = useState<string | undefined>();

  const openReview = (t: Target): void => {
    const first = t.actions[0]?.date ?? new Date().toISOString();
    setReviewDraft({ ...windowsAround(first), targets: [t.entityId] });
    setTab('review');
  };

  return (
    <section className="cycle-workspace" data-testid="cycle-workspace">
      <header>
        <h2>Intelligence cycle</h2>
        <nav role="tablist">
          {(
            [
              ['priorities', 'Priorities'],
              ['targets', 'Targets & tasking'],
              ['review', 'Operational review'],
            ] as const
          ).map(([id, label]) => (
            <button
              key={id}
              role="tab"
              className={tab === id ? 'on' : ''}
              onClick={() => setTab(id)}
              data-testid={`cycle-tab-${id}`}
            >
              {label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {user && (
          <span className="muted small">
            {user.name} ({user.role})
          </span>
        )}
        {onClose && (
          <button onClick={onClose} data-testid="cycle-close">
            Close
          </button>
        )}
      </header>
      <div className="cycle-body">
        <div hidden={tab !== 'priorities'}>
          <PrioritiesPanel
            canPropose={user?.role !== 'viewer'}
            onPropose={(r, dataVersion) => {
              setDraft({
                entityId: r.entityId,
                label: r.label,
                metric: 'priority-matrix',
                score: r.rfg,
                dataVersion,
                reason: r.why,
              });
              setTab('targets');
            }}
          />
        </div>
        <div hidden={tab !== 'targets'}>
          <TargetsPanel user={user} draft={draft} onReview={openReview} reviewSummary={reviewSummary} />
        </div>
        <div hidden={tab !== 'review'}>
          <ReviewView
            draft={reviewDraft}
            onResult={(_r, summary) => {
              setReviewSummary(summary);
            }}
          />
        </div>
      </div>
    </section>
  );
}
