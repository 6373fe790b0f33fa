// The one place the Neo4j store talks to the driver: managed read and write transactions (the driver retries
// transient errors), every session through one bookmark manager (causal consistency on a cluster), sessions
// always closed, parameters and results converted between JS numbers and Neo4j
// integers here and nowhere else, and driver errors turned into StoreErrors.
import neo4j, {
  type BookmarkManager,
  type Driver,
  type ManagedTransaction,
  type Session,
} from 'neo4j-driver';
import { LINK_TYPES } from '../../domain/model.ts';
import { StoreError } from '../common.ts';
import { currentReadAfter, type ReadAfter } from '../read-after.ts';
import { Neo4jOutage, type OutageLog } from './outage.ts';
import { cypher } from './queries.ts';

export type Row = Record<string, unknown>;

/** JS -> Neo4j: whole numbers become Neo4j integers (LIMIT, SKIP and counters need them), the rest as is. */
export function toNeo(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? neo4j.int(v) : v;
  if (Array.isArray(v)) return v.map(toNeo);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Row = {};
    for (const [k, x] of Object.entries(v as Row)) if (x !== undefined) out[k] = toNeo(x);
    return out;
  }
  return v;
}

/** Neo4j -> JS: integers to numbers (ids and counts stay far below 2^53), maps and lists recursively. */
export function fromNeo(v: unknown): unknown {
  if (neo4j.isInt(v)) return (v as { toNumber(): number }).toNumber();
  if (Array.isArray(v)) return v.map(fromNeo);
  if (v !== null && typeof v === 'object') {
    const out: Row = {};
    for (const [k, x] of Object.entries(v as Row)) out[k] = fromNeo(x);
    return out;
  }
  return v;
}

const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
]);

/** A transient error the driver's own retries did not get past: a 503, with Neo4j's code kept for callers. */
export class BusyError extends StoreError {
  constructor(
    readonly neo4jCode: string,
    message: string,
  ) {
    super('busy', message);
  }
}

/** A driver error as a StoreError where the caller can act on it; anything else unchanged. */
export function mapError(e: unknown, where: string): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: string } | null)?.code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  if (UNAVAILABLE.has(code) || /ECONNREFUSED|connect|Pool is closed|ServiceUnavailable/i.test(code)) {
    // The driver's "Failed to connect to server. Please ensure ... Caused by: connect ECONNREFUSED ..." says
    // what happened in its last part; the advice about encryption settings only lengthens every 503.
    const cause = /Caused by: (.+)$/s.exec(msg)?.[1] ?? msg;
    return new StoreError('unavailable', `the Neo4j database at ${where} cannot be reached: ${cause}`);
  }
  if (code.startsWith('Neo.TransientError.')) {
    // Still transient after the driver's retries (its memory pool full, a lock it kept losing): the database
    // is there, so this is no outage (the breaker stays closed), but the caller may try again (503).
    const what = code.slice('Neo.TransientError.'.length);
    return new BusyError(code, `the Neo4j database is busy (${what}); try again in a moment`);
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new StoreError('conflict', `the database refused a duplicate: ${msg}`);
  }
  if (code === 'Neo.ClientError.Security.Unauthorized') {
    return new StoreError(
      'unavailable',
      `Neo4j at ${where} refused the credentials (NEO4J_USER / NEO4J_PASSWORD)`,
    );
  }
  return e;
}

/** How long a call may wait before the database is probed (suspect()); well below the 2 s a 503 may take. */
export const SUSPECT_AFTER_MS = 400;
/** Bookmarks a server remembers having handed out. */
const HANDED_OUT_KEPT = 4_096;

/** A transaction handed to store code: it can run named queries only. */
export class Tx {
  constructor(private readonly tx: ManagedTransaction) {}

  async run(name: string, params: Row = {}): Promise<Row[]> {
    const res = await this.tx.run(cypher(name), toNeo(params) as Row);
    return res.records.map((r) => fromNeo(r.toObject()) as Row);
  }

  /**
   * A named query over one link type: `LINK_TYPE` in its text stands for the relationship type, taken only
   * from the domain's allow-list, so an index on that type can serve it (Cypher takes no type as a parameter).
   */
  async runForType(name: string, type: string, params: Row = {}): Promise<Row[]> {
    if (!(LINK_TYPES as readonly string[]).includes(type)) throw new Error(`not a link type: ${type}`);
    const res = await this.tx.run(cypher(name).replaceAll('LINK_TYPE', type), toNeo(params) as Row);
    return res.records.map((r) => fromNeo(r.toObject()) as Row);
  }

  async one(name: string, params: Row = {}): Promise<Row | undefined> {
    return (await this.run(name, params))[0];
  }
}

export interface ExecutorOptions {
  database?: string;
  /** How the server is named in error messages (never the password). */
  where: string;
  /** Where an outage ('error') and the recovery ('warn') are logged; stderr by default. */
  log?: OutageLog;
  /** Between probes while the database is down (outage.ts); 1 s by default. */
  probeEveryMs?: number;
  /** How long query() retries transient errors (as the driver's maxTransactionRetryTime); 5 s by default. */
  retryMs?: number;
}

/** The driver and the database every aggregate of the Neo4j store shares (see stores.ts). */
export class Neo4jExecutor {
  /** Refuses calls at once while the database is down, and notices when it is back. */
  readonly outage: Neo4jOutage;
  /**
   * The one bookmark manager every session of this server passes through (the driver's own, which
   * executeQuery uses too): on a cluster each read waits until the member it reads from has seen every
   * write this server committed, so a user reads their own writes whichever member answers.
   */
  get bookmarks(): BookmarkManager {
    return this.driver.executeQueryBookmarkManager;
  }

  constructor(
    readonly driver: Driver,
    readonly opts: ExecutorOptions,
  ) {
    this.outage = new Neo4jOutage({
      probe: () => driver.verifyConnectivity({ database: opts.database }),
      where: opts.where,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.probeEveryMs ? { probeEveryMs: opts.probeEveryMs } : {}),
    });
  }

  /** The error a call ends with, after noting an outage it reveals (so the next call is refused at once). */
  private async failed(e: unknown): Promise<unknown> {
    const mapped = mapError(e, this.opts.where);
    if (mapped instanceof StoreError && mapped.code === 'unavailable') await this.outage.trip(mapped);
    return mapped;
  }

  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.session('READ', (s) => s.executeRead((tx) => work(new Tx(tx))));
  }

  write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.session('WRITE', (s) => s.executeWrite((tx) => work(new Tx(tx))));
  }

  /**
   * One named query as a transaction of its own (auto-commit): one message each way, where a managed
   * transaction exchanges four (begin, run, pull, commit). On 2 cores at 10 clients each message costs CPU on
   * both sides (issue 21: audited 1-hop expansion), so the requests every call makes (the walk, the audit)
   * use this. Transient errors are retried as the driver retries a managed transaction's; a connection lost
   * while a write was in flight is not, since it may have committed.
   */
  query(mode: 'READ' | 'WRITE', name: string, params: Row = {}): Promise<Row[]> {
    return this.session(mode, async (s) => {
      const text = cypher(name);
      const p = toNeo(params) as Row;
      const until = Date.now() + (this.opts.retryMs ?? 5_000);
      for (let wait = 50; ; wait *= 2) {
        try {
          const res = await s.run(text, p);
          return res.records.map((r) => fromNeo(r.toObject()) as Row);
        } catch (e) {
          const code = (e as { code?: string } | null)?.code ?? '';
          const again =
            code.startsWith('Neo.TransientError.') || (mode === 'READ' && neo4j.isRetryableError(e));
          if (!again || Date.now() + wait > until) throw e;
          await new Promise((res) => setTimeout(res, wait * (0.8 + Math.random() * 0.4)));
        }
      }
    });
  }

  /** A statement outside an explicit transaction: schema changes, which Neo4j runs in their own transaction. */
  async autoCommit(text: string, params: Row = {}): Promise<Row[]> {
    this.outage.check();
    const session = this.driver.session({ database: this.opts.database, bookmarkManager: this.bookmarks });
    try {
      const res = await session.run(text, toNeo(params) as Row);
      return res.records.map((r) => fromNeo(r.toObject()) as Row);
    } catch (e) {
      throw await this.failed(e);
    } finally {
      await session.close();
    }
  }

  /**
   * A call still unanswered after SUSPECT_AFTER_MS has the database probed: killed, it refuses at once, and the
   * outage trips, refusing this call and every other waiting one (onDown). Otherwise the first calls of an
   * outage would wait out the driver's own retry (about 1 s, then the connection timeout) before their 503.
   */
  private suspecting = false;
  /** Bookmarks of writes this server made for requests (so a user's next request here skips the check). */
  private readonly handedOut = new Set<string>();

  private async suspect(): Promise<void> {
    if (this.suspecting || this.outage.down) return;
    this.suspecting = true;
    try {
      // Probed twice: a connection cut under the first probe (a dropped pooled connection, which the driver's
      // retry of the waiting call also survives) is not an outage; a server that is gone refuses both at once.
      await this.driver
        .verifyConnectivity({ database: this.opts.database })
        .catch(() => this.driver.verifyConnectivity({ database: this.opts.database }));
    } catch (e) {
      const mapped = mapError(e, this.opts.where);
      if (mapped instanceof StoreError && mapped.code === 'unavailable')
        await this.outage.trip(mapped, { probed: true });
    } finally {
      this.suspecting = false;
    }
  }

  /**
   * Waits, at most `ra.waitMs`, for the database to have every transaction the request's user last wrote
   * (their signed bookmarks, which another server may have given them): one empty transaction begun with
   * them, once per request. Neo4j itself would wait up to db.transaction.bookmark_ready_timeout (30 s) at
   * the start of every transaction, and the driver would retry; past the bound the request answers 503 and
   * the bookmarks are dropped. A bookmark the database refuses (another database's, after a restore) is
   * dropped and the request goes on without it.
   */
  private catchUp(ra: ReadAfter): Promise<void> {
    ra.caughtUp ??= (async () => {
      const session = this.driver.session({
        database: this.opts.database,
        defaultAccessMode: neo4j.session.READ,
        bookmarks: [...ra.incoming],
      });
      let timer: NodeJS.Timeout | undefined;
      const begun = session.beginTransaction();
      /** Ends the empty transaction and the session without holding the request up. */
      const endLater = () =>
        void begun
          .then((tx) => tx.rollback())
          .catch(() => undefined)
          .finally(() => session.close().catch(() => undefined));
      try {
        const bound = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), ra.waitMs);
        });
        const first = await Promise.race([begun.then(() => 'begun' as const), bound]);
        // Caught up, or given up on (the database's own timeout ends the wait later): nothing waits on it.
        endLater();
        if (first === 'late')
          throw new StoreError(
            'busy',
            `the database has not yet caught up with your last change (waited ${ra.waitMs} ms); ` +
              'try again in a moment',
          );
      } catch (e) {
        ra.incoming = [];
        ra.dropped = true;
        if (e instanceof StoreError) throw e;
        endLater();
        const code = (e as { code?: string } | null)?.code ?? '';
        // Bookmarks it cannot use (unknown database, malformed): read without them rather than fail.
        if (code.startsWith('Neo.ClientError.Transaction.')) return;
        throw await this.failed(e);
      } finally {
        clearTimeout(timer);
      }
    })();
    return ra.caughtUp;
  }

  private async session<T>(mode: 'READ' | 'WRITE', work: (s: Session) => Promise<T>): Promise<T> {
    this.outage.check();
    // Read-your-writes across servers: the request's user's bookmarks (from any server) join this server's.
    const ra = currentReadAfter();
    // Bookmarks this server handed out itself need no check: its bookmark manager holds them or later ones.
    if (ra && ra.incoming.length > 0 && ra.incoming.every((b) => this.handedOut.has(b))) ra.incoming = [];
    if (ra && ra.incoming.length > 0) await this.catchUp(ra);
    const session = this.driver.session({
      database: this.opts.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      bookmarkManager: this.bookmarks,
      ...(ra && ra.incoming.length > 0 ? { bookmarks: [...ra.incoming] } : {}),
    });
    let off = (): void => {};
    let refusedEarly = false;
    const refused = new Promise<never>((_, reject) => {
      off = this.outage.onDown((e) => {
        refusedEarly = true;
        reject(e);
      });
    });
    const timer = setTimeout(() => void this.suspect(), SUSPECT_AFTER_MS);
    try {
      const call = work(session);
      // Refused early, the driver's call ends on its own (closing the session stops its retries).
      call.catch(() => undefined);
      const out = await Promise.race([call, refused]);
      // The answer carries the request's last write, so its user reads it on whichever server comes next.
      // Writes of one request running side by side may finish out of order: the last few are kept.
      if (ra && mode === 'WRITE') {
        const last = session.lastBookmarks();
        ra.written = [...new Set([...(ra.written ?? []), ...last])].slice(-4);
        for (const b of last) this.handedOut.add(b);
        // The last few thousand: older ones come back rarely, and are then checked like another server's.
        if (this.handedOut.size > HANDED_OUT_KEPT)
          this.handedOut.delete(this.handedOut.values().next().value!);
      }
      return out;
    } catch (e) {
      throw await this.failed(e);
    } finally {
      clearTimeout(timer);
      off();
      // Not awaited when refused early: closing waits on a connection that may not answer.
      if (refusedEarly) void session.close().catch(() => undefined);
      else await session.close();
    }
  }
}
