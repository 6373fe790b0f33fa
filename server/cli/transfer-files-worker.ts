// Worker thread of transfer-files.ts: the links' CSV file of an import, read from the SQLite source on a
// read-only connection of its own.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { filesDone, writeFiles } from '../store/transfer/neo4j-import.ts';
import { SqliteReader } from '../store/transfer/sqlite.ts';
import type { LinksJob } from './transfer-files.ts';

const job = (workerData as { job: LinksJob }).job;
const db = new Database(job.path, { readonly: true });
try {
  const files = await writeFiles(new SqliteReader(db, job.name), job.dir, {
    batch: job.batch,
    key: job.key,
    route: job.route,
    parts: ['links'],
    say: () => undefined,
  });
  parentPort!.postMessage({ ok: filesDone(files) });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
} finally {
  db.close();
}
