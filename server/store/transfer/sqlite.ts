// Reading and writing the SQLite store for `npm run transfer`, on its tables directly (server/store/sqlite/schema.ts),
// so ids, timestamps, merge snapshots and the audit chain are copied exactly. Reads go a page at a time by key
// (rowid, or the primary key of a table without one), with the provenance and memberships of just that page's
// facts; a load writes each batch in one transaction together with its resume marker (a row of `meta`).
// Which column holds which field is in fields.ts. When an entity or link joined each of its operations is kept
// here only as the order it joined them (what scoped reads use; Neo4j keeps no more): a load writes times
// that keep that order.
import type { IntelAssessment, SourceEvaluation } from '../../domain/model.ts';
import type { SqliteStores } from '../sqlite/stores.ts';
import { gradeBit } from '../sqlite/rows.ts';
import { dateMs, parseProps, searchText } from '../shared/values.ts';
import { INDEX_NEW_ENTITIES_SQL } from '../sqlite/schema.ts';
import { DEFAULT_OPERATION_REF } from '../../domain/operations.ts';
import type {
  Dump,
  DumpEntity,
  DumpLink,
  DumpPart,
  DumpSnapshot,
  EntityMemberships,
  Memberships,
  PartRecord,
} from './parts.ts';
import { DUMP_PARTS, LOAD_ORDER } from './parts.ts';
import type { Batch, Cursor, DumpReader, DumpWriter, Highest, Marker } from './stream.ts';
import {
  ALIAS_FIELDS,
  ANNOTATION_FIELDS,
  AUDIT_FIELDS,
  CHART_FIELDS,
  DECISION_FIELDS,
  DRAFT_FIELDS,
  ENTITY_FIELDS,
  EVENT_FIELDS,
  fromSqlite,
  IMPORT_RUN_FIELDS,
  idNum,
  LINK_FIELDS,
  MERGE_FIELDS,
  NOTICE_EVENT_FIELDS,
  NOTICE_FIELDS,
  OPERATION_FIELDS,
  OPERATION_MEMBER_FIELDS,
  PROPOSAL_FIELDS,
  REPORT_FIELDS,
  TARGET_ACTION_FIELDS,
  TARGET_FIELDS,
  toSqlite,
  USER_FIELDS,
  type SqlValue,
} from './fields.ts';

type Row = Record<string, SqlValue>;

/**
 * Every table of the SQLite store and what a transfer does with it: the dump part that carries it, or why it
 * needs none. test/store/transfer-coverage.test.ts fails when a table appears that is in neither list, so a
 * new kind of record cannot be left out of the transfer (and its counts and digest) without a word.
 */
export const SQLITE_TABLES_CARRIED: Record<string, string> = {
  reports: 'reports',
  entities: 'entities',
  entity_reports: 'entities (provenance)',
  entity_imports: 'entities (provenance)',
  entity_aliases: 'aliases',
  links: 'links',
  link_reports: 'links (provenance)',
  link_imports: 'links (provenance)',
  merges: 'merges',
  annotations: 'annotations',
  charts: 'charts',
  drafts: 'drafts',
  users: 'users',
  audit: 'audit',
  import_runs: 'importRuns',
  targets: 'targets',
  target_actions: 'targetActions',
  events: 'events',
  duplicate_proposals: 'duplicateProposals',
  duplicate_decisions: 'duplicateDecisions',
  operations: 'operations',
  operation_members: 'operationMembers',
  entity_ops: 'entities (memberships)',
  link_ops: 'links (memberships)',
  deconfliction_notices: 'deconflictionNotices',
  deconfliction_events: 'deconflictionEvents',
  meta: 'dataVersion',
};
export const SQLITE_TABLES_DERIVED: Record<string, string> = {
  schema_version: 'the target keeps its own schema history',
  sqlite_sequence: "SQLite's own counters, moved on by the explicit ids a load inserts",
  entities_fts: 'the search index, rebuilt from the entities a load inserts',
  entities_fts_config: 'part of the search index',
  entities_fts_data: 'part of the search index',
  entities_fts_docsize: 'part of the search index',
  entities_fts_idx: 'part of the search index',
  sessions: "the servers' sign-ins: a moved store starts with everyone signed out",
  login_counters: "the sign-in throttle's counts, which run out within their window",
  audit_object:
    'the objects each audit record names, filled by a trigger from the audit records a load inserts',
  jobs: "analysis jobs, recomputed on the target's own data version",
  job_results: "analysis jobs' results, recomputed on the target's own data version",
};
type Db = SqliteStores['db'];

const r = (n: number | string) => `r${n}`;

/** A row of an entity or link as a merge snapshot keeps it, with its provenance as report numbers. */
interface SnapshotRow {
  row: Row;
  reports: number[];
  imports: string[];
  /** [op number, properties (entities only), added at]; absent in merges made before operations. */
  ops?: Array<[number, string | null, string]>;
}
interface SqliteSnapshot {
  keep: SnapshotRow;
  drop: SnapshotRow & { aliases: { type: string; key: string }[] };
  links: SnapshotRow[];
  annotations: number[];
}

const NO_OPS: EntityMemberships = { ops: [], opProps: {} };

/** A fact's memberships from its rows [op number, properties or null, added at], in the order it joined them. */
function membershipsOf(rows: Array<[number, string | null, string]>): EntityMemberships {
  const sorted = [...rows].sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] - b[0]));
  const out: EntityMemberships = { ops: [], opProps: {} };
  for (const [op, props] of sorted) {
    out.ops.push(`op${op}`);
    const p = props === null ? {} : parseProps(props);
    if (Object.keys(p).length > 0) out.opProps[`op${op}`] = p;
  }
  return out;
}

/**
 * Times that keep the order a fact joined its operations (SQLite reads them ORDER BY added_at, op_id): the
 * fact's creation, moved on a millisecond where the next operation's number alone would put it first.
 */
function joinTimes(ops: string[], createdAt: string): string[] {
  let t = createdAt;
  return ops.map((op, i) => {
    if (i > 0 && idNum(op) < idNum(ops[i - 1])) {
      const ms = Date.parse(t);
      t = Number.isNaN(ms) ? `${t}~` : new Date(ms + 1).toISOString();
    }
    return t;
  });
}

/** A fact's membership rows as the merge snapshots keep them (none for a snapshot from before operations). */
function snapshotOps(
  x: Memberships & { createdAt: string; opProps?: EntityMemberships['opProps'] },
): SnapshotRow['ops'] {
  if (x.ops.length === 0) return undefined;
  const at = joinTimes(x.ops, x.createdAt);
  return x.ops.map((op, i) => [idNum(op), x.opProps ? JSON.stringify(x.opProps[op] ?? {}) : null, at[i]]);
}

// The fields' record gets the rest set in place (a million links: one object each, not a copy of it).
const entityFrom = (
  row: Row,
  reports: string[],
  imports: string[],
  m: EntityMemberships = NO_OPS,
): DumpEntity => {
  const e = fromSqlite(ENTITY_FIELDS, row) as DumpEntity;
  e.reports = reports;
  e.imports = imports;
  e.ops = m.ops;
  e.opProps = m.opProps;
  return e;
};
const linkFrom = (row: Row, reports: string[], imports: string[], m: Memberships = NO_OPS): DumpLink => {
  const l = fromSqlite(LINK_FIELDS, row) as DumpLink;
  l.reports = reports;
  l.imports = imports;
  l.ops = m.ops;
  return l;
};

function snapshotFrom(text: string): DumpSnapshot {
  const s = JSON.parse(text) as SqliteSnapshot;
  const ops = (k: SnapshotRow) => membershipsOf(k.ops ?? []);
  const linkOps = (k: SnapshotRow) => ({ ops: ops(k).ops });
  return {
    keep: entityFrom(s.keep.row, s.keep.reports.map(r), s.keep.imports, ops(s.keep)),
    drop: {
      ...entityFrom(s.drop.row, s.drop.reports.map(r), s.drop.imports, ops(s.drop)),
      aliases: s.drop.aliases,
    },
    links: s.links.map((k) => linkFrom(k.row, k.reports.map(r), k.imports, linkOps(k))),
    annotations: s.annotations.map(String),
  };
}

/** A fact's membership rows [op number, properties or null, added at], grouped by fact. */
function groupOps(rows: Array<[number, number, string | null, string]>) {
  const byFact = new Map<number, Array<[number, string | null, string]>>();
  for (const [fact, op, p, at] of rows) {
    let list = byFact.get(fact);
    if (!list) byFact.set(fact, (list = []));
    list.push([op, p, at]);
  }
  return byFact;
}

function groupPairs(rows: Array<[number, string | number]>): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const [k, v] of rows) {
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(String(v));
  }
  return m;
}

/** How one part is read: its table, the key it pages by, and how a page of rows becomes records. */
interface SqlPart {
  table: string;
  /** Columns of the key, in order (`rowid` for a table that has one). */
  key: string[];
  /** More columns to select beside `*`. */
  extra?: string;
  build(db: Db, rows: Row[]): unknown[];
}

const plain =
  <F extends Parameters<typeof fromSqlite>[0]>(fields: F) =>
  (_db: Db, rows: Row[]) =>
    rows.map((x) => fromSqlite(fields, x));

/** Provenance and memberships of the facts numbered lo..hi, from the join tables' primary keys. */
function factExtras(db: Db, kind: 'entity' | 'link', lo: number, hi: number) {
  const pairs = (table: string, value: string) =>
    groupPairs(
      db
        .prepare(`SELECT ${kind}_id, ${value} FROM ${table} WHERE ${kind}_id BETWEEN ? AND ?`)
        .raw()
        .all(lo, hi) as Array<[number, string | number]>,
    );
  const props = kind === 'entity' ? 'properties' : 'NULL';
  return {
    reports: pairs(`${kind}_reports`, 'report_id'),
    imports: pairs(`${kind}_imports`, 'import_id'),
    ops: groupOps(
      db
        .prepare(
          `SELECT ${kind}_id, op_id, ${props}, added_at FROM ${kind}_ops WHERE ${kind}_id BETWEEN ? AND ?`,
        )
        .raw()
        .all(lo, hi) as Array<[number, number, string | null, string]>,
    ),
  };
}

function facts<T>(
  db: Db,
  rows: Row[],
  kind: 'entity' | 'link',
  make: (row: Row, reports: string[], imports: string[], m: EntityMemberships) => T,
): T[] {
  if (rows.length === 0) return [];
  const ids = rows.map((x) => x.id as number);
  const x = factExtras(db, kind, Math.min(...ids), Math.max(...ids));
  return rows.map((row) => {
    const id = row.id as number;
    const ops = x.ops.get(id);
    return make(
      row,
      (x.reports.get(id) ?? []).map(r),
      x.imports.get(id) ?? [],
      ops ? membershipsOf(ops) : NO_OPS,
    );
  });
}

/** A step's place in its pair's or notice's log: how many steps of that log came before it. */
const stepOf = (table: string, col: string) =>
  `(SELECT COUNT(*) FROM ${table} s2 WHERE s2.${col} = t.${col} AND s2.seq < t.seq) AS step`;

const SQL_PARTS: Record<DumpPart, SqlPart> = {
  reports: { table: 'reports', key: ['rowid'], build: plain(REPORT_FIELDS) },
  entities: { table: 'entities', key: ['rowid'], build: (db, rows) => facts(db, rows, 'entity', entityFrom) },
  aliases: { table: 'entity_aliases', key: ['type', 'key'], build: plain(ALIAS_FIELDS) },
  links: { table: 'links', key: ['rowid'], build: (db, rows) => facts(db, rows, 'link', linkFrom) },
  merges: {
    table: 'merges',
    key: ['rowid'],
    build: (_db, rows) =>
      rows.map((x) => ({ ...fromSqlite(MERGE_FIELDS, x), snapshot: snapshotFrom(x.snapshot as string) })),
  },
  annotations: { table: 'annotations', key: ['rowid'], build: plain(ANNOTATION_FIELDS) },
  charts: { table: 'charts', key: ['rowid'], build: plain(CHART_FIELDS) },
  users: { table: 'users', key: ['rowid'], build: plain(USER_FIELDS) },
  audit: { table: 'audit', key: ['rowid'], build: plain(AUDIT_FIELDS) },
  importRuns: { table: 'import_runs', key: ['rowid'], build: plain(IMPORT_RUN_FIELDS) },
  targets: { table: 'targets', key: ['rowid'], build: plain(TARGET_FIELDS) },
  targetActions: { table: 'target_actions', key: ['rowid'], build: plain(TARGET_ACTION_FIELDS) },
  drafts: { table: 'drafts', key: ['rowid'], build: plain(DRAFT_FIELDS) },
  events: { table: 'events', key: ['rowid'], build: plain(EVENT_FIELDS) },
  duplicateProposals: { table: 'duplicate_proposals', key: ['rowid'], build: plain(PROPOSAL_FIELDS) },
  duplicateDecisions: {
    table: 'duplicate_decisions',
    key: ['rowid'],
    extra: stepOf('duplicate_decisions', 'proposal_id'),
    build: (_db, rows) => rows.map((x) => ({ ...fromSqlite(DECISION_FIELDS, x), step: x.step as number })),
  },
  operations: { table: 'operations', key: ['rowid'], build: plain(OPERATION_FIELDS) },
  operationMembers: {
    table: 'operation_members',
    key: ['op_id', 'user'],
    build: plain(OPERATION_MEMBER_FIELDS),
  },
  deconflictionNotices: { table: 'deconfliction_notices', key: ['rowid'], build: plain(NOTICE_FIELDS) },
  deconflictionEvents: {
    table: 'deconfliction_events',
    key: ['rowid'],
    extra: stepOf('deconfliction_events', 'notice_id'),
    build: (_db, rows) =>
      rows.map((x) => ({ ...fromSqlite(NOTICE_EVENT_FIELDS, x), step: x.step as number })),
  },
};

/** One part's records after `after`, a page at a time, by key. */
export function* sqliteBatches<P extends DumpPart>(
  db: Db,
  part: P,
  after: Cursor,
  size: number,
): Generator<Batch<P>> {
  const spec = SQL_PARTS[part];
  const keys = spec.key.map((k, i) => `t.${k} AS _k${i}`).join(', ');
  const tuple = (xs: string[]) => (xs.length === 1 ? xs[0] : `(${xs.join(', ')})`);
  const keyCols = spec.key.map((k) => `t.${k}`);
  const select = `SELECT ${keys}, t.*${spec.extra ? `, ${spec.extra}` : ''} FROM ${spec.table} t`;
  const first = db.prepare(`${select} ORDER BY ${keyCols.join(', ')} LIMIT ?`);
  const next = db.prepare(
    `${select} WHERE ${tuple(keyCols)} > ${tuple(spec.key.map(() => '?'))} ORDER BY ${keyCols.join(', ')} LIMIT ?`,
  );
  let cursor = after;
  for (;;) {
    const rows = (cursor === null ? first.all(size) : next.all(...([...cursor, size] as unknown[]))) as Row[];
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    cursor = spec.key.map((_, i) => last[`_k${i}`] as string | number);
    yield { rows: spec.build(db, rows) as PartRecord<P>[], cursor };
    if (rows.length < size) return;
  }
}

export function sqliteDataVersion(db: Db): number {
  return (db.prepare("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number) ?? 0;
}

export function sqliteSizes(db: Db): Record<DumpPart, number> {
  return Object.fromEntries(
    DUMP_PARTS.map((p) => [
      p,
      db.prepare(`SELECT COUNT(*) FROM ${SQL_PARTS[p].table}`).pluck().get() as number,
    ]),
  ) as Record<DumpPart, number>;
}

export class SqliteReader implements DumpReader {
  constructor(
    private readonly db: Db,
    readonly name: string,
  ) {}
  async dataVersion() {
    return sqliteDataVersion(this.db);
  }
  async sizes() {
    return sqliteSizes(this.db);
  }
  async *batches<P extends DumpPart>(part: P, after: Cursor, size: number): AsyncIterable<Batch<P>> {
    yield* sqliteBatches(this.db, part, after, size);
  }
}

/** Everything the store holds, in memory (for small stores and tests; the transfer streams instead). */
export function dumpSqlite(stores: SqliteStores): Dump {
  const db = stores.db;
  return db.transaction((): Dump => {
    const out = { dataVersion: sqliteDataVersion(db) } as Dump;
    for (const p of DUMP_PARTS) {
      const all: unknown[] = [];
      for (const b of sqliteBatches(db, p, null, 10_000)) for (const x of b.rows) all.push(x);
      (out as unknown as Record<string, unknown[]>)[p] = all;
    }
    return out;
  })();
}

/** Whether a SQLite store holds nothing of its own (a new file's GENERAL operation aside). */
export function sqliteIsEmpty(db: Db): boolean {
  return DUMP_PARTS.every((p) =>
    p === 'operations'
      ? (db
          .prepare('SELECT COUNT(*) FROM operations WHERE ref <> ?')
          .pluck()
          .get(DEFAULT_OPERATION_REF) as number) === 0
      : db.prepare(`SELECT 1 FROM ${SQL_PARTS[p].table} LIMIT 1`).get() === undefined,
  );
}

const MARKER_KEY = 'transfer_resume';

/**
 * Writes batches into a SQLite store: each batch and its resume marker in one transaction. The columns the
 * store derives (search text and its index, grade bits, dates in milliseconds) are derived here as the
 * store's writers do.
 */
export class SqliteWriter implements DumpWriter {
  private readonly bits = new Map<string, number>();
  private readonly statements = new Map<string, { run(...p: unknown[]): unknown }>();

  constructor(
    private readonly db: Db,
    readonly name: string,
  ) {}

  async marker(): Promise<Marker | null> {
    const v = this.db.prepare('SELECT v FROM meta WHERE k = ?').pluck().get(MARKER_KEY) as string | undefined;
    return v === undefined ? null : (JSON.parse(v) as Marker);
  }

  async start(fresh: boolean): Promise<void> {
    this.startSync(fresh);
  }

  startSync(fresh: boolean): void {
    // A new file holds the GENERAL operation its schema makes: the source's own replaces it.
    if (fresh) this.db.prepare('DELETE FROM operations').run();
    for (const [id, bit] of this.db.prepare('SELECT id, grade_bit FROM reports').raw().all() as [
      number,
      number,
    ][])
      this.bits.set(`r${id}`, bit);
  }

  private insert(table: string, row: Row): void {
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    st.run(...cols.map((c) => row[c]));
  }

  private entityRow = (x: DumpEntity): Row => ({
    ...toSqlite(ENTITY_FIELDS, x),
    search_text: searchText(parseProps(x.props), x.label),
  });

  private linkRow = (x: DumpLink): Row => ({
    ...toSqlite(LINK_FIELDS, x),
    first_ms: x.firstSeen ? dateMs(x.firstSeen) : null,
    last_ms: x.lastSeen ? dateMs(x.lastSeen, true) : null,
    grades: x.reports.reduce((m, id) => m | (this.bits.get(id) ?? 0), 0),
  });

  async write<P extends DumpPart>(part: P, rows: PartRecord<P>[], mark: Marker | null): Promise<void> {
    this.writeSync(part, rows, mark);
  }

  writeSync<P extends DumpPart>(part: P, rows: PartRecord<P>[], mark: Marker | null): void {
    this.db.transaction(() => {
      this.writeRows(part, rows as unknown[]);
      if (mark)
        this.db
          .prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v')
          .run(MARKER_KEY, JSON.stringify(mark));
    })();
  }

  private writeRows(part: DumpPart, rows: unknown[]): void {
    const d = rows as never[];
    switch (part) {
      case 'operations':
        for (const x of d as Dump['operations']) this.insert('operations', toSqlite(OPERATION_FIELDS, x));
        return;
      case 'operationMembers':
        for (const x of d as Dump['operationMembers'])
          this.insert('operation_members', toSqlite(OPERATION_MEMBER_FIELDS, x));
        return;
      case 'reports':
        for (const x of d as Dump['reports']) {
          const bit = gradeBit(x.source as SourceEvaluation, x.intel as IntelAssessment);
          this.bits.set(x.id, bit);
          this.insert('reports', { ...toSqlite(REPORT_FIELDS, x), grade_bit: bit });
        }
        return;
      case 'entities': {
        const ents = d as Dump['entities'];
        for (const x of ents) {
          this.insert('entities', this.entityRow(x));
          for (const rep of x.reports)
            this.insert('entity_reports', { entity_id: idNum(x.id), report_id: idNum(rep) });
          for (const imp of x.imports)
            this.insert('entity_imports', { entity_id: idNum(x.id), import_id: imp });
          for (const [op, props, at] of snapshotOps(x) ?? [])
            this.insert('entity_ops', { entity_id: idNum(x.id), op_id: op, properties: props, added_at: at });
        }
        // The store's writers add new entities to the full-text index themselves (schema migration 2); both
        // readers hand entities out in id order, so this batch's are the ones from its first id on.
        if (ents.length > 0)
          this.db.prepare(INDEX_NEW_ENTITIES_SQL).run(Math.min(...ents.map((x) => idNum(x.id))));
        return;
      }
      case 'links':
        for (const x of d as Dump['links']) {
          this.insert('links', this.linkRow(x));
          for (const rep of x.reports)
            this.insert('link_reports', { link_id: idNum(x.id), report_id: idNum(rep) });
          for (const imp of x.imports) this.insert('link_imports', { link_id: idNum(x.id), import_id: imp });
          for (const [op, , at] of snapshotOps(x) ?? [])
            this.insert('link_ops', { link_id: idNum(x.id), op_id: op, added_at: at });
        }
        return;
      case 'merges':
        for (const x of d as Dump['merges']) {
          const s = x.snapshot;
          const snapshot: SqliteSnapshot = {
            keep: {
              row: this.entityRow(s.keep),
              reports: s.keep.reports.map(idNum),
              imports: s.keep.imports,
              ops: snapshotOps(s.keep),
            },
            drop: {
              row: this.entityRow(s.drop),
              reports: s.drop.reports.map(idNum),
              imports: s.drop.imports,
              ops: snapshotOps(s.drop),
              aliases: s.drop.aliases,
            },
            links: s.links.map((k) => ({
              row: this.linkRow(k),
              reports: k.reports.map(idNum),
              imports: k.imports,
              ops: snapshotOps(k),
            })),
            annotations: s.annotations.map(Number),
          };
          this.insert('merges', { ...toSqlite(MERGE_FIELDS, x), snapshot: JSON.stringify(snapshot) });
        }
        return;
      case 'aliases':
        for (const x of d as Dump['aliases']) this.insert('entity_aliases', toSqlite(ALIAS_FIELDS, x));
        return;
      case 'annotations':
        for (const x of d as Dump['annotations']) this.insert('annotations', toSqlite(ANNOTATION_FIELDS, x));
        return;
      case 'charts':
        for (const x of d as Dump['charts']) this.insert('charts', toSqlite(CHART_FIELDS, x));
        return;
      case 'users':
        for (const x of d as Dump['users']) this.insert('users', toSqlite(USER_FIELDS, x));
        return;
      case 'audit':
        for (const x of d as Dump['audit'])
          this.insert('audit', toSqlite(AUDIT_FIELDS, { ...x, operations: x.operations }));
        return;
      case 'importRuns':
        for (const x of d as Dump['importRuns']) this.insert('import_runs', toSqlite(IMPORT_RUN_FIELDS, x));
        return;
      case 'targets':
        for (const x of d as Dump['targets']) this.insert('targets', toSqlite(TARGET_FIELDS, x));
        return;
      case 'targetActions':
        // Explicit ids keep sqlite_sequence ahead of them, so the next action gets a new number.
        for (const x of d as Dump['targetActions'])
          this.insert('target_actions', toSqlite(TARGET_ACTION_FIELDS, x));
        return;
      case 'drafts':
        for (const x of d as Dump['drafts']) this.insert('drafts', toSqlite(DRAFT_FIELDS, x));
        return;
      case 'events':
        for (const x of d as Dump['events']) this.insert('events', toSqlite(EVENT_FIELDS, x));
        return;
      case 'duplicateProposals':
        for (const x of d as Dump['duplicateProposals'])
          this.insert('duplicate_proposals', toSqlite(PROPOSAL_FIELDS, x));
        return;
      case 'duplicateDecisions':
        // Numbered afresh in the order they come (each pair's log in its own order).
        for (const x of d as Dump['duplicateDecisions'])
          this.insert('duplicate_decisions', toSqlite(DECISION_FIELDS, x));
        return;
      case 'deconflictionNotices':
        for (const x of d as Dump['deconflictionNotices'])
          this.insert('deconfliction_notices', toSqlite(NOTICE_FIELDS, x));
        return;
      case 'deconflictionEvents':
        for (const x of d as Dump['deconflictionEvents'])
          this.insert('deconfliction_events', toSqlite(NOTICE_EVENT_FIELDS, x));
        return;
    }
  }

  async finish(dataVersion: number, _highest: Highest): Promise<void> {
    this.finishSync(dataVersion);
  }

  finishSync(dataVersion: number): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE meta SET v = ? WHERE k = 'data_version'").run(dataVersion);
      this.db.prepare('DELETE FROM meta WHERE k = ?').run(MARKER_KEY);
    })();
  }
}

/** Writes a dump held in memory into an empty SQLite store, in one transaction. */
export function loadSqlite(stores: SqliteStores, d: Dump): void {
  const w = new SqliteWriter(stores.db, 'sqlite');
  stores.db.transaction(() => {
    w.startSync(true);
    for (const p of LOAD_ORDER) w.writeSync(p, d[p] as never[], null);
    w.finishSync(d.dataVersion);
  })();
}
