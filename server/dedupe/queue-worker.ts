// Worker side of a duplicate-finding run (queue-run.ts): reads the records (from a read-only connection to
// the SQLite file when there is one, through the graph store scoped to the run's read scope, otherwise as
// handed over) and runs the resolver, off the request thread.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteConnection } from '../store/sqlite/connection.ts';
import { SqliteGraphStore } from '../store/sqlite/graph-store.ts';
import { StoreError } from '../store/common.ts';
import type { ReadScope } from '../domain/operations.ts';
import { loadResolverRecords, type ResolverScope } from './records.ts';
import { findDuplicates, type ResolverOptions, type ResolverRecord } from './resolver.ts';

const { path, records, scope, readScope, options } = workerData as {
  path?: string;
  records?: ResolverRecord[];
  scope: ResolverScope;
  readScope: ReadScope;
  options: Partial<ResolverOptions>;
};

async function recordsToCompare(): Promise<ResolverRecord[]> {
  if (records) return records;
  const conn = new SqliteConnection(path!, { createDir: false, readOnly: true });
  try {
    return await loadResolverRecords(new SqliteGraphStore(conn).scoped(readScope), scope);
  } finally {
    conn.close();
  }
}

try {
  const input = await recordsToCompare();
  const proposals = findDuplicates(input, options);
  parentPort!.postMessage({ ok: { records: input.length, proposals } });
} catch (e) {
  parentPort!.postMessage({
    error:
      e instanceof StoreError
        ? { code: e.code, message: e.message }
        : { message: e instanceof Error ? e.message : String(e) },
  });
}
