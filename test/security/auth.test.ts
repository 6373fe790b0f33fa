import './fast-kdf.ts';
// Sign-in and the password change cannot be raced (issue 16), over the real app with its real throttle:
// every attempt is counted before its password is checked, so of 40 sent at once only the limit's worth is
// checked; the password change is throttled the same way (with the same counts) and refuses the current
// password as the new one. test/hard/signin-*.test.ts make the same attacks on a server process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../server/security/passwords.ts';
import { securedApp } from './app.ts';
import { TEST_PASSWORD, signIn, tempStore, type TempStore } from './helpers.ts';

let ts: TempStore;
let app: FastifyInstance;

beforeAll(async () => {
  ts = await tempStore();
  const hash = await hashPassword(TEST_PASSWORD);
  for (const name of ['racer', 'changer', 'reuser', 'typist'])
    await ts.stores.security.createUser({ name, role: 'analyst', passwordHash: hash });
  app = await securedApp(ts.stores);
});
afterAll(async () => {
  await app.close();
  await ts.cleanup();
});

const tally = (codes: number[]) => {
  const t: Record<number, number> = {};
  for (const c of codes) t[c] = (t[c] ?? 0) + 1;
  return t;
};
const login = (name: string, password: string, ip = '10.1.0.1') =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password }, remoteAddress: ip });

describe('sign-in under concurrent guessing', () => {
  it('40 wrong passwords at once: 5 checked, 35 refused with 429; the right one after them is refused', async () => {
    const res = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login('racer', `Wrong-Guess-${i}-xyz`)),
    );
    expect(tally(res.map((r) => r.statusCode))).toEqual({ 401: 5, 429: 35 });
    const right = await login('racer', TEST_PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('locked');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    // Another case of the name is the same account and the same lock; another address is not locked.
    expect((await login('RACER', TEST_PASSWORD)).statusCode).toBe(429);
    expect((await login('racer', TEST_PASSWORD, '10.1.0.2')).statusCode).toBe(200);
  });

  it('typos before the right password are forgotten once it is given', async () => {
    for (let i = 0; i < 4; i++)
      expect((await login('typist', 'Not-The-Password-1', '10.1.0.3')).statusCode).toBe(401);
    expect((await login('typist', TEST_PASSWORD, '10.1.0.3')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await login('typist', 'Not-The-Password-1', '10.1.0.3')).statusCode).toBe(401);
    expect((await login('typist', TEST_PASSWORD, '10.1.0.3')).statusCode).toBe(200);
  });
});

describe('changing my password', () => {
  it('the current-password check is throttled like sign-in, and shares its counts', async () => {
    const me = await signIn(app, 'changer');
    const change = (current: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: me.headers,
        payload: { current, next: 'Quartz-Lantern-Ferry-8' },
      });
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => change(`Wrong-Current-${i}-abc`)));
    expect(tally(res.map((r) => r.statusCode))).toEqual({ 403: 5, 429: 35 });
    const right = await change(TEST_PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    // The same name from the same address cannot sign in either: one door, one count.
    expect((await login('changer', TEST_PASSWORD, '127.0.0.1')).statusCode).toBe(429);
    const failed = await ts.stores.security.listAudit({ action: 'password.change' });
    expect(failed.items.filter((e) => e.outcome === 'failed').length).toBeGreaterThanOrEqual(5);
  });

  it('refuses the current password as the new one', async () => {
    const me = await signIn(app, 'reuser');
    {
      const next = TEST_PASSWORD;
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: me.headers,
        payload: { current: TEST_PASSWORD, next },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'password_reuse',
        message: 'the new password must differ from the current one',
      });
    }
    const weak = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: me.headers,
      payload: { current: TEST_PASSWORD, next: '123456789012345' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'weak_password', message: /all digits/ });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: me.headers,
      payload: { current: TEST_PASSWORD, next: 'Quartz-Lantern-Ferry-8' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
