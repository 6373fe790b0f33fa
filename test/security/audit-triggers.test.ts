// The SQLite audit's protective triggers (no UPDATE, no DELETE) are re-created whenever the store opens, if
// they were dropped or replaced by a trigger of the same name that does nothing, and that is said (the
// store's log) and recorded (an audit.triggers record).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditKey } from '../../server/security/audit-chain.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { AUDIT_TRIGGERS, checkAuditTriggers } from '../../server/store/sqlite/audit-triggers.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-audit-triggers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = new AuditKey('t'.repeat(40), 'test');

function tamper(path: string, sql: string): void {
  const db = new Database(path);
  db.exec(sql);
  db.close();
}

describe('audit triggers', () => {
  it('are re-created at open when dropped or altered, logged and audited', async () => {
    const path = join(dir, 'a.db');
    const first = await openSqliteStores(path, { auditKey: key });
    expect(checkAuditTriggers(first.db)).toEqual({ missing: [], altered: [] });
    await first.security.appendAudit({ actor: 'ana', action: 'read', outcome: 'ok' });
    await first.close();

    tamper(path, 'DROP TRIGGER audit_no_delete');
    tamper(
      path,
      'DROP TRIGGER audit_no_update; CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT 1; END',
    );
    const said: string[] = [];
    const s = await openSqliteStores(path, { auditKey: key, log: (m) => said.push(m) });
    try {
      expect(checkAuditTriggers(s.db)).toEqual({ missing: [], altered: [] });
      expect(said.join('\n')).toMatch(/missing: audit_no_delete; altered: audit_no_update.*re-created/);
      const last = (await s.security.listAudit()).items.at(-1)!;
      expect(last).toMatchObject({
        actor: 'system',
        action: 'audit.triggers',
        outcome: 'error',
        details: { missing: ['audit_no_delete'], altered: ['audit_no_update'], recreated: AUDIT_TRIGGERS },
      });
      expect(() => s.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
      expect(() => s.db.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/append-only/);
    } finally {
      await s.close();
    }
    // In place: the next open says nothing.
    said.length = 0;
    const again = await openSqliteStores(path, { auditKey: key, log: (m) => said.push(m) });
    await again.close();
    expect(said).toEqual([]);
  });

  it('are re-created but not recorded onto a trail the key does not verify', async () => {
    const path = join(dir, 'b.db');
    const s1 = await openSqliteStores(path, { auditKey: key });
    await s1.security.appendAudit({ actor: 'ana', action: 'read', outcome: 'ok' });
    await s1.close();
    tamper(path, "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'eve'");
    const said: string[] = [];
    const s = await openSqliteStores(path, {
      auditKey: key,
      unkeyedTrail: 'inspect',
      log: (m) => said.push(m),
    });
    try {
      expect(checkAuditTriggers(s.db).missing).toEqual([]);
      expect(said.join('\n')).toMatch(/missing: audit_no_update[\s\S]*not recorded in the audit/);
      expect((await s.security.listAudit()).total).toBe(1);
    } finally {
      await s.close();
    }
  });
});
