// What the steps of one writeBatch share (graph-write.ts): the batch's state and result, resolving the
// report refs a row names, and provenance: the joins of each entity and link to its reports and its import.
import type Database from 'better-sqlite3';
import type { EntityType } from '../../domain/model.ts';
import type { UpsertCounts, WriteResult } from '../graph-store.ts';
import { emptyWriteResult } from '../shared/values.ts';
import type { SqliteConnection } from './connection.ts';
import { invalid } from '../shared/validate.ts';

export type Status = keyof UpsertCounts;
export type At = (string | number)[];
export interface ReportRef {
  id: number;
  bit: number;
}
export interface End {
  id: number;
  type: EntityType;
}

/** What the steps of one batch share. */
export interface Batch {
  readonly c: SqliteConnection;
  readonly now: string;
  readonly importId: string | null;
  /** The operation (row id) the batch writes in: every fact it creates or touches joins it. */
  readonly op: number;
  /** Entities that were there before and joined the batch's operation in it (for deconfliction). */
  readonly joined: number[];
  /** Entities known to belong to the batch's operation already (written or joined by it). */
  readonly inOp: Set<number>;
  readonly res: WriteResult;
  /** Whether any step changed a graph fact (then the data version moves). */
  changed: boolean;
  /** Reports by ref: the batch's own and those looked up. */
  readonly refs: Map<string, ReportRef>;
  readonly reportByRef: Database.Statement;
  /** Entities by type and key: the batch's own and link ends looked up. */
  readonly keyed: Map<string, End>;
  /** Most stores have merged nothing: then there are no aliases to look up. */
  readonly anyAlias: boolean;
}

export function startBatch(c: SqliteConnection, importId: string | null, op: number): Batch {
  return {
    c,
    now: new Date().toISOString(),
    importId,
    op,
    joined: [],
    inOp: new Set(),
    res: emptyWriteResult(),
    changed: false,
    refs: new Map(),
    reportByRef: c.st('SELECT id, grade_bit AS bit FROM reports WHERE ref = ?'),
    keyed: new Map(),
    anyAlias: c.st('SELECT EXISTS (SELECT 1 FROM entity_aliases)').pluck().get() === 1,
  };
}

export function tally(b: Batch, counts: UpsertCounts, status: Status): void {
  if (status !== 'unchanged') b.changed = true;
  counts[status]++;
}

/** Resolves a row's report refs: the batch's own, else the store's; a ref that is neither is refused. */
export function resolveReports(b: Batch, list: string[], at: At): ReportRef[] {
  return list.map((ref, j) => {
    let r = b.refs.get(ref);
    if (!r) {
      r = b.reportByRef.get(ref) as ReportRef | undefined;
      if (!r)
        throw invalid(
          [...at, 'reports', j],
          `report ${JSON.stringify(ref)} does not exist; add it to the batch's reports`,
        );
      b.refs.set(ref, r);
    }
    return r;
  });
}

// Provenance: the report and import joins of each entity and link.

/** Report and import joins of newly created rows, written in one statement each. */
class JoinBuffer {
  private pairs: number[][] = [];
  private ids: number[] = [];
  constructor(
    private readonly reportsStmt: Database.Statement,
    private readonly importsStmt: Database.Statement,
    private readonly importId: string | null,
  ) {}

  add(id: number, reports: ReportRef[]): void {
    for (const r of reports) this.pairs.push([id, r.id]);
    if (this.importId !== null) this.ids.push(id);
  }

  flush(): void {
    if (this.pairs.length) this.reportsStmt.run(JSON.stringify(this.pairs));
    if (this.ids.length) this.importsStmt.run(this.importId, JSON.stringify(this.ids));
    this.pairs = [];
    this.ids = [];
  }
}

export interface Joins {
  addReport: Database.Statement;
  addImport: Database.Statement;
  touch: Database.Statement;
  /**
   * Join rows of rows this batch created are written together, one statement per table (fewer calls into
   * SQLite); they are flushed before any existing row's joins are checked, so a row repeated within the
   * batch still sees them.
   */
  pend: JoinBuffer;
}

export function joinStatements(b: Batch, kind: 'entity' | 'link'): Joins {
  const c = b.c;
  const t = kind === 'entity' ? 'entities' : 'links';
  return {
    addReport: c.st(`INSERT OR IGNORE INTO ${kind}_reports (${kind}_id, report_id) VALUES (?, ?)`),
    addImport: c.st(`INSERT OR IGNORE INTO ${kind}_imports (${kind}_id, import_id) VALUES (?, ?)`),
    touch: c.st(`UPDATE ${t} SET updated_at = ? WHERE id = ?`),
    pend: new JoinBuffer(
      c.st(
        `INSERT OR IGNORE INTO ${kind}_reports (${kind}_id, report_id) SELECT value ->> 0, value ->> 1 FROM json_each(?)`,
      ),
      c.st(`INSERT OR IGNORE INTO ${kind}_imports (${kind}_id, import_id) SELECT value, ? FROM json_each(?)`),
      b.importId,
    ),
  };
}

/**
 * Joins an existing row to its reports and the import; a new join makes an unchanged row updated (and
 * its updated_at moves). Returns the row's status after.
 */
export function joinProvenance(b: Batch, j: Joins, id: number, rs: ReportRef[], status: Status): Status {
  let joined = false;
  for (const r of rs) if (j.addReport.run(id, r.id).changes > 0) joined = true;
  if (b.importId !== null && j.addImport.run(id, b.importId).changes > 0) joined = true;
  if (!joined || status !== 'unchanged') return status;
  j.touch.run(b.now, id);
  return 'updated';
}
