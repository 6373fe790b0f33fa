// Migration 13 on a file written before import runs kept their operation: every run there was is GENERAL's
// (op1), read by everyone who reads GENERAL; runs made afterwards record the operation they wrote into.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-runs-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (importId: string) => ({ actor: 'importer', importId, importRun: () => ({ importId }) });

describe('SQLite migration 13 (import runs record their operation)', () => {
  it('puts the runs of an older file into GENERAL and records the operation of new ones', async () => {
    const path = join(dir, 'v12.db');
    const s = await openSqliteStores(path);
    await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Old Person' }] }, run('imp-old'));
    // Back to what a schema-12 file holds.
    s.db.exec(`DROP INDEX import_runs_op; ALTER TABLE import_runs DROP COLUMN op_id;
      DELETE FROM schema_version WHERE version > 12`);
    await s.close();
    const up = await openSqliteStores(path);
    try {
      expect(up.db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBeGreaterThanOrEqual(
        13,
      );
      expect(up.db.prepare('SELECT op_id FROM import_runs').pluck().all()).toEqual([1]);
      const closed = await up.operations.create(
        { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
        { actor: 'dsmith' },
      );
      await up.graph.writeBatch(
        { entities: [{ type: 'Person', label: 'New Person' }] },
        { ...run('imp-new'), operationId: closed.id },
      );
      expect((await up.imports.listImportRuns()).items.map((r) => [r.importId, r.operationId])).toEqual([
        ['imp-new', closed.id],
        ['imp-old', 'op1'],
      ]);
      const outsider = up.imports.scoped({ operations: await up.operations.readableBy('someone') });
      expect((await outsider.listImportRuns()).items.map((r) => r.importId)).toEqual(['imp-old']);
    } finally {
      await up.close();
    }
  });
});
