// Migration 11: deconfliction's tables (sqlite/deconfliction.ts reads and writes them), and the operation of
// what analysts make on top of the graph: annotations, charts and drafts carry op_id (backfilled to GENERAL,
// op1), and a draft is kept per user and operation.
import type Database from 'better-sqlite3';
/** The notices and the steps taken on them. */
export const DECONFLICTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS deconfliction_notices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- No foreign key: a notice outlives the entity (deleted, or merged away) as the record that it was shared.
  entity_id INTEGER NOT NULL,
  new_op_id INTEGER NOT NULL,
  held_op_id INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'contacted', 'resolved')),
  disclose INTEGER NOT NULL DEFAULT 0 CHECK (disclose IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- 1 once the desk has written the notice to the audit (routes/deconfliction.ts sweeps the rest).
  audited INTEGER NOT NULL DEFAULT 0,
  CHECK (new_op_id <> held_op_id),
  UNIQUE (entity_id, new_op_id, held_op_id)
);
CREATE INDEX IF NOT EXISTS deconfliction_new_op ON deconfliction_notices (new_op_id, id);
CREATE INDEX IF NOT EXISTS deconfliction_held_op ON deconfliction_notices (held_op_id, id);
CREATE INDEX IF NOT EXISTS deconfliction_unaudited ON deconfliction_notices (id) WHERE audited = 0;
CREATE TABLE IF NOT EXISTS deconfliction_events (
  seq INTEGER PRIMARY KEY,
  notice_id INTEGER NOT NULL REFERENCES deconfliction_notices (id),
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  note TEXT
);
CREATE INDEX IF NOT EXISTS deconfliction_events_notice ON deconfliction_events (notice_id, seq);
`;

function hasColumn(db: Database.Database, table: string, col: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some(
    (c) => c.name === col,
  );
}

/** The workspace's op columns; written to be applied again harmlessly (a file rolled back by hand). */
export function workspaceOperations(db: Database.Database): void {
  for (const t of ['annotations', 'charts'])
    if (!hasColumn(db, t, 'op_id')) db.exec(`ALTER TABLE ${t} ADD COLUMN op_id INTEGER NOT NULL DEFAULT 1`);
  db.exec('CREATE INDEX IF NOT EXISTS annotations_op ON annotations (op_id, id)');
  db.exec('CREATE INDEX IF NOT EXISTS charts_op ON charts (op_id, id)');
  // One draft per user was a UNIQUE column, which SQLite cannot drop: the table is made again.
  if (!hasColumn(db, 'drafts', 'op_id')) {
    db.exec(`
CREATE TABLE drafts_v11 (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  op_id INTEGER NOT NULL DEFAULT 1,
  name TEXT NOT NULL,
  chart_id TEXT,
  state TEXT NOT NULL,
  revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (owner, op_id)
);
INSERT INTO drafts_v11 (id, owner, op_id, name, chart_id, state, revision, created_at, updated_at)
  SELECT id, owner, 1, name, chart_id, state, revision, created_at, updated_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_v11 RENAME TO drafts;
`);
  }
}
