import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_THROTTLE,
  LoginThrottle,
  SessionStore,
  cookieNames,
} from '../../server/security/sessions.ts';
import { loadConfig, loginThrottleOptions } from '../../server/config.ts';
import type { SessionStore as SessionKeeping } from '../../server/store/session-store.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';
import { sqliteTempFiles } from '../contract/sqlite-files.ts';

// The rules run over each place sessions can be kept: this process's memory (tests) and a SQLite file (what
// servers on one file share; the Neo4j store runs the same through test/contract/tier-contract.ts).
const files = sqliteTempFiles('linkchart-sessions-');
const open: SqliteStores[] = [];
afterAll(async () => {
  for (const s of open) await s.close();
});
const backends: Array<[string, () => Promise<SessionKeeping | undefined>]> = [
  ['memory', async () => undefined],
  [
    'sqlite',
    async () => {
      const s = await openSqliteStores(files.next());
      open.push(s);
      return s.sessions;
    },
  ],
];

const user = { id: '1', name: 'ana', role: 'analyst' as const };

for (const [label, keep] of backends) {
  describe(`sessions (${label})`, () => {
    it('uses 128-bit random ids and finds a session only by its exact id', async () => {
      const s = new SessionStore({ keep: await keep() });
      const { id } = await s.create(user);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
      expect((await s.get(id))?.user.name).toBe('ana');
      expect(await s.get(id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A'))).toBeNull();
      expect(await s.get('forged')).toBeNull();
      expect(await s.get(undefined)).toBeNull();
    });

    it('expires after 30 minutes idle, and activity keeps it alive until 12 hours', async () => {
      let t = 1_000_000;
      const s = new SessionStore({ keep: await keep(), now: () => t });
      const { id } = await s.create(user);
      t += 29 * 60_000;
      expect(await s.get(id)).not.toBeNull();
      t += 31 * 60_000;
      expect(await s.get(id)).toBeNull();

      const b = await s.create(user);
      for (let i = 0; i < 12 * 3; i++) {
        t += 20 * 60_000; // a request every 20 minutes
        const alive = (await s.get(b.id)) !== null;
        expect(alive).toBe((i + 1) * 20 * 60_000 <= 12 * 60 * 60_000);
      }
    });

    it('logout and disabling the user end sessions', async () => {
      const s = new SessionStore({ keep: await keep() });
      const a = await s.create(user);
      const b = await s.create(user);
      const c = await s.create({ ...user, id: '2' });
      await s.destroy(a.id);
      expect(await s.get(a.id)).toBeNull();
      expect(await s.destroyUser('1')).toBe(1);
      expect(await s.get(b.id)).toBeNull();
      expect(await s.get(c.id)).not.toBeNull();
    });

    it('names cookies __Host- only over TLS', async () => {
      expect(cookieNames(true).session).toBe('__Host-linkchart');
      expect(cookieNames(false).session).toBe('linkchart_session');
    });
  });

  describe(`login throttle (${label})`, () => {
    /** Begins an attempt that must be admitted. */
    const admitted = async (th: LoginThrottle, name: string, ip: string) => {
      const g = await th.begin(name, ip);
      expect(g.waitMs).toBe(0);
      return g.attempt!;
    };

    it('locks a name+address after 5 failures for 15 minutes, other addresses unaffected', async () => {
      let t = 0;
      const th = new LoginThrottle({ keep: await keep(), now: () => t });
      for (let i = 0; i < 5; i++) await (await admitted(th, 'ana', '10.0.0.1')).fail();
      expect(await th.check('ana', '10.0.0.1')).toBe(15 * 60_000);
      expect(await th.begin('ana', '10.0.0.1')).toEqual({ attempt: null, waitMs: 15 * 60_000 });
      // The same name in another case or Unicode form is the same account, and the same count.
      expect(await th.check('ANA ', '10.0.0.1')).toBeGreaterThan(0);
      expect(await th.check('ａｎａ', '10.0.0.1')).toBeGreaterThan(0);
      expect(await th.check('ana', '10.0.0.2')).toBe(0);
      t += 15 * 60_000 + 1;
      expect(await th.check('ana', '10.0.0.1')).toBe(0);
      await (await admitted(th, 'ana', '10.0.0.1')).succeed();
    });

    it('counts an attempt before its outcome: concurrent attempts beyond the limit are refused at once', async () => {
      const t = 0;
      const th = new LoginThrottle({ keep: await keep(), now: () => t });
      // 40 attempts begun before any settles (the hash of each still running): 5 admitted, 35 refused.
      const gates = await Promise.all(Array.from({ length: 40 }, () => th.begin('bob', '10.0.0.3')));
      const admittedNow = gates.filter((g) => g.attempt);
      expect(admittedNow).toHaveLength(5);
      expect(gates.filter((g) => !g.attempt && g.waitMs > 0)).toHaveLength(35);
      await Promise.all(admittedNow.map((g) => g.attempt!.fail()));
      // All five failed: locked for the full lock, the right password included.
      expect((await th.begin('bob', '10.0.0.3')).waitMs).toBe(15 * 60_000);
    });

    it('a success does not erase failures that were in flight beside it, only those recorded before it began', async () => {
      const t = 0;
      const th = new LoginThrottle({ keep: await keep(), now: () => t });
      // Two typos, then the right password: the count starts again.
      await (await admitted(th, 'cy', '10.0.0.4')).fail();
      await (await admitted(th, 'cy', '10.0.0.4')).fail();
      await (await admitted(th, 'cy', '10.0.0.4')).succeed();
      for (let i = 0; i < 4; i++) await (await admitted(th, 'cy', '10.0.0.4')).fail();
      expect(await th.check('cy', '10.0.0.4')).toBe(0);
      // Four wrong guesses in flight beside the right password: they all still count after its success.
      const th2 = new LoginThrottle({ keep: await keep(), now: () => t });
      const wrong = [];
      for (let i = 0; i < 4; i++) wrong.push(await admitted(th2, 'cy', '10.0.0.4'));
      const right = await admitted(th2, 'cy', '10.0.0.4');
      await wrong[0].fail();
      await wrong[1].fail();
      await right.succeed();
      await wrong[2].fail();
      await wrong[3].fail();
      await (await admitted(th2, 'cy', '10.0.0.4')).fail();
      expect(await th2.check('cy', '10.0.0.4')).toBe(15 * 60_000);
    });

    it('an attempt settled once counts once; one that errs before a verdict counts nothing', async () => {
      const t = 0;
      const th = new LoginThrottle({ keep: await keep(), now: () => t, maxFailures: 2 });
      const a = await admitted(th, 'dee', '10.0.0.5');
      await a.fail();
      await a.fail();
      await a.release();
      expect(await th.check('dee', '10.0.0.5')).toBe(0);
      const b = await admitted(th, 'dee', '10.0.0.5');
      await b.release();
      await b.fail();
      expect(await th.check('dee', '10.0.0.5')).toBe(0);
    });

    it('limits failures per address whatever the name (password spraying); successes do not count', async () => {
      const t = 0;
      const th = new LoginThrottle({ keep: await keep(), now: () => t, maxPerAddress: 10 });
      for (let i = 0; i < 100; i++) await (await admitted(th, 'ana', '10.0.0.9')).succeed();
      for (let i = 0; i < 10; i++) await (await admitted(th, `user${i}`, '10.0.0.9')).fail();
      expect(await th.check('user99', '10.0.0.9')).toBeGreaterThan(0);
      expect(await th.check('user99', '10.0.0.10')).toBe(0);
    });

    it('limits failures per name from all addresses together (guessing from many machines)', async () => {
      const t = 0;
      const th = new LoginThrottle({ keep: await keep(), now: () => t, maxPerName: 6 });
      for (let i = 0; i < 6; i++) await (await admitted(th, i % 2 ? 'Eve' : 'eve', `10.0.1.${i}`)).fail();
      expect(await th.check('eve', '10.0.1.99')).toBe(15 * 60_000);
      expect(await th.check('frank', '10.0.1.99')).toBe(0);
    });
  });
}

describe('login throttle settings', () => {
  it('takes its limits from LINKCHART_LOGIN_* (read with the configuration) and names a bad setting', async () => {
    const from = (env: NodeJS.ProcessEnv) => loginThrottleOptions(loadConfig(env).limits);
    expect(
      from({
        LINKCHART_LOGIN_MAX_FAILURES: '3',
        LINKCHART_LOGIN_MAX_PER_NAME: '9',
        LINKCHART_LOGIN_MAX_PER_ADDRESS: '30',
        LINKCHART_LOGIN_WINDOW_SECONDS: '60',
        LINKCHART_LOGIN_LOCK_SECONDS: '120',
      }),
    ).toEqual({ maxFailures: 3, maxPerName: 9, maxPerAddress: 30, windowMs: 60_000, lockMs: 120_000 });
    const { now: _now, ...defaults } = DEFAULT_THROTTLE;
    expect(from({})).toEqual(defaults);
    expect(() => from({ LINKCHART_LOGIN_LOCK_SECONDS: 'soon' })).toThrow(
      /LINKCHART_LOGIN_LOCK_SECONDS="soon" is not a whole number/,
    );
    expect(() => from({ LINKCHART_LOGIN_MAX_FAILURES: '0' })).toThrow(/from 1 to/);
  });
});
