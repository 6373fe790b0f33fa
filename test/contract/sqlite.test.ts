// The stores contract on a real SQLite file in a temp folder, plus what only SQLite can show (raw SQL on the file).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStores, openSqliteStores } from '../../server/store/sqlite/stores.ts';
import { SCHEMA_VERSION } from '../../server/store/sqlite/schema.ts';
import { sqliteTempFiles } from './sqlite-files.ts';
import { storesContract } from './stores-contract.ts';

const files = sqliteTempFiles('linkchart-contract-');
const dir = files.dir;

storesContract('sqlite', async () => new SqliteStores(files.next()), files.remove, {
  tamperAudit: async (s, seq) => {
    s.db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = ?").run(seq);
  },
});

describe('SQLite file', () => {
  it('upgrades a file from before forgiving search (schema 6): its names are found by sound', async () => {
    const path = join(dir, `v6-${process.pid}.db`);
    const s = await openSqliteStores(path);
    await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'John Smith' }] }, { actor: 't' });
    s.db.exec("UPDATE entities SET search_text = ''; DELETE FROM schema_version WHERE version > 6");
    expect(await s.graph.search('Smth')).toEqual([]);
    await s.close();
    const up = await openSqliteStores(path);
    try {
      expect((await up.graph.search('Smth')).map((h) => [h.entity.label, h.match])).toEqual([
        ['John Smith', 'similar'],
      ]);
    } finally {
      await up.close();
    }
  });

  it('upgrades a file from before import runs (schema 2) in place, keeping its data', async () => {
    const path = join(dir, `v2-${process.pid}.db`);
    const s = await openSqliteStores(path);
    await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Kept Person' }] }, { actor: 't' });
    // Back to what a schema-2 file holds.
    s.db.exec(
      'DROP TABLE import_runs; DROP INDEX entity_imports_by_import; DROP INDEX link_imports_by_import; ' +
        'DELETE FROM schema_version WHERE version > 2',
    );
    await s.close();
    const up = await openSqliteStores(path);
    try {
      expect(up.db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
      expect((await up.counts()).entities).toBe(1);
      await up.graph.writeBatch(
        { entities: [{ type: 'Person', label: 'Kept Person' }] },
        { actor: 't', importId: 'imp-up', importRun: () => ({ ok: true }) },
      );
      expect((await up.imports.listImportRuns()).items.map((r) => r.report)).toEqual([{ ok: true }]);
    } finally {
      await up.close();
    }
  });

  it('keeps the file and its full-text index intact through every kind of write, and audit rows append-only', async () => {
    const path = join(dir, `file-${process.pid}.db`);
    const s = await openSqliteStores(path);
    const ctx = { actor: 't', importId: 'i1' };
    const r = await s.graph.writeBatch(
      {
        reports: [{ ref: 'F-1', date: '2024-01-01', author: 'a', source: 2, intel: 'B', handling: 'P' }],
        entities: [
          { type: 'Person', label: 'First Label', key: 'k1', reports: ['F-1'] },
          { type: 'Person', label: 'Second', key: 'k2' },
          { type: 'Person', label: 'First Relabelled', key: 'k1' },
        ],
        links: [
          { type: 'ASSOCIATE_OF', from: { type: 'Person', key: 'k1' }, to: { type: 'Person', key: 'k2' } },
        ],
      },
      ctx,
    );
    await s.graph.updateEntity(
      r.entityIds[1],
      { label: 'Second Renamed', properties: { nickname: 'Two' } },
      ctx,
    );
    const m = await s.graph.merge(r.entityIds[0], r.entityIds[1], ctx);
    await s.graph.unmerge(m.id, ctx);
    await s.graph.deleteReport('F-1', ctx);
    // A batch switches SQLite's own foreign-key checks off for its transaction: they come back on, failed or not.
    await expect(
      s.graph.writeBatch(
        {
          entities: [
            { type: 'Person', label: 'Fk One', key: 'fk1' },
            { type: 'Person', label: 'Fk Two', key: 'fk2' },
          ],
          links: [
            { type: 'CALLED', from: { type: 'Person', key: 'fk1' }, to: { type: 'Person', key: 'fk2' } },
          ],
        },
        ctx,
      ),
    ).rejects.toThrow(/CALLED/);
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(
      s.db.prepare("INSERT INTO entities_fts (entities_fts) VALUES ('integrity-check')").run(),
    ).toBeTruthy();
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    expect((await s.graph.search('renamed')).map((h) => h.entity.id)).toEqual([r.entityIds[1]]);
    const a = await s.security.appendAudit({ actor: 'x', action: 'y', outcome: 'ok' });
    expect(() => s.db.prepare('DELETE FROM audit WHERE seq = ?').run(a.seq)).toThrow(/append-only/);
    expect(() => s.db.prepare("UPDATE audit SET actor = 'z' WHERE seq = ?").run(a.seq)).toThrow(
      /append-only/,
    );
    // Reopening applies no migration twice.
    await s.close();
    const again = await openSqliteStores(path);
    expect(again.db.prepare('SELECT COUNT(*) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
    expect((await again.graph.getEntity(r.entityIds[1]))!.label).toBe('Second Renamed');
    await again.close();
  });

  it('a read-only connection, as a read worker opens, reads the file and refuses every write', async () => {
    const path = join(dir, `ro-${process.pid}.db`);
    const s = await openSqliteStores(path);
    const r = await s.graph.writeBatch({ entities: [{ type: 'Person', label: 'Read Me' }] }, { actor: 't' });
    const ro = new SqliteStores(path, { readOnly: true });
    try {
      expect((await ro.graph.neighbourhood([r.entityIds[0]], { hops: 1 })).nodes.map((e) => e.label)).toEqual(
        ['Read Me'],
      );
      await expect(
        ro.graph.writeBatch({ entities: [{ type: 'Person', label: 'Not Me' }] }, { actor: 't' }),
      ).rejects.toThrow(/readonly|read-only/i);
      expect((await s.counts()).entities).toBe(1);
      // It never creates a file: a worker pointed at a missing one fails to start instead.
      expect(() => new SqliteStores(join(dir, 'missing.db'), { readOnly: true })).toThrow();
    } finally {
      await ro.close();
      await s.close();
    }
  });

  it('sees a user changed by another connection at once, though it keeps users it has read', async () => {
    const path = join(dir, `users-${process.pid}.db`);
    const server = await openSqliteStores(path);
    const cli = await openSqliteStores(path);
    const u = await server.security.createUser({ name: 'ana', role: 'analyst', passwordHash: 'h' });
    expect(await server.security.getUser(u.id)).toMatchObject({ role: 'analyst', disabled: false });
    // Another process (the user CLI) disables the account and changes the role.
    await cli.security.updateUser(u.id, { disabled: true, role: 'viewer' });
    // Seen from the next turn of the event loop on (the server asks once per turn).
    await new Promise((r) => setImmediate(r));
    expect(await server.security.getUser(u.id)).toMatchObject({ role: 'viewer', disabled: true });
    // And a change through this store, with nothing else committing in between.
    await server.security.updateUser(u.id, { disabled: false });
    expect(await server.security.getUser(u.id)).toMatchObject({ role: 'viewer', disabled: false });
    // What it hands out is a copy: a caller changing it changes nothing for the next.
    const copy = (await server.security.getUser(u.id))!;
    copy.role = 'admin';
    expect((await server.security.getUser(u.id))!.role).toBe('viewer');
    expect(await server.security.getUser('999')).toBeNull();
    await cli.close();
    await server.close();
  });
});
