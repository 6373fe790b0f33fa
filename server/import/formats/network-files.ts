// Parsers for the plain network files analysts are handed: adjacency matrices, two-mode (people x events)
// matrices, and edge lists (comma or whitespace separated). Pure functions over text: no I/O.
// Every parser returns the same shape, `NetworkFile`, so the import pipeline and the analysis CLIs can
// take any of them; `notes` says in words whatever the reader did that a row-by-row reading of the file
// would not show (a header line, dropped self-loops and zero weights, pairs listed twice, folded
// directions), so nothing is dropped without a word.
//
// Rules (the same ones test/reference/generate_expectations.py applies on the Python side):
// - Labels are trimmed (real files carry trailing spaces); a byte-order mark is ignored.
// - A weight or cell is a decimal number (1, 2.5, 1e3); anything else (words, NaN, Infinity, hex) and a
//   negative number are errors naming the line. In a matrix 0 or empty is no tie.
// - A matrix cell is the tie from the row actor to the column actor. A symmetric matrix is undirected
//   (one edge per pair, from the upper triangle); otherwise directed. Asked to read it undirected, the
//   two directions of a pair fold into one tie whose weight is their SUM, as the import stores it.
// - Edge lists: `source target [weight [confidence ...]]`. Undirected unless told otherwise. A pair
//   listed more than once (e.g. in both directions) is ONE tie recorded twice, so it keeps the largest
//   weight rather than the sum. Self-loops and ties of weight 0 are dropped, and counted in `notes`.
// - Headers are never guessed from a bad value. An edge list's first line is a header only when it names
//   the columns (its first two cells are column names such as source/target, from/to, node1/node2, and
//   its third, if any, is not a number); any other first line is a tie. A matrix has labels in its first
//   row and column unless its first row is all numbers (then they are numbered 1, 2, ...). The `header`
//   option says it outright. (The CLIs print the same rule in --help: server/cli/file-flags.ts.)
// - Two-mode matrices (rows people, columns events) become a bipartite graph, or, projected, a
//   person-person graph weighted by the number of events two people share.
import { CSV_LIMITS, CsvRecordError, RecordReader } from '../records.ts';

export interface NetworkNode {
  id: string;
  label: string;
  /** For two-mode files: 'actor' (row) or 'event' (column). */
  mode?: 'actor' | 'event';
}
export interface NetworkEdge {
  source: string;
  target: string;
  weight: number;
  directed: boolean;
}
export interface NetworkFile {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  /** What the reader did beyond reading each row as a tie, in the analyst's words (may be empty). */
  notes?: string[];
  /** Rows of data read (a header row and comment lines are not rows), for the import report's "rows read". */
  dataRows?: number;
}

export type NetworkFormat = 'matrix' | 'two-mode' | 'edgelist';

export class NetworkFileError extends Error {
  constructor(
    message: string,
    /** 1-based line in the file, when the problem has one. */
    readonly line?: number,
  ) {
    super(line ? `network-files: line ${line}: ${message}` : `network-files: ${message}`);
    this.name = 'NetworkFileError';
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** How the text is read: the longest row, in characters (default CSV_LIMITS.maxRowChars). */
export interface ReadOptions {
  maxRowChars?: number;
}

interface Row {
  cells: string[];
  /** 1-based line the row starts on. */
  line: number;
}

/** The comma-separated rows that hold something, read in one pass (server/import/records.ts). */
function rows(text: string, opts: ReadOptions = {}): Row[] {
  const out: Row[] = [];
  const reader = new RecordReader(
    ',',
    { maxRowChars: opts.maxRowChars ?? CSV_LIMITS.maxRowChars, maxColumns: Number.MAX_SAFE_INTEGER },
    (cells, line) => {
      if (cells.some((c) => c.trim() !== '')) out.push({ cells, line });
    },
  );
  try {
    reader.push(text);
    reader.end();
  } catch (e) {
    if (e instanceof CsvRecordError)
      throw new NetworkFileError(`not readable as CSV: ${e.message.replace(/^row \d+ /, 'the row ')}`, e.row);
    throw e;
  }
  return out;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as a number, or null when it is not written as a decimal number. */
function decimal(raw: string): number | null {
  const t = raw.trim();
  if (!DECIMAL.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** A tie value: a finite, non-negative decimal number; `what` names it in the error. */
function tieValue(raw: string, line: number, col: number, what: string): number {
  const v = decimal(raw);
  const t = raw.trim();
  const it = what ? `${what} ` : '';
  if (v === null) {
    throw new NetworkFileError(
      `column ${col + 1}: ${it}${t === '' ? 'is empty' : `${JSON.stringify(t)} is not a number`}` +
        (line === 1 && what === 'the weight' ? ' (if line 1 names the columns, pass --header)' : ''),
      line,
    );
  }
  if (v < 0) throw new NetworkFileError(`column ${col + 1}: ${it}${t} is negative`, line);
  return v === 0 ? 0 : v;
}

/** A matrix cell: empty is no tie (0). */
function cellValue(raw: string, line: number, col: number): number {
  return raw.trim() === '' ? 0 : tieValue(raw, line, col, '');
}

/** "1 self-loop", "2 self-loops" */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "lines 3, 8, 12 and 2 more" */
function lineList(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return `line${lines.length > 1 ? 's' : ''} ${shown}${lines.length > 5 ? ` and ${lines.length - 5} more` : ''}`;
}

interface Grid {
  rowLabels: string[];
  colLabels: string[];
  values: number[][];
  /** First line of each data row. */
  lines: number[];
  notes: string[];
}

export interface GridOptions extends ReadOptions {
  /** Labels in the first row and column? Default: yes, unless the first row is all numbers. */
  header?: boolean;
}

function readGrid(text: string, opts: GridOptions = {}): Grid {
  const r = rows(stripBom(text), opts);
  if (r.length === 0) throw new NetworkFileError('the file is empty');
  const labelled = opts.header ?? !r[0].cells.every((c) => decimal(c) !== null);
  const notes: string[] = [];
  if (labelled && r.length < 2)
    throw new NetworkFileError('a matrix needs a header row and at least one data row');
  const width = labelled ? r[0].cells.length - 1 : r[0].cells.length;
  const colLabels = labelled
    ? r[0].cells.slice(1).map((s) => s.trim())
    : Array.from({ length: width }, (_, j) => String(j + 1));
  if (!labelled)
    notes.push(`no label row or column: numbered 1 to ${Math.max(width, r.length)} in file order`);
  const rowLabels: string[] = [];
  const values: number[][] = [];
  const lines: number[] = [];
  const body = labelled ? r.slice(1) : r;
  body.forEach(({ cells: row, line }, i) => {
    const data = labelled ? row.slice(1) : row;
    if (data.length !== colLabels.length) {
      throw new NetworkFileError(
        labelled
          ? `has ${data.length} values but the header names ${colLabels.length} columns`
          : `has ${data.length} values but line ${r[0].line} has ${colLabels.length}`,
        line,
      );
    }
    rowLabels.push(labelled ? row[0].trim() : String(i + 1));
    values.push(data.map((c, j) => cellValue(c, line, j + (labelled ? 1 : 0))));
    lines.push(line);
  });
  return { rowLabels, colLabels, values, lines, notes };
}

function checkUnique(labels: string[], what: string): void {
  const seen = new Set<string>();
  for (const l of labels) {
    if (l === '') throw new NetworkFileError(`an empty ${what} label`);
    if (seen.has(l)) throw new NetworkFileError(`${what} label ${JSON.stringify(l)} appears twice`);
    seen.add(l);
  }
}

export interface MatrixOptions extends GridOptions {
  /**
   * Force direction; default: undirected when the matrix is symmetric. `false` on an asymmetric matrix
   * folds each pair's two directions into one tie weighted by their sum.
   */
  directed?: boolean;
}

/** A square adjacency matrix with actor labels in the first row and column. */
export function parseMatrix(text: string, opts: MatrixOptions = {}): NetworkFile {
  const { rowLabels, colLabels, values, lines, notes } = readGrid(text, opts);
  if (rowLabels.length !== colLabels.length) {
    throw new NetworkFileError(
      `not square: ${rowLabels.length} rows and ${colLabels.length} columns (a two-mode file? use parseTwoMode)`,
    );
  }
  rowLabels.forEach((l, i) => {
    if (l !== colLabels[i]) {
      throw new NetworkFileError(
        `row label ${JSON.stringify(l)} differs from column label ${JSON.stringify(colLabels[i])}`,
        lines[i],
      );
    }
  });
  checkUnique(rowLabels, 'actor');
  const n = rowLabels.length;
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++)
    for (let j = i + 1; j < n; j++) if (values[i][j] !== values[j][i]) symmetric = false;
  const directed = opts.directed ?? !symmetric;
  const selfTies: number[] = [];
  for (let i = 0; i < n; i++) if (values[i][i] > 0) selfTies.push(lines[i]);
  if (selfTies.length)
    notes.push(`${count(selfTies.length, 'self-tie')} on the diagonal dropped (${lineList(selfTies)})`);
  const edges: NetworkEdge[] = [];
  let both = 0;
  for (let i = 0; i < n; i++) {
    for (let j = directed ? 0 : i + 1; j < n; j++) {
      if (i === j) continue;
      let w = values[i][j];
      if (!directed && !symmetric) {
        if (w > 0 && values[j][i] > 0) both++;
        w += values[j][i];
      }
      if (w > 0) edges.push({ source: rowLabels[i], target: rowLabels[j], weight: w, directed });
    }
  }
  if (!symmetric && !directed) notes.push(foldedNote(edges.length, both));
  return { nodes: rowLabels.map((l) => ({ id: l, label: l })), edges, notes, dataRows: rowLabels.length };
}

export interface EdgeListOptions extends ReadOptions {
  directed?: boolean;
  /** Whether the first line is a header. Default: only when it names the columns (see the top). */
  header?: boolean;
}

const COLUMN_NAME =
  /^(source|target|from|to|node|vertex|actor|person|ego|alter|id|name|sender|receiver|caller|callee|head|tail)[ _-]?(\d|id|name|label)?$/i;

/** The header rule: both end cells are column names and the third cell, if any, is not a number. */
export function namesColumns(cells: string[]): boolean {
  return (
    cells.length >= 2 &&
    COLUMN_NAME.test(cells[0].trim()) &&
    COLUMN_NAME.test(cells[1].trim()) &&
    (cells.length < 3 || decimal(cells[2]) === null)
  );
}

/** `source,target[,weight[,...]]` or whitespace-separated `source target [weight]`. */
export function parseEdgeList(text: string, opts: EdgeListOptions = {}): NetworkFile {
  const body = stripBom(text);
  const lines = body.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const comma = firstLine.includes(',');
  const table: Array<{ cells: string[]; line: number }> = [];
  if (comma) {
    for (const r of rows(body, opts)) table.push(r);
  } else {
    lines.forEach((l, i) => {
      const t = l.trim();
      if (t !== '' && !t.startsWith('#')) table.push({ cells: t.split(/\s+/), line: i + 1 });
    });
  }
  if (table.length === 0) throw new NetworkFileError('the edge list is empty');
  const header = opts.header ?? namesColumns(table[0].cells);
  const directed = opts.directed ?? false;
  const notes: string[] = [];
  if (header) {
    const names = table[0].cells.map((c) => c.trim()).join(', ');
    notes.push(
      `line ${table[0].line} read as column names (${names.length > 80 ? names.slice(0, 77) + '...' : names})` +
        (opts.header === undefined ? '; pass --no-header if it is a tie' : ''),
    );
  }
  const nodes: NetworkNode[] = [];
  const known = new Map<string, number>();
  const edges: NetworkEdge[] = [];
  const pairIndex = new Map<string, number>();
  const selfLoops: number[] = [];
  const zeros: number[] = [];
  const repeated: number[] = [];
  const node = (raw: string) => {
    const id = raw.trim();
    if (!known.has(id)) {
      known.set(id, nodes.length);
      nodes.push({ id, label: id });
    }
    return id;
  };
  for (const { cells, line } of header ? table.slice(1) : table) {
    if (cells.length < 2) throw new NetworkFileError('needs at least a source and a target', line);
    const a = cells[0].trim();
    const b = cells[1].trim();
    if (a === '' || b === '') throw new NetworkFileError('an empty node name', line);
    const w = cells.length >= 3 ? tieValue(cells[2], line, 2, 'the weight') : 1;
    const s = node(a);
    const t = node(b);
    if (s === t) {
      selfLoops.push(line);
      continue;
    }
    if (w === 0) {
      zeros.push(line);
      continue;
    }
    const key = directed || s < t ? `${s}\u0000${t}` : `${t}\u0000${s}`;
    const at = pairIndex.get(key);
    if (at === undefined) {
      pairIndex.set(key, edges.length);
      edges.push({ source: s, target: t, weight: w, directed });
    } else {
      repeated.push(line);
      if (w > edges[at].weight) edges[at].weight = w;
    }
  }
  if (selfLoops.length)
    notes.push(
      `${count(selfLoops.length, 'self-loop')} (a node tied to itself) dropped (${lineList(selfLoops)})`,
    );
  if (zeros.length) notes.push(`${count(zeros.length, 'tie')} of weight 0 dropped (${lineList(zeros)})`);
  if (repeated.length)
    notes.push(
      `${count(repeated.length, 'line repeats', 'lines repeat')} a pair already listed${directed ? ' in the same direction' : ' (in either direction)'}: ` +
        `one tie, kept with its largest weight (${lineList(repeated)})`,
    );
  return { nodes, edges, notes, dataRows: header ? table.length - 1 : table.length };
}

export interface TwoMode {
  actors: string[];
  events: string[];
  /** incidence[i][j] > 0 when actor i attended event j. */
  incidence: number[][];
  notes?: string[];
}

/** A people x events matrix (first row event labels, first column actor labels). */
export function parseTwoMode(text: string, opts: GridOptions = {}): TwoMode {
  const { rowLabels, colLabels, values, notes } = readGrid(text, opts);
  checkUnique(rowLabels, 'actor');
  checkUnique(colLabels, 'event');
  return { actors: rowLabels, events: colLabels, incidence: values, notes };
}

/** Each event's attendees, as actor indices in increasing order. */
function attendees(tm: TwoMode): number[][] {
  const byEvent: number[][] = tm.events.map(() => []);
  tm.incidence.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v > 0) byEvent[j].push(i);
    }),
  );
  return byEvent;
}

/**
 * The work a projection does: one step for each pair of actors at each event (the sum over events of
 * attendees choose 2). It bounds the projection's links too; an import checks it before projecting.
 */
export function projectionPairs(tm: TwoMode): number {
  let pairs = 0;
  for (const a of attendees(tm)) pairs += (a.length * (a.length - 1)) / 2;
  return pairs;
}

/**
 * Actor-actor projection: two actors are linked when they share an event; the weight is the number of
 * events they share. Actors who attended nothing are kept as isolated nodes. Counted event by event, so
 * the work is the pairs that share something (projectionPairs), not every pair of actors.
 */
export function projectTwoMode(tm: TwoMode): NetworkFile {
  const n = tm.actors.length;
  const shared = new Map<number, number>();
  for (const a of attendees(tm)) {
    for (let x = 0; x < a.length; x++) {
      for (let y = x + 1; y < a.length; y++) {
        const key = a[x] * n + a[y];
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  // In actor order (first actor, then second), as the pairs are listed.
  const edges: NetworkEdge[] = [...shared.keys()]
    .sort((p, q) => p - q)
    .map((key) => ({
      source: tm.actors[Math.floor(key / n)],
      target: tm.actors[key % n],
      weight: shared.get(key)!,
      directed: false,
    }));
  const notes = [
    ...(tm.notes ?? []),
    `two-mode file (${tm.actors.length} people by ${tm.events.length} events) projected onto people: ` +
      'two people are tied when they attended the same event, weight = events shared',
  ];
  return { nodes: tm.actors.map((a) => ({ id: a, label: a, mode: 'actor' })), edges, notes };
}

/** The two-mode file as a bipartite graph: actor-event edges (event ids are prefixed to keep them apart). */
export function twoModeToBipartite(tm: TwoMode): NetworkFile {
  const nodes: NetworkNode[] = [
    ...tm.actors.map((a): NetworkNode => ({ id: a, label: a, mode: 'actor' })),
    ...tm.events.map((e, j): NetworkNode => ({ id: `event:${j + 1}`, label: e, mode: 'event' })),
  ];
  const edges: NetworkEdge[] = [];
  tm.incidence.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v > 0) edges.push({ source: tm.actors[i], target: `event:${j + 1}`, weight: v, directed: false });
    }),
  );
  return { nodes, edges };
}

/**
 * Which format a file is in: a first row whose first cell is empty means a matrix (square: one-mode
 * `matrix`; otherwise `two-mode`); anything else is an edge list.
 */
export function detectNetworkFormat(text: string): NetworkFormat {
  const body = stripBom(text);
  const first = body.split(/\r?\n/, 1)[0] ?? '';
  if (/^\s*("")?\s*,/.test(first)) {
    const r = rows(body).map((row) => row.cells);
    const cols = r[0].length - 1;
    const square =
      r.length - 1 === cols && r.slice(1).every((row, i) => row[0].trim() === r[0][i + 1].trim());
    return square ? 'matrix' : 'two-mode';
  }
  return 'edgelist';
}

/** The words for folding directions, shared by the analysis CLI and the import report. */
export function foldedNote(pairs: number, both: number): string {
  return (
    `directed ties folded into ${count(pairs, 'undirected tie')}, one per pair, the two directions summed ` +
    `(${count(both, 'pair')} tied both ways)`
  );
}

export interface ParseNetworkOptions extends ReadOptions {
  format?: NetworkFormat;
  /** true: directed ties; false: undirected, a directed file's two directions summed; default: the file's. */
  directed?: boolean;
  header?: boolean;
}

/** Parse any supported file; two-mode files are projected onto the actors. */
export function parseNetworkFile(
  text: string,
  opts: ParseNetworkOptions = {},
): NetworkFile & { format: NetworkFormat; notes: string[] } {
  const format = opts.format ?? detectNetworkFormat(text);
  const read = {
    ...(opts.maxRowChars === undefined ? {} : { maxRowChars: opts.maxRowChars }),
    ...(opts.header === undefined ? {} : { header: opts.header }),
  };
  let nf: NetworkFile;
  if (format === 'matrix') nf = parseMatrix(text, { ...read, directed: opts.directed });
  else if (format === 'two-mode') nf = projectTwoMode(parseTwoMode(text, read));
  else {
    nf = parseEdgeList(text, { ...read, directed: opts.directed });
  }
  return { format, ...nf, notes: nf.notes ?? [] };
}
