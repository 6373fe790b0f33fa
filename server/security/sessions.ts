// Server-side sessions and the login throttle, kept in the store (server/store/session-store.ts) so that
// every Linkchart server of a tier shares them: signed in on one, carry on on another; signed out (or the
// password changed) on one, signed out everywhere. The cookie carries only a 128-bit random id; the store
// holds its SHA-256, so a copy of the database does not hand out live session ids.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../domain/model.ts';
import { foldName } from '../domain/names.ts';
import type { LoginCounter, SessionStore as SessionKeeping, StoredSession } from '../store/session-store.ts';
import { MemorySessionStore } from './memory-sessions.ts';

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  /** Double-submit CSRF token bound to this session (also sent in a readable cookie). */
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionLimits {
  /** Idle timeout: 30 minutes (CJIS session lock; ASVS 7.3.1). */
  idleMs: number;
  /** Absolute lifetime: 12 hours, one shift (ASVS 7.3.2). */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/**
 * Cookie names. `__Host-` makes the browser refuse the cookie unless it is Secure, has Path=/ and no
 * Domain: so it only works over HTTPS. On plain-http loopback (the demo quick start, tests) a browser
 * would silently drop a `__Host-` cookie, so we fall back to a plain name with the same other flags.
 */
export function cookieNames(secure: boolean): { session: string; csrf: string } {
  return secure
    ? { session: '__Host-linkchart', csrf: '__Host-linkchart-csrf' }
    : { session: 'linkchart_session', csrf: 'linkchart_csrf' };
}

// One-shot hash: computed on every request, and a third of the cost of a createHash object.
const digest = (id: string): string => hash('sha256', id, 'hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export interface SessionStoreOptions {
  limits?: Partial<SessionLimits>;
  /** Injected clock, so tests can expire a session without waiting. */
  now?: () => number;
  /** Where sessions are kept: the stores' (every server shares them); in this process's memory if absent. */
  keep?: SessionKeeping;
}

/** Expired sessions are swept at most this often (by whichever server notices first). */
const SWEEP_EVERY_MS = 60_000;

export class SessionStore {
  readonly limits: SessionLimits;
  readonly now: () => number;
  readonly #keep: SessionKeeping;
  /**
   * A request moves the stored idle timer only when it has moved this far, so most requests only read the
   * session (reads stay reads); the idle timeout is then at most this much shorter than configured.
   */
  readonly #touchMs: number;
  #sweptAt = -Infinity;

  constructor(opts: SessionStoreOptions = {}) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    this.#keep = opts.keep ?? new MemorySessionStore();
    this.#touchMs = Math.min(60_000, Math.floor(this.limits.idleMs / 30));
  }

  /** A new session; returns the raw id (for the cookie) once. It is never stored. */
  async create(user: SessionUser): Promise<{ id: string; session: Session }> {
    await this.#sweep();
    const id = randomBytes(16).toString('base64url');
    const t = this.now();
    const session: Session = { user, csrf: randomBytes(16).toString('base64url'), createdAt: t, lastSeen: t };
    await this.#keep.putSession({
      tokenHash: digest(id),
      userId: user.id,
      userName: user.name,
      role: user.role,
      csrf: session.csrf,
      createdAt: t,
      lastSeen: t,
    });
    return { id, session };
  }

  /** The live session for a cookie value, touching its idle timer; null if unknown or expired. */
  async get(id: string | undefined): Promise<Session | null> {
    // 16 bytes of base64url is exactly 22 characters; anything else is forged and not worth hashing.
    if (!id || !/^[A-Za-z0-9_-]{22}$/.test(id)) return null;
    const key = digest(id);
    const s = await this.#keep.getSession(key);
    if (!s) return null;
    const t = this.now();
    if (this.#expired(s, t)) {
      await this.#keep.deleteSession(key);
      return null;
    }
    if (t - s.lastSeen >= this.#touchMs) await this.#keep.touchSession(key, t);
    return {
      user: { id: s.userId, name: s.userName, role: s.role },
      csrf: s.csrf,
      createdAt: s.createdAt,
      lastSeen: t,
    };
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.#keep.deleteSession(digest(id));
  }

  /** Ends every session of a user: on disable, role change and password reset. Returns how many. */
  destroyUser(userId: string): Promise<number> {
    return this.#keep.deleteUserSessions(userId);
  }

  /** Live sessions (after dropping expired ones). */
  async size(): Promise<number> {
    this.#sweptAt = -Infinity;
    await this.#sweep();
    return this.#keep.countSessions();
  }

  #expired(s: StoredSession, t: number): boolean {
    return t - s.lastSeen > this.limits.idleMs || t - s.createdAt > this.limits.absoluteMs;
  }

  async #sweep(): Promise<void> {
    const t = this.now();
    if (t - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = t;
    await this.#keep.sweepSessions(t - this.limits.idleMs, t - this.limits.absoluteMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Login throttle
//
// Every attempt is counted before its password is checked. `begin` reserves a place in the same store
// transaction as the check (so no number of concurrent requests, on any number of servers, can all pass the
// check before any is counted), and the attempt stays counted as pending until its outcome is known: a failure
// turns it into a recorded failure, a success or an error before any verdict frees it. While the recorded
// failures and the pending attempts together reach a limit, further attempts are refused without their
// password being looked at; once the recorded failures alone reach it, the key is locked.

export interface ThrottleOptions {
  /** Failures for one user name from one address before that pair is locked: 5. */
  maxFailures: number;
  /** Failures for one user name from all addresses together (guessing from many machines): 20. */
  maxPerName: number;
  /** Failures from one address per window, whatever the names tried (password spraying): 50. */
  maxPerAddress: number;
  /** Window failures are counted over: 15 minutes. */
  windowMs: number;
  /** How long a key stays locked once a limit is reached: 15 minutes. */
  lockMs: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  maxFailures: 5,
  maxPerName: 20,
  maxPerAddress: 50,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  now: Date.now,
};

/** What a refused attempt is told to wait while the attempts in flight decide whether the key locks. */
export const BUSY_WAIT_MS = 1_000;

/**
 * The environment variable that sets each part of the throttle, and its range (read by server/config.ts;
 * a bad value stops the start naming it). Times are given in seconds.
 */
export const THROTTLE_ENV = {
  maxFailures: ['LINKCHART_LOGIN_MAX_FAILURES', 1, 1_000_000],
  maxPerName: ['LINKCHART_LOGIN_MAX_PER_NAME', 1, 1_000_000],
  maxPerAddress: ['LINKCHART_LOGIN_MAX_PER_ADDRESS', 1, 1_000_000],
  windowMs: ['LINKCHART_LOGIN_WINDOW_SECONDS', 1, 7 * 86_400],
  lockMs: ['LINKCHART_LOGIN_LOCK_SECONDS', 1, 7 * 86_400],
} as const satisfies Record<string, readonly [string, number, number]>;

/**
 * How long an attempt stays counted as pending: a server that stops mid-attempt (its settle never comes)
 * holds the key busy no longer than this. A password check takes well under a second.
 */
export const PENDING_MS = 60_000;

/** One begun attempt. Settle it once: `fail()` or `succeed()`; `release()` (in a finally) frees it otherwise. */
export interface LoginAttempt {
  /** The password was wrong (or the account unknown or disabled): counts against every limit. */
  fail(): Promise<void>;
  /**
   * The password was right: frees its place, and forgets the failures for this name and address that were
   * recorded before it began. Failures of attempts that were in flight beside it stay counted, and so does
   * any lock; the per-name and per-address counts are left to their window.
   */
  succeed(): Promise<void>;
  /** No verdict was reached (an error): frees its place, counts nothing. Does nothing once settled. */
  release(): Promise<void>;
}

export type ThrottleGate = { attempt: LoginAttempt; waitMs: 0 } | { attempt: null; waitMs: number };

export interface LoginThrottleOptions extends Partial<ThrottleOptions> {
  /** Where the counters are kept: the stores' (every server counts together); this process's memory if absent. */
  keep?: SessionKeeping;
}

/**
 * Per (name, address), per name and per address failure counting with temporary locks, kept in the store:
 * each begin and settle is one transaction over the attempt's three counters, so attempts on any number of
 * servers are counted together and no number of concurrent attempts can all pass a check before any is
 * counted. Names are compared folded (foldName), so `Victim` and `victim` share their counts, as they share
 * their account.
 */
export class LoginThrottle {
  readonly opts: ThrottleOptions;
  readonly #keep: SessionKeeping;
  #sweptAt = -Infinity;

  constructor(opts: LoginThrottleOptions = {}) {
    const { keep, ...rest } = opts;
    this.opts = { ...DEFAULT_THROTTLE, ...rest };
    this.#keep = keep ?? new MemorySessionStore();
  }

  #keys(name: string, ip: string): Array<[string, number]> {
    const n = foldName(name);
    return [
      [`pair\u0000${n}\u0000${ip}`, this.opts.maxFailures],
      [`name\u0000${n}`, this.opts.maxPerName],
      [`address\u0000${ip}`, this.opts.maxPerAddress],
    ];
  }

  /**
   * A key's counter as it stands at `t`: started afresh when its lock has ended or, unlocked, its window
   * has run out (attempts in flight keep their places); pending attempts past PENDING_MS no longer count.
   */
  #current(c: LoginCounter | null, t: number): LoginCounter | null {
    if (!c) return null;
    const out = { ...c };
    if (out.pendingUntil <= t) out.pending = 0;
    if (out.lockedUntil > 0 ? out.lockedUntil <= t : t - out.windowStart > this.opts.windowMs) {
      // A lock that has run its course starts a fresh count, as does a window that has run out.
      out.count = 0;
      out.windowStart = t;
      out.lockedUntil = 0;
    }
    return out;
  }

  #wait(c: LoginCounter | null, max: number, t: number): number {
    if (!c) return 0;
    if (c.lockedUntil > t) return c.lockedUntil - t;
    return c.count + c.pending >= max ? BUSY_WAIT_MS : 0;
  }

  /** Milliseconds until an attempt for this name from this address may be made; 0 when it may now. */
  async check(name: string, ip: string): Promise<number> {
    const t = this.opts.now();
    const keys = this.#keys(name, ip);
    return this.#keep.changeLoginCounters(
      keys.map(([k]) => k),
      (current) => ({
        write: keys.map(() => null),
        result: Math.max(0, ...current.map((c, i) => this.#wait(this.#current(c, t), keys[i][1], t))),
      }),
    );
  }

  /**
   * Counts an attempt before its password is checked. Refused (with the wait) when a key is locked, or when
   * the failures recorded and the attempts in flight already fill a limit; otherwise the attempt holds a
   * place under every limit until it is settled.
   */
  async begin(name: string, ip: string): Promise<ThrottleGate> {
    const t = this.opts.now();
    await this.#sweep(t);
    const keys = this.#keys(name, ip);
    const names = keys.map(([k]) => k);
    type Begun = { wait: number; before: { count: number; windowStart: number } | null };
    const begun = await this.#keep.changeLoginCounters<Begun>(names, (stored) => {
      const current = stored.map((c) => this.#current(c, t));
      const wait = Math.max(0, ...current.map((c, i) => this.#wait(c, keys[i][1], t)));
      if (wait > 0) return { write: keys.map(() => null), result: { wait, before: null } };
      const next = current.map((c) => {
        const base = c ?? { count: 0, pending: 0, pendingUntil: 0, windowStart: t, lockedUntil: 0 };
        return { ...base, pending: base.pending + 1, pendingUntil: t + PENDING_MS };
      });
      return {
        write: next,
        result: { wait: 0, before: { count: next[0].count, windowStart: next[0].windowStart } },
      };
    });
    if (begun.before === null) return { attempt: null, waitMs: begun.wait };
    const before = begun.before;
    let settled = false;
    const settle = async (outcome: 'fail' | 'succeed' | 'release'): Promise<void> => {
      if (settled) return;
      settled = true;
      const now = this.opts.now();
      await this.#keep.changeLoginCounters(names, (stored) => ({
        result: undefined,
        write: stored.map((s, i) => {
          const c = this.#current(s, now);
          if (!c) return null;
          c.pending = Math.max(0, c.pending - 1);
          if (outcome === 'fail') {
            c.count++;
            if (c.count >= keys[i][1]) c.lockedUntil = Math.max(c.lockedUntil, now + this.opts.lockMs);
          }
          // Only failures that were already recorded when this attempt began, and only in the same window.
          if (outcome === 'succeed' && i === 0 && c.windowStart === before.windowStart)
            c.count = Math.max(0, c.count - before.count);
          return c;
        }),
      }));
    };
    return {
      attempt: {
        fail: () => settle('fail'),
        succeed: () => settle('succeed'),
        release: () => settle('release'),
      },
      waitMs: 0,
    };
  }

  /** Forgets counters that hold nothing any more (at most once a minute, by whichever server notices). */
  async #sweep(t: number): Promise<void> {
    if (t - this.#sweptAt < 60_000) return;
    this.#sweptAt = t;
    await this.#keep.sweepLoginCounters(t - this.opts.windowMs, t);
  }
}
