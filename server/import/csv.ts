// Streaming CSV reading for imports: bytes are counted, hashed and checked (binary, encoding, size) as they
// arrive, and each record is handed to a synchronous callback, so a large file never sits whole in memory.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ImportError } from './errors.ts';

export interface StreamStats {
  bytes: number;
  /** sha256 of the raw bytes: makes the import id deterministic, so the same file twice is the same import. */
  sha256: string;
  delimiter: string;
}

export interface StreamOptions {
  /** ',' ';' '\t' '|' or undefined to detect from the first line. */
  delimiter?: string;
  maxBytes: number;
}

/**
 * Called for every record with its 1-based row number (the file line where it starts, for one-line records).
 * Return false to stop reading (previews).
 */
export type OnRecord = (cells: string[], row: number) => boolean | void;

export function detectDelimiter(firstLine: string): string {
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestCount = 0;
  for (const c of candidates) {
    const n = firstLine.split(c).length - 1;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Stop reading an input early. An HTTP request body is drained rather than destroyed, so the socket stays
 * open for the error response; a file stream is simply closed.
 */
export function release(input: Readable): void {
  if ('path' in input || 'fd' in input) {
    input.destroy();
    return;
  }
  input.unpipe();
  input.resume();
}

/** Byte checks and UTF-8 decoding, before the CSV parser sees anything. */
class Guard extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private first = true;
  private lines = 1;
  constructor(private readonly maxBytes: number) {
    super({ decodeStrings: true, encoding: 'utf8' });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      cb(
        new ImportError(
          413,
          'too_large',
          `the file is larger than the upload limit of ${this.maxBytes} bytes (LINKCHART_MAX_UPLOAD_BYTES); ` +
            'split it into smaller files or import it with the CLI on the server (npm run import)',
        ),
      );
      return;
    }
    this.hash.update(chunk);
    if (this.first) {
      this.first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        cb(
          new ImportError(
            400,
            'wrong_encoding',
            'the file is UTF-16 text; save it as UTF-8 (CSV UTF-8) and import again',
          ),
        );
        return;
      }
      const head = chunk.subarray(0, 8192);
      if (head.includes(0)) {
        cb(
          new ImportError(
            400,
            'binary_file',
            'the file is binary (it holds NUL bytes), not CSV text; export it from its program as CSV and import that',
          ),
        );
        return;
      }
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      // Find the row of the first undecodable byte so the person can look at it.
      const loose = new TextDecoder('utf-8').decode(chunk);
      const at = loose.indexOf('\uFFFD');
      let row = this.lines;
      for (let i = loose.indexOf('\n'); i !== -1 && i < at; i = loose.indexOf('\n', i + 1)) row++;
      cb(
        new ImportError(
          400,
          'wrong_encoding',
          `the file is not valid UTF-8 text (row ${row}); save it as UTF-8 (CSV UTF-8) and import again`,
          { row },
        ),
      );
      return;
    }
    if (chunk.includes(0)) {
      cb(
        new ImportError(
          400,
          'binary_file',
          `the file holds NUL bytes near row ${this.lines}; it is not CSV text`,
          { row: this.lines },
        ),
      );
      return;
    }
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lines++;
    cb(null, text);
  }
  override _flush(cb: TransformCallback): void {
    try {
      const rest = this.decoder.decode();
      cb(null, rest || undefined);
    } catch {
      cb(
        new ImportError(
          400,
          'wrong_encoding',
          'the file ends inside a broken UTF-8 character; save it as UTF-8',
        ),
      );
    }
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Splits one record's text into cells (RFC 4180: "" inside quotes is a quote; a quote inside an unquoted
 * cell is kept as it is, as spreadsheets do).
 */
export function splitRecord(text: string, delimiter: string): string[] {
  return scanRecord(text, delimiter).cells;
}

/** Cells of a record, and whether its text stops inside a quoted cell (the record goes on to the next line). */
export function scanRecord(text: string, delimiter: string): { cells: string[]; open: boolean } {
  if (!text.includes('"')) return { cells: text.split(delimiter), open: false };
  const cells: string[] = [];
  let open = false;
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          cell += text.slice(i);
          i = n;
          open = true;
          break;
        }
        cell += text.slice(i, q);
        if (text[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept (relaxed, like csv-parse's relax_quotes).
      const d = text.indexOf(delimiter, i);
      cell += text.slice(i, d === -1 ? n : d);
      cells.push(cell);
      if (d === -1) return { cells, open };
      i = d + delimiter.length;
    } else {
      const d = text.indexOf(delimiter, i);
      cells.push(text.slice(i, d === -1 ? n : d));
      if (d === -1) return { cells, open };
      i = d + delimiter.length;
    }
  }
}

/**
 * Reads `input` as CSV, calling `onRecord` for every non-empty record. A small hand-written splitter rather
 * than a general parser: imports are dominated by plain lines, which it splits with String#split, and it
 * still handles quoted cells, doubled quotes and line breaks inside quotes.
 */
export async function streamRecords(
  input: Readable,
  opts: StreamOptions,
  onRecord: OnRecord,
): Promise<StreamStats> {
  const guard = new Guard(opts.maxBytes);
  let delimiter = opts.delimiter;
  let line = 0;
  let carry = '';
  let pending: string | null = null;
  let pendingRow = 0;
  let first = true;
  let stopped = false;
  input.on('error', (e) =>
    guard.destroy(
      e instanceof ImportError ? e : new ImportError(400, 'upload_failed', `the upload failed: ${e.message}`),
    ),
  );
  input.pipe(guard);

  const emit = (cells: string[], row: number): boolean => onRecord(cells, row) !== false;
  const take = (raw: string): boolean => {
    line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending === null && text === '') return true;
    if (!delimiter) delimiter = detectDelimiter(text);
    if (pending !== null) {
      pending += '\n' + text;
      const r = scanRecord(pending, delimiter);
      if (r.open) return true;
      pending = null;
      return emit(r.cells, pendingRow);
    }
    if (!text.includes('"')) return emit(text.split(delimiter), line);
    const r = scanRecord(text, delimiter);
    if (r.open) {
      pending = text;
      pendingRow = line;
      return true;
    }
    return emit(r.cells, line);
  };

  try {
    for await (const chunk of guard as AsyncIterable<string>) {
      let text = carry + chunk;
      if (first) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        if (!take(text.slice(start, nl))) {
          stopped = true;
          break;
        }
        start = nl + 1;
      }
      if (stopped) break;
      carry = text.slice(start);
    }
    if (!stopped) {
      if (carry !== '') take(carry);
      if (pending !== null) {
        throw new ImportError(
          400,
          'invalid_csv',
          `the file ends inside a quoted cell that opens on row ${pendingRow}; close its quote`,
          {
            row: pendingRow,
          },
        );
      }
    }
  } catch (e) {
    release(input);
    throw e;
  }
  if (stopped) release(input);
  if (first) throw new ImportError(400, 'empty_file', 'the file is empty');
  return { bytes: guard.bytes, sha256: stopped ? '' : guard.digest(), delimiter: delimiter ?? ',' };
}

/** Reads a whole (small) text file through the same checks; for formats whose parsers need the whole text. */
export async function readText(input: Readable, maxBytes: number): Promise<{ text: string } & StreamStats> {
  const guard = new Guard(maxBytes);
  const parts: string[] = [];
  await new Promise<void>((resolve, reject) => {
    guard.on('data', (t: string) => parts.push(t));
    guard.on('end', () => resolve());
    guard.on('error', reject);
    input.on('error', (e) =>
      reject(
        e instanceof ImportError
          ? e
          : new ImportError(400, 'upload_failed', `the upload failed: ${e.message}`),
      ),
    );
    input.pipe(guard);
  }).catch((e: unknown) => {
    release(input);
    throw e;
  });
  const text = parts.join('');
  if (text.trim() === '') throw new ImportError(400, 'empty_file', 'the file is empty');
  return { text, bytes: guard.bytes, sha256: guard.digest(), delimiter: '' };
}
