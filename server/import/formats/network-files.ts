// Parsers for the plain network files analysts are handed: adjacency matrices, two-mode (people x events)
// matrices, and edge lists (comma or whitespace separated). Pure functions over text: no I/O.
// Every parser returns the same shape, `NetworkFile`, so the import pipeline and the analysis CLIs can
// take any of them.
//
// Rules (the same ones test/reference/generate_expectations.py applies on the Python side):
// - Labels are trimmed (real files carry trailing spaces); a byte-order mark is ignored.
// - A matrix cell is the tie from the row actor to the column actor; 0 or empty is no tie.
//   A symmetric matrix is undirected (one edge per pair, from the upper triangle); otherwise directed.
// - Edge lists: `source target [weight [confidence ...]]`. Undirected unless told otherwise. A pair
//   listed more than once (e.g. in both directions) is ONE tie recorded twice, so it keeps the largest
//   weight rather than the sum. Self-loops are dropped.
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

function cellValue(raw: string, line: number, col: number): number {
  const t = raw.trim();
  if (t === '') return 0;
  const v = Number(t);
  if (!Number.isFinite(v))
    throw new NetworkFileError(`column ${col + 1}: ${JSON.stringify(raw)} is not a number`, line);
  if (v < 0) throw new NetworkFileError(`column ${col + 1}: tie value ${v} is negative`, line);
  return v;
}

interface Grid {
  rowLabels: string[];
  colLabels: string[];
  values: number[][];
}

function readGrid(text: string, opts: ReadOptions = {}): Grid {
  const r = rows(text, opts);
  if (r.length < 2) throw new NetworkFileError('a matrix needs a header row and at least one data row');
  const colLabels = r[0].cells.slice(1).map((s) => s.trim());
  const rowLabels: string[] = [];
  const values: number[][] = [];
  for (let i = 1; i < r.length; i++) {
    const { cells: row, line } = r[i];
    if (row.length - 1 !== colLabels.length) {
      throw new NetworkFileError(
        `has ${row.length - 1} values but the header names ${colLabels.length} columns`,
        line,
      );
    }
    rowLabels.push(row[0].trim());
    values.push(row.slice(1).map((c, j) => cellValue(c, line, j + 1)));
  }
  return { rowLabels, colLabels, values };
}

function checkUnique(labels: string[], what: string): void {
  const seen = new Set<string>();
  for (const l of labels) {
    if (l === '') throw new NetworkFileError(`an empty ${what} label`);
    if (seen.has(l)) throw new NetworkFileError(`${what} label ${JSON.stringify(l)} appears twice`);
    seen.add(l);
  }
}

export interface MatrixOptions extends ReadOptions {
  /** Force direction; default: undirected when the matrix is symmetric. */
  directed?: boolean;
}

/** A square adjacency matrix with actor labels in the first row and column. */
export function parseMatrix(text: string, opts: MatrixOptions = {}): NetworkFile {
  const { rowLabels, colLabels, values } = readGrid(text, opts);
  if (rowLabels.length !== colLabels.length) {
    throw new NetworkFileError(
      `not square: ${rowLabels.length} rows and ${colLabels.length} columns (a two-mode file? use parseTwoMode)`,
    );
  }
  rowLabels.forEach((l, i) => {
    if (l !== colLabels[i]) {
      throw new NetworkFileError(
        `row label ${JSON.stringify(l)} differs from column label ${JSON.stringify(colLabels[i])}`,
        i + 2,
      );
    }
  });
  checkUnique(rowLabels, 'actor');
  const n = rowLabels.length;
  let symmetric = true;
  for (let i = 0; i < n && symmetric; i++)
    for (let j = i + 1; j < n; j++) if (values[i][j] !== values[j][i]) symmetric = false;
  const directed = opts.directed ?? !symmetric;
  const edges: NetworkEdge[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = directed ? 0 : i + 1; j < n; j++) {
      if (i === j) continue;
      let w = values[i][j];
      if (!directed && !symmetric) w = Math.max(w, values[j][i]);
      if (w > 0) edges.push({ source: rowLabels[i], target: rowLabels[j], weight: w, directed });
    }
  }
  return { nodes: rowLabels.map((l) => ({ id: l, label: l })), edges };
}

export interface EdgeListOptions extends ReadOptions {
  directed?: boolean;
  /** Whether the first line is a header. Default: detected (a non-numeric third column on line 1). */
  header?: boolean;
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
  const header =
    opts.header ?? (table[0].cells.length >= 3 && !Number.isFinite(Number(table[0].cells[2].trim())));
  const directed = opts.directed ?? false;
  const nodes: NetworkNode[] = [];
  const known = new Map<string, number>();
  const edges: NetworkEdge[] = [];
  const pairIndex = new Map<string, number>();
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
    const w = cells.length >= 3 ? cellValue(cells[2], line, 2) : 1;
    const s = node(a);
    const t = node(b);
    if (s === t || w === 0) continue;
    const key = directed || s < t ? `${s}\u0000${t}` : `${t}\u0000${s}`;
    const at = pairIndex.get(key);
    if (at === undefined) {
      pairIndex.set(key, edges.length);
      edges.push({ source: s, target: t, weight: w, directed });
    } else if (w > edges[at].weight) {
      edges[at].weight = w;
    }
  }
  return { nodes, edges };
}

export interface TwoMode {
  actors: string[];
  events: string[];
  /** incidence[i][j] > 0 when actor i attended event j. */
  incidence: number[][];
}

/** A people x events matrix (first row event labels, first column actor labels). */
export function parseTwoMode(text: string, opts: ReadOptions = {}): TwoMode {
  const { rowLabels, colLabels, values } = readGrid(text, opts);
  checkUnique(rowLabels, 'actor');
  checkUnique(colLabels, 'event');
  return { actors: rowLabels, events: colLabels, incidence: values };
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
  return { nodes: tm.actors.map((a) => ({ id: a, label: a, mode: 'actor' })), edges };
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

/** Parse any supported file; two-mode files are projected onto the actors. */
export function parseNetworkFile(
  text: string,
  opts: { format?: NetworkFormat; directed?: boolean } = {},
): NetworkFile & { format: NetworkFormat } {
  const format = opts.format ?? detectNetworkFormat(text);
  if (format === 'matrix') return { format, ...parseMatrix(text, { directed: opts.directed }) };
  if (format === 'two-mode') return { format, ...projectTwoMode(parseTwoMode(text)) };
  return { format, ...parseEdgeList(text, { directed: opts.directed }) };
}
