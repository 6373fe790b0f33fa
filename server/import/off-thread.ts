// Imports into a SQLite file run on a worker thread (import-worker.ts): reading, checking and aggregating
// the file and its one write transaction took the request thread for about a second per 100,000 facts, and
// every other request (health included) waited. The request thread now only passes the upload's bytes on.
// The worker writes on its own connection, in turn with the request thread's writers (write-gate.ts): they
// await the gate rather than meet SQLite's lock, so the request thread never busy-waits for the import.
// One worker serves every import; it starts at the first import (or preview) and stays until stop().
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { ImportReport } from '../api-types/imports.ts';
import type { WriteContext } from '../domain/model.ts';
import { spawnTsWorker } from '../jobs/spawn.ts';
import type { Stores } from '../store/stores.ts';
import { SqliteStores } from '../store/sqlite/stores.ts';
import { release } from './csv.ts';
import { ImportError } from './errors.ts';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './pipeline.ts';
import { fromWire, toWire, type FromWorker, type ToWorker } from './worker-messages.ts';

/** Chunks of an upload sent ahead of the worker's acknowledgements (each at most 64 KiB from a socket). */
const WINDOW = 16;

interface Run {
  resolve: (r: ImportReport) => void;
  reject: (e: Error) => void;
  /** The worker acknowledged a chunk. */
  ack: () => void;
  /** The run is over (answered, or the worker is gone): stop passing the upload on. */
  finish: () => void;
}

interface Running {
  worker: Worker;
  /** The imports this worker is running, by id. */
  runs: Map<number, Run>;
  /** Hands back the write gate's turns the worker held or waited for. */
  forgetGate: () => void;
}

export interface OffThreadImportArgs {
  input: Readable;
  options: Record<string, unknown>;
  ctx: Omit<WriteContext, 'importRun'>;
  limits?: Partial<ImportLimits>;
}

export interface ImportWorkerOptions {
  /** How long the worker stays after its last import (default 60 s): its memory goes with it. */
  idleMs?: number;
}

/** Heap bound of the import worker: past it the import fails saying how to split it, the server stays up. */
export const IMPORT_WORKER_MEMORY_MB = 2048;

export class ImportWorker {
  private starting: Promise<Running> | null = null;
  /** The worker `starting` resolved to, once it has. */
  private current: Running | null = null;
  private nextId = 1;
  private stopped = false;
  /** Imports waiting for the worker to start (the worker is not retired under them). */
  private waiting = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;

  private constructor(
    private readonly path: string,
    private readonly stores: SqliteStores,
    opts: ImportWorkerOptions,
  ) {
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /** An import worker for `stores` when they are a SQLite file; null otherwise (imports run in-process). */
  static for(stores: Stores, opts: ImportWorkerOptions = {}): ImportWorker | null {
    if (!(stores instanceof SqliteStores) || !stores.readerPath) return null;
    return new ImportWorker(stores.readerPath, stores, opts);
  }

  /** Starts the worker now if it is not running, so the next import need not wait for it. */
  warm(): void {
    if (this.stopped) return;
    void this.worker()
      .then((w) => this.idleAfter(w))
      .catch(() => undefined);
  }

  /** Resolves once the worker is running (starting it if need be). */
  async ready(): Promise<void> {
    this.idleAfter(await this.worker());
  }

  /** Whether a worker is running or starting now. */
  get running(): boolean {
    return this.starting !== null;
  }

  private worker(): Promise<Running> {
    if (this.stopped) return Promise.reject(new Error('the import worker has been stopped'));
    clearTimeout(this.idleTimer);
    this.starting ??= this.spawn().catch((e: unknown) => {
      this.starting = null;
      throw e;
    });
    return this.starting;
  }

  /** With no import running or about to, the worker is let go after idleMs. */
  private idleAfter(w: Running): void {
    clearTimeout(this.idleTimer);
    if (w.runs.size > 0 || this.waiting > 0 || this.stopped) return;
    this.idleTimer = setTimeout(() => {
      if (w.runs.size > 0 || this.waiting > 0) return;
      void this.retire(w);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private async retire(w: Running): Promise<void> {
    // Forgotten at once, so that an import asking from now on starts a new worker.
    if (this.current === w) {
      this.current = null;
      this.starting = null;
    }
    await w.worker.terminate();
    w.forgetGate();
  }

  private async spawn(): Promise<Running> {
    // Normal priority, unlike the analysis workers: on a saturated machine a worker at nice 10 was
    // descheduled while holding locks the request thread also takes (the allocators' and SQLite's,
    // process-wide), and the request thread stalled behind it (event loop lags of 0.3-1 s, against under
    // 0.1 s at nice 0), and the import took twice as long.
    const worker = spawnTsWorker(
      new URL('./import-worker.ts', import.meta.url),
      { path: this.path },
      { nice: 0, resourceLimits: { maxOldGenerationSizeMb: IMPORT_WORKER_MEMORY_MB } },
    );
    const forgetGate = this.stores.lendWriteGate(worker);
    await new Promise<void>((resolve, reject) => {
      const early = (e: Error): void => reject(e);
      const exited = (code: number): void =>
        reject(new Error(`the import worker stopped (code ${code}) before it opened the database`));
      worker.once('error', early);
      worker.once('exit', exited);
      const ready = (m: FromWorker): void => {
        if (m.type !== 'ready' && m.type !== 'failed') return;
        worker.off('message', ready);
        worker.off('error', early);
        worker.off('exit', exited);
        if (m.type === 'ready') resolve();
        else reject(new Error(`the import worker could not open the database: ${m.message}`));
      };
      worker.on('message', ready);
    }).catch(async (e: unknown) => {
      forgetGate();
      await worker.terminate();
      throw e;
    });
    const w: Running = { worker, runs: new Map(), forgetGate };
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'ack' && m.type !== 'done' && m.type !== 'error') return;
      const run = w.runs.get(m.id);
      if (!run) return;
      if (m.type === 'ack') return run.ack();
      w.runs.delete(m.id);
      run.finish();
      if (w.runs.size === 0) {
        worker.unref();
        this.idleAfter(w);
      }
      if (m.type === 'done') run.resolve(m.report);
      else run.reject(fromWire(m.error));
    });
    // A worker that dies fails the imports it was running (their transactions never committed, so nothing
    // of them is in the store); the next import starts a new one.
    let outOfMemory = false;
    const gone = (why: string): void => {
      forgetGate();
      if (this.current === w) {
        this.current = null;
        this.starting = null;
      }
      const runs = [...w.runs.values()];
      w.runs.clear();
      for (const r of runs) {
        r.finish();
        r.reject(
          outOfMemory
            ? new ImportError(
                413,
                'too_large',
                `the import needed more than ${IMPORT_WORKER_MEMORY_MB} MB of memory and was stopped; nothing of it was saved. ` +
                  'Split the file into smaller files, or import it with the CLI on the server (npm run import)',
              )
            : new Error(`the import stopped: ${why}; nothing of it was saved`),
        );
      }
    };
    worker.on('error', (e) => {
      outOfMemory = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      gone(`the import worker failed (${e.message})`);
    });
    worker.on('exit', (code) => gone(`the import worker exited (code ${code})`));
    worker.unref();
    this.current = w;
    return w;
  }

  /** Imports `input` on the worker; resolves with the same report as runImport (pipeline.ts). */
  async run({ input, options, ctx, limits }: OffThreadImportArgs): Promise<ImportReport> {
    // The upload may fail or be cut off while the worker starts: that is kept and passed on below.
    let failed: Error | null = null;
    const early = (e: Error): void => void (failed ??= e);
    input.on('error', early);
    let w: Running;
    this.waiting++;
    try {
      w = await this.worker();
    } catch (e) {
      release(input);
      throw e;
    } finally {
      this.waiting--;
      input.off('error', early);
    }
    const { worker } = w;
    const id = this.nextId++;
    const send = (m: ToWorker): void => worker.postMessage(m);
    let inFlight = 0;
    let over = false;
    const onData = (chunk: Buffer | string): void => {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      send({ type: 'chunk', id, data });
      if (++inFlight >= WINDOW) input.pause();
    };
    const onEnd = (): void => send({ type: 'end', id });
    const onError = (e: Error): void => send({ type: 'abort', id, error: toWire(e) });
    // A client that goes away mid-upload: its body closes without ending, and the import must not wait on.
    const onClose = (): void => {
      if (!input.readableEnded) onError(new Error('the upload was cut off before the end of the file'));
    };
    const finish = (): void => {
      if (over) return;
      over = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.off('close', onClose);
      // An upload that fails after its import is over must not take the server with it.
      input.on('error', () => undefined);
      // The rest of an upload the import no longer needs is drained, so the answer can still be sent.
      if (!input.readableEnded) release(input);
    };
    const report = new Promise<ImportReport>((resolve, reject) => {
      w.runs.set(id, {
        resolve,
        reject,
        ack: () => {
          if (--inFlight < WINDOW && !over && input.isPaused()) input.resume();
        },
        finish,
      });
    });
    if (w.runs.size === 1) worker.ref();
    send({
      type: 'start',
      id,
      options,
      ctx,
      limits: { ...DEFAULT_IMPORT_LIMITS, ...limits },
    });
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.on('close', onClose);
    if (failed) onError(failed);
    else if (input.destroyed) onClose();
    return report;
  }

  /** Stops the worker; imports still running fail (nothing of them is saved). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    const starting = this.starting;
    this.starting = null;
    this.current = null;
    const w = await starting?.catch(() => null);
    if (!w) return;
    const runs = [...w.runs.values()];
    w.runs.clear();
    for (const r of runs) {
      r.finish();
      r.reject(new Error('the import stopped: the server is shutting down; nothing of it was saved'));
    }
    await w.worker.terminate();
    w.forgetGate();
  }
}
