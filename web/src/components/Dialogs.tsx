// Modal dialogs: draw or edit an entity, draw a link, save/open charts, export, import.
import { useEffect, useRef, useState } from 'react';
import {
  ENTITY_TYPES,
  HANDLING_LABELS,
  INTEL_ASSESSMENTS,
  INTEL_LABELS,
  LINK_RULES,
  LINK_TYPES,
  SOURCE_LABELS,
  type Chart,
  type EntityType,
  type LinkType,
} from '@domain/model.ts';
import { ApiError, api } from '../api/client.ts';
import { chart } from '../graph/controller.ts';
import { useApp } from '../state/hooks.ts';
import {
  createEntity,
  createLink,
  editEntity,
  formatProperties,
  parseProperties,
  type ReportForm,
} from '../drawing.ts';
import { openChart, saveChart } from '../charts.ts';
import {
  DATA_FORMATS,
  briefingPdf,
  clearPicture,
  dataExport,
  download,
  pngBlob,
  safeName,
  svgString,
  type DataFormat,
} from '../export.ts';
import { addEntity, fail } from '../actions.ts';
import { EntityPicker, pickedFromId, type PickedEntity } from './EntityPicker.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { AccountDialog } from '../admin/AccountDialog.tsx';
import { DuplicatesScreen } from '../dedupe/DuplicatesScreen.tsx';
import { DeconflictionScreen } from '../ops/DeconflictionScreen.tsx';
import { MembersScreen } from '../ops/MembersScreen.tsx';
import { NewOperationDialog } from '../ops/NewOperation.tsx';
import { Modal, closeDialog as close } from './Modal.tsx';
import { markingLine, pictureMarking } from '../state/operation.ts';

export function Dialogs() {
  const d = useApp((s) => s.dialog);
  if (!d) return null;
  switch (d.kind) {
    case 'entity':
      return d.editId ? <EditEntityDialog id={d.editId} /> : <EntityDialog />;
    case 'link':
      return <LinkDialog />;
    case 'charts':
      return <ChartsDialog />;
    case 'export':
      return <ExportDialog />;
    case 'import':
      return <ImportDialog />;
    case 'account':
      return <AccountDialog screen={d.screen} />;
    case 'duplicates':
      return <DuplicatesScreen />;
    case 'deconfliction':
      return <DeconflictionScreen />;
    case 'members':
      return <MembersScreen />;
    case 'new-operation':
      return <NewOperationDialog />;
    default:
      return null;
  }
}

const today = (): string => new Date().toISOString().slice(0, 10);

function newReport(author: string): ReportForm {
  return {
    ref: `MAN-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${Math.floor(Math.random() * 9000 + 1000)}`,
    date: today(),
    author,
    text: '',
    source: 2,
    intel: 'B',
    handling: 'P',
    conditions: '',
  };
}

function ReportFields(props: { r: ReportForm; set: (r: ReportForm) => void }) {
  const { r, set } = props;
  return (
    <fieldset>
      <legend>Intelligence report it rests on (3x5x2)</legend>
      <div className="form">
        <label>Reference</label>
        <input data-testid="report-ref" value={r.ref} onChange={(e) => set({ ...r, ref: e.target.value })} />
        <label>Date</label>
        <input type="date" value={r.date} onChange={(e) => set({ ...r, date: e.target.value })} />
        <label>Author</label>
        <input
          data-testid="report-author"
          value={r.author}
          onChange={(e) => set({ ...r, author: e.target.value })}
        />
        <label>Source evaluation</label>
        <select
          data-testid="report-source"
          value={r.source}
          onChange={(e) => set({ ...r, source: Number(e.target.value) as 1 | 2 | 3 })}
        >
          {([1, 2, 3] as const).map((s) => (
            <option key={s} value={s}>
              {s}: {SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
        <label>Assessment</label>
        <select
          data-testid="report-intel"
          value={r.intel}
          onChange={(e) => set({ ...r, intel: e.target.value as ReportForm['intel'] })}
        >
          {INTEL_ASSESSMENTS.map((i) => (
            <option key={i} value={i}>
              {i}: {INTEL_LABELS[i]}
            </option>
          ))}
        </select>
        <label>Handling code</label>
        <select
          data-testid="report-handling"
          value={r.handling}
          onChange={(e) => set({ ...r, handling: e.target.value as 'P' | 'C' })}
        >
          <option value="P">P: {HANDLING_LABELS.P}</option>
          <option value="C">C: {HANDLING_LABELS.C}</option>
        </select>
        {r.handling === 'C' && (
          <>
            <label>Conditions</label>
            <textarea
              data-testid="report-conditions"
              placeholder="State the conditions (required for C)"
              value={r.conditions}
              onChange={(e) => set({ ...r, conditions: e.target.value })}
            />
          </>
        )}
        <label>Text</label>
        <textarea value={r.text} onChange={(e) => set({ ...r, text: e.target.value })} />
      </div>
    </fieldset>
  );
}

function EntityDialog() {
  const user = useApp((s) => s.user?.name ?? '');
  const [type, setType] = useState<EntityType>('Person');
  const [label, setLabel] = useState('');
  const [props, setProps] = useState('');
  const [report, setReport] = useState<ReportForm>(() => newReport(user));
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setErr(null);
    try {
      if (!label.trim()) throw new Error('Label: give the entity a name, number or plate.');
      if (report.handling === 'C' && !report.conditions.trim())
        throw new Error('Conditions: handling code C needs its conditions stated.');
      const properties = parseProperties(props);
      setBusy(true);
      await createEntity({ type, label: label.trim(), properties, report });
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Draw an entity" testId="entity-dialog">
      <div className="form">
        <label>Type</label>
        <select
          data-testid="entity-type"
          value={type}
          onChange={(e) => setType(e.target.value as EntityType)}
        >
          {ENTITY_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label>Label</label>
        <input
          data-testid="entity-label"
          autoFocus
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
        <label>Properties</label>
        <textarea
          data-testid="entity-props"
          placeholder={'one per line: name = value\ndob = 1990-04-02\nlat = 53.48'}
          value={props}
          onChange={(e) => setProps(e.target.value)}
        />
      </div>
      <ReportFields r={report} set={setReport} />
      {err && <div className="toast error">{err}</div>}
      <div className="buttons">
        <button onClick={close}>Cancel</button>
        <button className="primary" data-testid="entity-save" disabled={busy} onClick={() => void submit()}>
          Create
        </button>
      </div>
    </Modal>
  );
}

function EditEntityDialog({ id }: { id: string }) {
  const [label, setLabel] = useState('');
  const [props, setProps] = useState('');
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    api.entity(id).then((e) => {
      setLabel(e.label);
      setProps(formatProperties(e.properties));
    }, fail);
  }, [id]);
  return (
    <Modal title="Edit entity">
      <div className="form">
        <label>Label</label>
        <input value={label} onChange={(e) => setLabel(e.target.value)} />
        <label>Properties</label>
        <textarea value={props} rows={6} onChange={(e) => setProps(e.target.value)} />
      </div>
      {err && <div className="toast error">{err}</div>}
      <div className="buttons">
        <button onClick={close}>Cancel</button>
        <button
          className="primary"
          onClick={() => {
            try {
              void editEntity(id, { label: label.trim(), properties: parseProperties(props) });
            } catch (e) {
              setErr(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          Save
        </button>
      </div>
    </Modal>
  );
}

function LinkDialog() {
  const sel = useApp((s) => s.selection.nodes);
  const user = useApp((s) => s.user?.name ?? '');
  // The two ends: the chart's two selected entities when there are, otherwise picked by search.
  const [from, setFrom] = useState<PickedEntity[]>(() => (sel[0] ? [pickedFromId(sel[0])] : []));
  const [to, setTo] = useState<PickedEntity[]>(() => (sel[1] ? [pickedFromId(sel[1])] : []));
  const ft = from[0]?.type ?? null;
  const tt = to[0]?.type ?? null;
  const allowed = LINK_TYPES.filter(
    (t) => ft && tt && LINK_RULES[t].from.includes(ft) && LINK_RULES[t].to.includes(tt),
  );
  const [type, setType] = useState<LinkType | ''>(allowed[0] ?? '');
  useEffect(() => {
    if (!type || !allowed.includes(type)) setType(allowed[0] ?? '');
  }, [allowed, type]);
  const [weight, setWeight] = useState('1');
  const [firstSeen, setFirstSeen] = useState('');
  const [lastSeen, setLastSeen] = useState('');
  const [report, setReport] = useState<ReportForm>(() => newReport(user));
  const [err, setErr] = useState<{ text: string; field: string | null } | null>(null);
  const save = async (): Promise<void> => {
    const w = Number(weight);
    if (!from[0] || !to[0])
      return setErr({ text: 'Choose the entity at each end of the link.', field: 'from' });
    if (!(w > 0)) return setErr({ text: 'Weight: must be above 0.', field: 'weight' });
    if (report.handling === 'C' && !report.conditions.trim())
      return setErr({
        text: 'Conditions: handling code C needs its conditions stated.',
        field: 'conditions',
      });
    setErr(null);
    // A picked end not yet on the chart comes onto it, so the new link can be drawn between the two.
    for (const end of [from[0], to[0]]) if (!chart.graph.hasNode(end.id)) await addEntity(end.id);
    await createLink({
      type: type as LinkType,
      from: from[0].id,
      to: to[0].id,
      weight: w,
      firstSeen,
      lastSeen,
      report,
    });
  };
  return (
    <Modal title="Draw a link" testId="link-dialog">
      <div className="form">
        <label>From</label>
        <EntityPicker testId="link-from" value={from} onChange={setFrom} />
        <label>To</label>
        <EntityPicker testId="link-to" value={to} onChange={setTo} />
        <label>Type</label>
        <select data-testid="link-type" value={type} onChange={(e) => setType(e.target.value as LinkType)}>
          {allowed.length === 0 && (
            <option value="">
              {ft && tt ? `no link type joins ${ft} to ${tt}` : 'choose both ends first'}
            </option>
          )}
          {allowed.map((t) => (
            <option key={t} value={t}>
              {t} — {LINK_RULES[t].description}
            </option>
          ))}
        </select>
        <label>Weight (strength)</label>
        <input
          type="number"
          min="0.01"
          step="any"
          aria-invalid={err?.field === 'weight' || undefined}
          value={weight}
          onChange={(e) => setWeight(e.target.value)}
        />
        <label>First seen</label>
        <input type="date" value={firstSeen} onChange={(e) => setFirstSeen(e.target.value)} />
        <label>Last seen</label>
        <input type="date" value={lastSeen} onChange={(e) => setLastSeen(e.target.value)} />
      </div>
      <ReportFields r={report} set={setReport} />
      {err && (
        <div className="toast error" role="alert">
          {err.text}
        </div>
      )}
      <div className="buttons">
        <button onClick={close}>Cancel</button>
        <button
          className="primary"
          data-testid="link-save"
          disabled={!type || !from[0] || !to[0]}
          onClick={() => void save()}
        >
          Create link
        </button>
      </div>
    </Modal>
  );
}

function ChartsDialog() {
  const current = useApp((s) => s.chart);
  const [name, setName] = useState(current.name);
  const [charts, setCharts] = useState<Chart[] | null>(null);
  useEffect(() => {
    api.charts().then(setCharts, fail);
  }, []);
  return (
    <Modal title="Charts" testId="charts-dialog">
      <div className="row">
        <input
          data-testid="chart-name"
          style={{ flex: 1 }}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button
          className="primary"
          data-testid="chart-save"
          disabled={!name.trim()}
          onClick={() => void saveChart(name.trim())}
        >
          {current.id ? 'Save' : 'Save'}
        </button>
        {current.id && <button onClick={() => void saveChart(name.trim(), true)}>Save as new</button>}
      </div>
      <h3 className="small muted">Saved charts</h3>
      {!charts && <div className="muted">Loading…</div>}
      {charts && charts.length === 0 && <div className="muted">None saved yet.</div>}
      {charts && charts.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Owner</th>
              <th>Saved</th>
            </tr>
          </thead>
          <tbody>
            {charts.map((c) => (
              <tr
                key={c.id}
                className="clickable"
                data-testid="chart-row"
                onClick={() => void openChart(c.id)}
              >
                <td>{c.name}</td>
                <td>{c.owner}</td>
                <td>{c.updatedAt.slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="buttons">
        <button onClick={close}>Close</button>
      </div>
    </Modal>
  );
}

const MARKINGS = ['OFFICIAL', 'OFFICIAL-SENSITIVE', 'SECRET'];

function ExportDialog() {
  const chartName = useApp((s) => s.chart.name);
  const user = useApp((s) => s.user?.name ?? '');
  const [width, setWidth] = useState(2400);
  const [title, setTitle] = useState(chartName === 'Untitled chart' ? 'Network briefing' : chartName);
  const [author, setAuthor] = useState(user);
  const [marking, setMarking] = useState('OFFICIAL-SENSITIVE');
  const op = useApp((s) => s.operation.current);
  // Pictures are drawn here, so they print the operation's marking beside the protective one (the server
  // adds it to the PDF briefing and the data files).
  const drawnMarking = pictureMarking(marking, op);
  const [busy, setBusy] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [conditions, setConditions] = useState<string[] | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [justification, setJustification] = useState('');
  const [recipient, setRecipient] = useState('');
  const [dataFormat, setDataFormat] = useState<DataFormat>('anx');
  const confirmRef = useRef<HTMLDivElement>(null);
  // The confirmation appears at the foot of a dialog that may scroll on a laptop screen: bring it into view.
  useEffect(() => {
    if (conditions) confirmRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [conditions]);
  const run = async (what: string, fn: () => Promise<void>): Promise<void> => {
    setBusy(what);
    setErr(null);
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 428) {
        const details =
          (e.body as { error?: { details?: Array<{ message: string }> } })?.error?.details ?? [];
        setConditions(details.map((d) => d.message));
        return;
      }
      setErr(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const base = safeName(title);
  const unconfirmed =
    !!conditions && (!confirmed || justification.trim().length < 10 || recipient.trim().length < 2);
  const handling =
    conditions && confirmed
      ? { confirmConditions: true as const, justification: justification.trim(), recipient: recipient.trim() }
      : undefined;
  return (
    <Modal title="Export" testId="export-dialog">
      <div className="form">
        <label>Protective marking</label>
        <select data-testid="brief-marking" value={marking} onChange={(e) => setMarking(e.target.value)}>
          {MARKINGS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <label>Operation</label>
        <span data-testid="export-op-marking">{op ? markingLine(op) : 'none chosen'}</span>
      </div>
      <fieldset>
        <legend>Image</legend>
        <div className="row">
          <label>Width (px)</label>
          <select data-testid="png-width" value={width} onChange={(e) => setWidth(Number(e.target.value))}>
            {[1200, 2400, 3600, 4800].map((w) => (
              <option key={w} value={w}>
                {w} × {Math.round(w * 0.62)}
              </option>
            ))}
          </select>
          <button
            data-testid="export-png"
            disabled={!!busy || unconfirmed}
            onClick={() =>
              void run('png', async () => {
                const c = await clearPicture('png', marking, handling);
                const blob = await pngBlob(width, Math.round(width * 0.62), false, {
                  marking: drawnMarking,
                  ...(c.cCoded ? { handling: c } : {}),
                });
                download(blob, `${base}.png`);
              })
            }
          >
            PNG
          </button>
          <button
            data-testid="export-svg"
            disabled={!!busy || unconfirmed}
            onClick={() =>
              void run('svg', async () => {
                const c = await clearPicture('svg', marking, handling);
                const svg = svgString({ marking: drawnMarking, ...(c.cCoded ? { handling: c } : {}) });
                download(new Blob([svg], { type: 'image/svg+xml' }), `${base}.svg`);
              })
            }
          >
            SVG
          </button>
        </div>
        <p className="small muted">
          The chart as drawn, with its legend and the protective marking top and bottom; the conditions of any
          C-coded intelligence are printed under it.
        </p>
      </fieldset>
      <fieldset>
        <legend>Data, for i2, Gephi or a spreadsheet</legend>
        <div className="row">
          <select
            data-testid="data-format"
            value={dataFormat}
            onChange={(e) => setDataFormat(e.target.value as DataFormat)}
          >
            {DATA_FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
          <button
            data-testid="export-data"
            disabled={!!busy || unconfirmed}
            onClick={() => void run('data', () => dataExport(dataFormat, base, handling))}
          >
            {busy === 'data' ? 'Preparing…' : 'Download'}
          </button>
        </div>
        <p className="small muted">
          The entities the filters leave on the chart, the links among them, their gradings and sources, the
          positions as drawn, the measure sizing the nodes, and the analysis record.
        </p>
      </fieldset>
      <fieldset>
        <legend>PDF briefing</legend>
        <div className="form">
          <label>Title</label>
          <input data-testid="brief-title" value={title} onChange={(e) => setTitle(e.target.value)} />
          <label>Author</label>
          <input data-testid="brief-author" value={author} onChange={(e) => setAuthor(e.target.value)} />
        </div>
        <p className="small muted">
          The page carries the marking top and bottom, the chart, a legend, the top entities by the metric
          that sizes the nodes, the grading key, the analysis record and the conditions of any C-coded
          intelligence.
        </p>
        <div className="buttons">
          <button
            className="primary"
            data-testid="export-pdf"
            disabled={!!busy || !title.trim() || !author.trim() || unconfirmed}
            onClick={() =>
              void run('pdf', async () =>
                download(
                  await briefingPdf({ title, author, marking, resolution: 1800 }, handling),
                  `${base}.pdf`,
                ),
              )
            }
          >
            {busy === 'pdf' ? 'Preparing…' : 'PDF briefing'}
          </button>
        </div>
      </fieldset>
      {conditions && (
        <div className="conditions" data-testid="handling-confirm" ref={confirmRef}>
          <p>
            <b>This chart rests on C-coded intelligence.</b> Its conditions go with the picture, the briefing
            or the file; confirm them and record why and to whom it goes:
          </p>
          <ul className="small">
            {conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="form">
            <label>Justification</label>
            <input
              data-testid="handling-justification"
              value={justification}
              onChange={(e) => setJustification(e.target.value)}
              placeholder="why this disclosure is necessary"
            />
            <label>Recipient</label>
            <input
              data-testid="handling-recipient"
              value={recipient}
              onChange={(e) => setRecipient(e.target.value)}
              placeholder="who receives it"
            />
          </div>
          <label className="row">
            <input
              type="checkbox"
              data-testid="handling-ok"
              checked={confirmed}
              onChange={() => setConfirmed(!confirmed)}
            />
            I have read the conditions and will pass them on with what I export
          </label>
        </div>
      )}
      {err && <div className="toast error">{err}</div>}
      <div className="buttons">
        <button onClick={close}>Close</button>
      </div>
    </Modal>
  );
}
