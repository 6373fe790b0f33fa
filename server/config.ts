// Configuration by environment, with defaults that just work on a fresh clone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { READ_POOL_DEFAULTS } from './store/sqlite/read-pool.ts';
import { parseTileServer, type TileServer } from './geo/tiles.ts';
import { defaultExportIdsDir } from './security/audit-export-ids.ts';
import {
  DEFAULT_JOB_LIMITS,
  JOB_LIMIT_RANGES,
  JOB_LIMIT_VARIABLES,
  type JobLimits,
} from './jobs/job-limits.ts';
import { readGdsThresholds, type GdsThresholds } from './jobs/gds-thresholds.ts';
import { sampledBudgetMs } from './jobs/parallel-sampled-betweenness.ts';
import { DEFAULT_THROTTLE, THROTTLE_ENV, type ThrottleOptions } from './security/sessions.ts';
import { ANONYMOUS_AUDIT_DEFAULTS, ANONYMOUS_AUDIT_ENV } from './security/audit-sampler.ts';

export const SOFTWARE_NAME = 'linkchart';
export const SOFTWARE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface Limits {
  /** Largest JSON request body, bytes. */
  bodyBytes: number;
  /** Largest import upload, bytes. */
  uploadBytes: number;
  /** Most nodes a neighbourhood expansion, path search or view may return. */
  maxExpansionNodes: number;
  /** Most links a view handed to analysis or export may hold. */
  maxAnalysisLinks: number;
  /**
   * On the Neo4j store, a whole-store analysis of at least this many links runs in Graph Data Science instead
   * of pulling the view into the server, for every metric (LINKCHART_GDS_FROM_LINKS); null: each metric from
   * its own measured crossover (jobs/gds-thresholds.ts, bench/suites/21-gds-crossover.ts).
   */
  gdsFromLinks: number | null;
  /** Per metric, overriding gdsFromLinks (LINKCHART_GDS_FROM_LINKS_PAGERANK …; null: never by size). */
  gdsFromLinksByMetric?: GdsThresholds;
  /**
   * Most links an interactive answer carries (a view, an expansion): far below maxAnalysisLinks, so one is
   * built and sent in a few tens of milliseconds of the request thread; larger views go through the
   * analysis job API.
   */
  maxViewLinks: number;
  /** Views waiting for their turn (one is built at a time); past it, 429 busy. */
  maxViewQueue: number;
  /** Most row errors an import report lists (the count is always exact). */
  maxImportErrors: number;
  /** Longest CSV record an import reads, in characters (line breaks inside quoted cells included). */
  maxImportRowChars: number;
  /** Most cells in one CSV record an import reads. */
  maxImportColumns: number;
  /** Largest network file (edgelist, matrix, twomode) an upload may be: these are read whole. */
  maxNetworkFileBytes: number;
  /** Most pairs of people an imported two-mode file's projection may join. */
  maxProjectionPairs: number;
  /**
   * Carried ids an export's audit record lists itself; past it the lists are kept beside the record (a
   * file in auditExportIdsDir) and the record carries their digest and counts.
   */
  auditExportIds: number;
  /**
   * Longest a request waits, ms, for a Neo4j member to catch up with its user's last write (the signed
   * bookmark another server gave them) before answering 503 'busy' (server/security/read-after-cookie.ts).
   */
  readAfterWaitMs: number;
  /** Analysis jobs: per-user cap, queue bound, workers at once, seconds one may run (server/jobs/job-limits.ts). */
  maxJobsPerUser: number;
  maxQueuedJobs: number;
  jobWorkers: number;
  maxJobSeconds: number;
  /** Sign-in throttle (server/security/sessions.ts): failures per name and address before a lock ... */
  loginMaxFailures: number;
  /** ... attempts per name, and per address, in a window ... */
  loginMaxPerName: number;
  loginMaxPerAddress: number;
  /** ... the window and the lock, seconds. */
  loginWindowSeconds: number;
  loginLockSeconds: number;
  /** Deepest nesting of objects and arrays a JSON body may have. */
  maxJsonDepth: number;
  /** Anonymous failures (server/security/audit-sampler.ts): the counting interval, ms ... */
  auditAnonWindowMs: number;
  /** ... and how many per source and route are recorded in full in each. */
  auditAnonSample: number;
}

/** Default of LINKCHART_MAX_JSON_DEPTH. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface Config {
  port: number;
  host: string;
  /** The SQLite file (the embedded store). */
  dbPath: string;
  /** Where large exports' id lists are kept beside their audit records (LINKCHART_AUDIT_EXPORTS_DIR). */
  auditExportIdsDir: string;
  neo4j: { uri: string | null; user: string; password: string; database: string | null };
  /** The built web app; served statically when the folder exists. */
  webDist: string;
  limits: Limits;
  logLevel: string;
  /** Worker threads answering graph walks on the SQLite store; 0 walks on the request thread. */
  readWorkers: number;
  /**
   * The map: the force's own tile server (LINKCHART_MAP_TILES, optional: without it the built-in outline
   * map is the only basemap) and the postcode table file (LINKCHART_POSTCODES; default beside the database).
   */
  map?: { tiles: TileServer | null; postcodesPath: string };
}

export const DEFAULT_LIMITS: Limits = {
  bodyBytes: 5 * 1024 * 1024,
  uploadBytes: 100 * 1024 * 1024,
  maxExpansionNodes: 5_000,
  maxAnalysisLinks: 1_000_000,
  gdsFromLinks: null,
  maxViewLinks: 5_000,
  maxViewQueue: 32,
  maxImportErrors: 100,
  maxImportRowChars: 1_000_000,
  maxImportColumns: 1_000,
  maxNetworkFileBytes: 256 * 1024,
  maxProjectionPairs: 100_000,
  auditExportIds: 1000,
  readAfterWaitMs: 3000,
  ...DEFAULT_JOB_LIMITS,
  loginMaxFailures: DEFAULT_THROTTLE.maxFailures,
  loginMaxPerName: DEFAULT_THROTTLE.maxPerName,
  loginMaxPerAddress: DEFAULT_THROTTLE.maxPerAddress,
  loginWindowSeconds: DEFAULT_THROTTLE.windowMs / 1000,
  loginLockSeconds: DEFAULT_THROTTLE.lockMs / 1000,
  maxJsonDepth: DEFAULT_MAX_JSON_DEPTH,
  auditAnonWindowMs: ANONYMOUS_AUDIT_DEFAULTS.windowMs,
  auditAnonSample: ANONYMOUS_AUDIT_DEFAULTS.sampleFirst,
};

/** The sign-in throttle the limits set. */
export function loginThrottleOptions(l: Limits): Omit<ThrottleOptions, 'now'> {
  return {
    maxFailures: l.loginMaxFailures,
    maxPerName: l.loginMaxPerName,
    maxPerAddress: l.loginMaxPerAddress,
    windowMs: l.loginWindowSeconds * 1000,
    lockMs: l.loginLockSeconds * 1000,
  };
}

/** The job limits the limits set. */
export function jobLimits(l: Limits): JobLimits {
  const { maxJobsPerUser, maxQueuedJobs, jobWorkers, maxJobSeconds } = l;
  return { maxJobsPerUser, maxQueuedJobs, jobWorkers, maxJobSeconds };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
  }
  return n;
}

/** `int` for a module's own [variable, min, max] (its limits keep their names and ranges beside them). */
function ranged(
  env: NodeJS.ProcessEnv,
  [name, min, max]: readonly [string, number, number],
  fallback: number,
): number {
  return int(env, name, fallback, min, max);
}

function jobLimitsFrom(env: NodeJS.ProcessEnv): JobLimits {
  const out = { ...DEFAULT_JOB_LIMITS };
  for (const k of Object.keys(DEFAULT_JOB_LIMITS) as Array<keyof JobLimits>)
    out[k] = ranged(env, [JOB_LIMIT_VARIABLES[k], ...JOB_LIMIT_RANGES[k]], DEFAULT_JOB_LIMITS[k]);
  return out;
}

function mapConfig(env: NodeJS.ProcessEnv, cwd: string): NonNullable<Config['map']> {
  const raw = env['LINKCHART_MAP_TILES'];
  let tiles: TileServer | null = null;
  if (raw) {
    const t = parseTileServer(raw, env['LINKCHART_MAP_TILES_NAME']);
    if (typeof t === 'string') throw new ConfigError(`LINKCHART_MAP_TILES=${JSON.stringify(raw)}: ${t}`);
    tiles = t;
  }
  const db = resolve(cwd, env['LINKCHART_DB'] || 'data/linkchart.db');
  return {
    tiles,
    postcodesPath: resolve(cwd, env['LINKCHART_POSTCODES'] || resolve(db, '..', 'postcodes.sqlite')),
  };
}

/** A module's own reading of its variables, its error (which names the variable) as a ConfigError. */
function fromModule<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** Reads the environment. Throws ConfigError with the variable's name when a value is unusable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dbPath = resolve(cwd, env['LINKCHART_DB'] || 'data/linkchart.db');
  // Read by the analysis workers themselves; checked here so a bad value stops the start.
  fromModule(() => sampledBudgetMs(env));
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env['HOST'] || '127.0.0.1',
    dbPath,
    auditExportIdsDir: env['LINKCHART_AUDIT_EXPORTS_DIR']
      ? resolve(cwd, env['LINKCHART_AUDIT_EXPORTS_DIR'])
      : defaultExportIdsDir(dbPath),
    neo4j: {
      uri: env['NEO4J_URI'] || null,
      user: env['NEO4J_USER'] || 'neo4j',
      password: env['NEO4J_PASSWORD'] || '',
      database: env['NEO4J_DATABASE'] || null,
    },
    webDist: resolve(cwd, env['LINKCHART_WEB_DIST'] || 'web/dist'),
    logLevel: env['LOG_LEVEL'] || 'warn',
    readWorkers: int(env, 'LINKCHART_READ_WORKERS', READ_POOL_DEFAULTS.workers, 0, 64),
    map: mapConfig(env, cwd),
    limits: {
      bodyBytes: int(env, 'LINKCHART_MAX_BODY_BYTES', DEFAULT_LIMITS.bodyBytes, 1024, 2 ** 31),
      uploadBytes: int(env, 'LINKCHART_MAX_UPLOAD_BYTES', DEFAULT_LIMITS.uploadBytes, 1024, 2 ** 40),
      maxExpansionNodes: int(
        env,
        'LINKCHART_MAX_EXPANSION_NODES',
        DEFAULT_LIMITS.maxExpansionNodes,
        1,
        10_000_000,
      ),
      maxAnalysisLinks: int(
        env,
        'LINKCHART_MAX_ANALYSIS_LINKS',
        DEFAULT_LIMITS.maxAnalysisLinks,
        1,
        100_000_000,
      ),
      gdsFromLinks: env.LINKCHART_GDS_FROM_LINKS?.trim()
        ? int(env, 'LINKCHART_GDS_FROM_LINKS', 0, 1, 1_000_000_000)
        : DEFAULT_LIMITS.gdsFromLinks,
      gdsFromLinksByMetric: fromModule(() => readGdsThresholds(env)),
      maxViewLinks: int(env, 'LINKCHART_MAX_VIEW_LINKS', DEFAULT_LIMITS.maxViewLinks, 1, 100_000_000),
      maxViewQueue: int(env, 'LINKCHART_MAX_VIEW_QUEUE', DEFAULT_LIMITS.maxViewQueue, 0, 100_000),
      maxImportErrors: DEFAULT_LIMITS.maxImportErrors,
      maxImportRowChars: int(
        env,
        'LINKCHART_MAX_IMPORT_ROW_CHARS',
        DEFAULT_LIMITS.maxImportRowChars,
        1_000,
        1_000_000_000,
      ),
      maxImportColumns: int(
        env,
        'LINKCHART_MAX_IMPORT_COLUMNS',
        DEFAULT_LIMITS.maxImportColumns,
        2,
        1_000_000,
      ),
      maxNetworkFileBytes: int(
        env,
        'LINKCHART_MAX_NETWORK_FILE_BYTES',
        DEFAULT_LIMITS.maxNetworkFileBytes,
        1024,
        2 ** 40,
      ),
      maxProjectionPairs: int(
        env,
        'LINKCHART_MAX_PROJECTION_PAIRS',
        DEFAULT_LIMITS.maxProjectionPairs,
        1,
        1_000_000_000,
      ),
      auditExportIds: int(env, 'LINKCHART_AUDIT_EXPORT_IDS', DEFAULT_LIMITS.auditExportIds, 0, 1_000_000),
      readAfterWaitMs: int(env, 'LINKCHART_READ_AFTER_WAIT_MS', DEFAULT_LIMITS.readAfterWaitMs, 100, 60_000),
      ...jobLimitsFrom(env),
      loginMaxFailures: ranged(env, THROTTLE_ENV.maxFailures, DEFAULT_LIMITS.loginMaxFailures),
      loginMaxPerName: ranged(env, THROTTLE_ENV.maxPerName, DEFAULT_LIMITS.loginMaxPerName),
      loginMaxPerAddress: ranged(env, THROTTLE_ENV.maxPerAddress, DEFAULT_LIMITS.loginMaxPerAddress),
      loginWindowSeconds: ranged(env, THROTTLE_ENV.windowMs, DEFAULT_LIMITS.loginWindowSeconds),
      loginLockSeconds: ranged(env, THROTTLE_ENV.lockMs, DEFAULT_LIMITS.loginLockSeconds),
      maxJsonDepth: int(env, 'LINKCHART_MAX_JSON_DEPTH', DEFAULT_MAX_JSON_DEPTH, 1, 10_000),
      auditAnonWindowMs: ranged(env, ANONYMOUS_AUDIT_ENV.windowMs, DEFAULT_LIMITS.auditAnonWindowMs),
      auditAnonSample: ranged(env, ANONYMOUS_AUDIT_ENV.sampleFirst, DEFAULT_LIMITS.auditAnonSample),
    },
  };
}
