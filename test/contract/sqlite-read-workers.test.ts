// The parts of the stores contract that walk the graph, again with expansions, path searches and subgraphs
// answered by read worker threads (as `npm start` runs them): the same answers, the same errors, and a
// client's own writes seen by the next read. The rest of the contract never reaches a worker (each test's
// store starts its own, about a second each), so it is not run twice.
import { afterAll, expect } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.ts';
import { sqliteTempFiles } from './sqlite-files.ts';
import { walksContract } from './stores-contract.ts';

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

walksContract('sqlite with read workers', async () => new WorkerReadStores(files.next()), files.remove);
