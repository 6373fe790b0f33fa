// Migration 15 on a file written before possible duplicates recorded their operations: each pair takes every
// operation of its two records (what the run that found it could have read), so a pair touching a closed
// operation's record leaves the sight of those outside it; pairs found afterwards record their run's share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../server/store/sqlite/schema.ts';
import { openSqliteStores } from '../../server/store/sqlite/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-dup-ops-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pair = (aId: string, bId: string, weight: number) => ({
  aId,
  bId,
  type: 'Person' as const,
  weight,
  probability: 0.9,
  evidence: ['same name'],
  fingerprint: `fp-${weight}`,
});

describe('SQLite migration 15 (possible duplicates record their operations)', () => {
  it("gives an older file's pairs both records' operations, and hides from outsiders those touching a closed one", async () => {
    const path = join(dir, 'v14.db');
    const s = await openSqliteStores(path);
    const closed = await s.operations.create(
      { ref: 'HALYARD', name: 'Supplier', sensitivity: 'closed' },
      { actor: 'dsmith' },
    );
    const open = await s.graph.writeBatch(
      {
        entities: [
          { type: 'Person', label: 'Ada Brook', key: 'ab-1' },
          { type: 'Person', label: 'Ada Brook', key: 'ab-2' },
          { type: 'Person', label: 'Cy Dunn', key: 'cd-1' },
        ],
      },
      { actor: 'ana' },
    );
    const [ab1, ab2, cd1] = open.entityIds;
    // HALYARD writes ab-2 too (it belongs to both) and a record of its own.
    const hal = await s.graph.writeBatch(
      {
        entities: [
          { type: 'Person', label: 'Ada Brook', key: 'ab-2' },
          { type: 'Person', label: 'Cy Dunn', key: 'cd-2' },
        ],
      },
      { actor: 'dsmith', operationId: closed.id },
    );
    const cd2 = hal.entityIds[1];
    await s.duplicates.saveProposals([pair(ab1, ab2, 12), pair(cd1, cd2, 9)], { actor: 'seed' });
    // Back to what a file from before holds: no ops column.
    s.db.exec(
      `ALTER TABLE duplicate_proposals DROP COLUMN ops; DELETE FROM schema_version WHERE version >= 15`,
    );
    await s.close();
    const up = await openSqliteStores(path);
    try {
      expect(up.db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
      const all = (await up.duplicates.listProposals()).items;
      expect(all.map((p) => p.ops)).toEqual([
        ['op1', closed.id],
        ['op1', closed.id],
      ]);
      const outsider = up.duplicates.scoped({ operations: await up.operations.readableBy('someone') });
      expect((await outsider.listProposals()).total).toBe(0);
      const member = up.duplicates.scoped({ operations: ['op1', closed.id] });
      expect((await member.listProposals()).total).toBe(2);
      // A run from GENERAL's facts alone gives ab-1/ab-2 back to GENERAL's readers.
      await outsider.saveProposals([pair(ab1, ab2, 11)], { actor: 'ana' });
      expect((await outsider.listProposals()).items.map((p) => [p.id, p.ops])).toEqual([
        [`${ab1}-${ab2}`, ['op1']],
      ]);
    } finally {
      await up.close();
    }
  });
});
