// The CSV files neo4j-admin database import reads: rows as they come, in large writes, and each file's header
// (the names and types seen) written last into a file of its own. Millions of rows pass through here, so the
// columns are found once from the first row and each row is written by a loop over them, without copies.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { Row } from '../neo4j/executor.ts';

/** Between the items of a list property: a character no id, grading or operation holds. */
export const ARRAY_DELIMITER = '\u001f';

type ColType = 'string' | 'long' | 'double' | 'boolean' | 'string[]';

/** Bytes gathered before a write (a few large writes, not one per batch). */
const WRITE_AT = 1 << 20;

const QUOTE = /"/g;
const quoted = (s: string) => `"${s.includes('"') ? s.replace(QUOTE, '""') : s}"`;

export class CsvFile {
  private readonly fd: number;
  private cols: string[] | null = null;
  /** For each column, where its value is: the row itself, or the object under `nest` (see the constructor). */
  private nested: boolean[] = [];
  private types: (ColType | undefined)[] = [];
  private text = '';
  rows = 0;
  bytes = 0;
  /** Whether any field held a line break (only such files need the importer's slower multi-line reading). */
  multiline = false;

  constructor(
    readonly path: string,
    /** Columns that are not properties: `:ID(Entity)`-like headers by key. */
    private readonly special: Record<string, string> = {},
    /** A key whose value is an object whose own keys are columns too (a link's properties). */
    private readonly nest?: string,
  ) {
    this.fd = openSync(path, 'w');
  }

  private columns(row: Row): string[] {
    const top = Object.keys(row).filter((k) => k !== this.nest);
    const inner = this.nest ? Object.keys(row[this.nest] as Row) : [];
    this.cols = [...top, ...inner];
    this.nested = [...top.map(() => false), ...inner.map(() => true)];
    this.types = this.cols.map(() => undefined);
    return this.cols;
  }

  add(rows: readonly Row[]): void {
    if (rows.length === 0) return;
    const cols = this.cols ?? this.columns(rows[0]);
    const nest = this.nest;
    // Every row of a part is made by the same code (neo4j.ts Neo4jRows); a row with other keys is a bug.
    const want = nest ? cols.length - Object.keys(rows[0][nest] as Row).length + 1 : cols.length;
    if (Object.keys(rows[0]).length !== want)
      throw new Error(`transfer: ${this.path} got a row of another shape`);
    const lines: string[] = new Array<string>(rows.length);
    const fields: string[] = new Array<string>(cols.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const inner = nest ? (row[nest] as Row) : row;
      for (let i = 0; i < cols.length; i++)
        fields[i] = this.field(i, this.nested[i] ? inner[cols[i]] : row[cols[i]]);
      lines[r] = fields.join(',');
    }
    this.rows += rows.length;
    // One flat string a batch (a rope of every field would live long enough to burden the collector).
    this.text += `${lines.join('\n')}\n`;
    if (this.text.length >= WRITE_AT) this.flush();
  }

  private flush(): void {
    if (this.text.length === 0) return;
    this.bytes += writeSync(this.fd, this.text);
    this.text = '';
  }

  private see(i: number, t: ColType): void {
    const was = this.types[i];
    if (was === t) return;
    if (!was || (was === 'long' && t === 'double')) this.types[i] = t;
  }

  private field(i: number, v: unknown): string {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') {
      this.see(i, 'string');
      if (!this.multiline && (v.includes('\n') || v.includes('\r'))) this.multiline = true;
      return quoted(v);
    }
    if (typeof v === 'number') {
      this.see(i, Number.isInteger(v) ? 'long' : 'double');
      return String(v);
    }
    if (typeof v === 'boolean') {
      this.see(i, 'boolean');
      return v ? 'true' : 'false';
    }
    if (Array.isArray(v)) {
      this.see(i, 'string[]');
      const items = (v as unknown[]).map(String);
      if (!this.multiline && items.some((x) => x.includes('\n') || x.includes('\r'))) this.multiline = true;
      return quoted(items.join(ARRAY_DELIMITER));
    }
    throw new Error(`transfer: a ${typeof v} in column ${this.cols?.[i]} of ${this.path}`);
  }

  /** Writes what is left, closes the data file and writes the header file beside it; null when empty. */
  close(): string | null {
    this.flush();
    closeSync(this.fd);
    if (!this.cols) return null;
    const header = this.cols.map((c, i) => this.special[c] ?? `${c}:${this.types[i] ?? 'string'}`).join(',');
    const path = `${this.path}.header`;
    writeFileSync(path, `${header}\n`);
    return path;
  }
}
