// The store contract again, with expansions and path searches answered by read worker threads (as `npm start`
// runs them): the same answers, the same errors, and a client's own writes seen by the next read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { SqliteGraphStore } from '../../server/store/sqlite/sqlite-store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { storeContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'linkchart-contract-rw-'));
let n = 0;
let answered = 0;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The walks really went to the workers (the contract expands and searches paths in several tests).
  expect(answered).toBeGreaterThan(15);
});

/** A store whose init also starts its read worker (the contract calls init on every store it is given). */
class WorkerReadStore extends SqliteGraphStore {
  override async init(): Promise<void> {
    await super.init();
    await this.readInWorkers({ workers: 1 });
  }
  override async close(): Promise<void> {
    answered += this.answeredInWorkers;
    await super.close();
  }
}

storeContract(
  'sqlite with read workers',
  async () => new WorkerReadStore(join(dir, `store-${process.pid}-${++n}.db`)),
  async (s: GraphStore) => {
    const path = (s as SqliteGraphStore).path;
    await s.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  },
);
