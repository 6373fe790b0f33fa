// Dump and load of the SQLite store for `npm run transfer`, on its tables directly (server/store/sqlite/schema.ts),
// so ids, timestamps, merge snapshots and the audit chain are copied exactly. A load is one transaction.
import type {
  AuditEvent,
  EntityType,
  LinkType,
  SourceEvaluation,
  IntelAssessment,
} from '../../domain/model.ts';
import type { SqliteGraphStore } from '../sqlite/sqlite-store.ts';
import { dateMs, gradeBit, parseProps, searchText } from '../sqlite/rows.ts';
import { INDEX_NEW_ENTITIES_SQL } from '../sqlite/schema.ts';
import type { Dump, DumpEntity, DumpLink, DumpSnapshot } from './dump.ts';
import { idNum } from './dump.ts';

type Row = Record<string, string | number | null>;

const e = (n: number | string | null) => `e${n}`;
const l = (n: number | string | null) => `l${n}`;
const r = (n: number | string | null) => `r${n}`;

function joins(db: SqliteGraphStore['db'], table: string, col: string, value: string): Map<number, string[]> {
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

function entityFromRow(row: Row, reports: string[], imports: string[]): DumpEntity {
  return {
    id: e(row.id),
    type: row.type as EntityType,
    key: row.key as string,
    label: row.label as string,
    props: row.properties as string,
    reviewDate: (row.review_date as string | null) ?? null,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    reports,
    imports,
  };
}

function linkFromRow(row: Row, reports: string[], imports: string[]): DumpLink {
  return {
    id: l(row.id),
    type: row.type as LinkType,
    from: e(row.from_id),
    to: e(row.to_id),
    directed: row.directed === 1,
    weight: row.weight as number,
    firstSeen: (row.first_seen as string | null) ?? null,
    lastSeen: (row.last_seen as string | null) ?? null,
    props: row.properties as string,
    reports,
    imports,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}

export function dumpSqlite(store: SqliteGraphStore): Dump {
  const db = store.db;
  return db.transaction((): Dump => {
    const er = joins(db, 'entity_reports', 'entity_id', 'report_id');
    const ei = joins(db, 'entity_imports', 'entity_id', 'import_id');
    const lr = joins(db, 'link_reports', 'link_id', 'report_id');
    const li = joins(db, 'link_imports', 'link_id', 'import_id');
    const all = (sql: string) => db.prepare(sql).all() as Row[];
    return {
      dataVersion: (db.prepare("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number) ?? 0,
      reports: all('SELECT * FROM reports ORDER BY id').map((x) => ({
        id: r(x.id),
        ref: x.ref as string,
        date: x.date as string,
        author: x.author as string,
        text: x.text as string,
        source: x.source as number,
        intel: x.intel as string,
        handling: x.handling as string,
        conditions: (x.conditions as string | null) ?? null,
        reviewDate: (x.review_date as string | null) ?? null,
        createdAt: x.created_at as string,
      })),
      entities: all('SELECT * FROM entities ORDER BY id').map((x) =>
        entityFromRow(x, (er.get(x.id as number) ?? []).map(r), ei.get(x.id as number) ?? []),
      ),
      aliases: all('SELECT * FROM entity_aliases ORDER BY type, key').map((x) => ({
        type: x.type as string,
        key: x.key as string,
        entityId: e(x.entity_id),
        mergeId: x.merge_id === null ? null : String(x.merge_id),
      })),
      links: all('SELECT * FROM links ORDER BY id').map((x) =>
        linkFromRow(x, (lr.get(x.id as number) ?? []).map(r), li.get(x.id as number) ?? []),
      ),
      merges: all('SELECT * FROM merges ORDER BY id').map((x) => {
        const s = JSON.parse(x.snapshot as string) as {
          keep: { row: Row; reports: number[]; imports: string[] };
          drop: { row: Row; reports: number[]; imports: string[]; aliases: { type: string; key: string }[] };
          links: { row: Row; reports: number[]; imports: string[] }[];
          annotations: number[];
        };
        const snapshot: DumpSnapshot = {
          keep: entityFromRow(s.keep.row, s.keep.reports.map(r), s.keep.imports),
          drop: {
            ...entityFromRow(s.drop.row, s.drop.reports.map(r), s.drop.imports),
            aliases: s.drop.aliases,
          },
          links: s.links.map((k) => linkFromRow(k.row, k.reports.map(r), k.imports)),
          annotations: s.annotations.map(String),
        };
        return {
          id: String(x.id),
          keptId: e(x.kept_id),
          mergedId: e(x.merged_id),
          actor: x.actor as string,
          at: x.at as string,
          undone: x.undone === 1,
          snapshot,
        };
      }),
      annotations: all('SELECT * FROM annotations ORDER BY id').map((x) => ({
        id: String(x.id),
        targetKind: x.target_kind as string,
        targetId: x.target_id as string,
        text: x.text as string,
        tags: x.tags as string,
        targetFlag: x.target_flag === 1,
        author: x.author as string,
        createdAt: x.created_at as string,
        updatedAt: x.updated_at as string,
      })),
      charts: all('SELECT * FROM charts ORDER BY id').map((x) => ({
        id: String(x.id),
        name: x.name as string,
        owner: x.owner as string,
        state: x.state as string,
        createdAt: x.created_at as string,
        updatedAt: x.updated_at as string,
      })),
      users: all('SELECT * FROM users ORDER BY id').map((x) => ({
        id: String(x.id),
        name: x.name as string,
        role: x.role as string,
        passwordHash: x.password_hash as string,
        disabled: x.disabled === 1,
        createdAt: x.created_at as string,
      })),
      audit: all('SELECT * FROM audit ORDER BY seq').map((x): AuditEvent => ({
        seq: x.seq as number,
        at: x.at as string,
        actor: x.actor as string,
        action: x.action as string,
        route: (x.route as string | null) ?? null,
        objectIds: JSON.parse(x.object_ids as string) as string[],
        outcome: x.outcome as AuditEvent['outcome'],
        justification: (x.justification as string | null) ?? null,
        recipient: (x.recipient as string | null) ?? null,
        details: x.details ? (JSON.parse(x.details as string) as Record<string, unknown>) : null,
        prevHash: x.prev_hash as string,
        hash: x.hash as string,
      })),
      importRuns: all('SELECT * FROM import_runs ORDER BY seq').map((x) => ({
        seq: x.seq as number,
        importId: x.import_id as string,
        at: x.at as string,
        actor: x.actor as string,
        report: JSON.parse(x.report as string) as Record<string, unknown>,
      })),
    };
  })();
}

/** Writes a dump into an empty SQLite store, in one transaction. */
export function loadSqlite(store: SqliteGraphStore, d: Dump): void {
  const db = store.db;
  const bits = new Map<string, number>();
  for (const x of d.reports)
    bits.set(x.id, gradeBit(x.source as SourceEvaluation, x.intel as IntelAssessment));
  const mask = (reports: string[]) => reports.reduce((m, id) => m | (bits.get(id) ?? 0), 0);
  const entityRow = (x: DumpEntity): Row => ({
    id: idNum(x.id),
    type: x.type,
    key: x.key,
    label: x.label,
    properties: x.props,
    search_text: searchText(parseProps(x.props)),
    review_date: x.reviewDate,
    created_at: x.createdAt,
    updated_at: x.updatedAt,
  });
  const linkRow = (x: DumpLink): Row => ({
    id: idNum(x.id),
    type: x.type,
    from_id: idNum(x.from),
    to_id: idNum(x.to),
    directed: x.directed ? 1 : 0,
    weight: x.weight,
    first_seen: x.firstSeen,
    last_seen: x.lastSeen,
    first_ms: x.firstSeen ? dateMs(x.firstSeen) : null,
    last_ms: x.lastSeen ? dateMs(x.lastSeen, true) : null,
    properties: x.props,
    grades: mask(x.reports),
    created_at: x.createdAt,
    updated_at: x.updatedAt,
  });
  const insert = (table: string, row: Row) => {
    const cols = Object.keys(row);
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => row[c]),
    );
  };
  db.transaction(() => {
    for (const x of d.reports) {
      insert('reports', {
        id: idNum(x.id),
        ref: x.ref,
        date: x.date,
        author: x.author,
        text: x.text,
        source: x.source,
        intel: x.intel,
        handling: x.handling,
        conditions: x.conditions,
        review_date: x.reviewDate,
        grade_bit: bits.get(x.id)!,
        created_at: x.createdAt,
      });
    }
    for (const x of d.entities) {
      insert('entities', entityRow(x));
      for (const rep of x.reports)
        insert('entity_reports', { entity_id: idNum(x.id), report_id: idNum(rep) });
      for (const imp of x.imports) insert('entity_imports', { entity_id: idNum(x.id), import_id: imp });
    }
    // The store's writers add new entities to the full-text index themselves (schema migration 2).
    db.prepare(INDEX_NEW_ENTITIES_SQL).run(0);
    for (const x of d.links) {
      insert('links', linkRow(x));
      for (const rep of x.reports) insert('link_reports', { link_id: idNum(x.id), report_id: idNum(rep) });
      for (const imp of x.imports) insert('link_imports', { link_id: idNum(x.id), import_id: imp });
    }
    for (const x of d.merges) {
      const s = x.snapshot;
      const snapshot = {
        keep: { row: entityRow(s.keep), reports: s.keep.reports.map(idNum), imports: s.keep.imports },
        drop: {
          row: entityRow(s.drop),
          reports: s.drop.reports.map(idNum),
          imports: s.drop.imports,
          aliases: s.drop.aliases,
        },
        links: s.links.map((k) => ({ row: linkRow(k), reports: k.reports.map(idNum), imports: k.imports })),
        annotations: s.annotations.map(Number),
      };
      insert('merges', {
        id: Number(x.id),
        kept_id: idNum(x.keptId),
        merged_id: idNum(x.mergedId),
        actor: x.actor,
        at: x.at,
        undone: x.undone ? 1 : 0,
        snapshot: JSON.stringify(snapshot),
      });
    }
    for (const x of d.aliases) {
      insert('entity_aliases', {
        type: x.type,
        key: x.key,
        entity_id: idNum(x.entityId),
        merge_id: x.mergeId === null ? null : Number(x.mergeId),
      });
    }
    for (const x of d.annotations) {
      insert('annotations', {
        id: Number(x.id),
        target_kind: x.targetKind,
        target_id: x.targetId,
        text: x.text,
        tags: x.tags,
        target_flag: x.targetFlag ? 1 : 0,
        author: x.author,
        created_at: x.createdAt,
        updated_at: x.updatedAt,
      });
    }
    for (const x of d.charts) {
      insert('charts', {
        id: Number(x.id),
        name: x.name,
        owner: x.owner,
        state: x.state,
        created_at: x.createdAt,
        updated_at: x.updatedAt,
      });
    }
    for (const x of d.users) {
      insert('users', {
        id: Number(x.id),
        name: x.name,
        role: x.role,
        password_hash: x.passwordHash,
        disabled: x.disabled ? 1 : 0,
        created_at: x.createdAt,
      });
    }
    for (const a of d.audit) {
      insert('audit', {
        seq: a.seq,
        at: a.at,
        actor: a.actor,
        action: a.action,
        route: a.route,
        object_ids: JSON.stringify(a.objectIds),
        outcome: a.outcome,
        justification: a.justification,
        recipient: a.recipient,
        details: a.details ? JSON.stringify(a.details) : null,
        prev_hash: a.prevHash,
        hash: a.hash,
      });
    }
    for (const r of d.importRuns) {
      insert('import_runs', {
        seq: r.seq,
        import_id: r.importId,
        at: r.at,
        actor: r.actor,
        report: JSON.stringify(r.report),
      });
    }
    db.prepare("UPDATE meta SET v = ? WHERE k = 'data_version'").run(d.dataVersion);
  })();
}
