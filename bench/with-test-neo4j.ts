// The opening and closing every Neo4j bench shares: the project's test server (its home and port from
// LINKCHART_TEST_NEO4J_HOME / _PORT, started by the project's script if it is not running), its database held
// with the tests' lock so a test run and a bench never wipe each other's data, and the server stopped again
// afterwards if this run started it, so a bench leaves the machine as it found it.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { lockDatabase, neo4jForTests, type Neo4jTestServer } from '../test/neo4j/harness.ts';
import { REPO, scriptEnv } from '../test/setup/neo4j.ts';

export interface BenchNeo4j {
  server: Neo4jTestServer;
  /** The server was running before this run (its page cache may be warm). */
  wasRunning: boolean;
}

/**
 * Runs `body` with the test server and its lock. Without Java or the server it prints why and returns, as the
 * Neo4j tests skip.
 */
export async function withTestNeo4j(body: (neo4j: BenchNeo4j) => Promise<void>): Promise<void> {
  const script = join(REPO, 'cypher/server/neo4j.sh');
  const wasRunning = spawnSync('bash', [script, 'status'], { env: scriptEnv() }).status === 0;
  const avail = await neo4jForTests();
  if (!avail.ok) {
    console.log(`skipped: ${avail.reason}`);
    return;
  }
  const release = await lockDatabase();
  try {
    await body({ server: avail.server, wasRunning });
  } finally {
    release();
    await avail.server.close();
    if (!wasRunning) execFileSync('bash', [script, 'stop'], { env: scriptEnv(), stdio: 'inherit' });
  }
}
