// Streaming CSV reading for imports: bytes are counted, hashed and checked (binary, encoding, size) as they
// arrive, and each record is handed to a synchronous callback, so a large file never sits whole in memory.
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ImportError } from './errors.ts';
import { CSV_LIMITS, CsvRecordError, RecordReader, type OnRecord } from './records.ts';

export { CSV_LIMITS, detectDelimiter, scanRecord, splitRecord, type OnRecord } from './records.ts';

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
  /** Longest record, in characters (default CSV_LIMITS.maxRowChars). */
  maxRowChars?: number;
  /** Most cells in one record (default CSV_LIMITS.maxColumns). */
  maxColumns?: number;
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

/** Which byte limit a file meets: its name, the variable that sets it, and what to do instead. */
export interface ByteCap {
  name: string;
  variable: string;
  advice: string;
}
const UPLOAD_CAP: ByteCap = {
  name: 'upload limit',
  variable: 'LINKCHART_MAX_UPLOAD_BYTES',
  advice: 'split it into smaller files or import it with the CLI on the server (npm run import)',
};

/** Byte checks and UTF-8 decoding, before the CSV parser sees anything. */
class Guard extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private first = true;
  private lines = 1;
  constructor(
    private readonly maxBytes: number,
    private readonly cap: ByteCap = UPLOAD_CAP,
  ) {
    super({ decodeStrings: true, encoding: 'utf8' });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      cb(
        new ImportError(
          413,
          'too_large',
          `the file is larger than the ${this.cap.name} of ${this.maxBytes} bytes (${this.cap.variable}); ` +
            this.cap.advice,
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
 * Reads `input` as CSV, calling `onRecord` for every non-empty record. A small hand-written reader rather
 * than a general parser: imports are dominated by plain lines, which it splits with String#split, and it
 * still handles quoted cells, doubled quotes and line breaks inside quotes, in one pass (RecordReader).
 */
export async function streamRecords(
  input: Readable,
  opts: StreamOptions,
  onRecord: OnRecord,
): Promise<StreamStats> {
  const guard = new Guard(opts.maxBytes);
  const reader = new RecordReader(
    opts.delimiter,
    {
      maxRowChars: opts.maxRowChars ?? CSV_LIMITS.maxRowChars,
      maxColumns: opts.maxColumns ?? CSV_LIMITS.maxColumns,
    },
    onRecord,
  );
  let stopped = false;
  input.on('error', (e) =>
    guard.destroy(
      e instanceof ImportError ? e : new ImportError(400, 'upload_failed', `the upload failed: ${e.message}`),
    ),
  );
  input.pipe(guard);
  try {
    for await (const chunk of guard as AsyncIterable<string>) {
      if (!reader.push(chunk)) {
        stopped = true;
        break;
      }
    }
    if (!stopped) reader.end();
  } catch (e) {
    release(input);
    if (e instanceof CsvRecordError) throw new ImportError(400, e.code, e.message, { row: e.row });
    throw e;
  }
  if (stopped) release(input);
  if (!reader.seen) throw new ImportError(400, 'empty_file', 'the file is empty');
  return {
    bytes: guard.bytes,
    sha256: stopped ? '' : guard.digest(),
    delimiter: reader.delimiter ?? ',',
  };
}

/** Reads a whole (small) text file through the same checks; for formats whose parsers need the whole text. */
export async function readText(
  input: Readable,
  maxBytes: number,
  cap?: ByteCap,
): Promise<{ text: string } & StreamStats> {
  const guard = new Guard(maxBytes, cap);
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
