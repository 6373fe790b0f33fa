// Worker side of exportFiles (export-off-thread.ts): the export gathered and written on a read-only
// connection of its own, and a large export's id lists kept beside its audit record.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../api-types/errors.ts';
import type { ExportRequest } from '../api-types/exports.ts';
import { SqliteConnection } from '../store/sqlite/connection.ts';
import { SqliteGraphStore } from '../store/sqlite/graph-store.ts';
import { collectFrom, type CollectOptions, type ExportSource } from '../export/collect.ts';
import { writeExport } from '../export/index.ts';
import { keepLargeLists } from '../security/audit-export-ids.ts';
import { encodeFiles, type KeepIds } from './export-off-thread.ts';

const { path, req, from, opts, keep } = workerData as {
  path: string;
  req: ExportRequest;
  from: ExportSource;
  opts: CollectOptions;
  keep: KeepIds | null;
};
const conn = new SqliteConnection(path, { createDir: false, readOnly: true });
try {
  // The request's scope travels with the options: the worker reads what the requester may read.
  const data = await collectFrom(new SqliteGraphStore(conn).scoped(opts.scope ?? 'all'), req, from, opts);
  // Encoded here and handed over: the request thread neither copies nor encodes a 40 MB file.
  const { files, transfer } = encodeFiles(writeExport(data, req.format, req.part ?? 'nodes'));
  // A large export's id lists are written here, beside the audit record: the request thread gets their
  // digest and counts, not 440k ids to copy, hash and store.
  const disclosure = keep ? keepLargeLists(data.disclosure, keep) : data.disclosure;
  parentPort!.postMessage({ ok: { record: data.record, disclosure, files } }, transfer);
} catch (e) {
  parentPort!.postMessage({
    error:
      e instanceof ApiError
        ? { status: e.status, code: e.code, message: e.message, extra: e.extra }
        : { message: e instanceof Error ? e.message : String(e) },
  });
} finally {
  conn.close();
}
