// The password change cannot be raced either (issue 16): its current-password check used to be
// unthrottled, so a stolen session could guess the password as fast as the server hashes, and the
// current password was accepted again as the new one. Now the check is counted before it runs, under the
// same limits as sign-in, and the new password must differ from the current one. A real server process,
// the real throttle with a 15-second lock, the default scrypt cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SIGNIN_PASSWORD,
  type SigninServer,
  post,
  session,
  signInOnce,
  sleep,
  startSigninServer,
  tally,
} from './signin-harness.ts';

const LOCK_SECONDS = 15;
const NEXT = 'Copper-Meadow-Signal-58';

let server: SigninServer;
beforeAll(async () => {
  server = await startSigninServer(['holder', 'reuser'], {
    LINKCHART_LOGIN_LOCK_SECONDS: String(LOCK_SECONDS),
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('password change under concurrent guessing', () => {
  it('40 concurrent wrong current passwords: at least 35 refused with 429; the right one after them is refused until the lock ends', async () => {
    const from = '127.0.0.21';
    const headers = await session(server, 'holder', SIGNIN_PASSWORD, from);
    const change = (current: string) =>
      post(server, '/api/auth/password', { current, next: NEXT }, { from, headers });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => change(`Wrong-Current-${String(i).padStart(3, '0')}`)),
    );
    const t = tally(answers);
    console.log('40 concurrent wrong current passwords:', t);
    expect(t[429] ?? 0).toBeGreaterThanOrEqual(35);
    expect(t[200] ?? 0).toBe(0);

    const right = await change(SIGNIN_PASSWORD);
    expect(right.status, right.body).toBe(429);
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
    // Guessing through the change form locks sign-in for that name and address too.
    expect((await signInOnce(server, 'holder', SIGNIN_PASSWORD, from)).status).toBe(429);
    await sleep((retryAfter + 1) * 1000);
    const after = await change(SIGNIN_PASSWORD);
    expect(after.status, after.body).toBe(200);
    expect((await signInOnce(server, 'holder', NEXT, from)).status).toBe(200);
  });

  it('the current password is refused as the new one', async () => {
    const from = '127.0.0.22';
    const headers = await session(server, 'reuser', SIGNIN_PASSWORD, from);
    const same = await post(
      server,
      '/api/auth/password',
      { current: SIGNIN_PASSWORD, next: SIGNIN_PASSWORD },
      { from, headers },
    );
    expect(same.status, same.body).toBe(400);
    expect(same.body).toMatch(/differ/);
  });
});
