// Group commit for the audit hook. Every audited request must have its record written before its response
// leaves, and the hash chain makes each append a write transaction. One transaction per request put a
// commit on every read (about 60 µs of a single event loop on SQLite, a round trip on Neo4j); here the
// records of all requests finishing in the same turn of the event loop share one transaction, and each
// request still waits for its own record. No timer: a record waits at most until the loop's check phase
// (setImmediate), or, on a store that answers asynchronously, until the group ahead of it commits. On Neo4j
// the group's transaction takes only the chain head's lock (store/neo4j/security.ts): graph writes and reads
// never wait on it, and the groups of several servers take turns on it, so their records form one chain.
import type { AuditEvent, AuditInput } from '../domain/model.ts';
import { StoreError } from '../store/common.ts';
import type { SecurityStore } from '../store/security-store.ts';

interface Pending {
  input: AuditInput;
  resolve: (e: AuditEvent) => void;
  reject: (err: unknown) => void;
}

export interface AuditWriterOptions {
  /** Most records in one transaction (default 500): bounds the time one commit holds the chain head. */
  maxBatch?: number;
}

export const AUDIT_WRITER_DEFAULTS: Required<AuditWriterOptions> = { maxBatch: 500 };

export class AuditWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private flushing = false;
  private readonly maxBatch: number;

  constructor(
    private readonly store: Pick<SecurityStore, 'appendAudit' | 'appendAuditBatch'>,
    opts: AuditWriterOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? AUDIT_WRITER_DEFAULTS.maxBatch;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1)
      throw new Error('AuditWriter: maxBatch must be a whole number above 0');
  }

  /** Resolves with the stored record once its transaction has committed; rejects if it could not be. */
  append(input: AuditInput): Promise<AuditEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const events = await this.store.appendAuditBatch(batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(events[i]));
      return;
    } catch (err) {
      // The store is down (a 503): no record of the group can be written, so all are refused at once. Retrying
      // them one by one would keep each request waiting on the store's timeouts in turn (30-88 s seen).
      if (batch.length === 1 || storeUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
    }
    // The group failed as a whole (nothing of it was written): retry one by one, so that a record the
    // store refuses withholds only its own response, not its neighbours'.
    for (const p of batch) {
      try {
        p.resolve(await this.store.appendAudit(p.input));
      } catch (err) {
        p.reject(err);
      }
    }
  }
}

function storeUnavailable(err: unknown): boolean {
  return err instanceof StoreError && err.code === 'unavailable';
}
