// For the audit battery: harness.ts's server with what it logs at warn level kept (Server.output), and the
// audit read straight from the SQLite file.
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { startServer, type Server } from './harness.ts';

/** harness.ts's startServer at LOG_LEVEL warn, with `env` added. */
export function startAuditServer(dbPath: string, env: Record<string, string> = {}): Promise<Server> {
  return startServer(dbPath, { env: { LOG_LEVEL: 'warn', ...env } });
}

/** npm run audit:verify against `dbPath`. */
export function auditVerify(
  dbPath: string,
  env: Record<string, string | undefined> = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts'], {
    env: { ...process.env, LINKCHART_DB: dbPath, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Rows and bytes of the audit table, read from the file by another connection. */
export function auditSize(dbPath: string): { rows: number; bytes: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT COUNT(*) AS rows, COALESCE(SUM(length(actor) + length(action) + length(coalesce(route, '')) +
           length(object_ids) + length(coalesce(details, '')) + length(coalesce(justification, '')) +
           length(coalesce(recipient, '')) + length(hash) + length(prev_hash) + 40), 0) AS bytes FROM audit`,
      )
      .get() as { rows: number; bytes: number };
  } finally {
    db.close();
  }
}
