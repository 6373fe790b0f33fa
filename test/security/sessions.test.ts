import { describe, expect, it } from 'vitest';
import { LoginThrottle, SessionStore, cookieNames } from '../../server/security/sessions.ts';

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
  it('locks a name+address after 5 failures for 15 minutes, other addresses unaffected', () => {
    let t = 0;
    const th = new LoginThrottle({ now: () => t });
    for (let i = 0; i < 5; i++) {
      expect(th.check('ana', '10.0.0.1')).toBe(0);
      th.fail('ana', '10.0.0.1');
    }
    expect(th.check('ana', '10.0.0.1')).toBe(15 * 60_000);
    expect(th.check('ANA ', '10.0.0.1')).toBeGreaterThan(0);
    expect(th.check('ana', '10.0.0.2')).toBe(0);
    t += 15 * 60_000 + 1;
    expect(th.check('ana', '10.0.0.1')).toBe(0);
  });

  it('limits failures per address whatever the name (password spraying); successes do not count', () => {
    const t = 0;
    const th = new LoginThrottle({ now: () => t, maxPerAddress: 10 });
    for (let i = 0; i < 100; i++) {
      expect(th.check('ana', '10.0.0.9')).toBe(0);
      th.succeed('ana', '10.0.0.9');
    }
    for (let i = 0; i < 10; i++) {
      expect(th.check(`user${i}`, '10.0.0.9')).toBe(0);
      th.fail(`user${i}`, '10.0.0.9');
    }
    expect(th.check('user99', '10.0.0.9')).toBeGreaterThan(0);
    expect(th.check('user99', '10.0.0.10')).toBe(0);
  });
});
