// ImportLog: the kept report of every import run. Runs are written by GraphStore.writeBatch when its
// context carries importRun, in the import's own transaction, so data and the record of how it came in
// commit together; this interface only reads them. Contract: test/contract/import-log-contract.ts.
import type { ImportRun } from '../domain/model.ts';
import type { ListOptions, Page } from './common.ts';

export interface ImportLog {
  /** Runs newest first; with importId, the runs of that import only. */
  listImportRuns(query?: ListOptions & { importId?: string }): Promise<Page<ImportRun>>;
}
