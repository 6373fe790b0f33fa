// The stores contract again, with expansions and path searches answered by read worker threads (as `npm start`
// runs them): the same answers, the same errors, and a client's own writes seen by the next read.
import { afterAll, expect } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.ts';
import { sqliteTempFiles } from './sqlite-files.ts';
import { storesContract } from './stores-contract.ts';

const files = sqliteTempFiles('linkchart-contract-rw-');
let answered = 0;
afterAll(() => {
  // The walks really went to the workers (the contract expands and searches paths in several tests).
  expect(answered).toBeGreaterThan(15);
});

/** Stores whose init also starts its read worker (the contract calls init on every Stores it is given). */
class WorkerReadStores extends SqliteStores {
  override async init(): Promise<void> {
    await super.init();
    await this.readInWorkers({ workers: 1 });
  }
  override async close(): Promise<void> {
    answered += this.answeredInWorkers;
    await super.close();
  }
}

storesContract('sqlite with read workers', async () => new WorkerReadStores(files.next()), files.remove);
