// Right panel: details, annotations, rankings, communities, disruption lab, rank explanation.
import { useEffect, useMemo, useState } from 'react';
import type { Annotation } from '@domain/model.ts';
import { api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { communityColour } from '../graph/style.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { communityGroups } from '../state/appearance.ts';
import type { RightTab } from '../state/app.ts';
import { fail, runCommunities } from '../actions.ts';
import { RanksPanel } from '../analysis/RanksPanel.tsx';
import { ExplainPanel } from '../analysis/ExplainPanel.tsx';
import { networkInWords, PEOPLE_FIRST } from '../analysis/spec.ts';
import { DetailsTab, labelOf } from './DetailsTab.tsx';
import { DisruptionLab } from './DisruptionLab.tsx';

const TABS: Array<[RightTab, string]> = [
  ['details', 'Details'],
  ['annotations', 'Notes'],
  ['rankings', 'Ranks'],
  ['communities', 'Groups'],
  ['disruption', 'Disrupt'],
  ['explain', 'Explain'],
];

export function RightPanel() {
  const tab = useApp((s) => s.rightTab);
  return (
    <aside className="panel right" data-testid="right-panel">
      <div className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            role="tab"
            data-testid={`tab-${id}`}
            className={tab === id ? 'active' : ''}
            onClick={() => appStore.set((s) => ({ ...s, rightTab: id }))}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="tabbody">
        {tab === 'details' && <DetailsTab />}
        {tab === 'annotations' && <AnnotationsTab />}
        {tab === 'rankings' && <RanksPanel />}
        {tab === 'communities' && <CommunitiesTab />}
        {tab === 'disruption' && <DisruptionLab />}
        {tab === 'explain' && <ExplainPanel />}
      </div>
    </aside>
  );
}

function AnnotationsTab() {
  const sel = useApp((s) => s.selection);
  const chartId = useApp((s) => s.chart.id);
  const target =
    sel.nodes.length === 1
      ? { kind: 'entity' as const, id: sel.nodes[0] }
      : sel.edge
        ? { kind: 'link' as const, id: sel.edge }
        : chartId
          ? { kind: 'chart' as const, id: chartId }
          : null;
  const [items, setItems] = useState<Annotation[]>([]);
  const [text, setText] = useState('');
  const [tags, setTags] = useState('');
  const [flag, setFlag] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!target) return setItems([]);
    api.annotations(target.kind, target.id).then(setItems, fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- target is derived from these three
  }, [target?.kind, target?.id, tick]);
  if (!target) return <p className="muted">Select an entity or a link (or save the chart) to annotate it.</p>;
  const submit = async (): Promise<void> => {
    const body = {
      text,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      target_flag: flag,
    };
    try {
      if (editing) await api.updateAnnotation(editing, body);
      else await api.createAnnotation({ target, ...body });
      setText('');
      setTags('');
      setFlag(false);
      setEditing(null);
      setTick((t) => t + 1);
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div>
      <div className="small muted">
        Notes on {target.kind} <b>{target.kind === 'entity' ? labelOf(target.id) : target.id}</b>
      </div>
      {items.map((a) => (
        <div className="note" key={a.id}>
          <div>{a.text}</div>
          <div className="chips">
            {a.targetFlag && <span className="chip flag">disruption target</span>}
            {a.tags.map((t) => (
              <span key={t} className="chip">
                {t}
              </span>
            ))}
          </div>
          <div className="row small muted">
            {a.author} · {a.updatedAt.slice(0, 16).replace('T', ' ')}
            <button
              className="small"
              onClick={() => {
                setEditing(a.id);
                setText(a.text);
                setTags(a.tags.join(', '));
                setFlag(a.targetFlag);
              }}
            >
              Edit
            </button>
            <button
              className="small danger"
              onClick={() => void api.deleteAnnotation(a.id).then(() => setTick((t) => t + 1), fail)}
            >
              Delete
            </button>
          </div>
        </div>
      ))}
      <textarea
        data-testid="note-text"
        style={{ width: '100%', minHeight: 60 }}
        placeholder="Add a note…"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <input
        style={{ width: '100%' }}
        placeholder="tags, comma separated"
        value={tags}
        onChange={(e) => setTags(e.target.value)}
      />
      <label className="row">
        <input type="checkbox" checked={flag} onChange={() => setFlag(!flag)} /> Flag as a proposed disruption
        target
      </label>
      <div className="row">
        <button className="primary" disabled={!text.trim() && !flag} onClick={() => void submit()}>
          {editing ? 'Save note' : 'Add note'}
        </button>
        {editing && (
          <button onClick={() => (setEditing(null), setText(''), setTags(''), setFlag(false))}>Cancel</button>
        )}
      </div>
    </div>
  );
}

function CommunitiesTab() {
  const communities = useApp((s) => s.appearance.communities);
  const spec = useApp((s) => s.ranking?.spec ?? PEOPLE_FIRST);
  const groups = useMemo(
    () =>
      communities
        ? communityGroups(communities).filter((g) => g.members.some((m) => chart.graph.hasNode(m)))
        : [],
    [communities],
  );
  return (
    <div>
      <div className="row">
        <button className="primary" data-testid="run-communities" onClick={runCommunities}>
          Find communities
        </button>
        <span className="small muted">Louvain, seed 1 (repeatable)</span>
      </div>
      <p className="small muted" data-testid="communities-spec">
        Over the entities on the chart and the links between them, in the {networkInWords(spec)}.
      </p>
      {groups.map((g) => (
        <div
          key={g.community}
          className="note clickable"
          style={{ cursor: 'pointer', borderLeft: `4px solid ${communityColour(g.community)}` }}
          onClick={() =>
            appStore.set((s) => ({
              ...s,
              selection: { nodes: g.members.filter((m) => chart.graph.hasNode(m)), edge: null },
            }))
          }
        >
          <b>Community {g.community + 1}</b> · {g.members.length} entities
          <div className="small muted">
            {g.members
              .slice(0, 6)
              .map((m) => labelOf(m))
              .join(', ')}
            {g.members.length > 6 ? '…' : ''}
          </div>
        </div>
      ))}
    </div>
  );
}
