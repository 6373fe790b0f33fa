import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THROTTLE,
  LoginThrottle,
  SessionStore,
  cookieNames,
} from '../../server/security/sessions.ts';
import { loadConfig, loginThrottleOptions } from '../../server/config.ts';

const user = { id: '1', name: 'ana', role: 'analyst' as const };

describe('sessions', () => {
  it('uses 128-bit random ids and finds a session only by its exact id', () => {
    const s = new SessionStore();
    const { id } = s.create(user);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(s.get(id)?.user.name).toBe('ana');
    expect(s.get(id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(s.get('forged')).toBeNull();
    expect(s.get(undefined)).toBeNull();
  });

  it('expires after 30 minutes idle, and activity keeps it alive until 12 hours', () => {
    let t = 1_000_000;
    const s = new SessionStore({ now: () => t });
    const { id } = s.create(user);
    t += 29 * 60_000;
    expect(s.get(id)).not.toBeNull();
    t += 31 * 60_000;
    expect(s.get(id)).toBeNull();

    const b = s.create(user);
    for (let i = 0; i < 12 * 3; i++) {
      t += 20 * 60_000; // a request every 20 minutes
      const alive = s.get(b.id) !== null;
      expect(alive).toBe((i + 1) * 20 * 60_000 <= 12 * 60 * 60_000);
    }
  });

  it('logout and disabling the user end sessions', () => {
    const s = new SessionStore();
    const a = s.create(user);
    const b = s.create(user);
    const c = s.create({ ...user, id: '2' });
    s.destroy(a.id);
    expect(s.get(a.id)).toBeNull();
    expect(s.destroyUser('1')).toBe(1);
    expect(s.get(b.id)).toBeNull();
    expect(s.get(c.id)).not.toBeNull();
  });

  it('names cookies __Host- only over TLS', () => {
    expect(cookieNames(true).session).toBe('__Host-linkchart');
    expect(cookieNames(false).session).toBe('linkchart_session');
  });
});

describe('login throttle', () => {
  /** Begins an attempt that must be admitted. */
  const admitted = (th: LoginThrottle, name: string, ip: string) => {
    const g = th.begin(name, ip);
    expect(g.waitMs).toBe(0);
    return g.attempt!;
  };

  it('locks a name+address after 5 failures for 15 minutes, other addresses unaffected', () => {
    let t = 0;
    const th = new LoginThrottle({ now: () => t });
    for (let i = 0; i < 5; i++) admitted(th, 'ana', '10.0.0.1').fail();
    expect(th.check('ana', '10.0.0.1')).toBe(15 * 60_000);
    expect(th.begin('ana', '10.0.0.1')).toEqual({ attempt: null, waitMs: 15 * 60_000 });
    // The same name in another case or Unicode form is the same account, and the same count.
    expect(th.check('ANA ', '10.0.0.1')).toBeGreaterThan(0);
    expect(th.check('ａｎａ', '10.0.0.1')).toBeGreaterThan(0);
    expect(th.check('ana', '10.0.0.2')).toBe(0);
    t += 15 * 60_000 + 1;
    expect(th.check('ana', '10.0.0.1')).toBe(0);
    admitted(th, 'ana', '10.0.0.1').succeed();
  });

  it('counts an attempt before its outcome: concurrent attempts beyond the limit are refused at once', () => {
    const t = 0;
    const th = new LoginThrottle({ now: () => t });
    // 40 attempts begun before any settles (the hash of each still running): 5 admitted, 35 refused.
    const gates = Array.from({ length: 40 }, () => th.begin('bob', '10.0.0.3'));
    const admittedNow = gates.filter((g) => g.attempt);
    expect(admittedNow).toHaveLength(5);
    expect(gates.filter((g) => !g.attempt && g.waitMs > 0)).toHaveLength(35);
    for (const g of admittedNow) g.attempt!.fail();
    // All five failed: locked for the full lock, the right password included.
    expect(th.begin('bob', '10.0.0.3').waitMs).toBe(15 * 60_000);
  });

  it('a success does not erase failures that were in flight beside it, only those recorded before it began', () => {
    const t = 0;
    const th = new LoginThrottle({ now: () => t });
    // Two typos, then the right password: the count starts again.
    admitted(th, 'cy', '10.0.0.4').fail();
    admitted(th, 'cy', '10.0.0.4').fail();
    admitted(th, 'cy', '10.0.0.4').succeed();
    for (let i = 0; i < 4; i++) admitted(th, 'cy', '10.0.0.4').fail();
    expect(th.check('cy', '10.0.0.4')).toBe(0);
    // Four wrong guesses in flight beside the right password: they all still count after its success.
    const th2 = new LoginThrottle({ now: () => t });
    const wrong = [1, 2, 3, 4].map(() => admitted(th2, 'cy', '10.0.0.4'));
    const right = admitted(th2, 'cy', '10.0.0.4');
    wrong[0].fail();
    wrong[1].fail();
    right.succeed();
    wrong[2].fail();
    wrong[3].fail();
    admitted(th2, 'cy', '10.0.0.4').fail();
    expect(th2.check('cy', '10.0.0.4')).toBe(15 * 60_000);
  });

  it('an attempt settled once counts once; one that errs before a verdict counts nothing', () => {
    const t = 0;
    const th = new LoginThrottle({ now: () => t, maxFailures: 2 });
    const a = admitted(th, 'dee', '10.0.0.5');
    a.fail();
    a.fail();
    a.release();
    expect(th.check('dee', '10.0.0.5')).toBe(0);
    const b = admitted(th, 'dee', '10.0.0.5');
    b.release();
    b.fail();
    expect(th.check('dee', '10.0.0.5')).toBe(0);
  });

  it('limits failures per address whatever the name (password spraying); successes do not count', () => {
    const t = 0;
    const th = new LoginThrottle({ now: () => t, maxPerAddress: 10 });
    for (let i = 0; i < 100; i++) admitted(th, 'ana', '10.0.0.9').succeed();
    for (let i = 0; i < 10; i++) admitted(th, `user${i}`, '10.0.0.9').fail();
    expect(th.check('user99', '10.0.0.9')).toBeGreaterThan(0);
    expect(th.check('user99', '10.0.0.10')).toBe(0);
  });

  it('limits failures per name from all addresses together (guessing from many machines)', () => {
    const t = 0;
    const th = new LoginThrottle({ now: () => t, maxPerName: 6 });
    for (let i = 0; i < 6; i++) admitted(th, i % 2 ? 'Eve' : 'eve', `10.0.1.${i}`).fail();
    expect(th.check('eve', '10.0.1.99')).toBe(15 * 60_000);
    expect(th.check('frank', '10.0.1.99')).toBe(0);
  });

  it('takes its limits from LINKCHART_LOGIN_* (read with the configuration) and names a bad setting', () => {
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
