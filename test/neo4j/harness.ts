// Test access to a real Neo4j server. `neo4jForTests()` starts the test server if needed (through the project's
// script, in .neo4j/test on port 7688, apart from any development server) and hands out its address; or says
// why Neo4j tests are skipped. Test files share the one database, so each file holds `lockDatabase()` while it
// uses it, and wipes the database before each store it makes.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import {
  LEASES,
  REPO,
  STARTED_BY_TESTS,
  TEST_HOME,
  TEST_PORT,
  scriptEnv,
  testPassword,
} from '../setup/neo4j.ts';

export interface Neo4jTestServer {
  uri: string;
  password: string;
  driver: Driver;
  /** Initialised stores on an empty database. */
  freshStore(): Promise<Neo4jStores>;
  wipe(): Promise<void>;
  /** Node and relationship counts of the whole database, leaving out the store's lock and counter nodes. */
  dbCounts(): Promise<{ nodes: number; rels: number }>;
  close(): Promise<void>;
}

export type Neo4jAvailability = { ok: true; server: Neo4jTestServer } | { ok: false; reason: string };

function javaPresent(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

let cached: Promise<Neo4jAvailability> | null = null;

export function neo4jForTests(): Promise<Neo4jAvailability> {
  cached ??= connect();
  return cached;
}

async function connect(): Promise<Neo4jAvailability> {
  if (process.env.LINKCHART_TEST_NEO4J === '0') {
    return { ok: false, reason: 'Neo4j tests skipped: LINKCHART_TEST_NEO4J=0' };
  }
  let uri = process.env.LINKCHART_TEST_NEO4J_URI;
  let password = process.env.LINKCHART_TEST_NEO4J_PASSWORD ?? '';
  if (!uri) {
    if (!javaPresent()) {
      const reason =
        'Neo4j tests skipped: no Java runtime (install openjdk-17-jre-headless, or set LINKCHART_TEST_NEO4J_URI)';
      if (process.env.CI) throw new Error(`${reason}; CI must run them`);
      return { ok: false, reason };
    }
    if (process.env.LINKCHART_TEST_RUN) {
      mkdirSync(LEASES, { recursive: true });
      writeFileSync(join(LEASES, process.env.LINKCHART_TEST_RUN), '');
    }
    const script = join(REPO, 'cypher/server/neo4j.sh');
    const status = spawnSync('bash', [script, 'status'], { env: scriptEnv(), encoding: 'utf8' });
    if (status.status !== 0) {
      execFileSync('bash', [script, 'start'], { env: scriptEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
      // The server's pid: teardown stops it only if that same server is still the one running.
      writeFileSync(STARTED_BY_TESTS, readFileSync(join(TEST_HOME, 'run', 'neo4j.pid'), 'utf8').trim());
    }
    uri = `bolt://127.0.0.1:${TEST_PORT}`;
    password = testPassword();
  }
  const driver = neo4j.driver(
    uri,
    neo4j.auth.basic(process.env.LINKCHART_TEST_NEO4J_USER ?? 'neo4j', password),
  );
  const server: Neo4jTestServer = {
    uri,
    password,
    driver,
    async wipe() {
      await driver
        .executeQuery(
          'CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName, false) YIELD graphName AS g RETURN count(*)',
        )
        .catch(() => undefined);
      // In slices, so a large test graph does not need one huge transaction.
      for (;;) {
        const r = await driver.executeQuery(
          'MATCH (n) WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS c',
        );
        if (Number(r.records[0].get('c')) === 0) break;
      }
    },
    async freshStore() {
      await server.wipe();
      const stores = new Neo4jStores({ uri, password, driver });
      await stores.init();
      return stores;
    },
    async dbCounts() {
      const r = await driver.executeQuery(
        // The store's own bookkeeping (lock and counter nodes, made on first use) is not data.
        // Counted apart: a MATCH of the relationships after the nodes' count gives no row at all when there are none.
        'RETURN COUNT { MATCH (n) WHERE NOT n:Meta AND NOT n:Seq } AS nodes, COUNT { ()-[r]->() } AS rels',
      );
      return { nodes: Number(r.records[0].get('nodes')), rels: Number(r.records[0].get('rels')) };
    },
    async close() {
      await driver.close();
    },
  };
  return { ok: true, server };
}

const LOCK = join(TEST_HOME, 'run', 'db.lock');

/** How long a test file may wait for the database (the hook timeout of the beforeAll that takes the lock). */
export const LOCK_WAIT_MS = 900_000;

function holderAlive(): boolean {
  try {
    const pid = Number(readFileSync(LOCK, 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Exclusive use of the test database by this process (test files run in parallel workers). */
export async function lockDatabase(timeoutMs = LOCK_WAIT_MS - 10_000): Promise<() => void> {
  mkdirSync(join(TEST_HOME, 'run'), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(LOCK, { force: true });
    } catch {
      if (!holderAlive()) {
        rmSync(LOCK, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`the Neo4j test database stayed locked for ${timeoutMs / 1000}s (${LOCK})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
