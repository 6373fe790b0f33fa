// A real Linkchart server process for the sign-in battery (test/hard/signin-*.test.ts): like serve.ts, but
// with the login throttle as `npm start` has it (its defaults, or the LINKCHART_LOGIN_* settings in the
// environment), so the attacks meet the real limits. Makes sure the users named in SIGNIN_USERS
// (comma-separated, all analysts, password SIGNIN_PASSWORD) exist, listens on a free loopback port and
// prints it.
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import { hashPassword } from '../../server/security/passwords.ts';

async function main(): Promise<void> {
  const stores = await openStore();
  const hash = await hashPassword(process.env.SIGNIN_PASSWORD ?? '');
  for (const name of (process.env.SIGNIN_USERS ?? 'victim').split(',')) {
    if (!(await stores.security.getUserByName(name)))
      await stores.security.createUser({ name, role: 'analyst', passwordHash: hash });
  }
  const config = { ...loadConfig(), webDist: '/nonexistent-linkchart-web', port: 0, host: '127.0.0.1' };
  const app = await buildApp({ stores, config });
  // Loopback only; clients reach it from other loopback addresses (127.0.0.2 ...) to act as other machines.
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`LISTENING ${new URL(address).port}\n`);
  const stop = async () => {
    await app.close();
    await stores.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`signin-serve failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
