// The audit trail grows with every request, so a supervisor's list filtered by action or by time must be read
// along an index (SQLite migration 16), as Neo4j's is (audit_action, audit_at): the plan of the very statements
// listAudit runs names the index, and the filtered pages and totals match a count made by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'lc-audit-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACTIONS = ['entity.read', 'link.read', 'export.csv', 'sign-in'];

describe('the audit filtered by action or time on SQLite', () => {
  it('reads along audit_action and audit_at, and its pages and totals are exact', async () => {
    const s = await openSqliteStores(join(dir, 'audit.db'));
    try {
      const inputs = Array.from({ length: 2_000 }, (_, i) => ({
        actor: `user${i % 7}`,
        action: ACTIONS[i % ACTIONS.length],
        outcome: 'ok' as const,
        objectIds: [`e${i}`],
      }));
      for (let i = 0; i < inputs.length; i += 250)
        await s.security.appendAuditBatch(inputs.slice(i, i + 250));
      const plan = (sql: string, ...p: unknown[]) =>
        (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p) as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
      // The statements Connection.pageOf runs for listAudit({ action }) and listAudit({ since, until }).
      expect(plan('SELECT * FROM audit WHERE action = ? ORDER BY seq LIMIT ? OFFSET ?', 'x', 10, 0)).toMatch(
        /USING (COVERING )?INDEX audit_action/,
      );
      expect(plan('SELECT COUNT(*) FROM audit WHERE action = ?', 'x')).toMatch(
        /USING COVERING INDEX audit_action/,
      );
      expect(plan('SELECT COUNT(*) FROM audit WHERE at >= ? AND at <= ?', 'a', 'b')).toMatch(
        /USING COVERING INDEX audit_at/,
      );

      const exports = await s.security.listAudit({ action: 'export.csv', limit: 100, offset: 400 });
      expect(exports.total).toBe(inputs.filter((x) => x.action === 'export.csv').length);
      expect(exports.items).toHaveLength(100);
      expect(exports.items.every((a) => a.action === 'export.csv')).toBe(true);
      const seqs = exports.items.map((a) => a.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // Sequence 1,603 is the 401st export (every fourth record from the third): the page starts there.
      expect(exports.items[0].objectIds).toEqual([`e${2 + 4 * 400}`]);

      const all = (await s.security.listAudit({ limit: 1000 })).items;
      const since = all[500].at;
      const until = all[900].at;
      const span = await s.security.listAudit({ since, until, limit: 1000 });
      const byHand = (await s.security.listAudit({ limit: 1000, offset: 0 })).total;
      expect(byHand).toBe(2_000);
      const everyRecord = [...all, ...(await s.security.listAudit({ limit: 1000, offset: 1000 })).items];
      const inSpan = everyRecord.filter((a) => a.at >= since && a.at <= until);
      expect([span.total, span.items.map((a) => a.seq)]).toEqual([inSpan.length, inSpan.map((a) => a.seq)]);
    } finally {
      await s.close();
    }
  });
});
