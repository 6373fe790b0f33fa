// Picks and opens the stores the configuration asks for. Everything else receives the Stores (or the one
// aggregate it needs) and never knows which database is behind them.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Stores } from './stores.ts';
import { openSqliteStores } from './sqlite/stores.ts';
import { neo4jConfigFromEnv, openNeo4jFromEnv, type Neo4jEnvConfig } from './neo4j/open.ts';
import type { Neo4jStoresOptions } from './neo4j/stores.ts';
import {
  AuditKeyError,
  defaultStoreLog,
  discardCreatedKey,
  keyFileWarning,
  resolveAuditKey,
  type AuditTrailOptions,
} from '../security/audit-key.ts';

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

export interface OpenStoreOptions {
  /**
   * 'write' (default): a server or a tool that appends to the audit: the audit key is required (on SQLite
   * created beside the database at the first start); a trail written before keying is sealed then.
   * 'verify': npm run audit:verify: the key is used if there is one; nothing is created, sealed or refused.
   */
  mode?: 'write' | 'verify';
  /** Where to say what was found or made (default: stderr). */
  log?: (msg: string) => void;
}

/**
 * The stores configured by the environment: SQLite at LINKCHART_DB (default data/linkchart.db, folder
 * created if missing), with the audit keyed by LINKCHART_AUDIT_KEY / LINKCHART_AUDIT_KEY_FILE or the key
 * file beside the database (server/security/audit-key.ts). Migrated and ready.
 */
export async function openStore(
  env: NodeJS.ProcessEnv = process.env,
  opts: OpenStoreOptions = {},
): Promise<Stores> {
  const mode = opts.mode ?? 'write';
  const log = opts.log ?? defaultStoreLog;
  // NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) selects Neo4j; see server/store/neo4j/open.ts.
  const neo4j = neo4jConfigFromEnv(env);
  if (neo4j) {
    const { key } = resolveAuditKey(env, { mode });
    const warn = keyFileWarning(key);
    if (warn) log(warn);
    const audit: AuditTrailOptions = {
      auditKey: key,
      unkeyedTrail: mode === 'verify' ? 'inspect' : 'refuse',
      log,
    };
    // openNeo4jFromEnv hands its whole argument to the Neo4jStores constructor, audit options included.
    const cfg: Neo4jEnvConfig & Neo4jStoresOptions = { ...neo4j, ...audit };
    return openNeo4jFromEnv(cfg);
  }
  const path = env.LINKCHART_DB?.trim() || DEFAULT_DB_PATH;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  } catch (e) {
    throw new Error(explainSqliteFailure(path, e), { cause: e });
  }
  const resolved = resolveAuditKey(env, { dbPath: path, mode });
  const warn = keyFileWarning(resolved.key);
  if (warn) log(warn);
  try {
    const stores = await openSqliteStores(path, {
      createDir: false,
      auditKey: resolved.key,
      // A key made just now cannot have keyed anything yet: an unkeyed trail is sealed with it.
      unkeyedTrail: mode === 'verify' ? 'inspect' : resolved.created ? 'seal' : 'refuse',
      log,
    });
    if (resolved.created)
      log(
        `created the audit key file ${resolved.created} (mode 0600): the audit chain is keyed with it. Keep a ` +
          'copy apart from the database; to keep it elsewhere, set LINKCHART_AUDIT_KEY_FILE (or LINKCHART_AUDIT_KEY)',
      );
    return stores;
  } catch (e) {
    discardCreatedKey(resolved);
    if (e instanceof AuditKeyError) {
      const lost = resolved.created
        ? ` (no key was found, so one was made for this start, and it does not match: restore the key file ` +
          `${resolved.created}, or set LINKCHART_AUDIT_KEY / LINKCHART_AUDIT_KEY_FILE)`
        : '';
      throw new AuditKeyError(`${e.message}${lost}`, { cause: e });
    }
    throw new Error(explainSqliteFailure(path, e), { cause: e });
  }
}
