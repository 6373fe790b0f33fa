// ImportLog on SQLite: reads the import_runs table, which GraphStore.writeBatch writes in the import's own
// transaction (graph-write.ts, recordImportRun).
import type { ImportRun } from '../../domain/model.ts';
import type { ListOptions, Page } from '../common.ts';
import type { ImportLog } from '../import-log.ts';
import type { SqliteConnection } from './connection.ts';
import { toImportRun } from './rows.ts';

export class SqliteImportLog implements ImportLog {
  constructor(private readonly c: SqliteConnection) {}

  async listImportRuns(q: ListOptions & { importId?: string } = {}): Promise<Page<ImportRun>> {
    return this.c.pageOf(
      this.c.page(q),
      {
        cols: '*',
        from: 'import_runs',
        where: q.importId === undefined ? '1' : 'import_id = ?',
        params: q.importId === undefined ? [] : [q.importId],
        order: 'seq DESC',
      },
      toImportRun,
    );
  }
}
