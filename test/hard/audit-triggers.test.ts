// Issue 16: the SQLite triggers that refuse UPDATE and DELETE on the audit were created once, by the first
// migration; dropped, they stayed dropped, and nothing said so. Now every start re-creates them and reports
// their absence: a line in the server's output and a record in the audit itself.
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { login, tempDb } from './harness.ts';
import { auditVerify, startAuditServer } from './audit-server.ts';

const TRIGGERS = ['audit_no_delete', 'audit_no_update'];

function triggers(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' ORDER BY name")
        .pluck()
        .all() as string[]
    ).filter((n) => TRIGGERS.includes(n));
  } finally {
    db.close();
  }
}

describe('audit triggers', () => {
  it('come back at the next start, and their absence is logged and audited', async () => {
    const { dir, dbPath } = tempDb();
    try {
      const first = await startAuditServer(dbPath);
      await login(first.url);
      await first.stop();
      expect(triggers(dbPath)).toEqual(TRIGGERS);

      const db = new Database(dbPath);
      db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
      db.close();
      expect(triggers(dbPath)).toEqual([]);

      const second = await startAuditServer(dbPath);
      const said = second.output();
      await login(second.url);
      await second.stop();
      console.log(`second start said: ${said.trim()}`);
      expect(triggers(dbPath)).toEqual(TRIGGERS);
      expect(said).toMatch(/audit_no_delete.*audit_no_update|audit_no_update.*audit_no_delete/);

      const check = new Database(dbPath);
      try {
        const rec = check
          .prepare("SELECT * FROM audit WHERE action = 'audit.triggers' ORDER BY seq DESC LIMIT 1")
          .get() as { actor: string; details: string } | undefined;
        expect(rec, 'an audit record of the missing triggers').toBeDefined();
        expect(JSON.parse(rec!.details)).toMatchObject({ missing: TRIGGERS });
        expect(() => check.prepare('DELETE FROM audit WHERE seq = 1').run()).toThrow(/append-only/);
        expect(() => check.prepare("UPDATE audit SET actor = 'x' WHERE seq = 1").run()).toThrow(
          /append-only/,
        );
      } finally {
        check.close();
      }
      expect(auditVerify(dbPath).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
