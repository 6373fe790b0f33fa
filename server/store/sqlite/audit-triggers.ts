// The triggers that make the SQLite audit table append-only: UPDATE and DELETE are refused. The first
// migration creates them; whoever can write the file can drop them (or replace one with a trigger of the
// same name that does nothing), so every open re-creates any that are missing or altered and says which
// (SqliteStores.init logs it and writes it to the audit). The hash chain still gives away an edit made
// while they were gone (server/security/audit-chain.ts).
import type Database from 'better-sqlite3';

const TRIGGER_SQL: Readonly<Record<string, string>> = {
  audit_no_delete: `CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only: delete refused'); END`,
  audit_no_update: `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only: update refused'); END`,
};

export const AUDIT_TRIGGERS: readonly string[] = Object.keys(TRIGGER_SQL).sort();

/** SQLite keeps a trigger's CREATE statement as written (less IF NOT EXISTS): compare it spaced alike. */
const normal = (sql: string): string => sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim().toLowerCase();

export interface TriggerCheck {
  /** Protective triggers the file lacked. */
  missing: string[];
  /** Triggers of those names that did something else. */
  altered: string[];
}

/** Which protective triggers are missing or altered, by name, sorted. */
export function checkAuditTriggers(db: Database.Database): TriggerCheck {
  const have = new Map(
    (
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{
        name: string;
        sql: string | null;
      }>
    ).map((r) => [r.name, r.sql ?? ''] as const),
  );
  const missing: string[] = [];
  const altered: string[] = [];
  for (const name of AUDIT_TRIGGERS) {
    const sql = have.get(name);
    if (sql === undefined) missing.push(name);
    else if (normal(sql) !== normal(TRIGGER_SQL[name])) altered.push(name);
  }
  return { missing, altered };
}

/**
 * Re-creates the protective triggers that are missing and replaces altered ones, in one transaction
 * (CREATE TRIGGER IF NOT EXISTS); returns what it found.
 */
export function ensureAuditTriggers(db: Database.Database): TriggerCheck {
  const found = checkAuditTriggers(db);
  if (found.missing.length + found.altered.length > 0)
    db.transaction(() => {
      for (const name of found.altered) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
      for (const name of [...found.missing, ...found.altered])
        db.exec(TRIGGER_SQL[name].replace('CREATE TRIGGER', 'CREATE TRIGGER IF NOT EXISTS'));
    })();
  return found;
}
