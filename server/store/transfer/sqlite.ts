// Dump and load of the SQLite store for `npm run transfer`, on its tables directly (server/store/sqlite/schema.ts),
// so ids, timestamps, merge snapshots and the audit chain are copied exactly. A load is one transaction.
// Which column holds which field is in fields.ts. When an entity or link joined each of its operations is kept
// here only as the order it joined them (what scoped reads use; Neo4j keeps no more): a load writes times
// that keep that order.
import type { IntelAssessment, SourceEvaluation } from '../../domain/model.ts';
import type { SqliteStores } from '../sqlite/stores.ts';
import { gradeBit } from '../sqlite/rows.ts';
import { dateMs, parseProps, searchText } from '../shared/values.ts';
import { INDEX_NEW_ENTITIES_SQL } from '../sqlite/schema.ts';
import type { Dump, DumpEntity, DumpLink, DumpSnapshot, EntityMemberships, Memberships } from './dump.ts';
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

function joins(db: Db, table: string, col: string, value: string): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const row of db.prepare(`SELECT ${col} AS k, ${value} AS v FROM ${table}`).all() as {
    k: number;
    v: string | number;
  }[]) {
    let list = m.get(row.k);
    if (!list) m.set(row.k, (list = []));
    list.push(String(row.v));
  }
  return m;
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

const entityFrom = (
  row: Row,
  reports: string[],
  imports: string[],
  m: EntityMemberships = NO_OPS,
): DumpEntity => ({
  ...fromSqlite(ENTITY_FIELDS, row),
  reports,
  imports,
  ops: m.ops,
  opProps: m.opProps,
});
const linkFrom = (row: Row, reports: string[], imports: string[], m: Memberships = NO_OPS): DumpLink => ({
  ...fromSqlite(LINK_FIELDS, row),
  reports,
  imports,
  ops: m.ops,
});

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

/** Every fact's memberships, by fact number. */
function memberships(db: Db, table: 'entity_ops' | 'link_ops', col: string): Map<number, EntityMemberships> {
  const props = table === 'entity_ops' ? 'properties' : 'NULL';
  const rows = db
    .prepare(`SELECT ${col}, op_id, ${props}, added_at FROM ${table} ORDER BY ${col}`)
    .raw()
    .all() as Array<[number, number, string | null, string]>;
  const byFact = new Map<number, Array<[number, string | null, string]>>();
  for (const [fact, op, p, at] of rows) {
    let list = byFact.get(fact);
    if (!list) byFact.set(fact, (list = []));
    list.push([op, p, at]);
  }
  return new Map([...byFact].map(([fact, list]) => [fact, membershipsOf(list)]));
}

/** Each decision's place in its pair's log, from 0, in the order given. */
function withSteps<T extends { proposalId: string }>(xs: T[]): (T & { step: number })[] {
  const next = new Map<string, number>();
  return xs.map((x) => {
    const step = next.get(x.proposalId) ?? 0;
    next.set(x.proposalId, step + 1);
    return { ...x, step };
  });
}

export function dumpSqlite(stores: SqliteStores): Dump {
  const db = stores.db;
  return db.transaction((): Dump => {
    const er = joins(db, 'entity_reports', 'entity_id', 'report_id');
    const ei = joins(db, 'entity_imports', 'entity_id', 'import_id');
    const lr = joins(db, 'link_reports', 'link_id', 'report_id');
    const li = joins(db, 'link_imports', 'link_id', 'import_id');
    const eo = memberships(db, 'entity_ops', 'entity_id');
    const lo = memberships(db, 'link_ops', 'link_id');
    const rows = (table: string, order: string) =>
      db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Row[];
    return {
      dataVersion: (db.prepare("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number) ?? 0,
      reports: rows('reports', 'id').map((x) => fromSqlite(REPORT_FIELDS, x)),
      entities: rows('entities', 'id').map((x) =>
        entityFrom(
          x,
          (er.get(x.id as number) ?? []).map(r),
          ei.get(x.id as number) ?? [],
          eo.get(x.id as number),
        ),
      ),
      aliases: rows('entity_aliases', 'type, key').map((x) => fromSqlite(ALIAS_FIELDS, x)),
      links: rows('links', 'id').map((x) =>
        linkFrom(
          x,
          (lr.get(x.id as number) ?? []).map(r),
          li.get(x.id as number) ?? [],
          lo.get(x.id as number),
        ),
      ),
      merges: rows('merges', 'id').map((x) => ({
        ...fromSqlite(MERGE_FIELDS, x),
        snapshot: snapshotFrom(x.snapshot as string),
      })),
      annotations: rows('annotations', 'id').map((x) => fromSqlite(ANNOTATION_FIELDS, x)),
      charts: rows('charts', 'id').map((x) => fromSqlite(CHART_FIELDS, x)),
      users: rows('users', 'id').map((x) => fromSqlite(USER_FIELDS, x)),
      audit: rows('audit', 'seq').map((x) => fromSqlite(AUDIT_FIELDS, x)),
      importRuns: rows('import_runs', 'seq').map((x) => fromSqlite(IMPORT_RUN_FIELDS, x)),
      targets: rows('targets', 'id').map((x) => fromSqlite(TARGET_FIELDS, x)),
      targetActions: rows('target_actions', 'id').map((x) => fromSqlite(TARGET_ACTION_FIELDS, x)),
      drafts: rows('drafts', 'id').map((x) => fromSqlite(DRAFT_FIELDS, x)),
      events: rows('events', 'id').map((x) => fromSqlite(EVENT_FIELDS, x)),
      duplicateProposals: rows('duplicate_proposals', 'id').map((x) => fromSqlite(PROPOSAL_FIELDS, x)),
      duplicateDecisions: withSteps(
        rows('duplicate_decisions', 'seq').map((x) => fromSqlite(DECISION_FIELDS, x)),
      ),
      operations: rows('operations', 'id').map((x) => fromSqlite(OPERATION_FIELDS, x)),
      operationMembers: rows('operation_members', 'op_id, user').map((x) =>
        fromSqlite(OPERATION_MEMBER_FIELDS, x),
      ),
      deconflictionNotices: rows('deconfliction_notices', 'id').map((x) => fromSqlite(NOTICE_FIELDS, x)),
      deconflictionEvents: withSteps(
        rows('deconfliction_events', 'seq')
          .map((x) => fromSqlite(NOTICE_EVENT_FIELDS, x))
          .map((x) => ({ ...x, proposalId: x.noticeId })),
      ).map(({ proposalId: _p, ...x }) => x),
    };
  })();
}

/** The rows a load writes for entities and links, with the columns the store derives (search text, grades). */
function rowMakers(d: Dump) {
  const bits = new Map<string, number>();
  for (const x of d.reports)
    bits.set(x.id, gradeBit(x.source as SourceEvaluation, x.intel as IntelAssessment));
  const mask = (reports: string[]) => reports.reduce((m, id) => m | (bits.get(id) ?? 0), 0);
  return {
    reportRow: (x: Dump['reports'][number]): Row => ({
      ...toSqlite(REPORT_FIELDS, x),
      grade_bit: bits.get(x.id)!,
    }),
    entityRow: (x: DumpEntity): Row => ({
      ...toSqlite(ENTITY_FIELDS, x),
      search_text: searchText(parseProps(x.props), x.label),
    }),
    linkRow: (x: DumpLink): Row => ({
      ...toSqlite(LINK_FIELDS, x),
      first_ms: x.firstSeen ? dateMs(x.firstSeen) : null,
      last_ms: x.lastSeen ? dateMs(x.lastSeen, true) : null,
      grades: mask(x.reports),
    }),
  };
}

/** Writes a dump into an empty SQLite store, in one transaction. */
export function loadSqlite(stores: SqliteStores, d: Dump): void {
  const db = stores.db;
  const { reportRow, entityRow, linkRow } = rowMakers(d);
  const insert = (table: string, row: Row) => {
    const cols = Object.keys(row);
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => row[c]),
    );
  };
  db.transaction(() => {
    // A new file holds the GENERAL operation its schema makes: the source's own replaces it.
    db.prepare('DELETE FROM operations').run();
    for (const x of d.operations) insert('operations', toSqlite(OPERATION_FIELDS, x));
    for (const x of d.operationMembers) insert('operation_members', toSqlite(OPERATION_MEMBER_FIELDS, x));
    for (const x of d.reports) insert('reports', reportRow(x));
    for (const x of d.entities) {
      insert('entities', entityRow(x));
      for (const rep of x.reports)
        insert('entity_reports', { entity_id: idNum(x.id), report_id: idNum(rep) });
      for (const imp of x.imports) insert('entity_imports', { entity_id: idNum(x.id), import_id: imp });
      for (const [op, props, at] of snapshotOps(x) ?? [])
        insert('entity_ops', { entity_id: idNum(x.id), op_id: op, properties: props, added_at: at });
    }
    // The store's writers add new entities to the full-text index themselves (schema migration 2).
    db.prepare(INDEX_NEW_ENTITIES_SQL).run(0);
    for (const x of d.links) {
      insert('links', linkRow(x));
      for (const rep of x.reports) insert('link_reports', { link_id: idNum(x.id), report_id: idNum(rep) });
      for (const imp of x.imports) insert('link_imports', { link_id: idNum(x.id), import_id: imp });
      for (const [op, , at] of snapshotOps(x) ?? [])
        insert('link_ops', { link_id: idNum(x.id), op_id: op, added_at: at });
    }
    for (const x of d.merges) {
      const s = x.snapshot;
      const snapshot: SqliteSnapshot = {
        keep: {
          row: entityRow(s.keep),
          reports: s.keep.reports.map(idNum),
          imports: s.keep.imports,
          ops: snapshotOps(s.keep),
        },
        drop: {
          row: entityRow(s.drop),
          reports: s.drop.reports.map(idNum),
          imports: s.drop.imports,
          ops: snapshotOps(s.drop),
          aliases: s.drop.aliases,
        },
        links: s.links.map((k) => ({
          row: linkRow(k),
          reports: k.reports.map(idNum),
          imports: k.imports,
          ops: snapshotOps(k),
        })),
        annotations: s.annotations.map(Number),
      };
      insert('merges', { ...toSqlite(MERGE_FIELDS, x), snapshot: JSON.stringify(snapshot) });
    }
    for (const x of d.aliases) insert('entity_aliases', toSqlite(ALIAS_FIELDS, x));
    for (const x of d.annotations) insert('annotations', toSqlite(ANNOTATION_FIELDS, x));
    for (const x of d.charts) insert('charts', toSqlite(CHART_FIELDS, x));
    for (const x of d.users) insert('users', toSqlite(USER_FIELDS, x));
    for (const x of d.audit) insert('audit', toSqlite(AUDIT_FIELDS, { ...x, operations: x.operations }));
    for (const x of d.importRuns) insert('import_runs', toSqlite(IMPORT_RUN_FIELDS, x));
    for (const x of d.targets) insert('targets', toSqlite(TARGET_FIELDS, x));
    // Explicit ids keep sqlite_sequence ahead of them, so the next action gets a new number.
    for (const x of d.targetActions) insert('target_actions', toSqlite(TARGET_ACTION_FIELDS, x));
    for (const x of d.drafts) insert('drafts', toSqlite(DRAFT_FIELDS, x));
    for (const x of d.events) insert('events', toSqlite(EVENT_FIELDS, x));
    for (const x of d.duplicateProposals) insert('duplicate_proposals', toSqlite(PROPOSAL_FIELDS, x));
    // Numbered afresh in the order they were taken: by time, each pair's log in its own order.
    const decisions = [...d.duplicateDecisions].sort(
      (a, b) =>
        (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || (a.proposalId < b.proposalId ? -1 : 1) || a.step - b.step,
    );
    for (const x of decisions) insert('duplicate_decisions', toSqlite(DECISION_FIELDS, x));
    for (const x of d.deconflictionNotices) insert('deconfliction_notices', toSqlite(NOTICE_FIELDS, x));
    // Numbered afresh like the decisions: by time, each notice's log in its own order.
    const steps = [...d.deconflictionEvents].sort(
      (a, b) =>
        (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || idNum(a.noticeId) - idNum(b.noticeId) || a.step - b.step,
    );
    for (const x of steps) insert('deconfliction_events', toSqlite(NOTICE_EVENT_FIELDS, x));
    db.prepare("UPDATE meta SET v = ? WHERE k = 'data_version'").run(d.dataVersion);
  })();
}
