// SessionStore: what lets any Linkchart server of a tier carry on for a user another one signed in: the
// sessions (by the SHA-256 of their token, never the token) and the sign-in throttle's counters. The rules
// (expiry, idle timeout, counting, locking) are server/security/sessions.ts; this only keeps the state.
// Contract: test/contract/session-contract.ts.
import type { Role } from '../domain/model.ts';

export interface StoredSession {
  /** SHA-256 (hex) of the cookie's token. */
  tokenHash: string;
  userId: string;
  userName: string;
  role: Role;
  /** The double-submit CSRF token bound to the session. */
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

/** One throttle key's counts (per name and address, per name, per address). Times in ms since the epoch. */
export interface LoginCounter {
  count: number;
  /** Attempts begun and not yet settled; counted only until pendingUntil (a server that died frees them). */
  pending: number;
  pendingUntil: number;
  windowStart: number;
  lockedUntil: number;
}

/**
 * What a change to login counters returns: the counters to write (in the order of the keys; null leaves
 * one as it is) and its answer.
 */
export interface CounterChange<T> {
  write: Array<LoginCounter | null>;
  result: T;
}

export interface SessionStore {
  putSession(s: StoredSession): Promise<void>;
  getSession(tokenHash: string): Promise<StoredSession | null>;
  /** Sets lastSeen (a touch; nothing else changes). */
  touchSession(tokenHash: string, lastSeen: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a user; returns how many. */
  deleteUserSessions(userId: string): Promise<number>;
  /** Deletes sessions last seen before `idleBefore` or created before `createdBefore`; returns how many. */
  sweepSessions(idleBefore: number, createdBefore: number): Promise<number>;
  /** Sessions held (expired ones not yet swept included). */
  countSessions(): Promise<number>;

  /**
   * One transaction over the counters of `keys` (absent ones as null): `change` (pure, as it may run again
   * when the transaction is retried) decides what to write and what to answer, while no other server can
   * change those counters.
   */
  changeLoginCounters<T>(
    keys: string[],
    change: (current: Array<LoginCounter | null>) => CounterChange<T>,
  ): Promise<T>;
  /** Deletes counters with nothing pending, unlocked and whose window began before `before`. */
  sweepLoginCounters(before: number, now: number): Promise<number>;
}
