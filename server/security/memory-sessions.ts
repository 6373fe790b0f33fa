// Sessions and sign-in counters in this process's memory: for tests and tools that run one server without a
// store to share. A server started by `npm start` keeps them in its store (server/store/session-store.ts).
import type { CounterChange, LoginCounter, SessionStore, StoredSession } from '../store/session-store.ts';

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #counters = new Map<string, LoginCounter>();

  async putSession(s: StoredSession): Promise<void> {
    this.#sessions.set(s.tokenHash, { ...s });
  }

  async getSession(tokenHash: string): Promise<StoredSession | null> {
    const s = this.#sessions.get(tokenHash);
    return s ? { ...s } : null;
  }

  async touchSession(tokenHash: string, lastSeen: number): Promise<void> {
    const s = this.#sessions.get(tokenHash);
    if (s) s.lastSeen = Math.max(s.lastSeen, lastSeen);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.#sessions.delete(tokenHash);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    let n = 0;
    for (const [k, s] of this.#sessions)
      if (s.userId === userId) {
        this.#sessions.delete(k);
        n++;
      }
    return n;
  }

  async sweepSessions(idleBefore: number, createdBefore: number): Promise<number> {
    let n = 0;
    for (const [k, s] of this.#sessions)
      if (s.lastSeen < idleBefore || s.createdAt < createdBefore) {
        this.#sessions.delete(k);
        n++;
      }
    return n;
  }

  async countSessions(): Promise<number> {
    return this.#sessions.size;
  }

  // Synchronous inside: nothing else runs between reading and writing the counters.
  async changeLoginCounters<T>(
    keys: string[],
    change: (current: Array<LoginCounter | null>) => CounterChange<T>,
  ): Promise<T> {
    const { write, result } = change(
      keys.map((k) => {
        const c = this.#counters.get(k);
        return c ? { ...c } : null;
      }),
    );
    write.forEach((c, i) => {
      if (c) this.#counters.set(keys[i], { ...c });
    });
    return result;
  }

  async sweepLoginCounters(before: number, now: number): Promise<number> {
    let n = 0;
    for (const [k, c] of this.#counters)
      if ((c.pending === 0 || c.pendingUntil <= now) && c.lockedUntil <= now && c.windowStart < before) {
        this.#counters.delete(k);
        n++;
      }
    return n;
  }
}
