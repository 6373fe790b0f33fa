// Migration 11's tables for deconfliction (schema.ts runs it; sqlite/deconfliction.ts reads and writes them).
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
