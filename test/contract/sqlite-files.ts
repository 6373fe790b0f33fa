// SQLite files for a contract test file: a temp folder removed after the file, a new store file per test, and
// the store's removal with the WAL and shared-memory files beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { SqliteStores } from '../../server/store/sqlite/stores.ts';

export function sqliteTempFiles(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    /** A path for the next store's file. */
    next: () => join(dir, `store-${process.pid}-${++n}.db`),
    async remove(s: SqliteStores): Promise<void> {
      const path = s.path;
      await s.close();
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    },
  };
}
