// Streaming CSV reading for imports: bytes are counted, hashed and checked (binary, encoding, size) as they
// arrive, and each record is handed to a synchronous callback, so a large file never sits whole in memory.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
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

/** Reads `input` as CSV, calling `onRecord` for every non-empty record. */
export async function streamRecords(
  input: Readable,
  opts: StreamOptions,
  onRecord: OnRecord,
): Promise<StreamStats> {
  const guard = new Guard(opts.maxBytes);
  let delimiter = opts.delimiter;
  let row = 0;
  let stopped = false;
  // Detect the delimiter from the first text chunk, then build the real parser.
  const firstText = await new Promise<string | null>((resolve, reject) => {
    const onData = (t: string) => {
      cleanup();
      guard.pause();
      resolve(t);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      guard.off('data', onData);
      guard.off('end', onEnd);
      guard.off('error', onError);
    };
    guard.on('data', onData);
    guard.on('end', onEnd);
    guard.on('error', onError);
    input.on('error', onError);
    input.pipe(guard);
  });
  if (firstText === null) throw new ImportError(400, 'empty_file', 'the file is empty');
  if (!delimiter) delimiter = detectDelimiter(firstText.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]);

  const real = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    delimiter,
  });
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (err?: unknown) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    real.on('readable', () => {
      let rec: string[] | null;
      while (!stopped && (rec = real.read() as string[] | null) !== null) {
        row++;
        if (rec.length === 1 && rec[0] === '') continue;
        try {
          if (onRecord(rec, row) === false) {
            stopped = true;
            release(input);
            done();
            return;
          }
        } catch (e) {
          stopped = true;
          release(input);
          done(e);
          return;
        }
      }
    });
    real.on('end', () => done());
    real.on('error', (e: Error & { code?: string; lines?: number }) => {
      if (e instanceof ImportError) return done(e);
      done(
        new ImportError(
          400,
          'invalid_csv',
          `the file is not well-formed CSV near row ${e.lines ?? row + 1}: ${e.message}`,
          {
            row: e.lines ?? row + 1,
          },
        ),
      );
    });
    guard.on('error', (e) => done(e));
    input.on('error', (e) =>
      done(
        e instanceof ImportError
          ? e
          : new ImportError(400, 'upload_failed', `the upload failed: ${e.message}`),
      ),
    );
    real.write(firstText);
    guard.pipe(real);
    guard.resume();
  });
  return { bytes: guard.bytes, sha256: guard.digest(), delimiter };
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
