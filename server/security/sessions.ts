// Server-side sessions and the login throttle. Sessions live in this process's memory: Linkchart is a
// single server, and a restart signing everyone out is the safe failure. The cookie carries only a
// 128-bit random id; the map is keyed by its SHA-256 so a heap dump does not hand out live session ids.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../domain/model.ts';

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

export interface ThrottleOptions {
  /** Failures for one user name from one address before it is locked: 5. */
  maxFailures: number;
  /** Window failures are counted over, and the lockout length: 15 minutes. */
  windowMs: number;
  lockMs: number;
  /** Failures from one address per window, whatever the names tried: 50, against password spraying. */
  maxPerAddress: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerAddress: 50,
  now: Date.now,
};

interface Counter {
  count: number;
  windowStart: number;
  lockedUntil: number;
}

/** Per (user name, address) failure counting with a temporary lockout, plus a per-address failure ceiling. */
export class LoginThrottle {
  readonly opts: ThrottleOptions;
  readonly #failures = new Map<string, Counter>();
  readonly #perAddress = new Map<string, Counter>();

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULT_THROTTLE, ...opts };
  }

  #key(name: string, ip: string): string {
    return `${name.trim().toLowerCase()}\u0000${ip}`;
  }

  #counter(map: Map<string, Counter>, key: string): Counter {
    const t = this.opts.now();
    let c = map.get(key);
    if (!c || (t - c.windowStart > this.opts.windowMs && c.lockedUntil <= t)) {
      c = { count: 0, windowStart: t, lockedUntil: 0 };
      map.set(key, c);
    }
    return c;
  }

  /** Milliseconds until a login may be tried again; 0 when it may be tried now. */
  check(name: string, ip: string): number {
    const t = this.opts.now();
    if (this.#failures.size + this.#perAddress.size > 100_000) this.#sweep();
    const addr = this.#perAddress.get(ip);
    if (addr && addr.lockedUntil > t) return addr.lockedUntil - t;
    const c = this.#failures.get(this.#key(name, ip));
    if (c && c.lockedUntil > t) return c.lockedUntil - t;
    return 0;
  }

  /** Counts a failed attempt against the name+address and against the address alone. */
  fail(name: string, ip: string): void {
    const t = this.opts.now();
    const c = this.#counter(this.#failures, this.#key(name, ip));
    c.count++;
    if (c.count >= this.opts.maxFailures) c.lockedUntil = t + this.opts.lockMs;
    const addr = this.#counter(this.#perAddress, ip);
    addr.count++;
    if (addr.count >= this.opts.maxPerAddress) addr.lockedUntil = t + this.opts.lockMs;
  }

  succeed(name: string, ip: string): void {
    this.#failures.delete(this.#key(name, ip));
  }

  #sweep(): void {
    const t = this.opts.now();
    for (const map of [this.#failures, this.#perAddress])
      for (const [k, c] of map)
        if (c.lockedUntil <= t && t - c.windowStart > this.opts.windowMs) map.delete(k);
  }
}
