// npm run transfer -- --from sqlite:PATH --to neo4j [--replace [--replace]]
// npm run transfer -- --from neo4j --to sqlite:PATH [--replace [--replace]]
//
// Copies everything one store holds into the other: entities, links, reports, aliases and merge records (so
// a merge can still be undone), annotations, charts, users and the audit trail, with the same ids and
// timestamps, so the audit hash chain still verifies. Then reads the target back and checks the counts of
// every kind and a digest of the whole content. Running it again changes nothing: a target that already
// holds the same content is left alone. A target holding other data is refused unless --replace (which
// empties it first); a target with an audit trail of its own needs --replace twice, because emptying it
// destroys that trail, the one record nobody may rewrite. Neo4j is addressed by NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, or
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
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GENESIS_HASH, verifyAuditChain, type AuditKey } from '../security/audit-chain.ts';
import { defaultAuditKeyFile, resolveAuditKey } from '../security/audit-key.ts';
import { defaultExportIdsDir } from '../security/audit-export-ids.ts';
import { openSqliteStores, type SqliteStores } from '../store/sqlite/stores.ts';
import { Neo4jStores } from '../store/neo4j/stores.ts';
import { neo4jConfigFromEnv } from '../store/neo4j/open.ts';
import { dumpCounts, dumpDigest, isEmptyDump, DUMP_PARTS, type Dump } from '../store/transfer/dump.ts';
import { dumpSqlite, loadSqlite } from '../store/transfer/sqlite.ts';
import { dumpNeo4j, loadNeo4j, wipeNeo4j } from '../store/transfer/neo4j.ts';

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
  dump(): Promise<Dump>;
  load(d: Dump): Promise<void>;
  wipe(): Promise<void>;
  close(): Promise<void>;
  name: string;
}

async function open(ep: Endpoint, mustExist: boolean): Promise<Opened> {
  if (ep.kind === 'sqlite') {
    if (mustExist && !existsSync(ep.path))
      throw new TransferError(`no SQLite file at ${resolve(ep.path)}`, 2);
    let stores: SqliteStores = await openSqliteStores(ep.path);
    return {
      name: `sqlite:${ep.path}`,
      dump: async () => dumpSqlite(stores),
      load: async (d) => loadSqlite(stores, d),
      wipe: async () => {
        await stores.close();
        for (const s of ['', '-wal', '-shm']) rmSync(ep.path + s, { force: true });
        stores = await openSqliteStores(ep.path);
      },
      close: () => stores.close(),
    };
  }
  const stores = new Neo4jStores(ep);
  try {
    await stores.init();
  } catch (e) {
    await stores.close();
    throw new TransferError(e instanceof Error ? e.message : String(e), 2);
  }
  return {
    name: `neo4j:${ep.uri}`,
    dump: () => dumpNeo4j(stores),
    load: (d) => loadNeo4j(stores, d),
    wipe: () => wipeNeo4j(stores),
    close: () => stores.close(),
  };
}

export interface TransferResult {
  status: 'copied' | 'identical';
  counts: ReturnType<typeof dumpCounts>;
  digest: string;
  seconds: number;
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

export async function transfer(
  from: Endpoint,
  to: Endpoint,
  opts: {
    replace?: boolean;
    /** Also allows emptying a target whose audit trail holds records (--replace given twice). */
    replaceAudit?: boolean;
    log?: (s: string) => void;
    auditKey?: AuditKey | null;
  } = {},
): Promise<TransferResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const key = opts.auditKey === undefined ? transferAuditKey(from) : opts.auditKey;
  const t0 = performance.now();
  if (from.kind === to.kind && (from.kind === 'sqlite' ? from.path === (to as typeof from).path : true)) {
    throw new TransferError('the source and the target are the same store', 2);
  }
  const src = await open(from, true);
  const dst = await open(to, false);
  try {
    const data = await src.dump();
    const digest = dumpDigest(data);
    const counts = dumpCounts(data);
    const brk = verifyAuditChain(data.audit, GENESIS_HASH, key);
    if (brk?.needsKey) throw new TransferError(`cannot check the source's audit: ${KEY_NEEDED}`, 2);
    if (brk)
      throw new TransferError(
        `the source's audit chain is broken at record ${brk.seq} (${brk.reason}); not copying`,
        2,
      );
    const before = await dst.dump();
    if (!isEmptyDump(before)) {
      if (dumpDigest(before) === digest) {
        log(`${dst.name} already holds the same content (digest ${digest.slice(0, 12)}): nothing changed`);
        return { status: 'identical', counts, digest, seconds: (performance.now() - t0) / 1000 };
      }
      if (!opts.replace) {
        const c = dumpCounts(before);
        throw new TransferError(
          `${dst.name} holds other data (${c.entities} entities, ${c.links} links, ${c.audit} audit records); ` +
            'use --replace to empty it first',
          2,
        );
      }
      if (before.audit.length > 0 && !opts.replaceAudit) {
        throw new TransferError(
          `${dst.name} holds an audit trail of ${before.audit.length} records, which --replace would destroy; ` +
            'keep a copy of it (npm run transfer to another file) and give --replace twice if that is what you mean',
          2,
        );
      }
      log(`emptying ${dst.name} (--replace${opts.replaceAudit ? ' --replace: its audit trail too' : ''})`);
      await dst.wipe();
    }
    log(`copying ${src.name} -> ${dst.name}`);
    await dst.load(data);
    const after = await dst.dump();
    const got = dumpCounts(after);
    const rows = DUMP_PARTS.map(
      (k) => `${k.padEnd(12)} ${String(counts[k]).padStart(9)} ${String(got[k]).padStart(9)}`,
    );
    log(`${'kind'.padEnd(12)} ${'source'.padStart(9)} ${'target'.padStart(9)}\n${rows.join('\n')}`);
    const bad = DUMP_PARTS.filter((k) => counts[k] !== got[k]);
    if (bad.length) throw new TransferError(`verification failed: counts differ for ${bad.join(', ')}`, 1);
    if (dumpDigest(after) !== digest)
      throw new TransferError('verification failed: the content differs after copying', 1);
    const chain = verifyAuditChain(after.audit, GENESIS_HASH, key);
    if (chain)
      throw new TransferError(`verification failed: the target's audit chain breaks at ${chain.seq}`, 1);
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
      `verified: counts, content digest ${digest.slice(0, 12)} and audit chain match (${seconds.toFixed(1)} s)`,
    );
    return { status: 'copied', counts, digest, seconds };
  } finally {
    await src.close();
    await dst.close();
  }
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
    'usage: npm run transfer -- --from sqlite:PATH|neo4j[:URI] --to sqlite:PATH|neo4j[:URI] [--replace [--replace]]\n' +
    '  --replace          empty a target that holds other data first\n' +
    '  --replace --replace  also when the target has an audit trail of its own (it is destroyed)'
  );
}

async function main(argv: string[]): Promise<number> {
  let from: string | undefined;
  let to: string | undefined;
  let replace = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--from') from = argv[++i];
    else if (a === '--to') to = argv[++i];
    else if (a === '--replace') replace++;
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
