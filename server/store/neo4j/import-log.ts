// ImportLog on Neo4j: the (:ImportRun) nodes writeBatch records in the import's own transaction
// (graph-write.ts), each with the operation it wrote into (`op`); read here, newest first, a scoped log
// testing `op` against its operations in the Cypher.
import type { ImportRun } from '../../domain/model.ts';
import { IMPORT_RUN_KEY } from '../shared/list-key.ts';
import type { ReadScope } from '../../domain/operations.ts';
import type { ListOptions, Page } from '../common.ts';
import type { ImportLog } from '../import-log.ts';
import type { Neo4jContext } from './context.ts';
import { toImportRun } from './rows.ts';

export class Neo4jImportLog implements ImportLog {
  /** The scope's operation ids; null: all. */
  private readonly ops: string[] | null;

  constructor(
    private readonly c: Neo4jContext,
    scope: ReadScope = 'all',
  ) {
    this.ops = scope === 'all' ? null : [...scope.operations];
  }

  scoped(scope: ReadScope): ImportLog {
    return scope === 'all' ? this : new Neo4jImportLog(this.c, scope);
  }

  async listImportRuns(q: ListOptions & { importId?: string } = {}): Promise<Page<ImportRun>> {
    return this.c.keyedPage(
      'import-runs',
      q,
      IMPORT_RUN_KEY,
      { importId: q.importId ?? null, ops: this.ops },
      'r',
      toImportRun,
    );
  }
}
