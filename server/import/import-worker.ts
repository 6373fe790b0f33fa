// Worker thread for ImportWorker (off-thread.ts): runs the whole import pipeline (read, check, aggregate,
// write) on its own connection to the server's SQLite file, so a large file never holds the request
// thread. The file's bytes arrive as messages; its one write transaction waits its turn at the request
// thread's write gate (write-gate-port.ts), so the request thread's own writes never meet SQLite's lock.
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteConnection } from '../store/sqlite/connection.ts';
import { SqliteGraphStore } from '../store/sqlite/graph-store.ts';
import { PortWriteLock, isGateMessage } from '../store/sqlite/write-gate-port.ts';
import { runImport } from './pipeline.ts';
import { fromWire, toWire, type FromWorker, type ToWorker } from './worker-messages.ts';

const { path } = workerData as { path: string };
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

let conn: SqliteConnection;
try {
  conn = new SqliteConnection(path, { createDir: false, writeGate: new PortWriteLock(port) });
  // An import's commit can leave hundreds of megabytes in the WAL. SQLite's automatic checkpoint would copy
  // them inside the commit, with the write gate still held; this worker checkpoints after it instead.
  conn.db.pragma('wal_autocheckpoint = 0');
} catch (e) {
  post({ type: 'failed', message: (e as Error).message });
  process.exit(1);
}
const store = new SqliteGraphStore(conn);

/**
 * One upload as the pipeline reads it. The request thread sends a few chunks ahead and no more: each is
 * acknowledged once the pipeline has room for it, so a slow import holds a bounded part of the file here.
 */
class Upload extends Readable {
  private owed = 0;
  constructor(private readonly id: number) {
    super();
  }
  receive(data: Uint8Array): void {
    if (this.destroyed) return;
    if (this.push(data)) post({ type: 'ack', id: this.id });
    else this.owed++;
  }
  override _read(): void {
    for (; this.owed > 0; this.owed--) post({ type: 'ack', id: this.id });
  }
}

const uploads = new Map<number, Upload>();

function checkpoint(): void {
  if (uploads.size > 0) return;
  try {
    conn.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy: the server's background checkpointer, or the next import, does it.
  }
}

port.on('message', (m: ToWorker) => {
  if (isGateMessage(m)) return;
  if (m.type === 'start') {
    const input = new Upload(m.id);
    uploads.set(m.id, input);
    runImport({ store, input, options: m.options, ctx: m.ctx, limits: m.limits }).then(
      (report) => {
        uploads.delete(m.id);
        post({ type: 'done', id: m.id, report });
        checkpoint();
      },
      (e: unknown) => {
        uploads.delete(m.id);
        input.destroy();
        post({ type: 'error', id: m.id, error: toWire(e) });
      },
    );
  } else if (m.type === 'chunk') uploads.get(m.id)?.receive(m.data);
  else if (m.type === 'end') uploads.get(m.id)?.push(null);
  else if (m.type === 'abort') uploads.get(m.id)?.destroy(fromWire(m.error));
});
post({ type: 'ready' });
