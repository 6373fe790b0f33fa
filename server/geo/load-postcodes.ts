// Loads a postcode table from the open ONS Postcode Directory (ONSPD / NSPL: a header row with pcds or pcd,
// lat and long, or oseast1m and osnrth1m) or Code-Point Open (no header; postcode, quality, eastings,
// northings, …) CSV. The file is streamed (the ONSPD has 2.7M rows) into a new SQLite file with a byte cap
// and a row cap; every row that cannot be used is counted and the first ones are listed with their line and
// why; the finished file is renamed over the old table, so a failed load leaves the old table as it was.
import { renameSync, rmSync } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import Database from 'better-sqlite3';
import { gridToWgs84 } from './osgb.ts';
import { POSTCODE_KEY, POSTCODE_SCHEMA, postcodeKey } from './postcode-table.ts';

export interface LoadLimits {
  /** Largest file read, bytes (the full ONSPD CSV is about 1.4 GB). */
  maxBytes: number;
  /** Most data rows read. */
  maxRows: number;
  /** Most row errors listed (all are counted). */
  maxListedErrors: number;
}

export const LOAD_DEFAULTS: LoadLimits = { maxBytes: 4 * 1024 ** 3, maxRows: 5_000_000, maxListedErrors: 50 };

export interface RowError {
  line: number;
  message: string;
}

export interface LoadReport {
  layout: string;
  /** Postcodes now in the table. */
  loaded: number;
  /** Rows the source marks as having no position (ONSPD 99.999999, Code-Point quality 90): not errors. */
  withoutPosition: number;
  errorCount: number;
  errors: RowError[];
  bytes: number;
}

export class PostcodeLoadError extends Error {
  override name = 'PostcodeLoadError';
}

/** Which columns hold what, found from the header row (or its absence). */
interface Layout {
  name: string;
  header: boolean;
  postcode: number;
  lat?: number;
  lon?: number;
  easting?: number;
  northing?: number;
}

const find = (cells: string[], names: string[]): number => {
  const lower = cells.map((c) => c.trim().toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
};

/** Decides the layout from the first record. Exported for the tests. */
export function detectLayout(first: string[]): Layout | string {
  const postcode = find(first, ['pcds', 'pcd', 'pcd2', 'postcode', 'post code', 'postcode_district']);
  if (postcode >= 0) {
    const lat = find(first, ['lat', 'latitude']);
    const lon = find(first, ['long', 'lon', 'lng', 'longitude']);
    const name = first.some((c) => c.trim().toLowerCase() === 'pcds')
      ? 'ONS Postcode Directory'
      : 'postcode CSV';
    if (lat >= 0 && lon >= 0) return { name, header: true, postcode, lat, lon };
    const easting = find(first, ['oseast1m', 'eastings', 'easting']);
    const northing = find(first, ['osnrth1m', 'northings', 'northing']);
    if (easting >= 0 && northing >= 0) return { name, header: true, postcode, easting, northing };
    return 'the header names a postcode column but no lat and long (or eastings and northings) columns';
  }
  // Code-Point Open ships without a header: Postcode, Positional_quality_indicator, Eastings, Northings, …
  if (
    first.length >= 4 &&
    POSTCODE_KEY.test(postcodeKey(first[0] ?? '')) &&
    /^\d+$/.test((first[2] ?? '').trim()) &&
    /^\d+$/.test((first[3] ?? '').trim())
  )
    return { name: 'Code-Point Open', header: false, postcode: 0, easting: 2, northing: 3 };
  return (
    'the file is neither an ONS Postcode Directory CSV (a header with pcds, lat and long) nor Code-Point Open ' +
    '(postcode, quality, eastings, northings on each line, no header)'
  );
}

type RowResult = { key: string; lat: number; lon: number } | 'no position' | string;

function readRow(cells: string[], layout: Layout): RowResult {
  const raw = cells[layout.postcode] ?? '';
  const key = postcodeKey(raw);
  if (!POSTCODE_KEY.test(key)) return `"${raw.slice(0, 20)}" is not a whole UK postcode`;
  let lat: number;
  let lon: number;
  if (layout.lat !== undefined && layout.lon !== undefined) {
    const a = (cells[layout.lat] ?? '').trim();
    const b = (cells[layout.lon] ?? '').trim();
    // The ONSPD gives 99.999999 (and long 0) for postcodes without a grid reference.
    if (a === '' || a.startsWith('99.999999')) return 'no position';
    lat = Number(a);
    lon = Number(b);
    if (!Number.isFinite(lat) || b === '' || !Number.isFinite(lon))
      return `latitude "${a.slice(0, 20)}" and longitude "${b.slice(0, 20)}" are not both numbers`;
  } else {
    const a = (cells[layout.easting!] ?? '').trim();
    const b = (cells[layout.northing!] ?? '').trim();
    if (a === '' && b === '') return 'no position';
    const e = Number(a);
    const n = Number(b);
    if (!Number.isFinite(e) || !Number.isFinite(n) || a === '' || b === '')
      return `eastings "${a.slice(0, 20)}" and northings "${b.slice(0, 20)}" are not both numbers`;
    // Code-Point Open gives 0,0 for postcodes it has no position for (quality 90).
    if (e === 0 && n === 0) return 'no position';
    if (e < 0 || e > 700_000 || n < 0 || n > 1_300_000)
      return `eastings ${e} and northings ${n} are outside the British National Grid`;
    [lat, lon] = gridToWgs84(e, n);
  }
  // Great Britain, Northern Ireland, the Channel Islands and the Isle of Man, with a margin.
  if (lat < 49 || lat > 61.5 || lon < -9 || lon > 2.5)
    return `latitude ${lat} and longitude ${lon} are outside the United Kingdom`;
  return { key, lat: Number(lat.toFixed(6)), lon: Number(lon.toFixed(6)) };
}

/** Counts bytes and stops the read past the cap. */
class ByteCap extends Transform {
  bytes = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max)
      return done(
        new PostcodeLoadError(
          `the file is larger than the limit of ${this.max} bytes; raise it with --max-bytes if the file is right`,
        ),
      );
    done(null, chunk);
  }
}

/**
 * Streams `input` (a CSV in one of the layouts above) into a new table at `dest`, replacing the old one
 * only when the whole file was read. Throws PostcodeLoadError when the file cannot be used at all.
 */
export async function loadPostcodes(
  input: Readable,
  dest: string,
  source: string,
  limits: LoadLimits = LOAD_DEFAULTS,
): Promise<LoadReport> {
  const tmp = `${dest}.loading-${process.pid}`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  const cap = new ByteCap(limits.maxBytes);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: 100_000,
    info: true,
  });
  input.on('error', (e) => cap.destroy(e));
  cap.on('error', (e) => parser.destroy(e));
  input.pipe(cap).pipe(parser);
  const report: LoadReport = {
    layout: '',
    loaded: 0,
    withoutPosition: 0,
    errorCount: 0,
    errors: [],
    bytes: 0,
  };
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(POSTCODE_SCHEMA);
    const insert = db.prepare('INSERT OR REPLACE INTO postcodes (pc, lat, lon) VALUES (?, ?, ?)');
    let batch: Array<{ key: string; lat: number; lon: number }> = [];
    const flush = db.transaction((rows: typeof batch) => {
      for (const r of rows) insert.run(r.key, r.lat, r.lon);
    });
    let layout: Layout | null = null;
    let rows = 0;
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!layout) {
        const l = detectLayout(record);
        if (typeof l === 'string') throw new PostcodeLoadError(`line ${info.lines}: ${l}`);
        layout = l;
        report.layout = l.name;
        if (l.header) continue;
      }
      if (++rows > limits.maxRows)
        throw new PostcodeLoadError(
          `the file has more than ${limits.maxRows} rows; raise the limit with --max-rows if the file is right`,
        );
      const r = readRow(record, layout);
      if (r === 'no position') report.withoutPosition++;
      else if (typeof r === 'string') {
        report.errorCount++;
        if (report.errors.length < limits.maxListedErrors)
          report.errors.push({ line: info.lines, message: r });
      } else {
        batch.push(r);
        if (batch.length >= 20_000) {
          flush(batch);
          batch = [];
        }
      }
    }
    flush(batch);
    report.loaded = (db.prepare('SELECT count(*) AS n FROM postcodes').get() as { n: number }).n;
    report.bytes = cap.bytes;
    if (!layout) throw new PostcodeLoadError('the file is empty');
    if (report.loaded === 0)
      throw new PostcodeLoadError(
        `no row gave a postcode with a position (${report.errorCount} rows could not be read` +
          (report.errors[0] ? `; first, line ${report.errors[0].line}: ${report.errors[0].message}` : '') +
          ')',
      );
    const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    meta.run('rows', String(report.loaded));
    meta.run('source', source);
    meta.run('layout', report.layout);
    meta.run('loadedAt', new Date().toISOString());
    db.close();
    renameSync(tmp, dest);
    return report;
  } catch (err) {
    input.destroy();
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    if (err instanceof PostcodeLoadError) throw err;
    const e = err as { code?: string; message?: string };
    if (e.code?.startsWith('CSV_'))
      throw new PostcodeLoadError(`the file is not readable as CSV: ${e.message}`);
    throw err;
  }
}
