// Read-your-writes across servers: what one request brings of its user's last writes (Neo4j bookmarks a
// server gave them) and what it wrote itself, carried through the request's async calls (AsyncLocalStorage)
// so the store's executor starts the request's transactions with them without every store method taking
// them as a parameter. The request's plumbing (server/security/read-after-cookie.ts) fills `incoming` from a
// signed cookie and hands `written` back in it; a store without bookmarks (SQLite: one file, every read
// sees every commit) ignores it all.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The user's progress markers within one request. */
export class ReadAfter {
  /** Bookmarks the request brought (checked and signed by a server of the tier), to read at least that far. */
  incoming: readonly string[];
  /** Bookmarks of the request's own last write, for the answer to carry; null while it wrote nothing. */
  written: string[] | null = null;
  /**
   * Set once the database answering is known to have caught up with `incoming` (a promise shared by every
   * transaction of the request), so the wait is bounded and checked once.
   */
  caughtUp: Promise<void> | null = null;
  /** The database did not catch up within the bound, or refused the bookmarks: the answer drops them. */
  dropped = false;

  constructor(
    incoming: readonly string[],
    /** Longest a request waits for the database to catch up with `incoming` before answering 503. */
    readonly waitMs: number,
  ) {
    this.incoming = incoming;
  }
}

/** Things a store must know of the tier to sign what it hands out: a MAC under the key every server shares. */
export interface ReadAfterSigner {
  mac(data: string): string;
}

const scopes = new AsyncLocalStorage<ReadAfter>();

/** Runs `fn` (and every async call it makes) with `scope` as the request's read-after state. */
export function runWithReadAfter<T>(scope: ReadAfter, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** The running request's read-after state; undefined outside a request (start-up, timers, tools). */
export function currentReadAfter(): ReadAfter | undefined {
  return scopes.getStore();
}
