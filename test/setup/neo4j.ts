// The Neo4j part of the global test setup. The test server is started lazily by the first test file that needs
// it (test/neo4j/harness.ts), so a run without Neo4j tests never pays for it. Each vitest run holds a lease;
// at teardown the run drops its lease and, if no other live run holds one and the server was started by
// tests (not by a developer's `npm run neo4j:start`), stops it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const TEST_HOME = process.env.LINKCHART_TEST_NEO4J_HOME ?? join(REPO, '.neo4j', 'test');
export const TEST_PORT = Number(process.env.LINKCHART_TEST_NEO4J_PORT ?? 7688);
export const LEASES = join(TEST_HOME, 'run', 'leases');
export const STARTED_BY_TESTS = join(TEST_HOME, 'run', 'started-by-tests');

export function scriptEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LINKCHART_NEO4J_HOME: TEST_HOME, NEO4J_BOLT_PORT: String(TEST_PORT) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setupNeo4j(): Promise<() => Promise<void>> {
  if (process.env.LINKCHART_TEST_NEO4J === '0' || process.env.LINKCHART_TEST_NEO4J_URI) return async () => {};
  const token = `${process.pid}-${randomUUID()}`;
  // Workers inherit these: the harness writes this run's lease when it first uses the server.
  process.env.LINKCHART_TEST_RUN = token;
  return async () => {
    const mine = join(LEASES, token);
    if (!existsSync(mine)) return;
    rmSync(mine, { force: true });
    mkdirSync(LEASES, { recursive: true });
    const others = readdirSync(LEASES).filter((f) => {
      const pid = Number(f.split('-')[0]);
      if (alive(pid)) return true;
      rmSync(join(LEASES, f), { force: true });
      return false;
    });
    if (others.length > 0 || !existsSync(STARTED_BY_TESTS)) return;
    const startedPid = readFileSync(STARTED_BY_TESTS, 'utf8').trim();
    const pidFile = join(TEST_HOME, 'run', 'neo4j.pid');
    const runningPid = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : '';
    rmSync(STARTED_BY_TESTS, { force: true });
    // A marker left by a run that never reached its teardown must not stop a server someone started since.
    if (startedPid !== runningPid) return;
    execFileSync('bash', [join(REPO, 'cypher/server/neo4j.sh'), 'stop'], {
      env: scriptEnv(),
      stdio: 'inherit',
    });
  };
}

/**
 * After a test stopped and started the test server itself (an outage, the offline importer's restart): the
 * server now running is still the tests' own, so teardown must stop it. Without this its new pid no longer
 * matches the marker and the server outlives `npm test`.
 */
export function noteTestServerRestarted(): void {
  const pidFile = join(TEST_HOME, 'run', 'neo4j.pid');
  if (existsSync(STARTED_BY_TESTS) && existsSync(pidFile))
    writeFileSync(STARTED_BY_TESTS, readFileSync(pidFile, 'utf8').trim());
}

/** The generated password of the test server. */
export function testPassword(): string {
  return readFileSync(join(TEST_HOME, 'password'), 'utf8');
}
