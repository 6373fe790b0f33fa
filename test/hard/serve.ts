// The one Linkchart server process of the hard battery (started by harness.ts's startServer): opens
// LINKCHART_DB, makes sure its users exist, listens on a free loopback port and prints `LISTENING <port>`.
// What it runs is set by the environment:
//  - HARD_USER: an admin of that name (password HARD_PASSWORD) is made sure of; unset, none.
//  - HARD_ANALYSTS: comma-separated analysts (password HARD_ANALYSTS_PASSWORD) made sure of; unset, none.
//  - HARD_THROTTLE_LIFT: which sign-in limits (maxPerAddress, maxFailures, maxPerName; comma-separated) are
//    lifted to a million. Unset: all three (the battery signs in from one address many times; the throttle
//    itself is tested elsewhere); empty: none, the throttle as `npm start` has it (its defaults, or the
//    LINKCHART_LOGIN_* settings in the environment).
//  - HARD_DEPLOYED=1: as `npm start` runs it: SQLite WAL checkpoints and graph walks on worker threads (the
//    launcher adds npm start's V8 flag).
import { buildApp } from '../../server/app.ts';
import { loadConfig, loginThrottleOptions, type Limits } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import { SqliteStores } from '../../server/store/sqlite/stores.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { LoginThrottle } from '../../server/security/sessions.ts';
import type { Role } from '../../server/domain/model.ts';
import type { Stores } from '../../server/store/stores.ts';

const LIMITS = ['maxPerAddress', 'maxFailures', 'maxPerName'] as const;

async function ensureUsers(stores: Stores, names: string[], role: Role, password: string): Promise<void> {
  let passwordHash: string | undefined;
  for (const name of names) {
    if (await stores.security.getUserByName(name)) continue;
    passwordHash ??= await hashPassword(password);
    await stores.security.createUser({ name, role, passwordHash });
  }
}

function throttle(limits: Limits): LoginThrottle {
  const lift = (process.env.HARD_THROTTLE_LIFT ?? LIMITS.join(',')).split(',').filter(Boolean);
  for (const l of lift)
    if (!(LIMITS as readonly string[]).includes(l)) throw new Error(`HARD_THROTTLE_LIFT: unknown limit ${l}`);
  return new LoginThrottle({
    ...loginThrottleOptions(limits),
    ...Object.fromEntries(lift.map((l) => [l, 1_000_000])),
  });
}

async function main(): Promise<void> {
  const stores = await openStore();
  const admin = process.env.HARD_USER;
  await ensureUsers(stores, admin ? [admin] : [], 'admin', process.env.HARD_PASSWORD ?? '');
  const analysts = (process.env.HARD_ANALYSTS ?? '').split(',').filter(Boolean);
  await ensureUsers(stores, analysts, 'analyst', process.env.HARD_ANALYSTS_PASSWORD ?? '');
  const config = { ...loadConfig(), webDist: '/nonexistent-linkchart-web', port: 0, host: '127.0.0.1' };
  if (process.env.HARD_DEPLOYED === '1' && stores instanceof SqliteStores) {
    await stores.checkpointInBackground();
    if (config.readWorkers > 0) await stores.readInWorkers({ workers: config.readWorkers });
  }
  const app = await buildApp({ stores, config, security: { throttle: throttle(config.limits) } });
  // Loopback only; clients may reach it from other loopback addresses (127.0.0.2 ...) to act as other machines.
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
  process.stderr.write(`serve failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
