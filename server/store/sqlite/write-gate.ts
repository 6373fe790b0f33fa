// The one in-process queue for SQLite's write lock. better-sqlite3 waits for a lock held by another
// connection with a synchronous busy wait: once an import writes on its own connection in a worker thread,
// a write on the request thread that simply ran would stop the event loop until the import committed
// (seconds). So every writer of the process takes its turn here first: the request thread's writes (store
// changes, audit records) await the gate and then run their synchronous transaction, the import worker
// holds it for its transaction (write-gate-port.ts), and nobody meets SQLite's lock taken by this process.
// Turns are first come, first served; reads (WAL) never wait here.

/** Something that runs a synchronous write when it is this writer's turn. */
export interface WriteLock {
  run<T>(write: () => T): Promise<T>;
}

export class WriteGate implements WriteLock {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Writers waiting for their turn (not counting the one holding it). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Whether a writer holds the gate now. */
  get busy(): boolean {
    return this.held;
  }

  /**
   * Resolves, in the order asked, once the caller holds the gate; the function it resolves with hands
   * the gate on (calling it again does nothing).
   */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.held = true;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.handOn();
        });
      };
      if (!this.held && this.waiting.length === 0) grant();
      else this.waiting.push(grant);
    });
  }

  private handOn(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  /**
   * Runs `write` (synchronous: a transaction; a function returning a promise would hand the gate on
   * before its work was done) in its turn and hands the gate on, whether it returned or
   * threw. When the gate is free it runs at once, without waiting for a later turn of the event loop.
   */
  run<T>(write: () => T): Promise<T> {
    if (!this.held && this.waiting.length === 0) {
      this.held = true;
      try {
        return Promise.resolve(write());
      } catch (e) {
        return Promise.reject(e as Error);
      } finally {
        this.handOn();
      }
    }
    return this.acquire().then((release) => {
      try {
        return write();
      } finally {
        release();
      }
    });
  }
}
