// For the audit battery: test/hard/serve.ts as a child process, like harness.ts's startServer, but with
// extra environment and everything the server says (stdout and stderr) kept, and the audit read straight
// from the SQLite file.
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { HARD_PASSWORD, HARD_USER } from './harness.ts';

export interface AuditServer {
  url: string;
  /** stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export function startAuditServer(dbPath: string, env: Record<string, string> = {}): Promise<AuditServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/hard/serve.ts'], {
    env: {
      ...process.env,
      LINKCHART_DB: dbPath,
      HARD_USER,
      HARD_PASSWORD,
      LINKCHART_SCRYPT_LOG2N: '10',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    const onData = () => {
      const m = /LISTENING (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        output: () => out,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${out}`));
    });
  });
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
