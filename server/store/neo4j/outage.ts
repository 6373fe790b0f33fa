// What the Neo4j store does while the database cannot be reached: the first call that finds it down trips
// this breaker; from then on every call is refused at once with a 503 (instead of each waiting on the
// driver's connection and retry timeouts), and a probe tries the database once a second in the background,
// so service comes back by itself, without a restart, as soon as it answers.
import { StoreError } from '../common.ts';

export interface OutageOptions {
  /** Reaches the database or throws (the driver's verifyConnectivity). */
  probe: () => Promise<unknown>;
  /** How the server is named in messages (never the password). */
  where: string;
  /** Between probes while down. */
  probeEveryMs?: number;
  /**
   * Where the outage ('error') and the recovery ('warn', so the default LOG_LEVEL shows both) are said: the
   * server's logger once it runs (server/cli/start.ts), stderr before.
   */
  log?: OutageLog;
}

export type OutageLog = (line: string, level: 'error' | 'warn') => void;

export const OUTAGE_DEFAULTS = { probeEveryMs: 1_000 };

export class Neo4jOutage {
  private since: Date | null = null;
  private reason = '';
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private confirming = false;
  private readonly listeners = new Set<(e: StoreError) => void>();
  private readonly every: number;
  private readonly log: OutageLog;

  constructor(private readonly opts: OutageOptions) {
    this.every = opts.probeEveryMs ?? OUTAGE_DEFAULTS.probeEveryMs;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get down(): boolean {
    return this.since !== null;
  }

  /** Throws the 503 a caller gets while the database is down. */
  check(): void {
    if (this.since) throw this.error();
  }

  /**
   * Calls `listener` with the 503 when the database is found down, so that a call still waiting on the
   * driver (its retry, a connection that does not answer) is refused then instead of later. Returns the
   * unsubscribe.
   */
  onDown(listener: (e: StoreError) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private error(): StoreError {
    const since = (this.since ?? new Date()).toISOString();
    return new StoreError(
      'unavailable',
      `the Neo4j database at ${this.opts.where} cannot be reached (since ${since}: ` +
        `${this.reason}); Linkchart tries it every ${this.every / 1000} s and serves again as soon as it answers`,
    );
  }

  /**
   * A call found the database unreachable. One probe first, so that a single dropped connection on a busy
   * server does not shut the service for a second; if the probe fails too, further calls are refused until
   * a later probe reaches it. `probed`: the caller's failure was itself a probe (executor.ts suspect()).
   */
  async trip(e: StoreError, opts: { probed?: boolean } = {}): Promise<void> {
    if (this.since || this.closed || this.confirming) return;
    if (!opts.probed) {
      this.confirming = true;
      try {
        await this.opts.probe();
        return;
      } catch {
        // Down indeed.
      } finally {
        this.confirming = false;
      }
    }
    if (this.since || this.closed) return;
    this.since = new Date();
    // The driver's own words after our "cannot be reached:" (check() says that part itself).
    this.reason = e.message.replace(/^.*? cannot be reached: /, '');
    this.log(`neo4j: ${e.message}; answering 503 until it is back`, 'error');
    this.schedule();
    const refused = this.error();
    for (const l of [...this.listeners]) l(refused);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tryOnce(), this.every);
    // A probe must not keep a finished process alive.
    this.timer.unref();
  }

  private async tryOnce(): Promise<void> {
    this.timer = null;
    if (this.closed || !this.since) return;
    try {
      await this.opts.probe();
      const secs = ((Date.now() - this.since.getTime()) / 1000).toFixed(1);
      this.since = null;
      this.log(`neo4j: ${this.opts.where} answers again after ${secs} s; serving`, 'warn');
    } catch {
      if (!this.closed) this.schedule();
    }
  }
}
