// Right panel: details, annotations, rankings, communities, disruption lab, rank explanation.
import { useEffect, useMemo, useState } from 'react';
import { ENTITY_TYPES, type Annotation } from '@domain/model.ts';
import { api } from '../api/client.ts';
import { METRICS } from '../api/analysis.ts';
import { chart } from '../graph/controller.ts';
import { communityColour } from '../graph/style.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { communityGroups, formatMetric, rankRows } from '../state/appearance.ts';
import type { RightTab } from '../state/app.ts';
import {
  explainRank,
  fail,
  runCommunities,
  explainOnServer,
  runMetric,
  type ServerExplanation,
} from '../actions.ts';
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
        {tab === 'rankings' && <RankingsTab />}
        {tab === 'communities' && <CommunitiesTab />}
        {tab === 'disruption' && <DisruptionLab />}
        {tab === 'explain' && <ExplainTab />}
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

function RankingsTab() {
  const metrics = useApp((s) => s.appearance.metrics);
  const sizeBy = useApp((s) => s.appearance.sizeBy);
  const selection = useApp((s) => s.selection.nodes);
  const job = useApp((s) => s.job);
  const [metric, setMetric] = useState<string>(sizeBy ?? 'betweenness');
  const [scope, setScope] = useState<'chart' | 'store'>('chart');
  const [desc, setDesc] = useState(true);
  const [sortBy, setSortBy] = useState<'value' | 'label'>('value');
  // People first: "who should we prioritise" is asked of people, and a phone or a place shared by the
  // whole group otherwise tops every measure. Any other type, or all, is one click away.
  // null: not chosen yet, so people when the chart has any (it may be empty when the tab first opens).
  const [chosen, setOnly] = useState<string | null>(null);
  const values = metrics[metric];
  const only = chosen ?? (values && chart.graph.someNode((_n, a) => a.etype === 'Person') ? 'Person' : '');
  const rows = useMemo(() => {
    if (!values) return [];
    // Ranked among the entities shown (on the chart, of the chosen type), so the first person is 1.
    const shown: Record<string, number> = {};
    for (const [id, v] of Object.entries(values)) {
      if (!chart.graph.hasNode(id)) continue;
      if (only && chart.graph.getNodeAttribute(id, 'etype') !== only) continue;
      shown[id] = v;
    }
    const r = rankRows(shown, desc);
    if (sortBy === 'label') r.sort((a, b) => (desc ? -1 : 1) * labelOf(b.id).localeCompare(labelOf(a.id)));
    return r.slice(0, 300);
  }, [values, desc, sortBy, only]);
  return (
    <div>
      <div className="row">
        <select data-testid="metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
          {METRICS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
        <select
          value={scope}
          onChange={(e) => setScope(e.target.value as 'chart' | 'store')}
          title="Over the entities on the chart, or over the whole filtered view on the server"
        >
          <option value="chart">on chart</option>
          <option value="store">whole view (server)</option>
        </select>
        <button
          className="primary"
          data-testid="run-metric"
          disabled={!!job}
          onClick={() => void runMetric(metric, scope)}
        >
          Run
        </button>
      </div>
      <div className="row">
        <label>Show</label>
        <select data-testid="rank-type" value={only} onChange={(e) => setOnly(e.target.value)}>
          <option value="">all entity types</option>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {t} only
            </option>
          ))}
        </select>
      </div>
      {!values && <p className="muted">Run a measure to rank entities; nodes are sized by it.</p>}
      {values && (
        <table className="grid" data-testid="rankings">
          <thead>
            <tr>
              <th
                title="Rank among the entities shown"
                onClick={() => (sortBy === 'value' ? setDesc(!desc) : (setSortBy('value'), setDesc(true)))}
              >
                #
              </th>
              <th
                onClick={() => (sortBy === 'label' ? setDesc(!desc) : (setSortBy('label'), setDesc(false)))}
              >
                Entity {sortBy === 'label' ? (desc ? '▼' : '▲') : ''}
              </th>
              <th onClick={() => (sortBy === 'value' ? setDesc(!desc) : (setSortBy('value'), setDesc(true)))}>
                {METRICS.find((m) => m.id === metric)?.label} {sortBy === 'value' ? (desc ? '▼' : '▲') : ''}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                className={`clickable ${selection.includes(r.id) ? 'sel' : ''}`}
                onClick={() => {
                  appStore.set((s) => ({ ...s, selection: { nodes: [r.id], edge: null } }));
                  chart.focus(r.id);
                }}
              >
                <td>{r.rank}</td>
                <td>{labelOf(r.id)}</td>
                <td className="num">{formatMetric(r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function CommunitiesTab() {
  const communities = useApp((s) => s.appearance.communities);
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
        <span className="small muted">Louvain, seeded (repeatable)</span>
      </div>
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

function ExplainTab() {
  const sel = useApp((s) => s.selection.nodes);
  const sizeBy = useApp((s) => s.appearance.sizeBy);
  const [metric, setMetric] = useState(sizeBy ?? 'betweenness');
  const [res, setRes] = useState<ReturnType<typeof explainRank> | null>(null);
  const [server, setServer] = useState<ServerExplanation | null>(null);
  const id = sel[0];
  useEffect(() => {
    setRes(null);
    setServer(null);
  }, [id, metric]);
  if (!id)
    return (
      <p className="muted">Select an entity to see why it ranks where it does and how stable that rank is.</p>
    );
  const degree = chart.graph.hasNode(id) ? chart.graph.degree(id) : 0;
  const neighbours = chart.graph.hasNode(id) ? chart.graph.neighbors(id) : [];
  return (
    <div>
      <div className="row">
        <b>{labelOf(id)}</b>
      </div>
      <div className="row">
        <select value={metric} onChange={(e) => setMetric(e.target.value)}>
          {METRICS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
        <button
          className="primary"
          data-testid="run-explain"
          onClick={() => {
            try {
              setRes(explainRank(id, metric));
            } catch (e) {
              fail(e);
            }
          }}
        >
          Explain
        </button>
        <button
          title="Over the whole filtered view, on the server"
          onClick={() => void explainOnServer(id, metric, setServer)}
        >
          Whole view
        </button>
      </div>
      {server && (
        <div data-testid="explanation-server">
          <p>
            Over the whole view ({server.nodes} entities): rank <b>{server.stability.rank}</b>, stability
            interval{' '}
            <b>
              {server.stability.interval[0]}–{server.stability.interval[1]}
            </b>{' '}
            over {server.stability.resamples} resamples dropping{' '}
            {Math.round(server.stability.dropShare * 100)}% of links.
          </p>
          <p className="small">
            Without weakly graded links ({server.weakLeftOut.linksDropped} dropped) it would rank{' '}
            {server.weakLeftOut.rankWithout} instead of {server.weakLeftOut.rankWith}. It bridges{' '}
            {server.communities.bridged.length} other communities (
            {(server.communities.pathShare * 100).toFixed(1)}% of the shortest paths between them pass through
            it).
          </p>
        </div>
      )}
      {res && (
        <div data-testid="explanation">
          <p>
            Ranks <b>{res.rank}</b> of {res.of} by {METRICS.find((m) => m.id === metric)?.label.toLowerCase()}{' '}
            (value {formatMetric(res.value)}).
          </p>
          <p>
            Stability interval (90%): rank <b>{res.low}</b> to <b>{res.high}</b> when each link is kept with
            the probability its grading deserves (weak intelligence is the likeliest to be wrong).
          </p>
          <p className="small muted">
            {degree} links to {neighbours.length} entities on the chart
            {neighbours.length ? `, e.g. ${neighbours.slice(0, 5).map(labelOf).join(', ')}` : ''}.
          </p>
          {res.high - res.low > Math.max(3, res.of * 0.1) && (
            <p className="conditions small">
              This rank is sensitive to weakly graded links: corroborate before acting on it.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
