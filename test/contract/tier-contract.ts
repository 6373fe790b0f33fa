// What the servers of a tier share through the store: sessions, the sign-in throttle's counters and analysis
// jobs (server/store/session-store.ts, job-store.ts). Both backends keep the same contract.
import { describe, expect, it } from 'vitest';
import type { StoredJob } from '../../server/store/job-store.ts';
import type { LoginCounter } from '../../server/store/session-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { type ContractSetup, freshStores } from './fixtures.ts';

const session = (tokenHash: string, userId: string, createdAt: number, lastSeen: number) => ({
  tokenHash,
  userId,
  userName: `user ${userId}`,
  role: 'analyst' as const,
  csrf: `csrf-${tokenHash}`,
  createdAt,
  lastSeen,
});

const job = (
  id: string,
  ownerId: string,
  state: StoredJob['status']['state'],
  over: Partial<StoredJob> = {},
) =>
  ({
    id,
    ownerId,
    ownerName: `user ${ownerId}`,
    key: `key-${id}`,
    server: 's1',
    leaseUntil: Date.now() + 60_000,
    status: { id, state, error: null, progress: 0, createdAt: new Date().toISOString() },
    operations: ['op1'],
    notes: ['a note'],
    cancelRequested: false,
    ...over,
  }) satisfies StoredJob;

export function tierContract<S extends Stores>(name: string, setup: ContractSetup<S>): void {
  describe(`Tier contract: ${name}`, () => {
    const stores = freshStores(setup);

    it('keeps sessions by token hash: touch, end one, end a user’s, sweep the expired', async () => {
      const s = stores.sessions;
      await s.putSession(session('h1', 'u1', 1_000, 1_000));
      await s.putSession(session('h2', 'u1', 1_000, 5_000));
      await s.putSession(session('h3', 'u2', 9_000, 9_000));
      expect(await s.getSession('h1')).toEqual(session('h1', 'u1', 1_000, 1_000));
      expect(await s.getSession('nope')).toBeNull();
      await s.touchSession('h1', 2_000);
      await s.touchSession('h1', 1_500); // never moved back
      expect((await s.getSession('h1'))?.lastSeen).toBe(2_000);
      expect(await s.countSessions()).toBe(3);
      await s.deleteSession('h3');
      expect(await s.getSession('h3')).toBeNull();
      // Idle before 3000: h1 (last seen 2000) goes, h2 (5000) stays.
      expect(await s.sweepSessions(3_000, 0)).toBe(1);
      expect(await s.getSession('h2')).not.toBeNull();
      await s.putSession(session('h4', 'u1', 8_000, 8_000));
      expect(await s.deleteUserSessions('u1')).toBe(2);
      expect(await s.countSessions()).toBe(0);
    });

    it('changes login counters one transaction at a time: concurrent increments all count', async () => {
      const s = stores.sessions;
      const bump = () =>
        s.changeLoginCounters(['a', 'b'], (cur) => {
          const next = cur.map((c): LoginCounter => ({
            count: (c?.count ?? 0) + 1,
            pending: 0,
            pendingUntil: 0,
            windowStart: c?.windowStart ?? 100,
            lockedUntil: 0,
          }));
          return { write: next, result: next[0].count };
        });
      const seen = await Promise.all(Array.from({ length: 12 }, bump));
      expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      // Looking without writing leaves an unknown key absent.
      const looked = await s.changeLoginCounters(['a', 'z'], (cur) => ({ write: [null, null], result: cur }));
      expect(looked[0]?.count).toBe(12);
      expect(looked[1]).toBeNull();
      expect(await s.sweepLoginCounters(50, 1_000)).toBe(0);
      expect(await s.sweepLoginCounters(200, 1_000)).toBe(2);
      const gone = await s.changeLoginCounters(['a'], (cur) => ({ write: [null], result: cur[0] }));
      expect(gone).toBeNull();
    });

    it('keeps jobs for every server: list, join a finished result, cancel requests, leases, pruning', async () => {
      const j = stores.jobs;
      await j.putJob(job('j1', 'u1', 'running'));
      await j.putJob(job('j2', 'u1', 'done'));
      await j.putJob(job('j3', 'u2', 'queued', { leaseUntil: 1 }));
      expect((await j.getJob('j1'))?.operations).toEqual(['op1']);
      expect((await j.listJobs('u1', 10)).map((x) => x.id)).toEqual(['j2', 'j1']);
      // A done job is joined only when its result is kept.
      expect(await j.findDone('key-j2')).toBeNull();
      await j.putResult('key-j2', new TextEncoder().encode('{"scores":[1,2]}'));
      expect((await j.findDone('key-j2'))?.id).toBe('j2');
      expect(new TextDecoder().decode((await j.getResult('key-j2'))!)).toBe('{"scores":[1,2]}');
      expect(await j.requestCancel('j2')).toBe(false);
      expect(await j.requestCancel('j1')).toBe(true);
      expect(await j.renewLeases('s1', ['j1'], Date.now() + 90_000)).toEqual(['j1']);
      // A refresh of the record keeps the cancel request.
      await j.putJob(job('j1', 'u1', 'running'));
      expect((await j.getJob('j1'))?.cancelRequested).toBe(true);
      expect(await j.failExpired(Date.now(), 'gone')).toBe(1);
      expect((await j.getJob('j3'))?.status).toMatchObject({ state: 'failed', error: 'gone' });
      await j.prune(1, 10);
      // u2's failed job and u1's done job are each their owner's one kept; the live one stays.
      expect((await j.listJobs('u1', 10)).map((x) => x.id).sort()).toEqual(['j1', 'j2']);
      await j.prune(0, 10);
      expect(await j.getJob('j2')).toBeNull();
      expect(await j.getResult('key-j2')).toBeNull();
      expect(await j.getJob('j1')).not.toBeNull();
    });

    it('claims a job only while its owner has places left, counting every server, one claim at a time', async () => {
      const j = stores.jobs;
      const now = Date.now();
      // Live on two servers: u5 holds two; a finished job and one whose lease ran out hold nothing.
      await j.putJob(job('c1', 'u5', 'running', { server: 's1' }));
      await j.putJob(job('c2', 'u5', 'queued', { server: 's2' }));
      await j.putJob(job('c3', 'u5', 'done', { leaseUntil: 0 }));
      await j.putJob(job('c4', 'u5', 'running', { leaseUntil: now - 1 }));
      await j.putJob(job('c5', 'u6', 'running'));
      // Ten claims at once for a cap of four: two are written, whatever the order, and each says what it saw.
      const claims = Array.from({ length: 10 }, (_, i) => job(`claim-${i}`, 'u5', 'queued'));
      const held = await Promise.all(claims.map((c) => j.claimJob(c, 4, now)));
      const written = claims.filter((_, i) => held[i]! < 4).map((c) => c.id);
      expect(written).toHaveLength(2);
      expect([...held].sort((x, y) => x - y)).toEqual([2, 3, 4, 4, 4, 4, 4, 4, 4, 4]);
      for (const c of claims) expect((await j.getJob(c.id)) !== null, c.id).toBe(written.includes(c.id));
      // Another owner's jobs do not count against u5, nor u5's against them.
      expect(await j.claimJob(job('claim-u6', 'u6', 'queued'), 2, now)).toBe(1);
      // A claim given back frees its place.
      await j.dropJob(written[0]!);
      expect(await j.getJob(written[0]!)).toBeNull();
      expect(await j.claimJob(job('claim-again', 'u5', 'queued'), 4, now)).toBe(3);
    });
  });
}
