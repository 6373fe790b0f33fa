// ImportLog on SQLite: reads the import_runs table, which GraphStore.writeBatch writes in the import's own
// transaction (graph-write.ts, recordImportRun), each run with the operation it wrote into (op_id).
import type { ImportRun } from '../../domain/model.ts';
import { IMPORT_RUN_KEY } from '../shared/list-key.ts';
import type { ReadScope } from '../../domain/operations.ts';
import type { ListOptions, Page } from '../common.ts';
import type { ImportLog } from '../import-log.ts';
import type { Param, SqliteConnection } from './connection.ts';
import { toImportRun } from './rows.ts';
import { opRow } from './workspace.ts';

export class SqliteImportLog implements ImportLog {
  /** The scope's operation row numbers as JSON; null: all. */
  private readonly ops: string | null;

  constructor(
    private readonly c: SqliteConnection,
    scope: ReadScope = 'all',
  ) {
    this.ops = scope === 'all' ? null : JSON.stringify(scope.operations.map(opRow));
  }

  scoped(scope: ReadScope): ImportLog {
    return scope === 'all' ? this : new SqliteImportLog(this.c, scope);
  }

  async listImportRuns(q: ListOptions & { importId?: string } = {}): Promise<Page<ImportRun>> {
    const where: string[] = [];
    const params: Param[] = [];
    if (q.importId !== undefined) {
      where.push('import_id = ?');
      params.push(q.importId);
    }
    if (this.ops !== null) {
      where.push('op_id IN (SELECT value FROM json_each(?))');
      params.push(this.ops);
    }
    return this.c.keyedPageOf(
      q,
      IMPORT_RUN_KEY,
      {
        cols: '*',
        from: 'import_runs',
        where: where.length ? where.join(' AND ') : '1',
        params,
        keyCol: 'seq',
      },
      toImportRun,
    );
  }
}
