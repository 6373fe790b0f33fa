// A Linkchart server process as `npm start` runs one (SQLite WAL checkpoints and graph walks on worker
// threads, the same V8 flags), for the bounded-* hard tests: opens LINKCHART_DB, makes sure HARD_USER
// (admin, password HARD_PASSWORD) exists, listens on a free loopback port and prints it. test/hard/serve.ts
// is the battery's plain server; this one measures what a deployment would do under the same attacks.
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import { SqliteStores } from '../../server/store/sqlite/stores.ts';
import { hashPassword } from '../../server/security/passwords.ts';
import { LoginThrottle } from '../../server/security/sessions.ts';

async function main(): Promise<void> {
  const stores = await openStore();
  const name = process.env.HARD_USER ?? 'hard-admin';
  if (!(await stores.security.getUserByName(name)))
    await stores.security.createUser({
      name,
      role: 'admin',
      passwordHash: await hashPassword(process.env.HARD_PASSWORD ?? ''),
    });
  const config = { ...loadConfig(), webDist: '/nonexistent-linkchart-web', port: 0, host: '127.0.0.1' };
  if (stores instanceof SqliteStores) {
    await stores.checkpointInBackground();
    if (config.readWorkers > 0) await stores.readInWorkers({ workers: config.readWorkers });
  }
  const app = await buildApp({
    stores,
    config,
    security: { throttle: new LoginThrottle({ maxPerAddress: 1_000_000, maxFailures: 1_000_000 }) },
  });
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
