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
  /** Where the outage and the recovery are said (the server's log). */
  log?: (line: string) => void;
}

export const OUTAGE_DEFAULTS = { probeEveryMs: 1_000 };

export class Neo4jOutage {
  private since: Date | null = null;
  private reason = '';
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private confirming = false;
  private readonly every: number;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: OutageOptions) {
    this.every = opts.probeEveryMs ?? OUTAGE_DEFAULTS.probeEveryMs;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get down(): boolean {
    return this.since !== null;
  }

  /** Throws the 503 a caller gets while the database is down. */
  check(): void {
    if (!this.since) return;
    throw new StoreError(
      'unavailable',
      `the Neo4j database at ${this.opts.where} cannot be reached (since ${this.since.toISOString()}: ` +
        `${this.reason}); Linkchart tries it every ${this.every / 1000} s and serves again as soon as it answers`,
    );
  }

  /**
   * A call found the database unreachable. One probe first, so that a single dropped connection on a busy
   * server does not shut the service for a second; if the probe fails too, further calls are refused until
   * a later probe reaches it.
   */
  async trip(e: StoreError): Promise<void> {
    if (this.since || this.closed || this.confirming) return;
    this.confirming = true;
    try {
      await this.opts.probe();
      return;
    } catch {
      // Down indeed.
    } finally {
      this.confirming = false;
    }
    if (this.since || this.closed) return;
    this.since = new Date();
    this.reason = e.message;
    this.log(`neo4j: ${e.message}; answering 503 until it is back`);
    this.schedule();
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
      this.log(`neo4j: ${this.opts.where} answers again after ${secs} s; serving`);
    } catch {
      if (!this.closed) this.schedule();
    }
  }
}
