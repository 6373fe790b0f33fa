// Picks and opens the stores the configuration asks for. Everything else receives the Stores (or the one
// aggregate it needs) and never knows which database is behind them.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Stores } from './stores.ts';
import { openSqliteStores } from './sqlite/stores.ts';
import { neo4jConfigFromEnv, openNeo4jFromEnv } from './neo4j/open.ts';

export const DEFAULT_DB_PATH = 'data/linkchart.db';

/** Why a SQLite file cannot be used, and what to do about it, in words a person can act on. */
function explainSqliteFailure(path: string, err: unknown): string {
  const abs = resolve(path);
  const cause = err instanceof Error ? err.message : String(err);
  const dir = dirname(abs);
  let fix: string;
  if (/not a database|malformed|file is encrypted/i.test(cause)) {
    fix = `the file is not a Linkchart SQLite database (or is damaged): move it aside, or set LINKCHART_DB to another file`;
  } else if (/newer than this Linkchart/.test(cause)) {
    fix = 'upgrade Linkchart, or set LINKCHART_DB to another file';
  } else if (/EEXIST|ENOTDIR/.test(cause) || (existsSync(dir) && !statSync(dir).isDirectory())) {
    fix = `a part of the path ${dir} is a file, not a folder: set LINKCHART_DB to a path inside a folder`;
  } else if (!existsSync(dir)) {
    fix = `create the folder ${dir}, or set LINKCHART_DB to a file in a folder that exists`;
  } else {
    let writable = true;
    try {
      accessSync(existsSync(abs) ? abs : dir, constants.W_OK);
    } catch {
      writable = false;
    }
    fix = writable
      ? 'check that no other program holds the file locked, or set LINKCHART_DB to another file'
      : `make ${existsSync(abs) ? abs : dir} writable by this user, or set LINKCHART_DB to a file you can write`;
  }
  return `cannot open the database file ${abs} (LINKCHART_DB): ${cause}. To fix: ${fix}.`;
}

/**
 * The stores configured by the environment: SQLite at LINKCHART_DB (default data/linkchart.db, folder
 * created if missing). Migrated and ready.
 */
export async function openStore(env: NodeJS.ProcessEnv = process.env): Promise<Stores> {
  // NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) selects Neo4j; see server/store/neo4j/open.ts.
  const neo4j = neo4jConfigFromEnv(env);
  if (neo4j) return openNeo4jFromEnv(neo4j);
  const path = env.LINKCHART_DB?.trim() || DEFAULT_DB_PATH;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    return await openSqliteStores(path, { createDir: false });
  } catch (e) {
    throw new Error(explainSqliteFailure(path, e), { cause: e });
  }
}
