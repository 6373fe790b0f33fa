// SessionStore on SQLite: sessions and the sign-in throttle's counters in the file, so every server (or
// process) on the file shares them. The throttle's read-then-write takes the write lock first (BEGIN
// IMMEDIATE), so two processes counting the same key wait for each other rather than both pass.
import type { Role } from '../../domain/model.ts';
import type { CounterChange, LoginCounter, SessionStore, StoredSession } from '../session-store.ts';
import type { SqliteConnection } from './connection.ts';

interface SessionRow {
  token_hash: string;
  user_id: string;
  user_name: string;
  role: string;
  csrf: string;
  created_at: number;
  last_seen: number;
}

interface CounterRow {
  count: number;
  pending: number;
  pending_until: number;
  window_start: number;
  locked_until: number;
}

const toSession = (r: SessionRow): StoredSession => ({
  tokenHash: r.token_hash,
  userId: r.user_id,
  userName: r.user_name,
  role: r.role as Role,
  csrf: r.csrf,
  createdAt: r.created_at,
  lastSeen: r.last_seen,
});

const toCounter = (r: CounterRow): LoginCounter => ({
  count: r.count,
  pending: r.pending,
  pendingUntil: r.pending_until,
  windowStart: r.window_start,
  lockedUntil: r.locked_until,
});

export class SqliteSessionStore implements SessionStore {
  constructor(private readonly c: SqliteConnection) {}

  async putSession(s: StoredSession): Promise<void> {
    await this.c.write(() =>
      this.c
        .st(
          'INSERT OR REPLACE INTO sessions (token_hash, user_id, user_name, role, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(s.tokenHash, s.userId, s.userName, s.role, s.csrf, s.createdAt, s.lastSeen),
    );
  }

  async getSession(tokenHash: string): Promise<StoredSession | null> {
    const r = this.c.st('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as
      SessionRow | undefined;
    return r ? toSession(r) : null;
  }

  async touchSession(tokenHash: string, lastSeen: number): Promise<void> {
    await this.c.write(() =>
      this.c
        .st('UPDATE sessions SET last_seen = MAX(last_seen, ?) WHERE token_hash = ?')
        .run(lastSeen, tokenHash),
    );
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.c.write(() => this.c.st('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash));
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return this.c.write(() => this.c.st('DELETE FROM sessions WHERE user_id = ?').run(userId).changes);
  }

  async sweepSessions(idleBefore: number, createdBefore: number): Promise<number> {
    return this.c.write(
      () =>
        this.c.st('DELETE FROM sessions WHERE last_seen < ? OR created_at < ?').run(idleBefore, createdBefore)
          .changes,
    );
  }

  async countSessions(): Promise<number> {
    return this.c.st('SELECT COUNT(*) FROM sessions').pluck().get() as number;
  }

  async changeLoginCounters<T>(
    keys: string[],
    change: (current: Array<LoginCounter | null>) => CounterChange<T>,
  ): Promise<T> {
    return this.c.writeImmediate(() => {
      const current = keys.map((k) => {
        const r = this.c.st('SELECT * FROM login_counters WHERE k = ?').get(k) as CounterRow | undefined;
        return r ? toCounter(r) : null;
      });
      const { write, result } = change(current);
      write.forEach((c, i) => {
        if (c)
          this.c
            .st(
              'INSERT OR REPLACE INTO login_counters (k, count, pending, pending_until, window_start, locked_until) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(keys[i], c.count, c.pending, c.pendingUntil, c.windowStart, c.lockedUntil);
      });
      return result;
    });
  }

  async sweepLoginCounters(before: number, now: number): Promise<number> {
    return this.c.write(
      () =>
        this.c
          .st(
            'DELETE FROM login_counters WHERE (pending = 0 OR pending_until <= ?) AND locked_until <= ? AND window_start < ?',
          )
          .run(now, now, before).changes,
    );
  }
}
