// The store contract on a real SQLite file in a temp folder, plus what only SQLite can show (raw SQL on the file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteGraphStore } from '../../server/store/sqlite/sqlite-store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-contract-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeContract(
  'sqlite',
  async () => new SqliteGraphStore(join(dir, `store-${process.pid}-${++n}.db`)),
  async (s: GraphStore) => {
    const path = (s as SqliteGraphStore).path;
    await s.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  },
  {
    tamperAudit: async (s, seq) => {
      (s as SqliteGraphStore).db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = ?").run(seq);
    },
  },
);
