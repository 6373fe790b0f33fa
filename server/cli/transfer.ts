// npm run transfer -- --from sqlite:PATH --to neo4j [--replace [--replace]] [--resume] [--method=import|merge --restart]
// npm run transfer -- --from neo4j --to sqlite:PATH [--replace [--replace]] [--resume]
//
// Copies everything one store holds into the other: entities, links, reports, aliases and merge records (so
// a merge can still be undone), annotations, charts, drafts, targets and their actions, calls, the duplicate
// queue, operations and deconfliction notices, users and the audit trail, with the same ids and timestamps, so
// the audit hash chain still verifies. It streams: each kind is read, written and verified in batches
// (--batch, 5,000 by default), so memory stays flat whatever the size, and progress with a rate and the time
// left is said on stderr. Each batch is written with a marker in the target saying how far the copy got: a
// transfer that was stopped goes on from there with --resume (to the same digest). Then it reads the target back
// and checks the counts of every kind, a digest of the whole content and the audit chain.
//
// Into Neo4j it writes batches of UNWIND ... MERGE on each kind's key. An EMPTY Neo4j of our own (its folder in
// LINKCHART_NEO4J_HOME, as cypher/server/neo4j.sh runs it) can instead be loaded by Neo4j's offline importer
// (neo4j-admin database import), several times faster: that stops the server, replaces its database, starts it
// again and applies the schema, so it needs --restart as well (--method=import to insist, --method=merge to
// stay online). Running it again changes nothing: a target that already holds the same content is left alone. A
// target holding other data is refused unless --replace (which empties it first); a target with an audit trail
// of its own needs --replace twice, because emptying it destroys that trail, the one record nobody may
// rewrite. Neo4j is addressed by NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, or
// `neo4j:bolt://host:7687` on the command line (password still from NEO4J_PASSWORD).
// Exit codes: 0 copied or already identical; 1 verification failed; 2 bad arguments or a refused target.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AuditKey } from '../security/audit-chain.ts';
import { defaultAuditKeyFile, resolveAuditKey } from '../security/audit-key.ts';
import { defaultExportIdsDir } from '../security/audit-export-ids.ts';
import neo4j from 'neo4j-driver';
import { openSqliteStores, type SqliteStores } from '../store/sqlite/stores.ts';
import { Neo4jStores } from '../store/neo4j/stores.ts';
import { neo4jConfigFromEnv } from '../store/neo4j/open.ts';
import { schemaStatements } from '../store/neo4j/queries.ts';
import { DUMP_PARTS, type DumpPart } from '../store/transfer/parts.ts';
import { SqliteReader, SqliteWriter, sqliteIsEmpty } from '../store/transfer/sqlite.ts';
import { Neo4jReader, Neo4jScanner, Neo4jWriter, setCounters, wipeNeo4j } from '../store/transfer/neo4j.ts';
import {
  ChainBroken,
  copy,
  scan,
  scanParallel,
  type Scan,
  type StreamOptions,
} from '../store/transfer/pipeline.ts';
import type { DumpReader, DumpWriter, Marker } from '../store/transfer/stream.ts';
import { importNeo4j, localNeo4jHome } from '../store/transfer/neo4j-import.ts';
import { linksInWorker } from './transfer-files.ts';
import { CpuClock, cpuLine, type CpuLap } from '../store/transfer/cpu.ts';

export type Endpoint =
  | { kind: 'sqlite'; path: string }
  | { kind: 'neo4j'; uri: string; user: string; password: string; database?: string };

export class TransferError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

export function parseEndpoint(spec: string, env: NodeJS.ProcessEnv = process.env): Endpoint {
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (!path) throw new TransferError('sqlite: needs a file path, e.g. sqlite:data/linkchart.db', 2);
    return { kind: 'sqlite', path };
  }
  if (spec === 'neo4j' || spec.startsWith('neo4j:')) {
    const uri = spec === 'neo4j' ? undefined : spec.slice('neo4j:'.length);
    const cfg = neo4jConfigFromEnv(uri ? { ...env, NEO4J_URI: uri } : env);
    if (!cfg)
      throw new TransferError(
        'neo4j: set NEO4J_URI (and NEO4J_PASSWORD), or write neo4j:bolt://host:7687',
        2,
      );
    return { kind: 'neo4j', ...cfg };
  }
  throw new TransferError(
    `unknown store ${JSON.stringify(spec)}: use sqlite:PATH or neo4j[:bolt://host:port]`,
    2,
  );
}

interface Opened {
  name: string;
  reader(): DumpReader;
  writer(): DumpWriter;
  isEmpty(): Promise<boolean>;
  wipe(): Promise<void>;
  close(): Promise<void>;
  /** Reads every record and digests it: in parallel streams where the store can. */
  scan(key: AuditKey | null, opts: StreamOptions & { verb: string }): Promise<Scan>;
  neo4j?: Neo4jStores;
}

/** Parallel reads of a Neo4j verification: the server reads on one core while this process digests. */
const VERIFY_STREAMS = 3;

/**
 * Opens a store. A Neo4j store's schema is applied (init) unless `init` is false: the importer's database gets
 * it from applySchema, before it is verified.
 */
async function open(ep: Endpoint, mustExist: boolean, init = true): Promise<Opened> {
  if (ep.kind === 'sqlite') {
    if (mustExist && !existsSync(ep.path))
      throw new TransferError(`no SQLite file at ${resolve(ep.path)}`, 2);
    let stores: SqliteStores = await openSqliteStores(ep.path);
    const name = `sqlite:${ep.path}`;
    const reader = () => new SqliteReader(stores.db, name);
    return {
      name,
      reader,
      writer: () => new SqliteWriter(stores.db, name),
      isEmpty: async () => sqliteIsEmpty(stores.db),
      wipe: async () => {
        await stores.close();
        for (const s of ['', '-wal', '-shm']) rmSync(ep.path + s, { force: true });
        stores = await openSqliteStores(ep.path);
      },
      close: () => stores.close(),
      scan: (key, opts) => scan(reader(), key, opts),
    };
  }
  // Integers come back as numbers: a verification decodes millions of records, none near 2^53.
  const driver = neo4j.driver(ep.uri, neo4j.auth.basic(ep.user, ep.password), {
    disableLosslessIntegers: true,
    connectionAcquisitionTimeout: 60_000,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's logger type is not exported
    logging: { level: 'error', logger: (() => undefined) as any },
  });
  const stores = new Neo4jStores({ ...ep, driver });
  const close = async () => {
    await stores.close();
    await driver.close();
  };
  try {
    if (init) await stores.init();
  } catch (e) {
    await close();
    throw new TransferError(e instanceof Error ? e.message : String(e), 2);
  }
  const name = `neo4j:${ep.uri}`;
  const reader = () => new Neo4jReader(stores, name);
  const scanner = new Neo4jScanner(stores);
  return {
    name,
    reader,
    writer: () => new Neo4jWriter(stores, name),
    isEmpty: () => reader().isEmpty(),
    wipe: () => wipeNeo4j(stores),
    close,
    scan: (key, opts) =>
      scanParallel(reader(), (p) => scanner.slices(p), key, { ...opts, streams: VERIFY_STREAMS }),
    neo4j: stores,
  };
}

/** Statements of cypher/schema.cypher whose index may still populate while the copy is verified. */
const populatesLate = (s: string) => s.startsWith('CREATE FULLTEXT INDEX');

/**
 * The schema on the importer's new database, as fast as Neo4j builds it: every constraint and range index of
 * cypher/schema.cypher created in ONE transaction, so Neo4j populates the indexes in one pass over the store
 * (at 1M links 21 s against 32 s for the plain indexes first and the constraints one by one after; two
 * constraints created in two sessions at once deadlock, in one transaction they do not). The full-text index
 * is created on its own straight after and is NOT waited for here: its population (Lucene) is mostly waiting,
 * not CPU (22 s of wall time, 9 s of CPU at 1M links), and in the same pass it held every node index back until
 * it was done. It populates while the copy is verified; the returned wait is called before the transfer says it
 * is done, so the server answers from every index once it does. Then the stores' own start-up (the small kinds'
 * schema, the Meta node) and a wait until every other index is online.
 *
 * The operations migration is marked as done before that start-up: every record came from a store that has
 * operations and carries its memberships as that store holds them, so the migration's scans of every entity
 * and link would find nothing to do, or change what is about to be verified.
 */
async function applySchema(stores: Neo4jStores): Promise<{ late: string[]; online: () => Promise<void> }> {
  const exec = stores.exec;
  const statements = schemaStatements();
  for (const s of statements.filter((x) => x.startsWith('DROP'))) await exec.autoCommit(s);
  const session = exec.driver.session({ database: exec.opts.database, bookmarkManager: exec.bookmarks });
  try {
    await session.executeWrite(async (tx) => {
      for (const s of statements.filter((x) => x.startsWith('CREATE') && !populatesLate(x))) await tx.run(s);
    });
  } finally {
    await session.close();
  }
  // Created, not populated: the statement returns at once and the population runs in the server.
  for (const s of statements.filter(populatesLate)) await exec.autoCommit(s);
  await exec.write(async (tx) => {
    await tx.run('meta-init', { epoch: randomUUID() });
    await tx.run('ops-migrated-mark');
  });
  await stores.init();
  const shown = await exec.autoCommit('SHOW INDEXES YIELD name, type RETURN name, type');
  const late = shown.filter((x) => x.type === 'FULLTEXT').map((x) => x.name as string);
  for (const x of shown)
    if (x.type !== 'FULLTEXT') await exec.autoCommit('CALL db.awaitIndex($name, 600)', { name: x.name });
  return {
    late,
    online: async () => {
      for (const name of late) await exec.autoCommit('CALL db.awaitIndex($name, 600)', { name });
    },
  };
}

export interface TransferResult {
  status: 'copied' | 'identical';
  counts: Record<DumpPart, number>;
  /** How the rows went into Neo4j (absent for SQLite). */
  method?: 'import' | 'merge';
  digest: string;
  seconds: number;
  /** Seconds each phase took, by name, in the order they ran (phases that overlap say so in the log). */
  phases: Record<string, number>;
}

/**
 * The key the audit trail is checked with: LINKCHART_AUDIT_KEY or LINKCHART_AUDIT_KEY_FILE, else the key
 * file beside a SQLite source; null when there is none (an unkeyed trail still verifies without one).
 */
export function transferAuditKey(from: Endpoint, env: NodeJS.ProcessEnv = process.env): AuditKey | null {
  const dbPath = from.kind === 'sqlite' ? from.path : undefined;
  return resolveAuditKey(env, { dbPath, mode: 'verify' }).key;
}

const KEY_NEEDED =
  'the audit trail is keyed: set LINKCHART_AUDIT_KEY or LINKCHART_AUDIT_KEY_FILE (or keep the key file beside the source database)';

export interface TransferOptions {
  replace?: boolean;
  /** Also allows emptying a target whose audit trail holds records (--replace given twice). */
  replaceAudit?: boolean;
  /** Goes on from the marker an interrupted transfer left in the target. */
  resume?: boolean;
  /** Into Neo4j: the offline importer (an empty database) or MERGE batches; chosen by itself when absent. */
  method?: 'import' | 'merge';
  /** Consent to stop and start the local Neo4j server, which the offline importer needs. */
  restart?: boolean;
  /** Records per batch. */
  batch?: number;
  log?: (s: string) => void;
  /** Progress lines (stderr by default; `log` when one is given). */
  progress?: (s: string) => void;
  auditKey?: AuditKey | null;
}

const DEFAULT_BATCH = 5_000;

export async function transfer(
  from: Endpoint,
  to: Endpoint,
  opts: TransferOptions = {},
): Promise<TransferResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const say = opts.progress ?? opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const key = opts.auditKey === undefined ? transferAuditKey(from) : opts.auditKey;
  const stream: StreamOptions = {
    batch: opts.batch ?? (Number(process.env.LINKCHART_TRANSFER_BATCH) || DEFAULT_BATCH),
    say,
    // How often progress is said (a test sets 0, to see every batch).
    progressEveryMs: Number(process.env.LINKCHART_TRANSFER_PROGRESS_MS ?? 1000),
  };
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let tPhase = t0;
  /** Ends a phase: its time is kept (for the result and the bench) and said. */
  const cpu = new CpuClock(to.kind === 'neo4j' ? localNeo4jHome() : null);
  const cpuLaps: Record<string, CpuLap> = {};
  /** Ends a lap of CPU time (a phase, or the load's phases together). */
  const lap = (name: string) => {
    const l = cpu.lap();
    const was = cpuLaps[name];
    cpuLaps[name] = was
      ? {
          self: was.self + l.self,
          children: was.children + l.children,
          server: was.server === null || l.server === null ? null : was.server + l.server,
        }
      : l;
  };
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + (now - tPhase) / 1000;
    tPhase = now;
    lap(name);
  };
  if (from.kind === to.kind && (from.kind === 'sqlite' ? from.path === (to as typeof from).path : true)) {
    throw new TransferError('the source and the target are the same store', 2);
  }
  if (opts.method === 'import' && to.kind !== 'neo4j')
    throw new TransferError('--method=import loads Neo4j only', 2);
  const src = await open(from, true);
  let dst: Opened | null = null;
  try {
    const method = to.kind === 'neo4j' ? chooseMethod(opts, opts.resume === true, log) : undefined;
    // A database the importer replaces is not prepared first (its schema and start-up would be thrown away).
    dst = await open(to, false, method !== 'import');
    const route = `${src.name} -> ${dst.name}`;
    const marker = await dst.writer().marker();
    let resume: Marker | null = null;
    if (opts.resume) {
      if (!marker) throw new TransferError(`${dst.name} holds no interrupted transfer to resume`, 2);
      if (marker.route !== route)
        throw new TransferError(
          `${dst.name} holds an interrupted transfer of ${marker.route}, not of this one`,
          2,
        );
      resume = marker;
      log(`resuming ${route} at ${marker.part} (${marker.tally[marker.part]?.count ?? 0} written)`);
    } else {
      // The source's audit trail is checked before anything is written.
      const audit = await scan(src.reader(), key, { ...stream, parts: ['audit'], verb: 'checking' });
      if (audit.chain?.needsKey) throw new TransferError(`cannot check the source's audit: ${KEY_NEEDED}`, 2);
      if (audit.chain)
        throw new TransferError(
          `the source's audit chain is broken at record ${audit.chain.seq} (${audit.chain.reason}); not copying`,
          2,
        );
      if (marker && !opts.replace)
        throw new TransferError(
          `${dst.name} holds an interrupted transfer (${marker.route}, stopped in ${marker.part}): ` +
            'give --resume to go on from there, or --replace to start again',
          2,
        );
      if (!(await dst.isEmpty())) {
        // Stores of other sizes cannot hold the same content: the digests are read only when the sizes match.
        const [a, b] = [await src.reader().sizes(), await dst.reader().sizes()];
        const sameSizes = DUMP_PARTS.every((p) => a[p] === b[p]);
        const there: { counts: Record<DumpPart, number>; digest?: string } = sameSizes
          ? await dst.scan(null, { ...stream, verb: 'comparing target' })
          : { counts: b };
        if (!marker && sameSizes) {
          const here = await src.scan(key, { ...stream, verb: 'comparing source' });
          if (here.digest === there.digest) {
            log(
              `${dst.name} already holds the same content (digest ${here.digest.slice(0, 12)}): nothing changed`,
            );
            return {
              status: 'identical',
              counts: here.counts,
              digest: here.digest,
              seconds: (performance.now() - t0) / 1000,
              phases,
            };
          }
        }
        const c = there.counts;
        if (!opts.replace)
          throw new TransferError(
            `${dst.name} holds other data (${c.entities} entities, ${c.links} links, ${c.audit} audit records); ` +
              'use --replace to empty it first',
            2,
          );
        if (c.audit > 0 && !opts.replaceAudit)
          throw new TransferError(
            `${dst.name} holds an audit trail of ${c.audit} records, which --replace would destroy; ` +
              'keep a copy of it (npm run transfer to another file) and give --replace twice if that is what you mean',
            2,
          );
        if (method === 'import') {
          log(
            `${dst.name} will be replaced by the importer (--replace${opts.replaceAudit ? ' --replace: its audit trail too' : ''})`,
          );
        } else {
          log(
            `emptying ${dst.name} (--replace${opts.replaceAudit ? ' --replace: its audit trail too' : ''})`,
          );
          await dst.wipe();
        }
      }
    }
    phase('checks');
    log(
      `copying ${route}${method ? ` (${method === 'import' ? 'neo4j-admin database import' : 'batched MERGE'})` : ''}`,
    );
    let copied: { digest: string; counts: Record<DumpPart, number> };
    let after: Scan;
    try {
      if (method === 'import') {
        // The importer replaces the database under a stopped server: the driver is closed first and opened
        // again on the new database. The schema is built, the copy read back, then the counters are set.
        await dst.close();
        dst = null;
        const port = Number(new URL((to as Extract<Endpoint, { kind: 'neo4j' }>).uri).port || 7687);
        const got = await importNeo4j(src.reader(), {
          ...stream,
          key,
          home: localNeo4jHome()!,
          port,
          route,
          log,
          ...(from.kind === 'sqlite'
            ? {
                linksElsewhere: linksInWorker({
                  path: from.path,
                  name: src.name,
                  batch: stream.batch,
                  key,
                  route,
                }),
              }
            : {}),
        });
        phases.files = got.phases.files;
        phases.stopAfterFiles = got.phases.stopWait;
        phases.importer = got.phases.importer;
        phases.start = got.phases.start;
        tPhase = performance.now();
        lap('load');
        dst = await open(to, false, false);
        const stores = dst.neo4j!;
        // The schema first, then the verification: run side by side they fight over the page cache (256 MB
        // against a 1.3 GB store at 1M links) and the two cores, and took 102 s against 64 s one after the other.
        const schema = await applySchema(stores);
        phase('schema');
        const late = schema.late.join(', ') || 'none';
        log(
          `schema applied in ${phases.schema.toFixed(1)} s; every index online but ${late} ` +
            '(populating while the copy is verified)',
        );
        after = await dst.scan(key, { ...stream, verb: 'verifying' });
        phase('verify');
        // Not done before every index is online: the server answers searches from the full-text index.
        await schema.online();
        phase('lateIndexes');
        log(`${late} online ${phases.lateIndexes.toFixed(1)} s after the verification`);
        await setCounters(stores, got.dataVersion, got.highest);
        phase('counters');
        copied = got;
      } else {
        copied = await copy(src.reader(), dst.writer(), route, key, { ...stream, resume });
        phase('copy');
        after = await dst.scan(key, { ...stream, verb: 'verifying' });
        phase('verify');
      }
    } catch (e) {
      if (e instanceof ChainBroken) throw new TransferError(`${e.message}; not copying further`, 2);
      throw e;
    }
    const rows = DUMP_PARTS.map(
      (k) => `${k.padEnd(20)} ${String(copied.counts[k]).padStart(9)} ${String(after.counts[k]).padStart(9)}`,
    );
    log(`${'kind'.padEnd(20)} ${'source'.padStart(9)} ${'target'.padStart(9)}\n${rows.join('\n')}`);
    const bad = DUMP_PARTS.filter((k) => copied.counts[k] !== after.counts[k]);
    if (bad.length) throw new TransferError(`verification failed: counts differ for ${bad.join(', ')}`, 1);
    if (after.digest !== copied.digest)
      throw new TransferError('verification failed: the content differs after copying', 1);
    if (after.chain)
      throw new TransferError(
        `verification failed: the target's audit chain breaks at ${after.chain.seq}`,
        1,
      );
    // A SQLite target keyed by the key file beside the source needs it beside itself too (npm start would
    // otherwise make a new key, which the trail's last record would refuse).
    if (
      to.kind === 'sqlite' &&
      key &&
      from.kind === 'sqlite' &&
      key.source === defaultAuditKeyFile(from.path)
    ) {
      const target = defaultAuditKeyFile(to.path);
      if (!existsSync(target)) {
        writeFileSync(target, readFileSync(key.source), { mode: 0o600, flag: 'wx' });
        log(`copied the audit key file to ${target}`);
      }
    }
    carryExportIdLists(from, to, log);
    const seconds = (performance.now() - t0) / 1000;
    log(
      `phases: ${Object.entries(phases)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ')}`,
    );
    // CPU seconds of each phase: this process / the child processes it waited for / the local Neo4j server.
    log(`cpu: ${cpuLine(cpuLaps)}`);
    log(
      `verified: counts, content digest ${copied.digest.slice(0, 12)} and audit chain match (${seconds.toFixed(1)} s, ` +
        `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)`,
    );
    return {
      status: 'copied',
      counts: copied.counts,
      digest: copied.digest,
      seconds,
      phases,
      ...(method ? { method } : {}),
    };
  } finally {
    await src.close();
    await dst?.close();
  }
}

/**
 * Into Neo4j: the offline importer when asked for, or when the target is empty, its folder is known
 * (LINKCHART_NEO4J_HOME) and --restart allows stopping it; otherwise MERGE batches, online.
 */
function chooseMethod(
  opts: TransferOptions,
  resuming: boolean,
  log: (s: string) => void,
): 'import' | 'merge' {
  const home = localNeo4jHome();
  if (opts.method === 'merge' || resuming) return 'merge';
  if (opts.method === 'import') {
    if (!home)
      throw new TransferError(
        "--method=import runs neo4j-admin on the server's own folder: set LINKCHART_NEO4J_HOME (as for cypher/server/neo4j.sh)",
        2,
      );
    if (!opts.restart)
      throw new TransferError(
        '--method=import stops the Neo4j server, replaces its database and starts it again: give --restart too if that is what you mean',
        2,
      );
    return 'import';
  }
  if (home && opts.restart) return 'import';
  if (home)
    log(
      'loading online (batched MERGE); give --restart to load through neo4j-admin import instead (faster; stops and starts the server)',
    );
  return 'merge';
}

/**
 * Large exports keep their id lists beside the audit record, in a folder named by the operator
 * (LINKCHART_AUDIT_EXPORTS_DIR) or beside the SQLite file; the chain holds each list's digest, so a copy
 * without them fails audit:verify. Between SQLite files the folder is copied (its files are named by their
 * digest, so a file already there is the same file); anywhere else the operator is told where they are.
 */
function carryExportIdLists(from: Endpoint, to: Endpoint, log: (s: string) => void): void {
  const dir =
    process.env['LINKCHART_AUDIT_EXPORTS_DIR'] ||
    (from.kind === 'sqlite' ? defaultExportIdsDir(from.path) : null);
  if (!dir || !existsSync(dir)) return;
  const files = readdirSync(dir);
  if (files.length === 0) return;
  if (from.kind === 'sqlite' && to.kind === 'sqlite' && !process.env['LINKCHART_AUDIT_EXPORTS_DIR']) {
    const target = defaultExportIdsDir(to.path);
    mkdirSync(target, { recursive: true });
    let copied = 0;
    for (const f of files) {
      if (existsSync(join(target, f))) continue;
      copyFileSync(join(dir, f), join(target, f));
      copied++;
    }
    log(`copied ${copied} export id list(s) to ${target}`);
    return;
  }
  log(
    `the audit trail's export id lists (${files.length}) stay in ${resolve(dir)}: start the server on ` +
      `${to.kind === 'neo4j' ? 'Neo4j' : to.path} with LINKCHART_AUDIT_EXPORTS_DIR=${resolve(dir)} so audit:verify finds them`,
  );
}

function usage(): string {
  return (
    'usage: npm run transfer -- --from sqlite:PATH|neo4j[:URI] --to sqlite:PATH|neo4j[:URI] [options]\n' +
    '  --replace            empty a target that holds other data first\n' +
    '  --replace --replace  also when the target has an audit trail of its own (it is destroyed)\n' +
    '  --resume             go on with a transfer that was stopped, from where it got to\n' +
    '  --method=import|merge  into Neo4j: the offline importer (an empty database) or batched MERGE online\n' +
    '  --restart            allow stopping and starting the local Neo4j server for the importer\n' +
    '  --batch=N            records per batch (5000)'
  );
}

async function main(argv: string[]): Promise<number> {
  let from: string | undefined;
  let to: string | undefined;
  let replace = 0;
  const opts: TransferOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--from') from = argv[++i];
    else if (a === '--to') to = argv[++i];
    else if (a === '--replace') replace++;
    else if (a === '--resume') opts.resume = true;
    else if (a === '--restart') opts.restart = true;
    else if (a === '--method=import' || a === '--method=merge')
      opts.method = a.slice('--method='.length) as 'import' | 'merge';
    else if (/^--batch=\d+$/.test(a) && Number(a.slice(8)) > 0) opts.batch = Number(a.slice(8));
    else if (a === '--help' || a === '-h') {
      console.log(usage());
      return 0;
    } else {
      console.error(`unknown argument ${JSON.stringify(a)}\n${usage()}`);
      return 2;
    }
  }
  if (!from || !to) {
    console.error(usage());
    return 2;
  }
  try {
    await transfer(parseEndpoint(from), parseEndpoint(to), {
      ...opts,
      replace: replace > 0,
      replaceAudit: replace > 1,
    });
    return 0;
  } catch (e) {
    console.error(`transfer: ${e instanceof Error ? e.message : String(e)}`);
    return e instanceof TransferError ? e.exitCode : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
