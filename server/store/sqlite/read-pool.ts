// Graph walks (neighbourhood expansion, shortest paths) on worker threads, each with its own read-only
// connection to the same SQLite file. better-sqlite3 runs every statement on the calling thread, so in a
// server a walk used to take the request thread with it: under 50 clients the SQLite work was about half
// of the request thread's time, while the machine's other core sat idle (bench/suites/40-api.ts). WAL lets
// readers on other connections run beside the writer, and a read transaction started after a commit sees
// it, so a client that has its write acknowledged reads it back through a worker too.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '../../jobs/spawn.ts';
import { StoreError } from '../common.ts';
import type { ViewOptions } from '../../analysis/view.ts';
import type { AnalysisView, GraphStore } from '../graph-store.ts';

/** The store methods a worker answers. Pure reads of the graph that need no state of the server's. */
export const READ_POOL_METHODS = ['neighbourhood', 'shortestPaths', 'subgraph'] as const;
export type ReadPoolMethod = (typeof READ_POOL_METHODS)[number];
/** Not a GraphStore method: the worker reads the subgraph and builds the analysis view beside it. */
export const VIEW_METHOD = 'analysisView';

export interface ReadPoolOptions {
  /** Worker threads (default: one per core beside the request thread's, 1 to 4). */
  workers?: number;
  /** The worker module (default ./read-worker.ts; tests swap in one that fails). */
  entry?: URL;
}

// One per spare core: on 2 cores one worker measured 5-15% more requests a second than two (the request
// thread, the worker and the clients already fill both cores), and past 4 the request thread is the limit.
export const READ_POOL_DEFAULTS: Required<ReadPoolOptions> = {
  workers: Math.max(1, Math.min(4, availableParallelism() - 1)),
  entry: new URL('./read-worker.ts', import.meta.url),
};

/** What a worker sends back for one call. */
export type ReadReply =
  | { id: number; value: unknown }
  | { id: number; error: { store: boolean; code?: string; message: string; path?: (string | number)[] } };

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Reader {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** A StoreError thrown in a worker becomes the same StoreError here, so routes answer it the same way. */
function toError(e: Extract<ReadReply, { error: unknown }>['error']): Error {
  if (e.store) return new StoreError(e.code as StoreError['code'], e.message, e.path ?? []);
  return new Error(`SqliteReadPool: ${e.message}`);
}

export class SqliteReadPool {
  private readers: Reader[] = [];
  private nextId = 1;
  private stopping = false;
  /** Calls the workers have answered, with a result or an error (for tests). */
  answered = 0;

  private constructor() {}

  /** Starts the workers; resolves when every one has its connection open. */
  static async start(path: string, opts: ReadPoolOptions = {}): Promise<SqliteReadPool> {
    const n = opts.workers ?? READ_POOL_DEFAULTS.workers;
    if (!Number.isInteger(n) || n < 1 || n > 64)
      throw new Error('SqliteReadPool: workers must be a whole number from 1 to 64');
    const pool = new SqliteReadPool();
    try {
      const entry = opts.entry ?? READ_POOL_DEFAULTS.entry;
      await Promise.all(Array.from({ length: n }, () => pool.add(path, entry)));
    } catch (e) {
      await pool.stop();
      throw e;
    }
    return pool;
  }

  /** Calls sent and not yet answered. */
  get inFlight(): number {
    return this.readers.reduce((n, r) => n + r.pending.size, 0);
  }

  /** Workers still running; the store walks on its own thread when there are none. */
  get size(): number {
    return this.readers.length;
  }

  private async add(path: string, entry: URL): Promise<void> {
    // Normal priority: these answer requests, unlike the analysis workers.
    const worker = spawnTsWorker(entry, { path }, { nice: 0 });
    const reader: Reader = { worker, pending: new Map() };
    await new Promise<void>((resolve, reject) => {
      const early = (e: unknown): void => reject(e instanceof Error ? e : new Error(String(e)));
      const exited = (code: number): void =>
        reject(new Error(`SqliteReadPool: worker exited (code ${code}) before it opened ${path}`));
      worker.once('error', early);
      worker.once('exit', exited);
      worker.once('message', (m: { type?: string; message?: string }) => {
        worker.off('error', early);
        worker.off('exit', exited);
        if (m.type === 'ready') resolve();
        else reject(new Error(`SqliteReadPool: worker could not open ${path}: ${m.message ?? m.type}`));
      });
    });
    worker.on('message', (m: ReadReply) => {
      const p = reader.pending.get(m.id);
      if (!p) return;
      reader.pending.delete(m.id);
      if (reader.pending.size === 0) worker.unref();
      this.answered++;
      if ('error' in m) p.reject(toError(m.error));
      else p.resolve(m.value);
    });
    // A worker that dies takes its calls with it (they fail); the others carry on, and with none left the
    // store walks on its own thread again.
    const gone = (why: string): void => {
      this.readers = this.readers.filter((r) => r !== reader);
      for (const p of reader.pending.values()) p.reject(new Error(`SqliteReadPool: ${why}`));
      reader.pending.clear();
    };
    worker.on('error', (e) => gone(`worker failed: ${e.message}`));
    worker.on('exit', (code) => {
      if (!this.stopping) gone(`worker exited (code ${code})`);
    });
    worker.unref();
    this.readers.push(reader);
  }

  /** Runs `method` on the least busy worker. */
  call<M extends ReadPoolMethod>(
    method: M,
    args: Parameters<GraphStore[M]>,
  ): Promise<Awaited<ReturnType<GraphStore[M]>>> {
    return this.send(method, args) as Promise<Awaited<ReturnType<GraphStore[M]>>>;
  }

  /**
   * Reads a view's subgraph and builds its analysis view on the least busy worker: the request thread
   * receives the arrays shared, not the subgraph's objects to decode and build from.
   */
  callView(options: ViewOptions, opts: { limit?: number; only?: string[] }): Promise<AnalysisView> {
    return this.send(VIEW_METHOD, [options, opts]) as Promise<AnalysisView>;
  }

  private send(method: string, args: unknown[]): Promise<unknown> {
    let reader = this.readers[0];
    if (!reader) return Promise.reject(new Error('SqliteReadPool: no worker is running'));
    for (const r of this.readers) if (r.pending.size < reader.pending.size) reader = r;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Held while it has calls: an unref'd worker with a call in flight would let a CLI exit under it.
      if (reader.pending.size === 0) reader.worker.ref();
      reader.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        reader.worker.postMessage({ id, method, args });
      } catch (e) {
        // Arguments that cannot be copied to the worker (a function, say): this call fails, and nothing of
        // it stays behind to hold the worker.
        reader.pending.delete(id);
        if (reader.pending.size === 0) reader.worker.unref();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const readers = this.readers;
    this.readers = [];
    await Promise.all(
      readers.map(async (r) => {
        for (const p of r.pending.values()) p.reject(new Error('SqliteReadPool: stopped'));
        r.pending.clear();
        await r.worker.terminate();
      }),
    );
  }
}
