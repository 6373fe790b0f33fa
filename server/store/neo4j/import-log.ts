// ImportLog on Neo4j: the (:ImportRun) nodes writeBatch records in the import's own transaction
// (graph-write.ts); read here, newest first.
import type { ImportRun } from '../../domain/model.ts';
import type { ListOptions, Page } from '../common.ts';
import type { ImportLog } from '../import-log.ts';
import type { Neo4jContext } from './context.ts';
import { toImportRun } from './rows.ts';

export class Neo4jImportLog implements ImportLog {
  constructor(private readonly c: Neo4jContext) {}

  async listImportRuns(q: ListOptions & { importId?: string } = {}): Promise<Page<ImportRun>> {
    return this.c.listPage('import-runs', q, { importId: q.importId ?? null }, 'r', toImportRun);
  }
}
