// Import a file from the web app: pick it and its format, preview the first rows with the proposed column
// mapping, adjust the mapping and the grading, import (all or nothing), read the report; past runs below.
import { useEffect, useRef, useState } from 'react';
import {
  ENTITY_TYPES,
  HANDLING_LABELS,
  LINK_TYPES,
  INTEL_ASSESSMENTS,
  INTEL_LABELS,
  SOURCE_EVALUATIONS,
  SOURCE_LABELS,
} from '@domain/model.ts';
import {
  FORMAT_FIELDS,
  IMPORT_FORMATS,
  importsApi,
  type ImportChoices,
  type ImportFormat,
  type ImportPreview,
  type ImportReport,
} from '../api/imports.ts';
import { api } from '../api/client.ts';
import { addWithWarning, fail, notify } from '../actions.ts';
import { useApp } from '../state/hooks.ts';
import { Modal, closeDialog } from './Modal.tsx';
import { refreshNotices } from '../ops/working.ts';

const FORMAT_LABELS: Record<ImportFormat, string> = {
  cdr: 'Call data records',
  anpr: 'ANPR reads',
  entities: 'Entities (one per row)',
  links: 'Links (one per row)',
  edgelist: 'Edge list (network file)',
  matrix: 'Adjacency matrix (network file)',
  twomode: 'Two-mode matrix (people by events)',
};

/** Fields whose name alone would not say what the column must hold. */
const FIELD_LABELS: Record<string, string> = {
  start: 'start (date and time, or date)',
  time: 'time (date and time, or date)',
  timeOfDay: 'time of day, if in its own column',
};

/**
 * For requests of one kind where only the newest answer counts: starts a turn on `turn` and returns a check
 * that stays true while no later turn has started, so a late answer to an older request is dropped.
 */
function startTurn(turn: { current: number }): () => boolean {
  const mine = ++turn.current;
  return () => mine === turn.current;
}

/** A first guess at the format from the file name; the analyst confirms it. */
function guessFormat(name: string): ImportFormat {
  const n = name.toLowerCase();
  if (/cdr|call/.test(n)) return 'cdr';
  if (/anpr|vrm|plate/.test(n)) return 'anpr';
  if (/matrix|adj/.test(n)) return 'matrix';
  if (/edge/.test(n)) return 'edgelist';
  return 'cdr';
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Most of an import's entities put on the chart at once (the expansion cap is 5,000 nodes). */
const SHOW_MAX = 1000;

/** Puts an import's entities on the chart with the links among them. */
async function showOnChart(r: ImportReport): Promise<void> {
  const page = await importsApi.entities(r.importId, SHOW_MAX);
  if (page.items.length === 0) {
    notify(`${r.name}: nothing to show`);
    return;
  }
  const ids = new Set(page.items.map((e) => e.id));
  const sub = await api.neighbourhood({ seeds: [...ids], hops: 1, limit: 5000 });
  closeDialog();
  const added = addWithWarning(
    {
      nodes: sub.nodes.filter((n) => ids.has(n.id)),
      links: sub.links.filter((l) => ids.has(l.from) && ids.has(l.to)),
    },
    `import ${r.name}`,
  );
  if (added && page.total > page.items.length)
    notify(
      `import ${r.name}: the first ${page.items.length} of its ${page.totalAtLeast ? 'at least ' : ''}${page.total} entities are on the chart`,
    );
}

function Counts({ r }: { r: ImportReport }) {
  const c = (x: { created: number; matched: number }) => `${x.created} created, ${x.matched} matched`;
  return (
    <table className="grid small" data-testid="import-report">
      <tbody>
        <tr>
          <td>Rows read</td>
          <td className="num">{r.rowsRead}</td>
        </tr>
        <tr>
          <td>Entities</td>
          <td data-testid="import-entities">{c(r.entities)}</td>
        </tr>
        <tr>
          <td>Links</td>
          <td data-testid="import-links">{c(r.links)}</td>
        </tr>
        <tr>
          <td>Reports</td>
          <td>{c(r.reports)}</td>
        </tr>
        <tr>
          <td>Rows rejected</td>
          <td className="num">{r.rowsRejected}</td>
        </tr>
        {r.duplicates && (
          <tr>
            <td>Likely duplicates</td>
            <td data-testid="import-duplicates">
              {r.duplicates.proposed} found, {r.duplicates.created} new; {r.duplicates.waiting} waiting in
              Possible duplicates
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function ImportDialog() {
  const role = useApp((s) => s.user?.role);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat>('cdr');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [source, setSource] = useState('');
  const [intel, setIntel] = useState('');
  const [handling, setHandling] = useState<'P' | 'C'>('P');
  const [reportRef, setReportRef] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [findDuplicates, setFindDuplicates] = useState(false);
  // Off by default: the events are kept, and the person-level view (people linked through the events they
  // share) is a view option; storing the projection instead loses the events.
  const [project, setProject] = useState(false);
  const [entityType, setEntityType] = useState('');
  const [linkType, setLinkType] = useState('');
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [history, setHistory] = useState<ImportReport[] | null>(null);

  const historyTurn = useRef(0);
  const previewTurn = useRef(0);
  const loadHistory = (): void => {
    const current = startTurn(historyTurn);
    importsApi.history(8).then(
      (h) => current() && setHistory(h.items),
      () => current() && setHistory([]),
    );
  };
  useEffect(loadHistory, []);

  const choices = (): ImportChoices => ({
    format,
    mapping,
    ...(source && intel ? { grading: `${source}${intel}`, handling } : {}),
    ...(reportRef.trim() ? { report: reportRef.trim() } : {}),
    ...(skipInvalid ? { skipInvalid } : {}),
    ...(format === 'twomode' ? { project } : {}),
    ...(format === 'entities' && entityType ? { entityType } : {}),
    ...(format === 'links' && linkType ? { linkType } : {}),
    ...(findDuplicates ? { findDuplicates } : {}),
  });
  const fields = FORMAT_FIELDS[format];
  const canMap = fields.required.length + fields.optional.length > 0;
  // Entities and links files need a type: from a column, or one chosen here for every row.
  const fixedType =
    mapping.type || (format !== 'entities' && format !== 'links')
      ? null
      : format === 'entities'
        ? {
            label: 'Entity type',
            testId: 'import-entity-type',
            types: ENTITY_TYPES,
            value: entityType,
            set: setEntityType,
          }
        : {
            label: 'Link type',
            testId: 'import-link-type',
            types: LINK_TYPES,
            value: linkType,
            set: setLinkType,
          };
  const missing = fields.required.filter((f) => !mapping[f]);
  if (fixedType && !fixedType.value) missing.push('type (a column, or choose one)');

  const doPreview = async (f: File, fmt: ImportFormat): Promise<void> => {
    // A format changed while the first preview is on its way: only the newest preview sets the mapping.
    const current = startTurn(previewTurn);
    setBusy('preview');
    setErr(null);
    setResult(null);
    try {
      // The server proposes a mapping from the header; the analyst's own choices start from it.
      const p = await importsApi.preview(f, { format: fmt, mapping: {} });
      if (!current()) return;
      setPreview(p);
      setMapping(p.mapping);
    } catch (e) {
      if (!current()) return;
      setPreview(null);
      setErr(message(e));
    } finally {
      if (current()) setBusy(null);
    }
  };
  const doImport = async (): Promise<void> => {
    if (!file) return;
    setBusy('import');
    setErr(null);
    try {
      setResult(await importsApi.run(file, choices()));
      // What the file brought in may be held by another operation too: the badge says so at once.
      void refreshNotices();
      loadHistory();
    } catch (e) {
      setErr(message(e));
    } finally {
      setBusy(null);
    }
  };

  if (role === 'viewer')
    return (
      <Modal title="Import" testId="import-dialog">
        <p>The viewer role may not import. Ask an analyst or a supervisor.</p>
        <div className="buttons">
          <button onClick={closeDialog}>Close</button>
        </div>
      </Modal>
    );

  return (
    <Modal title="Import a file" testId="import-dialog">
      <fieldset>
        <legend>File</legend>
        <div className="form">
          <label>File (CSV, UTF-8)</label>
          <input
            type="file"
            data-testid="import-file"
            accept=".csv,.tsv,.txt,text/csv,text/plain"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f) {
                const g = guessFormat(f.name);
                setFormat(g);
                void doPreview(f, g);
              }
            }}
          />
          <label>Format</label>
          <select
            data-testid="import-format"
            value={format}
            onChange={(e) => {
              const f = e.target.value as ImportFormat;
              setFormat(f);
              if (file) void doPreview(file, f);
            }}
          >
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
      </fieldset>

      {preview && (
        <fieldset>
          <legend>First rows and columns</legend>
          <div className="table-scroll">
            <table className="grid small" data-testid="import-preview">
              <thead>
                <tr>
                  {preview.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, 5).map((r, i) => (
                  <tr key={i}>
                    {r.map((v, j) => (
                      <td key={j}>{v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {canMap && (
            <div className="form">
              {[...fields.required, ...fields.optional].map((f) => (
                <div className="contents" key={f}>
                  <label>
                    {FIELD_LABELS[f] ?? f}
                    {fields.required.includes(f) ? ' *' : ''}
                  </label>
                  <select
                    data-testid={`map-${f}`}
                    value={mapping[f] ?? ''}
                    onChange={(e) => setMapping({ ...mapping, [f]: e.target.value })}
                  >
                    <option value="">(not in this file)</option>
                    {preview.columns.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
          )}
          {fixedType && (
            <div className="form">
              <label>{fixedType.label}</label>
              <select
                data-testid={fixedType.testId}
                value={fixedType.value}
                onChange={(e) => fixedType.set(e.target.value)}
              >
                <option value="">choose…</option>
                {fixedType.types.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </div>
          )}
          {missing.length > 0 && <p className="small warn">Still needed: {missing.join(', ')}.</p>}
          {preview.errors.length > 0 && (
            <ul className="small warn">
              {preview.errors.slice(0, 5).map((e, i) => (
                <li key={i}>
                  {e.row !== undefined ? `row ${e.row}: ` : ''}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
        </fieldset>
      )}

      {preview && (
        <fieldset>
          <legend>Provenance</legend>
          <div className="form">
            <label>Grading (3x5x2)</label>
            <div className="row grading">
              <select data-testid="import-source" value={source} onChange={(e) => setSource(e.target.value)}>
                <option value="">source…</option>
                {SOURCE_EVALUATIONS.map((s) => (
                  <option key={s} value={String(s)}>
                    {s}: {SOURCE_LABELS[s]}
                  </option>
                ))}
              </select>
              <select data-testid="import-intel" value={intel} onChange={(e) => setIntel(e.target.value)}>
                <option value="">assessment…</option>
                {INTEL_ASSESSMENTS.map((a) => (
                  <option key={a} value={a}>
                    {a}: {INTEL_LABELS[a]}
                  </option>
                ))}
              </select>
              <select value={handling} onChange={(e) => setHandling(e.target.value as 'P' | 'C')}>
                {(['P', 'C'] as const).map((h) => (
                  <option key={h} value={h}>
                    {h}: {HANDLING_LABELS[h]}
                  </option>
                ))}
              </select>
            </div>
            <label>Report reference</label>
            <input
              data-testid="import-report-ref"
              value={reportRef}
              placeholder="optional: the intelligence report every fact rests on"
              onChange={(e) => setReportRef(e.target.value)}
            />
          </div>
          <label className="row">
            <input type="checkbox" checked={skipInvalid} onChange={() => setSkipInvalid(!skipInvalid)} />
            Import the good rows and list the bad ones (otherwise one bad row stops the whole file)
          </label>
          <label className="row">
            <input
              type="checkbox"
              data-testid="import-find-duplicates"
              checked={findDuplicates}
              onChange={() => setFindDuplicates(!findDuplicates)}
            />
            Then look for people, phones and vehicles this file may hold twice (Draw → Possible duplicates)
          </label>
          {format === 'twomode' && (
            <label className="row">
              <input type="checkbox" checked={project} onChange={() => setProject(!project)} />
              Store only people linked by the events they share (projection), not the events: the person-level
              view shows the same links while keeping the events
            </label>
          )}
        </fieldset>
      )}

      {result && (
        <fieldset>
          <legend>Imported: {result.name}</legend>
          <Counts r={result} />
          {result.rejected.length > 0 && (
            <ul className="small warn">
              {result.rejected.slice(0, 10).map((e, i) => (
                <li key={i}>
                  {e.row !== undefined ? `row ${e.row}` : ''}
                  {e.column ? `, ${e.column}` : ''}: {e.message}
                </li>
              ))}
            </ul>
          )}
          <div className="row">
            <button data-testid="import-show" onClick={() => void showOnChart(result).catch(fail)}>
              Show on chart
            </button>
            <span className="small muted">Importing the same file again changes nothing.</span>
          </div>
        </fieldset>
      )}

      <fieldset>
        <legend>Recent imports</legend>
        {history === null && <p className="small muted">Loading…</p>}
        {history?.length === 0 && <p className="small muted">None yet.</p>}
        {history && history.length > 0 && (
          <table className="grid small" data-testid="import-history">
            <thead>
              <tr>
                <th>When</th>
                <th>By</th>
                <th>File</th>
                <th>Entities</th>
                <th>Links</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h, i) => (
                <tr key={`${h.importId}-${i}`} title={h.importId}>
                  <td>{h.at ? new Date(h.at).toLocaleString('en-GB') : ''}</td>
                  <td>{h.actor ?? ''}</td>
                  <td>{h.name}</td>
                  <td className="num">
                    +{h.entities.created} / {h.entities.matched}
                  </td>
                  <td className="num">
                    +{h.links.created} / {h.links.matched}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </fieldset>

      {err && (
        <div className="toast error" data-testid="import-error">
          {err}
        </div>
      )}
      <div className="buttons">
        <button
          className="primary"
          data-testid="import-run"
          disabled={!file || !preview || !!busy || missing.length > 0 || !!source !== !!intel}
          onClick={() => void doImport()}
        >
          {busy === 'import' ? 'Importing…' : 'Import'}
        </button>
        <button onClick={closeDialog}>Close</button>
      </div>
    </Modal>
  );
}
