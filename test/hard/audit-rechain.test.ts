// Issue 16: the audit chain could be rewritten by anyone who can write the database file: drop the
// protective triggers, delete a record, recompute every hash with the project's own function, and
// `npm run audit:verify` said the chain was intact. Now the chain is keyed (HMAC-SHA-256, the key outside
// the database: here the key file the server creates beside it), so the same rewrite without the key fails
// verification, naming the first bad record; and without the key the tool says it cannot verify.
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { chainAudit, GENESIS_HASH } from '../../server/security/audit-chain.ts';
import type { AuditEvent, AuditInput } from '../../server/domain/model.ts';
import { toAuditEvent, type AuditRow } from '../../server/store/sqlite/rows.ts';
import { login, tempDb } from './harness.ts';
import { auditVerify, startAuditServer } from './audit-server.ts';

/** What a record was made from: its fields, without the chain's. */
function inputOf(e: AuditEvent): AuditInput {
  return {
    actor: e.actor,
    action: e.action,
    route: e.route ?? undefined,
    objectIds: e.objectIds,
    outcome: e.outcome,
    justification: e.justification ?? undefined,
    recipient: e.recipient ?? undefined,
    details: e.details ?? undefined,
  };
}

/**
 * What an attacker with the file (and the source code, but not the key) does: drops the triggers, deletes
 * record `deleteSeq`, and writes every other record again (same times) re-chained by the project's own
 * chainAudit, unkeyed.
 */
function rechainWithoutKey(dbPath: string, deleteSeq: number): void {
  const db = new Database(dbPath);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    const kept = (db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[])
      .map(toAuditEvent)
      .filter((e) => e.seq !== deleteSeq);
    const insert = db.prepare(
      `INSERT INTO audit (seq, at, actor, action, route, object_ids, outcome, justification, recipient, details, prev_hash, hash)
       VALUES (@seq, @at, @actor, @action, @route, @objectIds, @outcome, @justification, @recipient, @details, @prevHash, @hash)`,
    );
    db.transaction(() => {
      db.prepare('DELETE FROM audit').run();
      let prev = GENESIS_HASH;
      kept.forEach((e, i) => {
        const { event, detailsJson } = chainAudit(inputOf(e), i + 1, e.at, prev);
        insert.run({ ...event, objectIds: JSON.stringify(event.objectIds), details: detailsJson });
        prev = event.hash;
      });
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
