// The target contract on the SQLite store (a real file in a temp dir).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { targetsContract } from './targets-contract.ts';

targetsContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-targets-'));
  const store = await openSqliteStore(join(dir, 'test.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
