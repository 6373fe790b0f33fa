// The audit trail grows with every request, so a supervisor's list filtered by action, by time or by the object
// a record names must be read along an index (SQLite migrations 16 and 17), as Neo4j's is (audit_action,
// audit_at, audit_object): the plan of the very statements listAudit runs names the index, and the filtered
// pages and totals match a count made by hand. A file from before migration 17 gets its object index filled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../server/domain/model.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'lc-audit-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACTIONS = ['entity.read', 'link.read', 'export.csv', 'sign-in'];

type Stores = Awaited<ReturnType<typeof openSqliteStores>>;

/** Appends the records as the server's group commit does, 250 at a time. */
async function append(s: Stores, inputs: AuditInput[]): Promise<void> {
  for (let i = 0; i < inputs.length; i += 250) await s.security.appendAuditBatch(inputs.slice(i, i + 250));
}

/** SQLite's plan of a statement, its steps joined. */
const plan = (s: Stores, sql: string, ...p: unknown[]): string =>
  (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p) as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');

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
      await append(s, inputs);
      // The statements Connection.pageOf runs for listAudit({ action }) and listAudit({ since, until }).
      for (const order of ['ASC', 'DESC'])
        expect(
          plan(
            s,
            `SELECT * FROM audit WHERE action = ? AND seq > ? AND seq < ? ORDER BY seq ${order} LIMIT ? OFFSET ?`,
            'x',
            0,
            1e9,
            10,
            0,
          ),
        ).toMatch(/USING (COVERING )?INDEX audit_action \(action=\? AND seq>\? AND seq<\?\)$/);
      expect(plan(s, 'SELECT COUNT(*) FROM audit WHERE action = ?', 'x')).toMatch(
        /USING COVERING INDEX audit_action/,
      );
      expect(plan(s, 'SELECT COUNT(*) FROM audit WHERE at >= ? AND at <= ?', 'a', 'b')).toMatch(
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

  it('reads records by the object they name along audit_object, filled for a file from before it', async () => {
    const path = join(dir, 'objects.db');
    let s = await openSqliteStores(path);
    // Every 100th record also names the shared object, and one record names nothing.
    const inputs = Array.from({ length: 2_000 }, (_, i) => ({
      actor: `user${i % 7}`,
      action: ACTIONS[i % ACTIONS.length],
      outcome: 'ok' as const,
      objectIds: i === 5 ? [] : i % 100 === 0 ? [`e${i}`, 'shared'] : [`e${i}`],
    }));
    const byHand = (q: { objectId: string; actor?: string }) =>
      inputs
        .map((x, i) => ({ ...x, seq: i + 1 }))
        .filter((x) => x.objectIds.includes(q.objectId) && (!q.actor || x.actor === q.actor))
        .map((x) => x.seq);
    const check = async () => {
      for (const q of [
        { objectId: 'shared' },
        { objectId: 'e1234' },
        { objectId: 'shared', actor: 'user3' },
      ]) {
        const page = await s.security.listAudit({ ...q, limit: 100 });
        expect([page.total, page.items.map((a) => a.seq)], JSON.stringify(q)).toEqual([
          byHand(q).length,
          byHand(q),
        ]);
      }
      const second = await s.security.listAudit({ objectId: 'shared', limit: 5, offset: 5 });
      expect(second.items.map((a) => a.seq)).toEqual(byHand({ objectId: 'shared' }).slice(5, 10));
      expect((await s.security.listAudit({ objectId: 'nothing' })).total).toBe(0);
    };
    try {
      await append(s, inputs);
      const where = 'seq IN (SELECT seq FROM audit_object WHERE object_id = ?)';
      for (const sql of [
        `SELECT * FROM audit WHERE ${where} AND seq > 0 AND seq < 1e9 ORDER BY seq ASC LIMIT 10 OFFSET 0`,
        `SELECT * FROM audit WHERE ${where} AND seq > 0 AND seq < 1e9 ORDER BY seq DESC LIMIT 10 OFFSET 0`,
        `SELECT COUNT(*) FROM audit WHERE ${where}`,
      ]) {
        const p = plan(s, sql, 'shared');
        expect(p).toMatch(/SEARCH audit_object USING PRIMARY KEY \(object_id=\?\)/);
        expect(p).not.toMatch(/SCAN audit\b/);
      }
      await check();
      // The index is the audit's own: it takes no change either.
      expect(() => s.db.prepare("DELETE FROM audit_object WHERE object_id = 'shared'").run()).toThrow(
        /append-only/,
      );
      // As a file from before migration 17: no object index. Opening it again fills it from the records.
      s.db.exec(
        'DROP TABLE audit_object; DROP TRIGGER audit_object_fill; DELETE FROM schema_version WHERE version = 17',
      );
    } finally {
      await s.close();
    }
    s = await openSqliteStores(path);
    try {
      await check();
    } finally {
      await s.close();
    }
  });
});
