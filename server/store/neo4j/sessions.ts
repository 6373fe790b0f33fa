// SessionStore on Neo4j: (:Session {tokenHash, ...}) and (:LoginCounter {key, ...}) nodes, so every server
// on the database shares sessions and the sign-in throttle. A throttle change write-locks its counters first
// (login-counters-lock), so two servers counting the same key take turns.
//
// A session read is reused by this server for up to SESSION_CACHE_MS: every request reads its session, and on
// Neo4j that is a round trip and a transaction per request (issue 21: audited reads at 10 clients). What this
// server changes (sign-in, touch, sign-out, a user's sessions ended) it applies to its copy at once; a sign-out
// or an account disabled on another server is honoured here within SESSION_CACHE_MS (README: More than one
// machine).
import { randomUUID } from 'node:crypto';
import type { Role } from '../../domain/model.ts';
import type { CounterChange, LoginCounter, SessionStore, StoredSession } from '../session-store.ts';
import type { Neo4jContext } from './context.ts';
import type { Row } from './executor.ts';
import { TierAccess } from './tier-schema.ts';

const toSession = (s: Row): StoredSession => ({
  tokenHash: s.tokenHash as string,
  userId: s.userId as string,
  userName: s.userName as string,
  role: s.role as Role,
  csrf: s.csrf as string,
  createdAt: s.createdAt as number,
  lastSeen: s.lastSeen as number,
});

/** How long this server reuses a session it read (another server's sign-out is honoured within this). */
export const SESSION_CACHE_MS = 1_000;
/** Sessions kept at most; past it the copies are dropped (each is read again, once). */
const SESSION_CACHE_MAX = 10_000;

export interface Neo4jSessionOptions {
  /** How long a session read is reused (default SESSION_CACHE_MS); 0 reads every time. */
  cacheMs?: number;
  now?: () => number;
}

export class Neo4jSessionStore implements SessionStore {
  private readonly db: TierAccess;
  private readonly cacheMs: number;
  private readonly now: () => number;
  /** Sessions by token hash as last read or written here, with when they were read. */
  private readonly cache = new Map<string, { s: StoredSession; at: number }>();
  /** Moves on every sign-out here: a read begun before one is not kept (it may predate the delete). */
  private ends = 0;

  constructor(c: Neo4jContext, opts: Neo4jSessionOptions = {}) {
    this.db = new TierAccess(c);
    this.cacheMs = opts.cacheMs ?? SESSION_CACHE_MS;
    this.now = opts.now ?? Date.now;
  }

  private remember(s: StoredSession): void {
    if (this.cacheMs <= 0) return;
    if (this.cache.size >= SESSION_CACHE_MAX) this.cache.clear();
    this.cache.set(s.tokenHash, { s: { ...s }, at: this.now() });
  }

  async putSession(s: StoredSession): Promise<void> {
    const { tokenHash, ...props } = s;
    this.cache.delete(tokenHash);
    await this.db.write((tx) => tx.run('session-put', { tokenHash, props }));
    this.remember(s);
  }

  async getSession(tokenHash: string): Promise<StoredSession | null> {
    const hit = this.cache.get(tokenHash);
    if (hit && this.now() - hit.at < this.cacheMs) return { ...hit.s };
    this.cache.delete(tokenHash);
    const ends = this.ends;
    const r = await this.db.read((tx) => tx.one('session-get', { tokenHash }));
    // An unknown token is not kept: it is read again each time, as before.
    if (!r) return null;
    const s = toSession(r.s as Row);
    if (ends === this.ends) this.remember(s);
    return { ...s };
  }

  async touchSession(tokenHash: string, lastSeen: number): Promise<void> {
    await this.db.write((tx) => tx.run('session-touch', { tokenHash, lastSeen }));
    const hit = this.cache.get(tokenHash);
    if (hit && hit.s.lastSeen < lastSeen) hit.s.lastSeen = lastSeen;
  }

  /**
   * Runs a delete of sessions, dropping this server's copies of those it ends before and after it: a read that
   * overlapped the delete may have seen them still there, and is not kept (`ends`).
   */
  private async ending<T>(ends: (s: StoredSession) => boolean, write: () => Promise<T>): Promise<T> {
    const drop = () => {
      this.ends++;
      for (const [k, v] of this.cache) if (ends(v.s)) this.cache.delete(k);
    };
    drop();
    try {
      return await write();
    } finally {
      drop();
    }
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.ending(
      (s) => s.tokenHash === tokenHash,
      () => this.db.write((tx) => tx.run('session-delete', { tokenHash })),
    );
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const r = await this.ending(
      (s) => s.userId === userId,
      () => this.db.write((tx) => tx.one('sessions-delete-user', { userId })),
    );
    return (r?.n as number | undefined) ?? 0;
  }

  async sweepSessions(idleBefore: number, createdBefore: number): Promise<number> {
    const r = await this.ending(
      () => true,
      () => this.db.write((tx) => tx.one('sessions-sweep', { idleBefore, createdBefore })),
    );
    return (r?.n as number | undefined) ?? 0;
  }

  async countSessions(): Promise<number> {
    const r = await this.db.read((tx) => tx.one('sessions-count'));
    return (r?.n as number | undefined) ?? 0;
  }

  async changeLoginCounters<T>(
    keys: string[],
    change: (current: Array<LoginCounter | null>) => CounterChange<T>,
  ): Promise<T> {
    return this.db.write(async (tx) => {
      const rows = await tx.run('login-counters-lock', { keys, token: randomUUID() });
      const byKey = new Map(rows.map((r) => [r.key as string, r.c as Row]));
      const current = keys.map((k) => {
        const c = byKey.get(k);
        return c && typeof c.count === 'number' ? (c as unknown as LoginCounter) : null;
      });
      const { write, result } = change(current);
      await tx.run('login-counters-write', {
        rows: keys.map((key, i) => ({ key, c: write[i] ? { ...write[i] } : null })),
      });
      return result;
    });
  }

  async sweepLoginCounters(before: number, now: number): Promise<number> {
    const r = await this.db.write((tx) => tx.one('login-counters-sweep', { before, now }));
    return (r?.n as number | undefined) ?? 0;
  }
}
