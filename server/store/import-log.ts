// ImportLog: the kept report of every import run. Runs are written by GraphStore.writeBatch when its
// context carries importRun, in the import's own transaction, so data and the record of how it came in
// commit together; this interface only reads them. Each run records the operation it wrote into (its
// working operation), and a scoped log reads only the runs into the scope's operations (need-to-know).
// Contract: test/contract/import-log-contract.ts.
import type { ImportRun } from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';
import type { ListOptions, Page } from './common.ts';

export interface ImportLog {
  /** Runs newest first; with importId, the runs of that import only. */
  listImportRuns(query?: ListOptions & { importId?: string }): Promise<Page<ImportRun>>;
  /**
   * The same log showing only runs into the scope's operations (the others are absent, as if never run).
   * scoped('all') is the log itself.
   */
  scoped(scope: ReadScope): ImportLog;
}
