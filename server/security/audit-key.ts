// The audit key: where it comes from, and what a store checks of its trail with it when it opens.
//
// The key is kept outside the database, so that whoever can write the database file cannot re-chain the
// audit (server/security/audit-chain.ts). In order:
//   LINKCHART_AUDIT_KEY       the key itself (at least 32 characters; e.g. `openssl rand -base64 32`)
//   LINKCHART_AUDIT_KEY_FILE  a file holding it (the file must exist)
//   otherwise, on SQLite, the file `<database>.audit-key` beside the database: created at the first start
//   (32 random bytes, mode 0600) and said where. Neo4j has no file of its own: it needs one of the two.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuditEvent } from '../domain/model.ts';
import type { SecurityStore } from '../store/security-store.ts';
import { AuditKey, isKeyedHash, keyedAuditHash } from './audit-chain.ts';

export { AuditKey } from './audit-chain.ts';

/** The key file beside a SQLite database. */
export function defaultAuditKeyFile(dbPath: string): string {
  return `${resolve(dbPath)}.audit-key`;
}

export class AuditKeyError extends Error {}

export interface ResolvedAuditKey {
  key: AuditKey | null;
  /** A key file written just now (the first start with this database). */
  created: string | null;
}

export interface ResolveAuditKeyOptions {
  /** The SQLite database the default key file goes beside; absent for Neo4j (no default file). */
  dbPath?: string;
  /**
   * 'write' (default): a server or tool that appends: on SQLite the default key file is created when
   * missing; on Neo4j a missing key is an error. 'verify': only finds a key, never creates or requires one.
   */
  mode?: 'write' | 'verify';
}

function readKeyFile(path: string, what: string): AuditKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AuditKeyError(
      `cannot read the audit key file ${path} (${what}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return new AuditKey(text, path);
  } catch (e) {
    throw new AuditKeyError((e as Error).message);
  }
}

/** The audit key the environment names, or the one beside the SQLite database (created if asked). */
export function resolveAuditKey(
  env: NodeJS.ProcessEnv = process.env,
  opts: ResolveAuditKeyOptions = {},
): ResolvedAuditKey {
  const mode = opts.mode ?? 'write';
  const value = env.LINKCHART_AUDIT_KEY?.trim();
  const file = env.LINKCHART_AUDIT_KEY_FILE?.trim();
  if (value && file) throw new AuditKeyError('set LINKCHART_AUDIT_KEY or LINKCHART_AUDIT_KEY_FILE, not both');
  if (value) {
    try {
      return { key: new AuditKey(value, 'LINKCHART_AUDIT_KEY'), created: null };
    } catch (e) {
      throw new AuditKeyError(`${(e as Error).message}: generate one with openssl rand -base64 32`);
    }
  }
  if (file) return { key: readKeyFile(resolve(file), 'LINKCHART_AUDIT_KEY_FILE'), created: null };
  if (opts.dbPath === undefined) {
    if (mode === 'verify') return { key: null, created: null };
    throw new AuditKeyError(
      'the Neo4j store needs an audit key, kept outside the database: set LINKCHART_AUDIT_KEY (at least 32 ' +
        'characters, e.g. from openssl rand -base64 32) or LINKCHART_AUDIT_KEY_FILE (a file holding one)',
    );
  }
  if (opts.dbPath === ':memory:') {
    // A database that ends with the process: a key that does too.
    return { key: mode === 'write' ? new AuditKey(randomBytes(32), 'memory') : null, created: null };
  }
  const path = defaultAuditKeyFile(opts.dbPath);
  if (existsSync(path)) return { key: readKeyFile(path, 'the key file beside the database'), created: null };
  if (mode === 'verify') return { key: null, created: null };
  // Written whole to a file of its own, then linked into place: a start killed half-way leaves no empty key
  // file, and a key another process put there meanwhile is never overwritten (link fails with EEXIST).
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new AuditKeyError(
        `cannot create the audit key file ${path}: ${(e as Error).message}; set LINKCHART_AUDIT_KEY or ` +
          'LINKCHART_AUDIT_KEY_FILE instead',
      );
    return { key: readKeyFile(path, 'the key file beside the database'), created: null };
  } finally {
    rmSync(tmp, { force: true });
  }
  return { key: readKeyFile(path, 'the key file just created'), created: path };
}

/** Removes a key file resolveAuditKey created, when the store it was made for could not be opened. */
export function discardCreatedKey(resolved: ResolvedAuditKey): void {
  if (resolved.created) rmSync(resolved.created, { force: true });
}

/** A key file others may read is a key others have: said at start-up. */
export function keyFileWarning(key: AuditKey | null): string | null {
  if (!key || key.source === 'LINKCHART_AUDIT_KEY' || key.source === 'memory') return null;
  try {
    const mode = statSync(key.source).mode & 0o777;
    if (mode & 0o077)
      return `the audit key file ${key.source} can be read by other users (mode ${mode.toString(8)}): chmod 600 it`;
  } catch {
    /* gone since: the next start says so */
  }
  return null;
}

/** How a store that opens with a key treats a trail its key did not write. */
export interface AuditTrailOptions {
  /** The key the store chains its audit with; none: unkeyed (chain v1) records, as before keying. */
  auditKey?: AuditKey | null;
  /**
   * At init, with a key, when the trail has records and its last one is not keyed:
   *  'refuse' (default): the store does not open; the operator checks the trail and seals it
   *    (npm run audit:verify -- --seal). The trail may have been re-chained by someone without the key.
   *  'seal': a keyed record is appended at once, covering the unkeyed ones (the key was just created, so
   *    no earlier record can have been keyed with it).
   *  'inspect': nothing is refused or written (npm run audit:verify reports instead).
   * A last record keyed with another key (or altered) refuses to open except under 'inspect'.
   */
  unkeyedTrail?: 'refuse' | 'seal' | 'inspect';
  /** Where the store says what it found at init (default: stderr). */
  log?: (msg: string) => void;
}

export const defaultStoreLog = (msg: string): void => {
  process.stderr.write(`linkchart: ${msg}\n`);
};

export interface TrailState {
  records: number;
  /** Whether a record may be appended now without sealing anything the key did not check. */
  appendable: boolean;
  /** Set when the store sealed an unkeyed trail at this open. */
  sealed?: number;
}

/**
 * What a store checks of its trail when it opens with a key: that the last record is keyed with this key
 * (a wrong or lost key is found at start, not at the next audit:verify), or, for a trail written before
 * keying, seals it (see AuditTrailOptions.unkeyedTrail).
 */
export async function checkAuditTrail(
  security: Pick<SecurityStore, 'listAudit' | 'appendAudit'>,
  opts: AuditTrailOptions,
  /** The last record, read directly (SQLite: one index step); default: through listAudit. */
  lastRecord?: () => Promise<AuditEvent | null>,
): Promise<TrailState> {
  const key = opts.auditKey ?? null;
  const mode = opts.unkeyedTrail ?? 'refuse';
  const log = opts.log ?? defaultStoreLog;
  let head: AuditEvent | null;
  if (lastRecord) head = await lastRecord();
  else {
    head = (await security.listAudit({ newestFirst: true, limit: 1 })).items[0] ?? null;
  }
  if (!head) return { records: 0, appendable: true };
  // Records up to the head, as its seq numbers them (audit:verify finds any that are missing).
  const records = head.seq;
  if (!key) return { records, appendable: !isKeyedHash(head.hash) };
  if (isKeyedHash(head.hash)) {
    const { hash, ...rest } = head;
    if (keyedAuditHash(rest, key) === hash) return { records, appendable: true };
    if (mode === 'inspect') return { records, appendable: false };
    throw new AuditKeyError(
      `the audit key (${key.source}, id ${key.id}) does not match the last audit record (${head.seq}): it is ` +
        'not the key this trail was written with, or the record was altered. Give the right key ' +
        '(LINKCHART_AUDIT_KEY or LINKCHART_AUDIT_KEY_FILE), then run npm run audit:verify',
    );
  }
  if (mode === 'inspect') return { records, appendable: false };
  if (mode === 'refuse')
    throw new AuditKeyError(
      `the audit trail's ${records} records were written without a key (its last record, ${head.seq}, is ` +
        'not keyed): written before the key was set, or re-chained by someone without it. Check it and seal ' +
        'it with npm run audit:verify -- --seal, then start again',
    );
  await sealTrail(security, key, records, head.seq, head.hash);
  log(
    `the audit trail's ${records} earlier records were written without a key; record ${records + 1} now seals ` +
      `them, and every record from it on is keyed (HMAC-SHA-256, key ${key.source})`,
  );
  return { records: records + 1, appendable: true, sealed: records };
}

/** Appends the keyed record that covers an unkeyed trail (its first keyed record). */
export async function sealTrail(
  security: Pick<SecurityStore, 'appendAudit'>,
  key: AuditKey,
  records: number,
  headSeq: number,
  headHash: string,
): Promise<void> {
  await security.appendAudit({
    actor: 'system',
    action: 'audit.keyed',
    outcome: 'ok',
    details: { unkeyedRecords: records, unkeyedHead: { seq: headSeq, hash: headHash }, keyId: key.id },
  });
}
