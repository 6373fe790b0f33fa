// The audit hash chain: each record's hash covers its content and the previous record's hash, so an
// edit or deletion anywhere breaks every hash after it. Stores call `chainAudit` inside the append
// transaction; `verifyAuditChain` (npm run audit:verify) walks the chain.
//
// Two versions of record, told apart by the hash itself:
//  - chain v1 (unkeyed, the first releases): hash = SHA-256 of the canonical record, 64 hex digits. Anyone
//    who can write the database can recompute these after deleting or editing a record.
//  - chain v2 (keyed): hash = 'v2:' + HMAC-SHA-256 of the canonical record under a key kept outside the
//    database (server/security/audit-key.ts). Without the key nobody can produce one.
// A trail may begin with v1 records (written before the key was set); from the first v2 record on, every
// record must be v2, and the first one covers the last v1 hash, so the old part cannot change either.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { AuditEvent, AuditInput } from '../domain/model.ts';
import { StoreError } from '../store/common.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The prefix of a keyed (chain v2) hash. */
export const KEYED_PREFIX = 'v2:';
/** Kept apart from every other use of the key. */
const HMAC_CONTEXT = 'linkchart audit chain v2\n';
/** Shortest key accepted (characters of the variable or file). */
export const MIN_AUDIT_KEY_LENGTH = 32;

/**
 * The audit key. The secret stays in a private field: it does not show in JSON, logs or inspection.
 * `source` says where it came from (for messages), `id` is a fingerprint that reveals nothing of it.
 */
export class AuditKey {
  readonly #secret: Buffer;
  readonly id: string;

  constructor(
    secret: string | Buffer,
    readonly source: string,
  ) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret.trim(), 'utf8') : Buffer.from(secret);
    if (bytes.length < MIN_AUDIT_KEY_LENGTH)
      throw new Error(
        `the audit key from ${source} is too short (${bytes.length} bytes; at least ${MIN_AUDIT_KEY_LENGTH})`,
      );
    this.#secret = bytes;
    this.id = createHmac('sha256', bytes).update('linkchart audit key id').digest('hex').slice(0, 12);
  }

  /** HMAC-SHA-256 of `data` under the key, hex. */
  mac(data: string): string {
    return createHmac('sha256', this.#secret).update(data).digest('hex');
  }

  toJSON(): string {
    return `[audit key ${this.id}]`;
  }
}

/** Whether a stored hash is a keyed (chain v2) one. */
export function isKeyedHash(h: string): boolean {
  return h.startsWith(KEYED_PREFIX);
}

/** The chain version a stored hash was written under: 1 unkeyed, 2 keyed. */
export function chainVersion(h: string): 1 | 2 {
  return isKeyedHash(h) ? 2 : 1;
}

// The key each security store chains with, so the API's chain check (routes/audit.ts) uses the same one
// without the store interface carrying it.
const storeKeys = new WeakMap<object, AuditKey>();

/** Records the key a store chains its audit with (called by the stores' constructors). */
export function bindAuditKey(store: object, key: AuditKey | null | undefined): void {
  if (key) storeKeys.set(store, key);
  else storeKeys.delete(store);
}

/** The key `store` chains its audit with, or null for an unkeyed store. */
export function auditKeyOf(store: object): AuditKey | null {
  return storeKeys.get(store) ?? null;
}

/** JSON with sorted keys, so the same record always hashes the same whatever the store returned. */
export function canonicalJson(value: unknown): string {
  // Written as loops: it runs for every audited request, and the map/filter/join form cost twice as much.
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) s += (i ? ',' : '') + canonicalJson(value[i]);
    return `${s}]`;
  }
  const o = value as Record<string, unknown>;
  let s = '{';
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    if (v === undefined) continue;
    s += `${s.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${s}}`;
}

/** The chain v1 (unkeyed) hash of a record. */
export function auditHash(event: Omit<AuditEvent, 'hash'>): string {
  return hash('sha256', canonicalJson(event), 'hex');
}

/** The chain v2 (keyed) hash of a record: 'v2:' + HMAC-SHA-256 under `key`. */
export function keyedAuditHash(event: Omit<AuditEvent, 'hash'>, key: AuditKey): string {
  return KEYED_PREFIX + key.mac(HMAC_CONTEXT + canonicalJson(event));
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The stored record for a (validated) input at `seq`, chained after `prevHash`, with its details as the
 * JSON the store keeps. Both stores build records here, so they hash the same thing: keyed (chain v2) when
 * given the key, unkeyed (v1) otherwise. A store without the key cannot extend a keyed chain: that would
 * put an unkeyed record after keyed ones, which verification rejects, so it is refused here.
 */
export function chainAudit(
  input: AuditInput,
  seq: number,
  at: string,
  prevHash: string,
  key: AuditKey | null = null,
): { event: AuditEvent; detailsJson: string | null } {
  if (!key && isKeyedHash(prevHash))
    throw new StoreError(
      'unavailable',
      'the audit trail is keyed and this store was opened without its key: set LINKCHART_AUDIT_KEY or ' +
        'LINKCHART_AUDIT_KEY_FILE (or keep the key file beside the database)',
    );
  const detailsJson = input.details ? JSON.stringify(input.details) : null;
  const body: Omit<AuditEvent, 'hash'> = {
    seq,
    at,
    actor: input.actor,
    action: input.action,
    route: input.route ?? null,
    objectIds: input.objectIds ?? [],
    outcome: input.outcome,
    justification: input.justification ?? null,
    recipient: input.recipient ?? null,
    // Stored as JSON, so hash what JSON gives back.
    details: detailsJson === null ? null : (JSON.parse(detailsJson) as Record<string, unknown>),
    prevHash,
  };
  // Hashed only when there are some, so a record without (and every one from before) hashes as it did.
  const ops = [...new Set(input.operations ?? [])].sort();
  if (ops.length) body.operations = ops;
  return { event: { ...body, hash: key ? keyedAuditHash(body, key) : auditHash(body) }, detailsJson };
}

export interface ChainBreak {
  seq: number;
  reason: string;
  /** The record is keyed and no key was given: the chain could not be checked, not found broken. */
  needsKey?: true;
}

/**
 * Checks records in seq order; returns the first break, or null if the chain holds. With the key, keyed
 * records are checked against it; without it, the first keyed record is reported as unverifiable
 * (`needsKey`). Either way an unkeyed record after a keyed one is a break (a re-chain without the key).
 * Pass `startPrevHash` to check a page that continues an earlier one.
 */
export function verifyAuditChain(
  events: Iterable<AuditEvent>,
  startPrevHash = GENESIS_HASH,
  key: AuditKey | null = null,
): ChainBreak | null {
  let prev = startPrevHash;
  let expectedSeq: number | null = null;
  for (const e of events) {
    if (expectedSeq !== null && e.seq !== expectedSeq) {
      return { seq: expectedSeq, reason: `record ${expectedSeq} is missing (next is ${e.seq})` };
    }
    if (e.prevHash !== prev)
      return { seq: e.seq, reason: `record ${e.seq} does not follow the previous record` };
    const { hash, ...rest } = e;
    if (isKeyedHash(hash)) {
      if (!key)
        return {
          seq: e.seq,
          reason: `record ${e.seq} is keyed (chain v2): cannot verify a keyed chain without the audit key`,
          needsKey: true,
        };
      if (!sameText(keyedAuditHash(rest, key), hash))
        return {
          seq: e.seq,
          reason: `record ${e.seq} was altered (keyed hash mismatch; or the key is not the one the trail was written with)`,
        };
    } else {
      if (isKeyedHash(prev))
        return {
          seq: e.seq,
          reason: `record ${e.seq} is not keyed but follows keyed records: the trail was re-chained without the key`,
        };
      if (auditHash(rest) !== hash)
        return { seq: e.seq, reason: `record ${e.seq} was altered (hash mismatch)` };
    }
    prev = hash;
    expectedSeq = e.seq + 1;
  }
  return null;
}

/**
 * What a key holder requires of a whole trail beyond an unbroken chain: its last record keyed. A trail with
 * records and no keyed one was written entirely without the key: before the key was set, or re-chained by
 * someone without it; from the records alone the two cannot be told apart, so it does not pass.
 */
export function unkeyedTrail(records: number, firstSeq: number, headHash: string | null): ChainBreak | null {
  if (records === 0 || headHash === null || isKeyedHash(headHash)) return null;
  return {
    seq: firstSeq,
    reason:
      `record ${firstSeq} is not keyed, nor is any record after it: the trail was written without the audit ` +
      'key (before the key was set: seal it with npm run audit:verify -- --seal) or re-chained without it',
  };
}
