// The audit trail for supervisors: filter by user, action, object and time, page through (newest first),
// and download what matches as CSV or JSON lines. Reading and exporting it are themselves audited.
import { useEffect, useState } from 'react';
import type { AuditEvent } from '@domain/model.ts';
import { EntityPicker, type PickedEntity } from '../components/EntityPicker.tsx';
import { download } from '../export.ts';
import { AUDIT_ACTION_WORDS, auditActionWords } from './access.ts';
import { adminApi, type AuditFilter } from './api.ts';
import { FieldError, useFormError } from './form-error.tsx';

const PAGE = 50;

interface Form {
  actor: string;
  action: string;
  object: PickedEntity[];
  since: string;
  until: string;
}
const EMPTY: Form = { actor: '', action: '', object: [], since: '', until: '' };

/** A datetime-local value (the browser's local time) as the ISO time the API reads. */
function isoOf(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

function filterOf(f: Form): AuditFilter {
  return {
    actor: f.actor.trim() || undefined,
    action: f.action || undefined,
    objectId: f.object[0]?.id,
    since: isoOf(f.since),
    until: isoOf(f.until),
  };
}

/** An export's digest shortened for the table (the cell's title holds it whole). */
function shortId(id: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(id) ? `${id.slice(0, 19)}…` : id;
}

/** Whether the record names what an export or briefing carried (its ids can be downloaded). */
function carriesIds(e: AuditEvent): boolean {
  const d = e.details?.disclosure as { digest?: unknown } | undefined;
  return typeof d?.digest === 'string';
}

/** Every id the record names, a page at a time, one `kind:id` a line (as the digest is taken over). */
async function carriedIdsText(seq: number): Promise<string> {
  const PAGE_IDS = 50_000;
  const lines: string[] = [];
  for (let offset = 0; ; offset += PAGE_IDS) {
    const p = await adminApi.auditIds(seq, offset, PAGE_IDS);
    for (const id of p.entities) lines.push(`entity:${id}`);
    for (const id of p.links) lines.push(`link:${id}`);
    for (const id of p.reports) lines.push(`report:${id}`);
    const most = Math.max(p.total.entities, p.total.links, p.total.reports);
    if (offset + PAGE_IDS >= most) return `${lines.sort().join('\n')}\n`;
  }
}

function detailsText(e: AuditEvent): string {
  const parts: string[] = [];
  if (e.justification) parts.push(`why: ${e.justification}`);
  if (e.recipient) parts.push(`to: ${e.recipient}`);
  for (const [k, v] of Object.entries(e.details ?? {}))
    parts.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const s = parts.join('; ');
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

export function AuditScreen() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [applied, setApplied] = useState<AuditFilter>({});
  const [rows, setRows] = useState<AuditEvent[] | null>(null);
  const [total, setTotal] = useState(0);
  /** Where the rows shown stand among the matching records, counted from the oldest (1): stays put as more are written. */
  const [at, setAt] = useState({ low: 0, high: 0 });
  const [more, setMore] = useState({ older: false, newer: false });
  const [busy, setBusy] = useState(false);
  const err = useFormError();

  /**
   * Loads a page read by key (the server reads one page's worth wherever it is): the newest, the one older than
   * the rows shown, or the one newer than them. Shown newest first.
   */
  const load = async (f: AuditFilter, step: 'newest' | 'older' | 'newer'): Promise<void> => {
    setBusy(true);
    err.clear();
    try {
      const shown = step === 'newest' ? null : rows;
      if (step === 'newer' && shown?.length) {
        const page = await adminApi.audit(f, { newest: false, after: shown[0].seq }, PAGE);
        if (page.items.length > 0) {
          setRows([...page.items].reverse());
          setTotal(page.total);
          setAt({ low: at.high + 1, high: at.high + page.items.length });
          setMore({ older: true, newer: page.next !== null && page.next !== undefined });
          return;
        }
      }
      const before = step === 'older' && shown?.length ? shown[shown.length - 1].seq : undefined;
      const page = await adminApi.audit(
        f,
        { newest: true, ...(before !== undefined ? { before } : {}) },
        PAGE,
      );
      const high = before !== undefined ? at.low - 1 : page.total;
      setRows(page.items);
      setTotal(page.total);
      setAt({ low: high - page.items.length + 1, high });
      setMore({ older: page.next !== null && page.next !== undefined, newer: before !== undefined });
      setApplied(f);
    } catch (e) {
      err.show(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load({}, 'newest'), []); // eslint-disable-line react-hooks/exhaustive-deps

  const exportAs = async (format: 'csv' | 'jsonl'): Promise<void> => {
    try {
      download(await adminApi.auditExport(applied, format), `linkchart-audit.${format}`);
    } catch (e) {
      err.show(e);
    }
  };
  const downloadIds = async (seq: number): Promise<void> => {
    try {
      const text = await carriedIdsText(seq);
      download(new Blob([text], { type: 'text/plain' }), `linkchart-audit-${seq}-ids.txt`);
    } catch (e) {
      err.show(e);
    }
  };

  return (
    <div className="admin-screen" data-testid="audit-screen">
      <form
        className="audit-filters"
        data-testid="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load(filterOf(form), 'newest');
        }}
      >
        <label>
          User
          <input
            data-testid="audit-actor"
            placeholder="their sign-in name"
            aria-invalid={err.on('actor') || undefined}
            value={form.actor}
            onChange={(e) => setForm({ ...form, actor: e.target.value })}
          />
        </label>
        <label>
          Action
          <select
            data-testid="audit-action"
            value={form.action}
            onChange={(e) => setForm({ ...form, action: e.target.value })}
          >
            <option value="">any</option>
            {Object.entries(AUDIT_ACTION_WORDS).map(([a, words]) => (
              <option key={a} value={a}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          About entity
          <EntityPicker
            testId="audit-object"
            value={form.object}
            onChange={(object) => setForm({ ...form, object })}
          />
        </label>
        <label>
          From
          <input
            type="datetime-local"
            data-testid="audit-since"
            aria-invalid={err.on('since') || undefined}
            value={form.since}
            onChange={(e) => setForm({ ...form, since: e.target.value })}
          />
        </label>
        <label>
          Until
          <input
            type="datetime-local"
            data-testid="audit-until"
            aria-invalid={err.on('until') || undefined}
            value={form.until}
            onChange={(e) => setForm({ ...form, until: e.target.value })}
          />
        </label>
        <div className="row">
          <button className="primary" type="submit" data-testid="audit-search" disabled={busy}>
            Search
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(EMPTY);
              void load({}, 'newest');
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <FieldError error={err.error} testId="audit-error" />
      <FieldError
        error={err.error}
        fields={['actor', 'action', 'objectId', 'since', 'until']}
        testId="audit-error"
      />
      <div className="row pager">
        <span className="muted" data-testid="audit-count">
          {rows === null
            ? 'Loading…'
            : total === 0
              ? 'No records match.'
              : `Records ${Math.max(1, at.low)}–${at.high} of ${total}, newest first`}
        </span>
        <span className="spacer" />
        <button type="button" disabled={busy || !more.newer} onClick={() => void load(applied, 'newest')}>
          Newest
        </button>
        <button
          type="button"
          data-testid="audit-newer"
          disabled={busy || !more.newer}
          onClick={() => void load(applied, 'newer')}
        >
          Newer
        </button>
        <button
          type="button"
          data-testid="audit-older"
          disabled={busy || !more.older}
          onClick={() => void load(applied, 'older')}
        >
          Older
        </button>
        <button
          type="button"
          data-testid="audit-export-csv"
          disabled={!total}
          onClick={() => void exportAs('csv')}
        >
          Download CSV
        </button>
        <button type="button" disabled={!total} onClick={() => void exportAs('jsonl')}>
          Download JSON lines
        </button>
      </div>
      {rows && rows.length > 0 && (
        <table className="grid admin-table small" data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>User</th>
              <th>Action</th>
              <th>Outcome</th>
              <th>Objects</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr
                key={e.seq}
                data-testid="audit-row"
                data-seq={e.seq}
                data-action={e.action}
                data-actor={e.actor}
              >
                <td className="nowrap">{new Date(e.at).toLocaleString('en-GB')}</td>
                <td>{e.actor}</td>
                <td title={e.action}>{auditActionWords(e.action)}</td>
                <td className={e.outcome === 'ok' ? '' : 'warn'}>{e.outcome}</td>
                <td title={e.objectIds.join(', ')}>
                  {e.objectIds.length === 0
                    ? ''
                    : e.objectIds.length <= 3
                      ? e.objectIds.map(shortId).join(', ')
                      : `${e.objectIds.length} objects`}
                  {carriesIds(e) && (
                    <button
                      type="button"
                      className="link"
                      data-testid="audit-ids"
                      title="Download every entity, link and report id this export carried (checked against the record's digest)"
                      onClick={() => void downloadIds(e.seq)}
                    >
                      Download ids
                    </button>
                  )}
                </td>
                <td className="details">{detailsText(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
