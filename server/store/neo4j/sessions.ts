// SessionStore on Neo4j: (:Session {tokenHash, ...}) and (:LoginCounter {key, ...}) nodes, so every server
// on the database shares sessions and the sign-in throttle. A throttle change write-locks its counters first
// (login-counters-lock), so two servers counting the same key take turns.
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

export class Neo4jSessionStore implements SessionStore {
  private readonly db: TierAccess;

  constructor(c: Neo4jContext) {
    this.db = new TierAccess(c);
  }

  async putSession(s: StoredSession): Promise<void> {
    const { tokenHash, ...props } = s;
    await this.db.write((tx) => tx.run('session-put', { tokenHash, props }));
  }

  async getSession(tokenHash: string): Promise<StoredSession | null> {
    const r = await this.db.read((tx) => tx.one('session-get', { tokenHash }));
    return r ? toSession(r.s as Row) : null;
  }

  async touchSession(tokenHash: string, lastSeen: number): Promise<void> {
    await this.db.write((tx) => tx.run('session-touch', { tokenHash, lastSeen }));
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.write((tx) => tx.run('session-delete', { tokenHash }));
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const r = await this.db.write((tx) => tx.one('sessions-delete-user', { userId }));
    return (r?.n as number | undefined) ?? 0;
  }

  async sweepSessions(idleBefore: number, createdBefore: number): Promise<number> {
    const r = await this.db.write((tx) => tx.one('sessions-sweep', { idleBefore, createdBefore }));
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
