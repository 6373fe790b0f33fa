// `npm start`: open the configured store, load the demo network into an empty one, serve the API and web app.
// Every failure a person can fix (port taken, database unusable, bad setting) is said plainly, without a
// stack trace, and exits 1.
import { userInfo } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { StoreError } from '../store/common.ts';
import { redactUri } from '../store/neo4j/context.ts';
import { openStore } from '../store/open-store.ts';
import type { Stores } from '../store/stores.ts';
import { SqliteStores } from '../store/sqlite/stores.ts';
import { ensureDemoUser, nameClashes, type DemoUser } from '../security/users.ts';
import { HALYARD, HALYARD_OWNER, seedDemo } from '../../seed/demo-operations.ts';
import { duplicateRunsFor } from '../dedupe/queue-run.ts';

/** Who started the server, for the audit record of what the start did. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function fail(message: string): never {
  process.stderr.write(`linkchart: ${message}\n`);
  process.exit(1);
}

/** Loads the demo network when the store holds nothing; leaves existing data alone. */
export async function seedIfEmpty(stores: Stores, say: (s: string) => void): Promise<void> {
  const counts = await stores.counts();
  if (counts.entities > 0 || counts.links > 0) {
    say(`Store holds ${counts.entities} entities and ${counts.links} links; leaving them as they are.`);
    return;
  }
  say(
    'The store is empty: loading the demo network (synthetic county-lines operation, with an arrest on 2024-07-01)...',
  );
  // With its intervention (an arrest on 2024-07-01 and the network re-forming around successors), so the demo
  // shows the whole intelligence cycle: priorities, targets, and an operational review that finds the successors.
  // In the open operation KESTREL, with a few people recorded twice; and the closed HALYARD sharing three
  // subjects with it (seed/demo-operations.ts). The search for duplicates runs so its queue has work: first
  // over what the open operations hold, so pairs on the shared subjects carry evidence from open facts only
  // and the force (the demo user) sees them; then over everything, adding the pairs only a closed operation's
  // members may see (a pair already found from open facts keeps that evidence: narrower wins).
  await seedDemo(stores);
  const runs = duplicateRunsFor(stores);
  const open = (await stores.operations.list({ limit: 1000 })).items.filter((o) => o.sensitivity === 'open');
  await runs.run({}, { actor: 'seed' }, { operations: open.map((o) => o.id) });
  await runs.run({}, { actor: 'seed' }, 'all');
  const after = await stores.counts();
  say(`Loaded the demo network: ${after.entities} entities, ${after.links} links, ${after.reports} reports.`);
}

/** The store could not be reached (Neo4j down): the server starts all the same and answers 503 meanwhile. */
const storeDown = (e: unknown): boolean => e instanceof StoreError && e.code === 'unavailable';

/**
 * Runs `task` now and, while it finds the store down, again every `everyMs` in the background until it
 * succeeds: what start-up does in the store (the demo network, the demo user) happens once Neo4j answers,
 * without a restart. Any other failure is said and ends the retries.
 */
export function whenStoreAnswers(
  task: () => Promise<void>,
  say: (s: string) => void,
  everyMs = 2_000,
): Promise<void> {
  return new Promise((resolve) => {
    const attempt = () =>
      task().then(resolve, (e: unknown) => {
        if (!storeDown(e)) {
          say(`(start-up could not finish its work in the store: ${(e as Error).message})`);
          resolve();
          return;
        }
        // A retry must not keep a stopping process alive.
        setTimeout(attempt, everyMs).unref();
      });
    attempt();
  });
}

export function explainListenError(err: unknown, config: Config): string {
  const code = (err as { code?: string }).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') {
    return `port ${config.port} on ${config.host} is already in use (another Linkchart or another program). Stop that program, or choose another port: PORT=${config.port === 8080 ? 8081 : config.port + 1} npm start`;
  }
  if (code === 'EACCES') {
    return `not permitted to listen on ${where}. Choose a port above 1024, e.g. PORT=8080 npm start`;
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return `cannot listen on ${where}: this machine has no address ${config.host}. Set HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (all interfaces)`;
  }
  return `cannot listen on ${where}: ${(err as Error).message}`;
}

export async function start(
  opts: { logger?: boolean | { level: string }; say?: (s: string) => void } = {},
): Promise<{
  app: FastifyInstance;
  stores: Stores;
  url: string;
}> {
  const say = opts.say ?? ((s: string) => process.stdout.write(s + '\n'));
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(`${e.message}. Fix the environment variable and start again.`);
    throw e;
  }
  // What the store says while running (a Neo4j outage and its end) goes to the server's log once there is
  // one, at LOG_LEVEL; before that, to stderr like every other start-up message.
  let logger: FastifyBaseLogger | null = null;
  const storeLog = (msg: string, level: 'error' | 'warn' = 'warn') => {
    if (logger) logger[level](msg);
    else process.stderr.write(`linkchart: ${msg}\n`);
  };
  let stores: Stores;
  try {
    stores = await openStore({ ...process.env, LINKCHART_DB: config.dbPath }, { log: storeLog });
  } catch (e) {
    fail((e as Error).message);
  }
  const where =
    stores.kind === 'neo4j' ? `Neo4j at ${redactUri(process.env['NEO4J_URI'] ?? '')}` : config.dbPath;
  let seeded = true;
  try {
    await seedIfEmpty(stores, say);
  } catch (e) {
    if (storeDown(e)) {
      // The README's promise: with Neo4j down the server starts, says so, answers 503, and recovers.
      seeded = false;
      say(
        `${where} cannot be reached: Linkchart starts all the same and answers 503 until it can; it tries every second and serves as soon as the database answers (an empty store gets the demo network then).`,
      );
    } else {
      await stores.close().catch(() => undefined);
      fail(`could not load the demo network into ${where}: ${(e as Error).message}`);
    }
  }
  // A long-running server checkpoints the SQLite WAL from a worker thread, not inside request commits.
  // And walks the graph (expansions, paths) on worker threads, leaving the request thread to HTTP.
  if (stores instanceof SqliteStores) {
    await stores.checkpointInBackground();
    if (config.readWorkers > 0) {
      try {
        await stores.readInWorkers({ workers: config.readWorkers });
      } catch (e) {
        // Slower under load, but every answer the same: not a reason to refuse to start.
        say(
          `(expansions run on the request thread: the read workers did not start: ${(e as Error).message})`,
        );
      }
    }
  }
  const app = await buildApp({
    stores,
    config,
    ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
  });
  logger = app.log;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close().catch(() => undefined);
    await stores.close().catch(() => undefined);
    fail(explainListenError(e, config));
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  say(`Linkchart is running at ${url}/  (store: ${stores.kind}, ${where})`);
  // Only once the port is ours: a second start on a taken port must not touch the store's accounts.
  // The demo account is created once (an analyst, the creation audited) and never changed by a later start.
  // With the store down, this waits for it in the background (whenStoreAnswers) while the server answers 503.
  const setUp = async (): Promise<void> => {
    if (!seeded) {
      await seedIfEmpty(stores, say);
      seeded = true;
    }
    let demo: DemoUser | null = null;
    if (process.env['LINKCHART_DEMO_USER'] !== '0') {
      try {
        demo = await ensureDemoUser(stores.security, { actor: `start:${osUser()}` });
        // The demo's HALYARD owner (`npm run user -- reset dsmith` gives the account a password to sign in with).
        if (await stores.operations.getByRef(HALYARD.ref))
          await ensureDemoUser(stores.security, { name: HALYARD_OWNER, actor: `start:${osUser()}` });
      } catch (e) {
        if (storeDown(e)) throw e;
        say(`(could not set up the demo user: ${(e as Error).message})`);
      }
    }
    const clashes = await nameClashes(stores.security);
    if (demo?.created)
      say(
        `Created the demo user: sign in as ${demo.name} (${demo.role}) with password ${demo.password} (shown once; npm run user -- reset ${demo.name} sets a new one; LINKCHART_DEMO_USER=0 turns this off)`,
      );
    else if (demo) say(`The demo user ${demo.name} exists.`);
    for (const group of clashes)
      say(
        `Warning: user names that differ only in case or Unicode form: ${group.map((u) => `${JSON.stringify(u.name)} (id ${u.id})`).join(', ')}. All are kept; the first answers to any form of the name, the others to their exact names only. Disable the ones not wanted: npm run user -- disable NAME`,
      );
  };
  const settled = await setUp().then(
    () => true,
    (e: unknown) => {
      if (storeDown(e)) return false;
      say(`(start-up could not finish its work in the store: ${(e as Error).message})`);
      return true;
    },
  );
  if (!settled) {
    say(`(${where} cannot be reached yet: the demo user is set up as soon as it answers)`);
    void whenStoreAnswers(setUp, say);
  }
  say(`API: ${url}/api/health, ${url}/api/search?q=..., documentation at ${url}/api/docs`);
  const stop = async () => {
    await app.close().catch(() => undefined);
    await stores.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return { app, stores, url };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  start().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
}
