// Issue 16: the audit chain could be rewritten by anyone who can write the database file: drop the
// protective triggers, delete a record, recompute every hash with the project's own function, and
// `npm run audit:verify` said the chain was intact. Now the chain is keyed (HMAC-SHA-256, the key outside
// the database: here the key file the server creates beside it), so the same rewrite without the key fails
// verification, naming the first bad record; and without the key the tool says it cannot verify.
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { chainAudit, GENESIS_HASH } from '../../server/security/audit-chain.ts';
import type { AuditInput } from '../../server/domain/model.ts';
import { login, tempDb } from './harness.ts';
import { auditVerify, startAuditServer } from './audit-server.ts';

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  route: string | null;
  object_ids: string;
  outcome: AuditInput['outcome'];
  justification: string | null;
  recipient: string | null;
  details: string | null;
}

/** What an attacker with the file (and the source code, but not the key) does. */
function rechainWithoutKey(dbPath: string, deleteSeq: number): void {
  const db = new Database(dbPath);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Row[];
    db.transaction(() => {
      db.prepare('DELETE FROM audit').run();
      const insert = db.prepare(
        `INSERT INTO audit (seq, at, actor, action, route, object_ids, outcome, justification, recipient, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let prev = GENESIS_HASH;
      let seq = 0;
      for (const r of rows) {
        if (r.seq === deleteSeq) continue;
        const input: AuditInput = {
          actor: r.actor,
          action: r.action,
          ...(r.route !== null ? { route: r.route } : {}),
          objectIds: JSON.parse(r.object_ids) as string[],
          outcome: r.outcome,
          ...(r.justification !== null ? { justification: r.justification } : {}),
          ...(r.recipient !== null ? { recipient: r.recipient } : {}),
          ...(r.details !== null ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
        };
        const { event, detailsJson } = chainAudit(input, ++seq, r.at, prev);
        insert.run(
          event.seq,
          event.at,
          event.actor,
          event.action,
          event.route,
          JSON.stringify(event.objectIds),
          event.outcome,
          event.justification,
          event.recipient,
          detailsJson,
          event.prevHash,
          event.hash,
        );
        prev = event.hash;
      }
    })();
  } finally {
    db.close();
  }
}

describe('audit re-chained without the key', () => {
  it('fails npm run audit:verify, naming the first bad record; without the key it cannot verify', async () => {
    const { dir, dbPath } = tempDb();
    const env = { LINKCHART_AUDIT_KEY: undefined, LINKCHART_AUDIT_KEY_FILE: undefined };
    try {
      const server = await startAuditServer(dbPath);
      const s = await login(server.url);
      for (let i = 0; i < 8; i++) {
        const r = await fetch(`${server.url}/api/entities?limit=1&n=${i}`, { headers: s.headers });
        expect(r.status).toBe(200);
      }
      await server.stop();
      const honest = auditVerify(dbPath, env);
      expect(honest.status, honest.stderr).toBe(0);
      expect(honest.stdout).toMatch(/audit chain intact: \d+ records/);
      const copy = `${dbPath}.copy.db`;
      copyFileSync(dbPath, copy);
      if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${copy}-wal`);

      rechainWithoutKey(dbPath, 3);
      const forged = auditVerify(dbPath, env);
      console.log(`after re-chaining: exit ${forged.status}: ${forged.stdout}${forged.stderr}`.trim());
      expect(forged.status).toBe(1);
      expect(forged.stderr).toMatch(/BROKEN at record 1\b/);

      // The key lives beside the database, readable by its owner only.
      const keyFile = `${dbPath}.audit-key`;
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      // With it, the untouched copy verifies; without it, the tool does not pretend.
      const copyEnv = { ...env, LINKCHART_AUDIT_KEY_FILE: keyFile };
      expect(auditVerify(copy, copyEnv).status).toBe(0);
      const noKey = auditVerify(copy, env);
      expect(noKey.stderr).toMatch(/cannot verify a keyed chain/i);
      expect(noKey.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
