// Exports of a whole view off the request thread. A view export may carry up to the analysis cap (a million
// links): gathering each item's reports and writing the file took the request thread for seconds to
// minutes, and every other user waited. With a database file other threads can open (SQLite), a view export
// is gathered and written in a worker on a read-only connection of its own; charts and lists of entities,
// bounded by what a chart holds, are done here. Without such a file (Neo4j) the gathering awaits the
// driver, whose I/O does not hold this thread, and the file is written here.
import type { ExportRequest } from '../api-types/exports.ts';
import { ApiError } from '../api-types/errors.ts';
import type { AnalysisRecord } from '../api-types/exports.ts';
import { collectFrom, resolveSource, type CollectOptions, type ExportStores } from '../export/collect.ts';
import { writeExport, type ExportFile } from '../export/index.ts';
import type { Disclosure } from '../security/handling.ts';
import { keepLargeLists } from '../security/audit-export-ids.ts';
import type { Stores } from '../store/stores.ts';
import { spawnTsWorker } from './spawn.ts';

const ENTRY = new URL('./export-worker.ts', import.meta.url);

/** Heap bound of an export worker: past it the export fails saying how to narrow it, the server stays up. */
export const EXPORT_WORKER_MEMORY_MB = 2048;

/** A file as it is sent: its bytes (encoded where it was written, so a worker's cross without a copy). */
export interface SentFile {
  name: string;
  contentType: string;
  body: Buffer;
}

export interface ExportOutcome {
  record: AnalysisRecord;
  disclosure: Disclosure;
  files: SentFile[];
}

/** The files as bytes, and the buffers a worker may hand over rather than copy. */
export function encodeFiles(files: ExportFile[]): { files: SentFile[]; transfer: ArrayBuffer[] } {
  const sent = files.map((f) => ({ name: f.name, contentType: f.contentType, body: Buffer.from(f.text) }));
  const transfer = sent
    .map((f) => f.body)
    // Small Buffers share Node's pool: only a buffer that owns its memory is moved.
    .filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)
    .map((b) => b.buffer as ArrayBuffer);
  return { files: sent, transfer };
}

type WorkerAnswer =
  | { ok: ExportOutcome }
  | { error: { status?: number; code?: string; message: string; extra?: ApiError['extra'] } };

/**
 * Where a large export's id lists go (audit-export-ids.ts): past `limit` carried ids they are written to
 * `dir` and the disclosure the request thread gets (and audits) carries their digest and counts instead.
 */
export interface KeepIds {
  dir: string;
  limit: number;
}

export async function exportFiles(
  stores: ExportStores & Pick<Stores, 'readerPath'>,
  req: ExportRequest,
  opts: CollectOptions,
  keep?: KeepIds,
): Promise<ExportOutcome> {
  const from = await resolveSource(stores.workspace, req);
  const path = stores.readerPath;
  if (from.ids || !path) {
    const data = await collectFrom(stores.graph.scoped(opts.scope ?? 'all'), req, from, opts);
    return {
      record: data.record,
      disclosure: keep ? keepLargeLists(data.disclosure, keep) : data.disclosure,
      files: encodeFiles(writeExport(data, req.format, req.part ?? 'nodes')).files,
    };
  }
  const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
    const worker = spawnTsWorker(
      ENTRY,
      { path, req, from, opts, keep: keep ?? null },
      { resourceLimits: { maxOldGenerationSizeMb: EXPORT_WORKER_MEMORY_MB } },
    );
    worker.once('message', (m: WorkerAnswer) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (e) =>
      reject(
        /heap|memory/i.test(e.message)
          ? new ApiError(
              413,
              'too_large',
              `this export needed more than its memory bound (${EXPORT_WORKER_MEMORY_MB} MB); narrow it with ` +
                'entity or link types, a time window, a minimum grading, or export a chart',
            )
          : new Error(`the export failed: ${e.message}`),
      ),
    );
    worker.once('exit', (code) => reject(new Error(`the export stopped (worker exit ${code})`)));
  });
  if ('ok' in answer) {
    // Transferred bytes arrive as plain Uint8Arrays: the same memory, seen as Buffers again.
    const files = answer.ok.files.map((f) => ({
      ...f,
      body: Buffer.from(f.body.buffer, f.body.byteOffset, f.body.byteLength),
    }));
    return { ...answer.ok, files };
  }
  const e = answer.error;
  if (e.status && e.code) throw new ApiError(e.status, e.code, e.message, e.extra ?? {});
  throw new Error(`the export failed: ${e.message}`);
}
