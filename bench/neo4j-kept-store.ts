// A large Neo4j store for the read benches, loaded once and kept between runs (issue 21: reads at 1M links).
// The network is generated into a SQLite file beside the test server's home (kept too: it is the SQLite store of
// the same size the benches compare against), then moved into Neo4j by `npm run transfer` through
// neo4j-admin database import (--method=import --restart: stops the server, loads, starts it again). With
// `keep`, a Neo4j store that already holds at least `links` relationships is used as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { planNetwork } from '../seed/generate.ts';
import { Neo4jStores } from '../server/store/neo4j/stores.ts';
import { openSqliteStores } from '../server/store/sqlite/stores.ts';
import type { Neo4jTestServer } from '../test/neo4j/harness.ts';
import { REPO, scriptEnv, TEST_HOME } from '../test/setup/neo4j.ts';

/** The generated network of `links` links as a SQLite file, made once (seed 42) and kept. */
export async function sqliteSource(links: number): Promise<string> {
  const dir = join(TEST_HOME, 'bench');
  const path = join(dir, `links-${links}.db`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.part`;
  rmSync(tmp, { force: true });
  const t0 = performance.now();
  const s = await openSqliteStores(tmp);
  try {
    for (const chunk of planNetwork({ seed: 42, size: links }).chunks())
      await s.graph.writeBatch(chunk, { actor: 'bench', importId: 'bench' });
  } finally {
    await s.close();
  }
  for (const ext of ['-wal', '-shm']) rmSync(`${tmp}${ext}`, { force: true });
  renameSync(tmp, path);
  console.log(`generated ${links} links into ${path} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return path;
}

/**
 * Initialised stores on a Neo4j test database holding the generated network of `links` links: the one there
 * when `keep` and it is big enough, else loaded from the SQLite source through neo4j-admin import.
 */
export async function keptNeo4jStore(
  server: Neo4jTestServer,
  links: number,
  keep: boolean,
): Promise<{ stores: Neo4jStores; source: string }> {
  const source = await sqliteSource(links);
  const have = keep ? await server.dbCounts() : { nodes: 0, rels: 0 };
  if (keep && have.rels >= links) {
    console.log(`reusing the Neo4j store: ${have.rels} relationships`);
  } else {
    const t0 = performance.now();
    console.log(
      `loading ${links} links into Neo4j through npm run transfer (neo4j-admin import): some minutes`,
    );
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/cli/transfer.ts',
        '--from',
        `sqlite:${source}`,
        '--to',
        'neo4j',
        '--replace',
        '--replace',
        '--method=import',
        '--restart',
      ],
      {
        cwd: REPO,
        env: {
          ...scriptEnv(),
          NEO4J_URI: server.uri,
          NEO4J_PASSWORD: server.password,
          LINKCHART_AUDIT_KEY: '',
        },
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    if (r.status !== 0)
      throw new Error(`the transfer into Neo4j failed:\n${r.stdout.slice(-2000)}\n${r.stderr}`);
    console.log(
      `loaded ${links} links into Neo4j (neo4j-admin import) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
  const stores = new Neo4jStores({ uri: server.uri, password: server.password });
  await stores.init();
  return { stores, source };
}
