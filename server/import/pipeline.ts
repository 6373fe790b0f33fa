// The import pipeline: stream, validate every row, aggregate, then write everything in ONE store
// transaction (all or nothing). The import id is derived from the file's bytes and the options, and
// aggregation is deterministic, so importing the same file again changes nothing.
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Readable } from 'node:stream';
import { reportInputSchema, type ReportInput, type WriteContext } from '../domain/model.ts';
import type { GraphStore, WriteBatch } from '../store/graph-store.ts';
import {
  importOptionsSchema,
  type ImportFormat,
  type ImportOptions,
  type ImportPreview,
  type ImportReport,
  type ParsedImportOptions,
  type RowError,
} from '../api-types/imports.ts';
import { CSV_LIMITS, release, streamRecords, readText, type StreamOptions } from './csv.ts';
import { ImportError, RowProblem, describeRowErrors } from './errors.ts';
import { missingFields, parseMapPairs, proposeMapping } from './mapping.ts';
import { cdrFormat } from './formats/cdr.ts';
import { anprFormat } from './formats/anpr.ts';
import { entitiesFormat, linksFormat } from './formats/generic.ts';
import { checkOneTwoModeForm, networkBatch, type NetworkBatch } from './formats/network.ts';
import { namesColumns } from './formats/network-files.ts';
import type { FormatContext, RowFormat } from './formats/types.ts';
import type { EventSource } from './formats/events-buffer.ts';
import { canonicalJson } from '../security/audit-chain.ts';

const ROW_FORMATS: Partial<Record<ImportFormat, (c: FormatContext) => RowFormat>> = {
  cdr: cdrFormat,
  anpr: anprFormat,
  entities: entitiesFormat,
  links: linksFormat,
};

export interface ImportLimits {
  uploadBytes: number;
  maxImportErrors: number;
  /** Longest CSV record, in characters (line breaks inside quoted cells included). */
  maxRowChars: number;
  /** Most cells in one CSV record. */
  maxColumns: number;
  /** Largest network file (edgelist, matrix, twomode): these are read whole. */
  networkBytes: number;
  /** Most pairs of people a two-mode projection may join. */
  maxProjectedPairs: number;
}
/** The pipeline's own defaults (the CLI's): the server passes its configured limits (server/config.ts). */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  uploadBytes: 100 * 1024 * 1024,
  maxImportErrors: 100,
  ...CSV_LIMITS,
  networkBytes: Number.MAX_SAFE_INTEGER,
  maxProjectedPairs: Number.MAX_SAFE_INTEGER,
};

/** What the CSV reader is told of the limits and the options. */
function readOptions(opts: ParsedImportOptions, limits: ImportLimits): StreamOptions {
  return {
    maxBytes: limits.uploadBytes,
    maxRowChars: limits.maxRowChars,
    maxColumns: limits.maxColumns,
    ...(opts.delimiter ? { delimiter: DELIMS[opts.delimiter] ?? opts.delimiter } : {}),
  };
}

/** Validates raw options (query string or CLI flags); a bad option is a 400 naming it. */
export function parseImportOptions(raw: ImportOptions | Record<string, unknown>): ParsedImportOptions {
  const r = importOptionsSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    const field = i.path.join('.') || 'options';
    throw new ImportError(400, 'invalid', `${field}: ${i.message}`, { column: undefined });
  }
  return r.data;
}

const DELIMS: Record<string, string> = { tab: '\t', space: ' ' };

/** Default namespace of a network file: its stem without a role suffix, so krebs_9_11_edgelist and _attrib agree. */
export function defaultNamespace(name: string): string {
  return basename(name, extname(name))
    .replace(/_(edgelist|edges|attrib|attributes|matrix|2m)$/i, '')
    .toLowerCase();
}

function problemToError(e: unknown, row: number): RowError {
  if (e instanceof RowProblem) return { row, ...(e.column ? { column: e.column } : {}), message: e.message };
  throw e;
}

interface Collected {
  entities: WriteBatch['entities'];
  links: WriteBatch['links'];
  events?: EventSource;
  rowsRead: number;
  errors: RowError[];
  errorCount: number;
  mapping: Record<string, string>;
  sha256: string;
  bytes: number;
  /** Network files: what the reader did beyond reading rows (header, drops, folding, form stored). */
  network?: NetworkBatch;
}

async function collect(
  input: Readable,
  opts: ParsedImportOptions,
  reports: string[],
  limits: ImportLimits,
  name: string,
): Promise<Collected> {
  const factory = ROW_FORMATS[opts.format];
  if (!factory) {
    // A network file is read whole (its parsers need every row), so it has its own, smaller, cap.
    const network = limits.networkBytes < limits.uploadBytes;
    const { text, sha256, bytes } = await readText(
      input,
      network ? limits.networkBytes : limits.uploadBytes,
      network
        ? {
            name: 'network file limit',
            variable: 'LINKCHART_MAX_NETWORK_FILE_BYTES',
            advice: `import it as links (format=links) instead, or with the CLI on the server (npm run import)`,
          }
        : undefined,
    );
    const namespace = opts.namespace ?? defaultNamespace(name);
    const batch = networkBatch(text, opts.format as 'edgelist' | 'matrix' | 'twomode', {
      namespace,
      reports,
      maxRowChars: limits.maxRowChars,
      maxProjectedPairs: limits.maxProjectedPairs,
      ...(opts.project !== undefined ? { project: opts.project } : {}),
      ...(opts.header !== undefined ? { header: opts.header } : {}),
    });
    const rowsRead = batch.dataRows ?? text.split(/\r?\n/).filter((l) => l.trim() !== '').length;
    const { entities, links } = batch;
    return {
      entities,
      links,
      rowsRead,
      errors: [],
      errorCount: 0,
      mapping: { namespace },
      sha256,
      bytes,
      network: batch,
    };
  }
  let format: RowFormat | null = null;
  const errors: RowError[] = [];
  let errorCount = 0;
  let rowsRead = 0;
  const header = opts.header ?? true;
  const stopAt = opts.skipInvalid ? Infinity : Math.max(1000, limits.maxImportErrors);
  const stats = await streamRecords(input, readOptions(opts, limits), (cells, row) => {
    if (!format) {
      const columns = header ? cells.map((c) => c.trim()) : cells.map((_, i) => String(i + 1));
      try {
        format = factory({ columns, options: opts, reports });
      } catch (e) {
        if (e instanceof RowProblem)
          throw new ImportError(400, 'missing_column', e.message, {
            row: 1,
            ...(e.column ? { column: e.column } : {}),
          });
        throw e;
      }
      if (header) return;
    }
    rowsRead++;
    try {
      format.add(cells, row);
    } catch (e) {
      errorCount++;
      if (errors.length < limits.maxImportErrors) errors.push(problemToError(e, row));
      if (errorCount >= stopAt) return false;
    }
  });
  if (!format) throw new ImportError(400, 'empty_file', 'the file has a header but no rows');
  const out = (format as RowFormat).finish();
  return {
    ...out,
    rowsRead,
    errors,
    errorCount,
    mapping: (format as RowFormat).mapping,
    sha256: stats.sha256,
    bytes: stats.bytes,
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface RunImportArgs {
  store: GraphStore;
  input: Readable;
  options: ImportOptions | Record<string, unknown>;
  ctx: WriteContext;
  limits?: Partial<ImportLimits>;
}

export async function runImport({
  store,
  input,
  options,
  ctx,
  limits,
}: RunImportArgs): Promise<ImportReport> {
  const t0 = performance.now();
  const lim = { ...DEFAULT_IMPORT_LIMITS, ...limits };
  let opts: ParsedImportOptions;
  try {
    opts = parseImportOptions(options);
  } catch (e) {
    release(input);
    throw e;
  }
  // A network file names its nodes by numbers or codes that mean something only inside that file: without a
  // namespace (given, or the file name's base) the nodes of two unrelated files would merge into one entity.
  if (!ROW_FORMATS[opts.format] && opts.name === undefined && opts.namespace === undefined) {
    release(input);
    throw new ImportError(
      400,
      'namespace_needed',
      `a network file (format ${opts.format}) needs name= (its file name, e.g. name=Jake_edgelist.csv, whose base becomes the namespace) or namespace=, so that its node ids do not merge with another file's`,
    );
  }
  const name = opts.name ?? 'upload.csv';

  // Provenance: an existing report is referred to; a new one is created from the grading given.
  let reportRef = opts.report;
  let reportInput: ReportInput | null = null;
  if (reportRef) {
    const existing = await store.getReport(reportRef);
    if (existing) reportRef = existing.ref;
    else if (!opts.grading) {
      release(input);
      throw new ImportError(
        400,
        'invalid',
        `report ${JSON.stringify(reportRef)} does not exist; give its grading (e.g. grading=2B) and handling to create it`,
      );
    }
  }
  const pendingRef = !reportRef && opts.grading ? null : reportRef;
  const refs = pendingRef ? [pendingRef] : opts.grading ? ['__pending__'] : [];

  const got = await collect(input, opts, refs, lim, name);
  // The calls may sit in a temporary file until written: freed whatever happens.
  try {
    if (got.network) await checkOneTwoModeForm(store, got.network);
    const tRead = performance.now();
    const { name: _n, skipInvalid: _s, ...idOpts } = opts;
    const importId =
      'imp-' +
      createHash('sha256').update(canonicalJson(idOpts)).update(got.sha256).digest('hex').slice(0, 16);

    if (got.errorCount > 0 && !opts.skipInvalid) {
      const first = got.errors[0];
      throw new ImportError(400, 'invalid_file', describeRowErrors(got.errors, got.errorCount), {
        ...(first.row !== undefined ? { row: first.row } : {}),
        ...(first.column ? { column: first.column } : {}),
        details: got.errors,
      });
    }

    if (opts.grading && (!reportRef || !(await store.getReport(reportRef)))) {
      const ref = reportRef ?? `IMPORT-${got.sha256.slice(0, 12).toUpperCase()}`;
      const candidate = {
        ref,
        date: opts.reportDate ?? today(),
        author: ctx.actor,
        text: `Imported from ${name} (${opts.format})`,
        source: Number(opts.grading[0]),
        intel: opts.grading[1],
        handling: opts.handling ?? 'P',
        ...(opts.conditions ? { conditions: opts.conditions } : {}),
      };
      const existing = await store.getReport(ref);
      if (!existing) {
        const parsed = reportInputSchema.safeParse(candidate);
        if (!parsed.success) {
          const i = parsed.error.issues[0];
          throw new ImportError(400, 'invalid', `report ${ref}: ${i.path.join('.')}: ${i.message}`);
        }
        reportInput = candidate as ReportInput;
      }
      if (refs[0] === '__pending__') {
        for (const e of got.entities ?? []) e.reports = [ref];
        for (const l of got.links ?? []) l.reports = [ref];
      }
      reportRef = ref;
    }

    const c = (u: { created: number; updated: number; unchanged: number }) => ({
      created: u.created,
      matched: u.updated + u.unchanged,
    });
    // The report is built inside the write's transaction and stored with it (an import run): the data and
    // the record of how it came in commit together. Its write time runs to just before the commit.
    let report: ImportReport | null = null;
    const buildReport: NonNullable<WriteContext['importRun']> = (result) =>
      (report = {
        importId,
        format: opts.format,
        name,
        rowsRead: got.rowsRead,
        rowsRejected: got.errorCount,
        entities: c(result.entities),
        links: c(result.links),
        reports: c(result.reports),
        rejected: got.errors,
        ...(got.network?.notes.length ? { notes: got.network.notes } : {}),
        mapping: got.mapping,
        dataVersion: result.dataVersion,
        bytes: got.bytes,
        ms: Math.round(performance.now() - t0),
        timing: { readMs: Math.round(tRead - t0), writeMs: Math.round(performance.now() - tRead) },
      });
    await store.writeBatch(
      {
        reports: reportInput ? [reportInput] : [],
        entities: got.entities ?? [],
        links: got.links ?? [],
        ...(got.events ? { events: got.events } : {}),
      },
      { ...ctx, importId, importRun: buildReport },
    );
    if (!report) throw new Error('import pipeline: the store did not build the import report');
    return report;
  } finally {
    got.events?.close();
  }
}

export interface PreviewArgs {
  input: Readable;
  options: ImportOptions | Record<string, unknown>;
  limits?: Partial<ImportLimits>;
  rows?: number;
}

/** The CSV reader's refusals of one record: a preview lists them beside the rows read before it. */
const UNREADABLE = new Set(['invalid_csv', 'row_too_long', 'too_many_columns']);

/** The first rows, the columns found and the mapping proposed, without writing anything. */
export async function previewImport({
  input,
  options,
  limits,
  rows = 20,
}: PreviewArgs): Promise<ImportPreview> {
  const lim = { ...DEFAULT_IMPORT_LIMITS, ...limits };
  const opts = parseImportOptions(options);
  // An edge list's first line is a header only when it names the columns: the rule its reader applies.
  const edgeList = opts.format === 'edgelist';
  let header = opts.header ?? !edgeList;
  let columns: string[] | null = null;
  const sample: string[][] = [];
  const errors: RowError[] = [];
  let format: RowFormat | null = null;
  let mapping: Record<string, string> = {};
  const factory = ROW_FORMATS[opts.format];
  await streamRecords(input, readOptions(opts, lim), (cells, row) => {
    if (!columns) {
      if (edgeList && opts.header === undefined) header = namesColumns(cells);
      columns = header ? cells.map((c) => c.trim()) : cells.map((_, i) => String(i + 1));
      mapping = factory ? proposeMapping(opts.format, columns, parseMapPairs(opts.map)) : {};
      if (factory && missingFields(opts.format, mapping).length === 0) {
        try {
          format = factory({ columns, options: opts, reports: [] });
        } catch (e) {
          errors.push(
            e instanceof RowProblem
              ? { row: 1, message: e.message }
              : { row: 1, message: (e as Error).message },
          );
        }
      }
      if (header) return;
    }
    sample.push(cells);
    if (format) {
      try {
        (format as RowFormat).add(cells, row);
      } catch (e) {
        errors.push(problemToError(e, row));
      }
    }
    return sample.length < rows;
  }).catch((e: unknown) => {
    // A preview of a file the CSV reader cannot read still shows what it could.
    if (columns && e instanceof ImportError && UNREADABLE.has(e.code)) {
      errors.push({ ...(e.extra.row !== undefined ? { row: e.extra.row } : {}), message: e.message });
      return;
    }
    throw e;
  });
  const cols: string[] = columns ?? [];
  return {
    format: opts.format,
    columns: cols,
    rows: sample,
    mapping,
    missing: factory ? missingFields(opts.format, mapping) : [],
    errors,
  };
}
