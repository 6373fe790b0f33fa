// Migration 10 on a file written before operations: everything it holds lands in the open GENERAL operation
// (op1), so every user still reads all of it, and new operations start empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-ops-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite migration 10 (operations)', () => {
  it('puts every report, entity, link and event of an older file into GENERAL', async () => {
    const path = join(dir, 'v9.db');
    const s = await openSqliteStores(path);
    await s.graph.writeBatch(
      {
        reports: [
          { ref: 'OLD-1', date: '2024-01-01', author: 'a', source: 2, intel: 'B', handling: 'P', text: '' },
        ],
        entities: [
          { type: 'Person', label: 'Old Person', reports: ['OLD-1'], properties: { nickname: 'Oldie' } },
          { type: 'Phone', label: '07700 900001', properties: { number: '07700 900001' } },
        ],
        links: [
          {
            type: 'USES',
            from: { type: 'Person', key: 'old person' },
            to: { type: 'Phone', key: '+447700900001' },
          },
        ],
      },
      { actor: 't' },
    );
    // Back to what a schema-9 file holds.
    s.db
      .exec(`DROP TABLE entity_ops; DROP TABLE link_ops; DROP TABLE operation_members; DROP TABLE operations;
      DROP INDEX reports_op; ALTER TABLE reports DROP COLUMN op_id; ALTER TABLE events DROP COLUMN op_id;
      DELETE FROM schema_version WHERE version > 9`);
    await s.close();
    const up = await openSqliteStores(path);
    try {
      const general = await up.operations.defaultOperation();
      expect(general).toMatchObject({ id: 'op1', ref: 'GENERAL', sensitivity: 'open' });
      const ops = up.db
        .prepare('SELECT entity_id, op_id, properties FROM entity_ops ORDER BY entity_id')
        .all();
      expect(ops).toEqual([
        { entity_id: 1, op_id: 1, properties: '{"nickname":"Oldie"}' },
        { entity_id: 2, op_id: 1, properties: '{"number":"07700 900001"}' },
      ]);
      expect(up.db.prepare('SELECT link_id, op_id FROM link_ops').all()).toEqual([{ link_id: 1, op_id: 1 }]);
      expect(up.db.prepare('SELECT op_id FROM reports').pluck().all()).toEqual([1]);
      // A new closed operation hides nothing of what was there: it is all GENERAL's, open to the force.
      await up.operations.create({ ref: 'NEWOP', name: 'New', sensitivity: 'closed' }, { actor: 'x' });
      const outsider = up.graph.scoped({ operations: await up.operations.readableBy('someone') });
      expect((await outsider.listEntities()).total).toBe(2);
      expect((await outsider.getEntity('e1'))!.reports.map((r) => r.ref)).toEqual(['OLD-1']);
      const onlyNew = up.graph.scoped({ operations: ['op2'] });
      expect((await onlyNew.listEntities()).total).toBe(0);
    } finally {
      await up.close();
    }
  });
});
