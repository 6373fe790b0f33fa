// The tables of the duplicate review queue (sqlite/duplicates.ts), apart so the migrations can name them
// without importing the store.

/** Applied by migration 7 (schema.ts). */
export const DUPLICATES_SCHEMA = `
CREATE TABLE IF NOT EXISTS duplicate_proposals (
  id TEXT PRIMARY KEY,
  a_n INTEGER NOT NULL,
  b_n INTEGER NOT NULL,
  type TEXT NOT NULL,
  weight REAL NOT NULL,
  probability REAL NOT NULL,
  evidence TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('new', 'deferred', 'accepted', 'rejected')),
  decided_by TEXT,
  decided_at TEXT,
  merge_id TEXT,
  kept_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (a_n < b_n)
);
CREATE INDEX IF NOT EXISTS duplicate_proposals_queue ON duplicate_proposals (state, weight DESC, id);
CREATE INDEX IF NOT EXISTS duplicate_proposals_a ON duplicate_proposals (a_n);
CREATE INDEX IF NOT EXISTS duplicate_proposals_b ON duplicate_proposals (b_n);
CREATE TABLE IF NOT EXISTS duplicate_decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  proposal_id TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  merge_id TEXT
);
CREATE INDEX IF NOT EXISTS duplicate_decisions_proposal ON duplicate_decisions (proposal_id, seq);
CREATE TRIGGER IF NOT EXISTS duplicate_decisions_no_update BEFORE UPDATE ON duplicate_decisions
  BEGIN SELECT RAISE(ABORT, 'duplicate decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS duplicate_decisions_no_delete BEFORE DELETE ON duplicate_decisions
  BEGIN SELECT RAISE(ABORT, 'duplicate decisions are append-only'); END;
`;
