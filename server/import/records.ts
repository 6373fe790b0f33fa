// CSV records from text, in one pass: the reader under every CSV import (server/import/csv.ts, which adds
// the byte checks and the stream) and under the network-file parsers (formats/network-files.ts). Pure: no
// I/O, no HTTP; a record it refuses throws CsvRecordError naming the row.

/**
 * Called for every record with its 1-based row number (the file line where it starts, for one-line records).
 * Return false to stop reading (previews).
 */
export type OnRecord = (cells: string[], row: number) => boolean | void;

/** A record the reader refuses: the code, a sentence for the person, and the row it starts on. */
export class CsvRecordError extends Error {
  override name = 'CsvRecordError';
  constructor(
    readonly code: 'invalid_csv' | 'row_too_long' | 'too_many_columns',
    message: string,
    readonly row: number,
  ) {
    super(message);
  }
}

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

/** The reader's bounds on one record, so no row can make it hold or rescan more than this. */
export const CSV_LIMITS = {
  /** Longest record in characters, line breaks inside quoted cells included. */
  maxRowChars: 1_000_000,
  /** Most cells in one record. */
  maxColumns: 1_000,
};

/** A record being scanned: its cells so far, the cell being read, and whether that cell is open (quoted). */
interface Scan {
  cells: string[];
  cell: string;
  open: boolean;
}

/**
 * Scans one line of text (no line break in it) into `st`, resuming inside a quoted cell when `st.open`.
 * RFC 4180: "" inside quotes is a quote; a quote inside an unquoted cell is kept as it is, as spreadsheets
 * do; anything between a closing quote and the delimiter is kept (relaxed, like csv-parse's relax_quotes).
 * Each character is looked at a fixed number of times: a cell that runs on to the next line is resumed
 * there, never rescanned.
 */
function scanLine(text: string, delimiter: string, st: Scan): void {
  const n = text.length;
  let i = 0;
  let quoted = st.open;
  for (;;) {
    if (quoted) {
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          st.cell += text.slice(i);
          st.open = true;
          return;
        }
        st.cell += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          st.cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      quoted = false;
      const d = text.indexOf(delimiter, i);
      st.cells.push(st.cell + text.slice(i, d === -1 ? n : d));
      st.cell = '';
      if (d === -1) break;
      i = d + delimiter.length;
    } else if (text.charCodeAt(i) === 34) {
      quoted = true;
      i++;
    } else {
      const d = text.indexOf(delimiter, i);
      st.cells.push(text.slice(i, d === -1 ? n : d));
      if (d === -1) break;
      i = d + delimiter.length;
    }
  }
  st.open = false;
}

/** Cells of a record, and whether its text stops inside a quoted cell (the record goes on to the next line). */
export function scanRecord(text: string, delimiter: string): { cells: string[]; open: boolean } {
  if (!text.includes('"')) return { cells: text.split(delimiter), open: false };
  const st: Scan = { cells: [], cell: '', open: false };
  scanLine(text, delimiter, st);
  if (st.open) st.cells.push(st.cell);
  return { cells: st.cells, open: st.open };
}

/**
 * Splits one record's text into cells (RFC 4180: "" inside quotes is a quote; a quote inside an unquoted
 * cell is kept as it is, as spreadsheets do).
 */
export function splitRecord(text: string, delimiter: string): string[] {
  return scanRecord(text, delimiter).cells;
}

export interface RecordLimits {
  maxRowChars: number;
  maxColumns: number;
}

/**
 * Decoded text in, records out, in one pass: a line is cut from its chunk once (a line spanning chunks is
 * kept as pieces and joined once), and a quoted cell spanning lines is resumed where it stopped. So the
 * work is linear in the input whatever its shape, and no record grows past `maxRowChars` or `maxColumns`:
 * the first one that would is refused, naming its row, before more is read.
 */
export class RecordReader {
  /** Lines read so far (the row of the line being read is line + 1). */
  private line = 0;
  /** The current line, when it has not ended by the end of a chunk: its pieces and their length. */
  private carry: string[] = [];
  private carryLen = 0;
  /** A record whose quoted cell runs on past the end of its line, the row it opened on and its length. */
  private rec: Scan | null = null;
  private recRow = 0;
  private recLen = 0;
  private started = false;

  constructor(
    public delimiter: string | undefined,
    private readonly limits: RecordLimits,
    private readonly onRecord: OnRecord,
  ) {}

  /** Whether any text has come in. */
  get seen(): boolean {
    return this.started;
  }

  /** Reads a chunk; false when onRecord asked to stop. */
  push(chunk: string): boolean {
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      let raw = text.slice(start, nl);
      if (this.carryLen > 0) {
        this.carry.push(raw);
        raw = this.carry.join('');
        this.carry = [];
        this.carryLen = 0;
      }
      start = nl + 1;
      if (!this.take(raw)) return false;
    }
    if (start < text.length) {
      const rest = start === 0 ? text : text.slice(start);
      this.carry.push(rest);
      this.carryLen += rest.length;
      if (this.recLen + this.carryLen > this.limits.maxRowChars)
        this.tooLong(this.rec ? this.recRow : this.line + 1);
    }
    return true;
  }

  /** The end of the input: the last line, and a refusal if a quoted cell never closed. */
  end(): void {
    if (this.carryLen > 0) {
      const raw = this.carry.join('');
      this.carry = [];
      this.carryLen = 0;
      this.take(raw);
    }
    if (this.rec) {
      throw new CsvRecordError(
        'invalid_csv',
        `the file ends inside a quoted cell that opens on row ${this.recRow}; close its quote`,
        this.recRow,
      );
    }
  }

  private take(raw: string): boolean {
    this.line++;
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const rec = this.rec;
    if (rec) {
      this.recLen += text.length + 1;
      if (this.recLen > this.limits.maxRowChars) this.tooLong(this.recRow);
      rec.cell += '\n';
      scanLine(text, this.delimiter!, rec);
      if (rec.open) return true;
      this.rec = null;
      this.recLen = 0;
      return this.emit(rec.cells, this.recRow);
    }
    if (text === '') return true;
    if (text.length > this.limits.maxRowChars) this.tooLong(this.line);
    const delimiter = (this.delimiter ??= detectDelimiter(text));
    if (!text.includes('"')) return this.emit(text.split(delimiter), this.line);
    const st: Scan = { cells: [], cell: '', open: false };
    scanLine(text, delimiter, st);
    if (st.open) {
      this.rec = st;
      this.recRow = this.line;
      this.recLen = text.length;
      return true;
    }
    return this.emit(st.cells, this.line);
  }

  private emit(cells: string[], row: number): boolean {
    if (cells.length > this.limits.maxColumns) {
      throw new CsvRecordError(
        'too_many_columns',
        `row ${row} has ${cells.length} cells, more than the ${this.limits.maxColumns} columns an import reads ` +
          '(LINKCHART_MAX_IMPORT_COLUMNS); check that the delimiter is right, or remove the empty columns',
        row,
      );
    }
    return this.onRecord(cells, row) !== false;
  }

  /** The record being read, starting on `row`, has passed maxRowChars: refused, naming the row. */
  private tooLong(row: number): never {
    const open = this.rec !== null;
    throw new CsvRecordError(
      'row_too_long',
      `row ${row} is longer than ${this.limits.maxRowChars} characters (LINKCHART_MAX_IMPORT_ROW_CHARS)` +
        (open
          ? '; a quoted cell opens on that row and its closing quote never comes: close it'
          : '; check that the file is CSV with one record a line'),
      row,
    );
  }
}
