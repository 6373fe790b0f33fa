// Versioned schema for the SQLite store. Migrations run in order, each in its own transaction; a database
// records the highest applied version in `schema_version`, so reopening an up-to-date file changes nothing.
import type Database from 'better-sqlite3';
import { foldName } from '../../domain/names.ts';
import { DECONFLICTION_SCHEMA, workspaceOperations } from './deconfliction-schema.ts';
import { DUPLICATES_SCHEMA } from './duplicates-schema.ts';
import { targetOperations } from './cycle.ts';
import { parseProps, searchText } from '../shared/values.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Work SQL alone cannot do (Unicode folding), run after `sql` in the same transaction. */
  then?: (db: Database.Database) => void;
}

/**
 * Gives every user without a folded name (name_key) one, in id order, unless an earlier account already
 * holds it: then that user keeps no key and is returned as a clash. Clashing accounts are kept as they are
 * (the one with the key is found by any form of the name, the other by its exact name) for an administrator
 * to settle; `nameClashes` in server/security/users.ts lists them and `npm start` reports them.
 */
export function fillNameKeys(db: Pick<Database.Database, 'prepare'>): Array<{ id: number; name: string }> {
  const missing = db.prepare('SELECT id, name FROM users WHERE name_key IS NULL ORDER BY id').all() as Array<{
    id: number;
    name: string;
  }>;
  const clashes: Array<{ id: number; name: string }> = [];
  const taken = db.prepare('SELECT 1 FROM users WHERE name_key = ?');
  const set = db.prepare('UPDATE users SET name_key = ? WHERE id = ?');
  for (const u of missing) {
    const key = foldName(u.name);
    if (taken.get(key)) clashes.push(u);
    else set.run(key, u.id);
  }
  return clashes;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'entities, links, reports, provenance, merges, annotations, charts, users, audit',
    sql: `
CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (k, v) VALUES ('data_version', 0);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ref TEXT NOT NULL UNIQUE,
  date TEXT NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  source INTEGER NOT NULL CHECK (source IN (1, 2, 3)),
  intel TEXT NOT NULL CHECK (intel IN ('A', 'B', 'C', 'D', 'E')),
  handling TEXT NOT NULL CHECK (handling IN ('P', 'C')),
  conditions TEXT,
  review_date TEXT,
  grade_bit INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (handling = 'P' OR (conditions IS NOT NULL AND conditions <> ''))
);
CREATE INDEX reports_review ON reports (review_date) WHERE review_date IS NOT NULL;

CREATE TABLE entities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  properties TEXT NOT NULL DEFAULT '{}',
  search_text TEXT NOT NULL DEFAULT '',
  review_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (type, key)
);

-- Natural keys of entities merged away: later upserts of that key resolve to the entity kept.
CREATE TABLE entity_aliases (
  type TEXT NOT NULL,
  key TEXT NOT NULL,
  entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  merge_id INTEGER,
  PRIMARY KEY (type, key)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);

CREATE TABLE links (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  from_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  directed INTEGER NOT NULL,
  weight REAL NOT NULL,
  first_seen TEXT,
  last_seen TEXT,
  -- Epoch milliseconds of the seen dates (a date alone spans its whole day), for the time-window filter.
  first_ms INTEGER,
  last_ms INTEGER,
  properties TEXT NOT NULL DEFAULT '{}',
  -- One bit per (source, intel) grading among the reports behind the link: bit (source-1)*5 + intelRank.
  grades INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX links_natural ON links (from_id, type, to_id);
CREATE INDEX links_to ON links (to_id);

CREATE TABLE entity_reports (
  entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  PRIMARY KEY (entity_id, report_id)
) WITHOUT ROWID;
CREATE INDEX entity_reports_report ON entity_reports (report_id);

CREATE TABLE link_reports (
  link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  PRIMARY KEY (link_id, report_id)
) WITHOUT ROWID;
CREATE INDEX link_reports_report ON link_reports (report_id);

CREATE TABLE entity_imports (
  entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  import_id TEXT NOT NULL,
  PRIMARY KEY (entity_id, import_id)
) WITHOUT ROWID;
CREATE TABLE link_imports (
  link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
  import_id TEXT NOT NULL,
  PRIMARY KEY (link_id, import_id)
) WITHOUT ROWID;

CREATE TABLE merges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kept_id INTEGER NOT NULL,
  merged_id INTEGER NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0,
  -- JSON snapshot of every row the merge changed, as it was before: unmerge writes it back.
  snapshot TEXT NOT NULL
);

CREATE TABLE annotations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  text TEXT NOT NULL,
  tags TEXT NOT NULL,
  target_flag INTEGER NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX annotations_target ON annotations (target_kind, target_id);

CREATE TABLE charts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  owner TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'supervisor', 'admin')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  route TEXT,
  object_ids TEXT NOT NULL,
  outcome TEXT NOT NULL,
  justification TEXT,
  recipient TEXT,
  details TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only: update refused'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only: delete refused'); END;

-- Full-text search over labels, keys and string properties; the entities table is its content.
CREATE VIRTUAL TABLE entities_fts USING fts5 (
  label, key, search_text,
  content = 'entities', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER entities_fts_ai AFTER INSERT ON entities BEGIN
  INSERT INTO entities_fts (rowid, label, key, search_text) VALUES (new.id, new.label, new.key, new.search_text);
END;
CREATE TRIGGER entities_fts_ad AFTER DELETE ON entities BEGIN
  INSERT INTO entities_fts (entities_fts, rowid, label, key, search_text)
    VALUES ('delete', old.id, old.label, old.key, old.search_text);
END;
CREATE TRIGGER entities_fts_au AFTER UPDATE OF label, key, search_text ON entities BEGIN
  INSERT INTO entities_fts (entities_fts, rowid, label, key, search_text)
    VALUES ('delete', old.id, old.label, old.key, old.search_text);
  INSERT INTO entities_fts (rowid, label, key, search_text) VALUES (new.id, new.label, new.key, new.search_text);
END;
`,
  },
  {
    version: 2,
    description: 'index new entities for search once per transaction instead of row by row',
    // FTS5 indexes a whole INSERT ... SELECT several times faster than one row per trigger call, so the
    // writers add new entities to entities_fts themselves (see indexNewEntities); updates and deletes keep
    // their triggers.
    sql: 'DROP TRIGGER IF EXISTS entities_fts_ai;',
  },
  {
    version: 3,
    description: 'import runs: the report of each import, written in the import transaction',
    sql: `
CREATE TABLE import_runs (
  seq INTEGER PRIMARY KEY,
  import_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  report TEXT NOT NULL
);
CREATE INDEX import_runs_import ON import_runs (import_id, seq);
`,
  },
  {
    version: 4,
    description: 'entities and links by import, for "what did this import bring in"',
    sql: `
CREATE INDEX entity_imports_by_import ON entity_imports (import_id, entity_id);
CREATE INDEX link_imports_by_import ON link_imports (import_id, link_id);
`,
  },
  {
    version: 5,
    description: 'user names unique ignoring case and Unicode form: each user keeps its folded name, unique',
    // A file holding names that fold alike (Analyst1 and analyst1) still opens: the first keeps the key,
    // the others none (NULLs do not clash in a unique index); see fillNameKeys.
    sql: '',
    then: (db) => {
      // Written to be applied again harmlessly (a file rolled back by hand keeps the column).
      const cols = db.prepare('PRAGMA table_info(users)').all() as Array<{ name: string }>;
      if (!cols.some((c) => c.name === 'name_key')) db.exec('ALTER TABLE users ADD COLUMN name_key TEXT');
      fillNameKeys(db);
      db.exec('CREATE UNIQUE INDEX IF NOT EXISTS users_name_key ON users (name_key)');
    },
  },
  {
    version: 6,
    description: "drafts: each user's working chart, kept as it changes",
    // One row per user (owner is unique); the id is a random UUID, so one user cannot guess another's.
    // IF NOT EXISTS: a file rolled back by hand (as the upgrade tests do) applies it again harmlessly.
    sql: `
CREATE TABLE IF NOT EXISTS drafts (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  chart_id TEXT,
  state TEXT NOT NULL,
  revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 7,
    description: 'events: every call and ANPR read behind a CALLED or SIGHTED_AT link',
    // One row per call or read. The link's ends give fromId/toId (so a merge that moves a link carries its
    // events); the unique index is both the (link, at) index and the identity of an event: the same call
    // from the same report is stored once, so importing a file again adds nothing. kind 0 call, 1 sighting;
    // direction 0 none, 1 outgoing, 2 incoming; at is epoch milliseconds (ISO text is made on read).
    // link_id is no foreign key: undoing a merge deletes and re-inserts the links it changed, with their
    // ids, and their calls must survive that; deleting a link, an entity or a report removes its events
    // (graph-edit.ts), and reads join the links, so an event of a link merged away is hidden until undone.
    sql: `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  link_id INTEGER NOT NULL,
  kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
  at_ms INTEGER NOT NULL,
  duration REAL,
  direction INTEGER NOT NULL DEFAULT 0 CHECK (direction IN (0, 1, 2)),
  place TEXT,
  report_id INTEGER REFERENCES reports (id),
  import_id TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS events_link ON events
  (link_id, at_ms, kind, ifnull(duration, -1), ifnull(place, ''), ifnull(report_id, 0));
CREATE INDEX IF NOT EXISTS events_at ON events (at_ms);
CREATE INDEX IF NOT EXISTS events_report ON events (report_id) WHERE report_id IS NOT NULL;
`,
  },
  {
    version: 8,
    description: 'the review queue of likely duplicates and the decisions on them',
    sql: DUPLICATES_SCHEMA,
  },
  {
    version: 9,
    description: "search forgives spelling: each label's sound-alike keys join its search text",
    sql: '',
    // The update trigger re-indexes each row; done in pages so a large file is not held in memory.
    then: (db) => {
      const page = db.prepare(
        'SELECT id, label, properties FROM entities WHERE id > ? ORDER BY id LIMIT 5000',
      );
      const set = db.prepare('UPDATE entities SET search_text = ? WHERE id = ?');
      for (let last = 0; ;) {
        const rows = page.all(last) as Array<{ id: number; label: string; properties: string }>;
        if (rows.length === 0) break;
        for (const r of rows) set.run(searchText(parseProps(r.properties), r.label), r.id);
        last = rows[rows.length - 1].id;
      }
    },
  },
  {
    version: 10,
    description:
      'operations and need-to-know: every fact belongs to operations; GENERAL holds what came before',
    // GENERAL is created first, so it is op1 and the columns' default (1) names it: every report and event
    // that came before is in it, and so is every entity (with its properties) and link. An entity or link
    // may belong to several operations (one row each); its properties are also kept per operation
    // (entity_ops.properties: what that operation wrote), the entities row keeping their union.
    sql: `
CREATE TABLE IF NOT EXISTS operations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ref TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  owner TEXT NOT NULL,
  sensitivity TEXT NOT NULL CHECK (sensitivity IN ('open', 'closed')),
  state TEXT NOT NULL CHECK (state IN ('active', 'closed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT OR IGNORE INTO operations (id, ref, name, owner, sensitivity, state, created_at, updated_at)
  VALUES (1, 'GENERAL', 'General', 'system', 'open', 'active', strftime('%Y-%m-%dT%H:%M:%fZ'), strftime('%Y-%m-%dT%H:%M:%fZ'));
CREATE TABLE IF NOT EXISTS operation_members (
  op_id INTEGER NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  user TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'supervisor', 'analyst', 'viewer')),
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (op_id, user)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS operation_members_user ON operation_members (user, op_id);
CREATE TABLE IF NOT EXISTS entity_ops (
  entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  op_id INTEGER NOT NULL,
  properties TEXT NOT NULL DEFAULT '{}',
  added_at TEXT NOT NULL,
  PRIMARY KEY (entity_id, op_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_ops_op ON entity_ops (op_id, entity_id);
CREATE TABLE IF NOT EXISTS link_ops (
  link_id INTEGER NOT NULL REFERENCES links (id) ON DELETE CASCADE,
  op_id INTEGER NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (link_id, op_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS link_ops_op ON link_ops (op_id, link_id);
INSERT OR IGNORE INTO entity_ops (entity_id, op_id, properties, added_at)
  SELECT id, 1, properties, created_at FROM entities;
INSERT OR IGNORE INTO link_ops (link_id, op_id, added_at) SELECT id, 1, created_at FROM links;
`,
    // Columns cannot be added "if not exists": checked, so a file rolled back by hand applies it again.
    then: (db) => {
      for (const t of ['reports', 'events']) {
        const cols = db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>;
        if (!cols.some((c) => c.name === 'op_id'))
          db.exec(`ALTER TABLE ${t} ADD COLUMN op_id INTEGER NOT NULL DEFAULT 1`);
      }
      db.exec('CREATE INDEX IF NOT EXISTS reports_op ON reports (op_id)');
    },
  },
  {
    version: 11,
    description:
      'deconfliction notices and their steps; annotations, charts and drafts belong to an operation',
    sql: DECONFLICTION_SCHEMA,
    then: workspaceOperations,
  },
  {
    version: 12,
    description:
      'targets belong to the operation they were proposed in (and their actions with them); audit records carry the working operation',
    sql: '',
    then: (db) => {
      targetOperations(db);
      // An audit record carries the request's working operations (a JSON list; null: none, as before).
      const cols = db.prepare('PRAGMA table_info(audit)').all() as Array<{ name: string }>;
      if (!cols.some((c) => c.name === 'op_ids')) db.exec('ALTER TABLE audit ADD COLUMN op_ids TEXT');
    },
  },
  {
    version: 13,
    description:
      'an import run records the operation it wrote into (runs from before operations: GENERAL, op1)',
    sql: '',
    then: (db) => {
      const cols = db.prepare('PRAGMA table_info(import_runs)').all() as Array<{ name: string }>;
      if (!cols.some((c) => c.name === 'op_id'))
        db.exec('ALTER TABLE import_runs ADD COLUMN op_id INTEGER NOT NULL DEFAULT 1');
      // The runs of the operations a reader may read, newest first.
      db.exec('CREATE INDEX IF NOT EXISTS import_runs_op ON import_runs (op_id, seq)');
    },
  },
  {
    version: 14,
    description:
      'sessions, the sign-in throttle and analysis jobs in the file, so several servers on one store share them',
    sql: `
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen);
CREATE INDEX IF NOT EXISTS sessions_created ON sessions (created_at);
CREATE TABLE IF NOT EXISTS login_counters (
  k TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  pending INTEGER NOT NULL,
  pending_until INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_counters_window ON login_counters (window_start);
CREATE TABLE IF NOT EXISTS jobs (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  owner_id TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  comp_key TEXT NOT NULL,
  server TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  state TEXT NOT NULL,
  status TEXT NOT NULL,
  operations TEXT NOT NULL,
  notes TEXT NOT NULL,
  cancel_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs (owner_id, n);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs (comp_key, state);
CREATE INDEX IF NOT EXISTS jobs_live ON jobs (state, lease_until);
CREATE TABLE IF NOT EXISTS job_results (
  comp_key TEXT PRIMARY KEY,
  bytes BLOB NOT NULL
);
`,
  },
  {
    version: 15,
    description:
      "a possible duplicate records the operations its evidence could come from (pairs from before: both records' operations)",
    sql: '',
    then: (db) => {
      const cols = db.prepare('PRAGMA table_info(duplicate_proposals)').all() as Array<{ name: string }>;
      if (!cols.some((c) => c.name === 'ops'))
        db.exec("ALTER TABLE duplicate_proposals ADD COLUMN ops TEXT NOT NULL DEFAULT '[]'");
      // A pair from before could have been built from anything either record held: every operation of both.
      db.exec(`UPDATE duplicate_proposals SET ops = (
        SELECT coalesce(json_group_array(op_id), '[]') FROM (
          SELECT DISTINCT o.op_id FROM entity_ops o
          WHERE o.entity_id = duplicate_proposals.a_n OR o.entity_id = duplicate_proposals.b_n
          ORDER BY o.op_id))`);
    },
  },
  {
    version: 16,
    description:
      'the audit trail filtered by action or by time is read along an index, not record by record (it grows with every request)',
    sql: `
CREATE INDEX IF NOT EXISTS audit_action ON audit (action, seq);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
`,
  },
  {
    version: 17,
    description:
      'the audit trail filtered by the object a record names (who read or changed this record) is read along an index: audit_object, filled from each record as it is appended',
    sql: `
CREATE TABLE IF NOT EXISTS audit_object (
  object_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (object_id, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO audit_object (object_id, seq)
  SELECT j.value, a.seq FROM audit a, json_each(a.object_ids) j WHERE typeof(j.value) = 'text';
CREATE TRIGGER IF NOT EXISTS audit_object_fill AFTER INSERT ON audit
  BEGIN INSERT OR IGNORE INTO audit_object (object_id, seq)
    SELECT value, NEW.seq FROM json_each(NEW.object_ids) WHERE typeof(value) = 'text'; END;
CREATE TRIGGER IF NOT EXISTS audit_object_no_update BEFORE UPDATE ON audit_object
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only: update refused'); END;
CREATE TRIGGER IF NOT EXISTS audit_object_no_delete BEFORE DELETE ON audit_object
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only: delete refused'); END;
`,
  },
];

/** Adds entities inserted with id >= `firstId` (or the listed ids) to the full-text index. */
export const INDEX_NEW_ENTITIES_SQL =
  'INSERT INTO entities_fts (rowid, label, key, search_text) SELECT id, label, key, search_text FROM entities WHERE id >= ?';
export const INDEX_ENTITY_SQL =
  'INSERT INTO entities_fts (rowid, label, key, search_text) SELECT id, label, key, search_text FROM entities WHERE id = ?';

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies the migrations the file has not seen yet; returns the versions applied. */
export function migrate(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)');
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this Linkchart (${SCHEMA_VERSION}); upgrade Linkchart`,
    );
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.then?.(db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(
        m.version,
        new Date().toISOString(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}
