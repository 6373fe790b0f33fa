// Server-side sessions and the login throttle. Sessions live in this process's memory: Linkchart is a
// single server, and a restart signing everyone out is the safe failure. The cookie carries only a
// 128-bit random id; the map is keyed by its SHA-256 so a heap dump does not hand out live session ids.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../domain/model.ts';
import { foldName } from '../domain/names.ts';

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
}

export class SessionStore {
  readonly limits: SessionLimits;
  readonly now: () => number;
  readonly #sessions = new Map<string, Session>();

  constructor(opts: SessionStoreOptions = {}) {
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
  }

  /** A new session; returns the raw id (for the cookie) once. It is never stored. */
  create(user: SessionUser): { id: string; session: Session } {
    this.#sweep();
    const id = randomBytes(16).toString('base64url');
    const t = this.now();
    const session: Session = { user, csrf: randomBytes(16).toString('base64url'), createdAt: t, lastSeen: t };
    this.#sessions.set(digest(id), session);
    return { id, session };
  }

  /** The live session for a cookie value, touching its idle timer; null if unknown or expired. */
  get(id: string | undefined): Session | null {
    // 16 bytes of base64url is exactly 22 characters; anything else is forged and not worth hashing.
    if (!id || !/^[A-Za-z0-9_-]{22}$/.test(id)) return null;
    const key = digest(id);
    const s = this.#sessions.get(key);
    if (!s) return null;
    const t = this.now();
    if (t - s.lastSeen > this.limits.idleMs || t - s.createdAt > this.limits.absoluteMs) {
      this.#sessions.delete(key);
      return null;
    }
    s.lastSeen = t;
    return s;
  }

  destroy(id: string | undefined): void {
    if (id) this.#sessions.delete(digest(id));
  }

  /** Ends every session of a user: on disable, role change and password reset. Returns how many. */
  destroyUser(userId: string): number {
    let n = 0;
    for (const [k, s] of this.#sessions) {
      if (s.user.id === userId) {
        this.#sessions.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Live sessions (after dropping expired ones). */
  size(): number {
    this.#sweep();
    return this.#sessions.size;
  }

  #sweep(): void {
    const t = this.now();
    for (const [k, s] of this.#sessions) {
      if (t - s.lastSeen > this.limits.idleMs || t - s.createdAt > this.limits.absoluteMs)
        this.#sessions.delete(k);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Login throttle
//
// Every attempt is counted before its password is checked. `begin` reserves a place synchronously, in the
// same turn of the event loop as the check (so no number of concurrent requests can all pass the check
// before any is counted), and the attempt stays counted as pending until its outcome is known: a failure
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

interface Counter {
  /** Failures recorded in the current window. */
  count: number;
  /** Attempts begun and not yet settled. */
  pending: number;
  windowStart: number;
  lockedUntil: number;
}

/** One begun attempt. Settle it once: `fail()` or `succeed()`; `release()` (in a finally) frees it otherwise. */
export interface LoginAttempt {
  /** The password was wrong (or the account unknown or disabled): counts against every limit. */
  fail(): void;
  /**
   * The password was right: frees its place, and forgets the failures for this name and address that were
   * recorded before it began. Failures of attempts that were in flight beside it stay counted, and so does
   * any lock; the per-name and per-address counts are left to their window.
   */
  succeed(): void;
  /** No verdict was reached (an error): frees its place, counts nothing. Does nothing once settled. */
  release(): void;
}

export type ThrottleGate = { attempt: LoginAttempt; waitMs: 0 } | { attempt: null; waitMs: number };

/**
 * Per (name, address), per name and per address failure counting with temporary locks. Names are compared
 * folded (foldName), so `Victim` and `victim` share their counts, as they share their account.
 */
export class LoginThrottle {
  readonly opts: ThrottleOptions;
  readonly #pair = new Map<string, Counter>();
  readonly #name = new Map<string, Counter>();
  readonly #address = new Map<string, Counter>();

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  #keys(name: string, ip: string): Array<[Map<string, Counter>, string, number]> {
    const n = foldName(name);
    return [
      [this.#pair, `${n}\u0000${ip}`, this.opts.maxFailures],
      [this.#name, n, this.opts.maxPerName],
      [this.#address, ip, this.opts.maxPerAddress],
    ];
  }

  /**
   * The counter for a key, started afresh in place (so attempts in flight keep theirs) when its lock has
   * ended or, unlocked, its window has run out.
   */
  #current(map: Map<string, Counter>, key: string, t: number, create: boolean): Counter | undefined {
    let c = map.get(key);
    if (!c) {
      if (!create) return undefined;
      c = { count: 0, pending: 0, windowStart: t, lockedUntil: 0 };
      map.set(key, c);
    } else if (c.lockedUntil > 0 ? c.lockedUntil <= t : t - c.windowStart > this.opts.windowMs) {
      // A lock that has run its course starts a fresh count, as does a window that has run out.
      c.count = 0;
      c.windowStart = t;
      c.lockedUntil = 0;
    }
    return c;
  }

  #wait(c: Counter | undefined, max: number, t: number): number {
    if (!c) return 0;
    if (c.lockedUntil > t) return c.lockedUntil - t;
    return c.count + c.pending >= max ? BUSY_WAIT_MS : 0;
  }

  /** Milliseconds until an attempt for this name from this address may be made; 0 when it may now. */
  check(name: string, ip: string): number {
    const t = this.opts.now();
    let wait = 0;
    for (const [map, key, max] of this.#keys(name, ip))
      wait = Math.max(wait, this.#wait(this.#current(map, key, t, false), max, t));
    return wait;
  }

  /**
   * Counts an attempt before its password is checked. Refused (with the wait) when a key is locked, or when
   * the failures recorded and the attempts in flight already fill a limit; otherwise the attempt holds a
   * place under every limit until it is settled.
   */
  begin(name: string, ip: string): ThrottleGate {
    const t = this.opts.now();
    if (this.#pair.size + this.#name.size + this.#address.size > 100_000) this.#sweep(t);
    const keys = this.#keys(name, ip);
    let wait = 0;
    for (const [map, key, max] of keys)
      wait = Math.max(wait, this.#wait(this.#current(map, key, t, false), max, t));
    if (wait > 0) return { attempt: null, waitMs: wait };
    const counters = keys.map(([map, key, max]) => ({ c: this.#current(map, key, t, true)!, max }));
    for (const { c } of counters) c.pending++;
    const pair = counters[0].c;
    const before = { count: pair.count, windowStart: pair.windowStart };
    let settled = false;
    const settle = (outcome: 'fail' | 'succeed' | 'release') => {
      if (settled) return;
      settled = true;
      const now = this.opts.now();
      for (const { c, max } of counters) {
        c.pending--;
        if (outcome !== 'fail') continue;
        c.count++;
        if (c.count >= max) c.lockedUntil = Math.max(c.lockedUntil, now + this.opts.lockMs);
      }
      // Only failures that were already recorded when this attempt began, and only in the same window.
      if (outcome === 'succeed' && pair.windowStart === before.windowStart)
        pair.count = Math.max(0, pair.count - before.count);
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

  #sweep(t: number): void {
    for (const map of [this.#pair, this.#name, this.#address])
      for (const [k, c] of map)
        if (c.pending === 0 && c.lockedUntil <= t && t - c.windowStart > this.opts.windowMs) map.delete(k);
  }
}
