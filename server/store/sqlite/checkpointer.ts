// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit pushes the
// WAL past 1,000 pages: it copies those pages into the database and syncs the file, on the request thread
// of the server. With every read audited, commits are frequent and that pause lands on every request in
// flight (the audit bench measured p99.9 commit times of 10-12 ms with it, 4-5 ms without). So the server
// turns the automatic checkpoint off and a worker thread with its own connection checkpoints instead.
import type Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '../../jobs/spawn.ts';

export interface CheckpointerOptions {
  /** How often the worker checkpoints (default 250 ms). */
  intervalMs?: number;
}

export const CHECKPOINTER_DEFAULTS: Required<CheckpointerOptions> = { intervalMs: 250 };

/** SQLite's own default, restored if the worker cannot run. */
const AUTO_CHECKPOINT_PAGES = 1000;

export class BackgroundCheckpointer {
  private stopped = false;
  private exited = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly worker: Worker,
  ) {}

  /** Starts the worker; resolves once it has its connection open, with automatic checkpoints off. */
  static async start(
    db: Database.Database,
    path: string,
    opts: CheckpointerOptions = {},
  ): Promise<BackgroundCheckpointer> {
    const intervalMs = opts.intervalMs ?? CHECKPOINTER_DEFAULTS.intervalMs;
    if (!Number.isFinite(intervalMs) || intervalMs < 10)
      throw new Error('BackgroundCheckpointer: intervalMs must be at least 10');
    // Normal priority: a starved checkpointer would let the WAL grow without bound.
    const worker = spawnTsWorker(
      new URL('./checkpoint-worker.ts', import.meta.url),
      { path, intervalMs },
      { nice: 0 },
    );
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { type: string }) =>
        m.type === 'ready' ? resolve() : reject(new Error(m.type)),
      );
      worker.once('error', reject);
    });
    const c = new BackgroundCheckpointer(db, worker);
    db.pragma('wal_autocheckpoint = 0');
    const fallBack = (): void => {
      // Whatever went wrong in the worker, the WAL must not grow for ever: checkpoint on commit again.
      if (!c.stopped && db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    };
    worker.on('message', (m: { type: string }) => {
      if (m.type === 'failed') {
        fallBack();
        void worker.terminate();
      }
    });
    worker.on('error', fallBack);
    worker.on('exit', () => {
      c.exited = true;
      fallBack();
    });
    worker.unref();
    return c;
  }

  /** Stops the worker and hands checkpoints back to SQLite (the last close checkpoints the WAL whole). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.exited) {
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
      return;
    }
    // Held (ref'd) while it stops: with nothing else pending, an unref'd worker would let the process
    // end here, before the caller's next step (an exit code, a final message).
    this.worker.ref();
    const done = new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}
