// Details of the selected entity or link: properties and every intelligence report behind it, with its
// 3x5x2 grading and handling code (C-coded reports show their conditions). Actions on the selection sit here.
import { useEffect, useState } from 'react';
import {
  HANDLING_LABELS,
  INTEL_LABELS,
  LINK_TYPES,
  ENTITY_TYPES,
  SOURCE_LABELS,
  type EntityDetail,
  type LinkDetail,
  type Report,
} from '@domain/model.ts';
import { api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { iconUrl } from '../graph/style.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { expand, fail, notify, shortestPath } from '../actions.ts';
import { deleteSelectedFromStore, mergeSelected, undoMerge } from '../drawing.ts';
import { LinkCalls } from '../timeline/LinkCalls.tsx';

export function gradeClass(source: number, intel: string): string {
  if (source === 3 || intel === 'E' || intel === 'D') return 'grade bad';
  if (source === 2 || intel === 'C') return 'grade weak';
  return 'grade';
}

export function ReportCard({ r }: { r: Report }) {
  return (
    <div className="report" data-testid="report">
      <header>
        <b>{r.ref}</b>
        <span
          className={gradeClass(r.source, r.intel)}
          data-testid="grading"
          title={`${SOURCE_LABELS[r.source]}; ${INTEL_LABELS[r.intel]}`}
        >
          {r.source}
          {r.intel}
        </span>
        <span className={`hcode ${r.handling}`} title={HANDLING_LABELS[r.handling]}>
          {r.handling}
        </span>
        <span className="muted small">
          {r.date.slice(0, 10)} · {r.author}
        </span>
      </header>
      <div className="small muted">
        {SOURCE_LABELS[r.source]} source; {INTEL_LABELS[r.intel].toLowerCase()}
      </div>
      {r.text && <div style={{ marginTop: 4 }}>{r.text}</div>}
      {r.handling === 'C' && (
        <div className="conditions small">
          <b>Handling conditions:</b> {r.conditions}
        </div>
      )}
    </div>
  );
}

function Props({ p }: { p: Record<string, unknown> }) {
  const entries = Object.entries(p);
  if (!entries.length) return null;
  return (
    <dl className="kv">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DetailsTab() {
  const sel = useApp((s) => s.selection);
  const graphVersion = useApp((s) => s.graphVersion);
  const lastMerge = useApp((s) => s.lastMerge);
  const [entity, setEntity] = useState<EntityDetail | null>(null);
  const [link, setLink] = useState<LinkDetail | null>(null);
  const [hops, setHops] = useState(2);
  const id = sel.nodes.length === 1 ? sel.nodes[0] : null;

  useEffect(() => {
    setEntity(null);
    setLink(null);
    let live = true;
    if (id) api.entity(id).then((e) => live && setEntity(e), fail);
    else if (sel.edge) api.link(sel.edge).then((l) => live && setLink(l), fail);
    return () => {
      live = false;
    };
  }, [id, sel.edge, graphVersion]);

  if (sel.nodes.length > 1) {
    return (
      <div>
        <p>
          <b>{sel.nodes.length}</b> entities selected.
        </p>
        <div className="row">
          <button onClick={() => void expand(sel.nodes)}>Expand all</button>
          <button disabled={sel.nodes.length !== 2} onClick={() => void shortestPath()}>
            Shortest path
          </button>
          <button
            disabled={sel.nodes.length !== 2}
            onClick={() => void mergeSelected()}
            title="The second is merged into the first"
          >
            Merge 2nd into 1st
          </button>
          <button onClick={() => chart.togglePin(sel.nodes)}>Pin / unpin</button>
        </div>
        <ul className="small">
          {sel.nodes.slice(0, 50).map((n) => (
            <li key={n}>{chart.graph.hasNode(n) ? String(chart.graph.getNodeAttribute(n, 'label')) : n}</li>
          ))}
        </ul>
      </div>
    );
  }
  if (link) {
    return (
      <div data-testid="details">
        <h2 style={{ fontSize: 15, margin: '0 0 6px' }}>{link.type.toLowerCase().replace(/_/g, ' ')}</h2>
        <dl className="kv">
          <dt>From</dt>
          <dd>{labelOf(link.from)}</dd>
          <dt>To</dt>
          <dd>{labelOf(link.to)}</dd>
          <dt>Direction</dt>
          <dd>{link.directed ? 'directed' : 'undirected'}</dd>
          <dt>Weight</dt>
          <dd>{link.weight}</dd>
          <dt>Seen</dt>
          <dd>
            {link.firstSeen || link.lastSeen
              ? `${link.firstSeen?.slice(0, 10) ?? '?'} → ${link.lastSeen?.slice(0, 10) ?? '?'}`
              : 'undated'}
          </dd>
          <dt>Grading</dt>
          <dd>{link.grading ? `${link.grading.source}${link.grading.intel} (best report)` : 'ungraded'}</dd>
        </dl>
        <Props p={link.properties} />
        {link.type === 'CALLED' && <LinkCalls linkId={link.id} />}
        <h3 className="small muted">Intelligence ({link.reports.length})</h3>
        {link.reports.map((r) => (
          <ReportCard key={r.id} r={r} />
        ))}
        <div className="row">
          <button onClick={() => chart.removeEdges([link.id])}>Remove from chart</button>
          <button className="danger" onClick={() => void deleteSelectedFromStore()}>
            Delete link…
          </button>
        </div>
      </div>
    );
  }
  if (!id) {
    return (
      <div className="muted">
        <p>Click an entity or a link on the chart to see its details and the intelligence behind it.</p>
        <p className="small">
          Shift-click adds to the selection; the lasso (top bar) selects an area. Select two entities to find
          the shortest path between them.
        </p>
        {lastMerge && <button onClick={() => void undoMerge()}>Undo the last merge</button>}
      </div>
    );
  }
  if (!entity) return <div className="muted">Loading…</div>;
  return (
    <div data-testid="details">
      <div className="entity-head">
        <img src={iconUrl(entity.type)} alt="" />
        <div>
          <h2 data-testid="details-label">{entity.label}</h2>
          <div className="muted small">
            {entity.type} · key {entity.key}
          </div>
        </div>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <ExpandButtons id={entity.id} />
      </div>
      <div className="row">
        <button onClick={() => void expand([entity.id], { hops })}>Ego network</button>
        <select value={hops} onChange={(e) => setHops(Number(e.target.value))} aria-label="Hops">
          {[1, 2, 3, 4].map((h) => (
            <option key={h} value={h}>
              {h} hop{h > 1 ? 's' : ''}
            </option>
          ))}
        </select>
        <button onClick={() => chart.togglePin([entity.id])}>
          {chart.graph.hasNode(entity.id) && chart.graph.getNodeAttribute(entity.id, 'fixed')
            ? 'Unpin'
            : 'Pin'}
        </button>
      </div>
      <div className="row">
        <button
          onClick={() => appStore.set((s) => ({ ...s, dialog: { kind: 'entity', editId: entity.id } }))}
        >
          Edit…
        </button>
        <button onClick={() => chart.removeNodes([entity.id])}>Remove from chart</button>
        <button className="danger" onClick={() => void deleteSelectedFromStore()}>
          Delete…
        </button>
      </div>
      <Props p={entity.properties} />
      {entity.aliases.length > 0 && (
        <div className="small muted">Also known as: {entity.aliases.join(', ')}</div>
      )}
      {entity.reviewDate && <div className="small muted">Review by {entity.reviewDate.slice(0, 10)}</div>}
      <h3 className="small muted">Intelligence ({entity.reports.length})</h3>
      {entity.reports.length === 0 && (
        <div className="muted small">No report recorded for this entity itself; see its links.</div>
      )}
      {entity.reports.map((r) => (
        <ReportCard key={r.id} r={r} />
      ))}
      <LinkedReports id={entity.id} />
      {lastMerge && <button onClick={() => void undoMerge()}>Undo the last merge</button>}
    </div>
  );
}

/** The links on the chart around the entity, with their best grading, so the analyst sees what rests on what. */
function LinkedReports({ id }: { id: string }) {
  if (!chart.graph.hasNode(id)) return null;
  const rows: Array<{ e: string; type: string; other: string; grading: string }> = [];
  chart.graph.forEachEdge(id, (e, a, s, t) => {
    const g = a.grading as { source: number; intel: string } | null;
    rows.push({
      e,
      type: String(a.ltype),
      other: labelOf(s === id ? t : s),
      grading: g ? `${g.source}${g.intel}` : '—',
    });
  });
  if (!rows.length) return null;
  return (
    <>
      <h3 className="small muted">Links on the chart ({rows.length})</h3>
      <table className="grid">
        <tbody>
          {rows.slice(0, 100).map((r) => (
            <tr
              key={r.e}
              className="clickable"
              onClick={() => appStore.set((s) => ({ ...s, selection: { nodes: [], edge: r.e } }))}
            >
              <td>{r.type.toLowerCase().replace(/_/g, ' ')}</td>
              <td>{r.other}</td>
              <td>{r.grading}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function ExpandButtons({ id }: { id: string }) {
  const [mode, setMode] = useState('');
  return (
    <>
      <button
        className="primary"
        data-testid="expand"
        onClick={() => void expand([id])}
        title="Expand all neighbours (e)"
      >
        Expand
      </button>
      <select
        aria-label="Expand by type"
        value={mode}
        onChange={(e) => {
          const v = e.target.value;
          setMode('');
          if (v.startsWith('l:'))
            void expand([id], { linkTypes: [v.slice(2) as (typeof LINK_TYPES)[number]] });
          else if (v.startsWith('e:'))
            void expand([id], { entityTypes: [v.slice(2) as (typeof ENTITY_TYPES)[number]] });
          else if (v) notify(v);
        }}
      >
        <option value="">by type…</option>
        <optgroup label="Link type">
          {LINK_TYPES.map((t) => (
            <option key={t} value={`l:${t}`}>
              {t.toLowerCase().replace(/_/g, ' ')}
            </option>
          ))}
        </optgroup>
        <optgroup label="Entity type">
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={`e:${t}`}>
              {t}
            </option>
          ))}
        </optgroup>
      </select>
    </>
  );
}

export function labelOf(id: string): string {
  return chart.graph.hasNode(id) ? String(chart.graph.getNodeAttribute(id, 'label')) : id;
}
