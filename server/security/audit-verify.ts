// Walks a store's whole audit trail, page by page, and names the first record that was altered, removed,
// re-ordered or re-chained. Used by npm run audit:verify and GET /api/audit/verify.
import type { AuditEvent } from '../domain/model.ts';
import type { SecurityStore } from '../store/security-store.ts';
import {
  auditKeyOf,
  GENESIS_HASH,
  isKeyedHash,
  unkeyedTrail,
  verifyAuditChain,
  type AuditKey,
  type ChainBreak,
} from './audit-chain.ts';
import { keptDigestOf, KeptListError, readKeptText } from './audit-export-ids.ts';

export interface VerifyResult {
  records: number;
  /** seq and hash of the last record: keep it somewhere else to detect a truncated tail later. */
  head: { seq: number; hash: string } | null;
  broken: ChainBreak | null;
  /** Records written keyed (chain v2); the rest were written before the key was set. */
  keyed: number;
}

/**
 * Page by page, so a long trail is never held in memory at once. `key`: by default the key the store
 * chains with (audit-chain.ts auditKeyOf); null checks without one. With the key, the trail must end keyed
 * (see unkeyedTrail); without it, an unkeyed trail is checked as far as a hash without a key can be, and a
 * keyed one is reported as not verifiable (broken.needsKey). `exportIdsDir`: also check that each export
 * record's id list kept beside it (audit-export-ids.ts) is there and hashes to the digest the record (and so
 * the chain) holds; a list edited or removed breaks the trail at its record.
 */
export async function verifyStoreAudit(
  security: Pick<SecurityStore, 'listAudit'>,
  opts: { key?: AuditKey | null; pageSize?: number; exportIdsDir?: string } | number = {},
): Promise<VerifyResult> {
  const o = typeof opts === 'number' ? { pageSize: opts } : opts;
  // No key named: the one the store chains with (none for an unkeyed store).
  const key = o.key === undefined ? auditKeyOf(security) : o.key;
  const pageSize = o.pageSize ?? 5000;
  let prev = GENESIS_HASH;
  let last: AuditEvent | null = null;
  let records = 0;
  let keyed = 0;
  let firstSeq = 1;
  for (;;) {
    // Each page from the last one's key: a deep page costs what the first does.
    const page = await security.listAudit({ after: last?.seq ?? 0, limit: pageSize });
    const items = page.items;
    if (items.length === 0) break;
    if (!last) firstSeq = items[0].seq;
    const expected = last ? last.seq + 1 : 1;
    if (items[0].seq !== expected) {
      return {
        records,
        keyed,
        head: last && { seq: last.seq, hash: last.hash },
        broken: { seq: expected, reason: `record ${expected} is missing (next is ${items[0].seq})` },
      };
    }
    const broken = verifyAuditChain(items, prev, key);
    if (broken) return { records: records + items.length, keyed, head: null, broken };
    if (o.exportIdsDir) {
      const bad = await keptListBreak(items, o.exportIdsDir);
      if (bad) return { records: records + items.length, keyed, head: null, broken: bad };
    }
    records += items.length;
    for (const e of items) if (isKeyedHash(e.hash)) keyed++;
    last = items[items.length - 1];
    prev = last.hash;
    if (items.length < pageSize) break;
  }
  const head = last && { seq: last.seq, hash: last.hash };
  const broken = key ? unkeyedTrail(records, firstSeq, head?.hash ?? null) : null;
  return { records, keyed, head: broken ? null : head, broken };
}

/** The first record of `items` whose kept id list is missing or does not match its digest. */
async function keptListBreak(items: AuditEvent[], dir: string): Promise<ChainBreak | null> {
  for (const e of items) {
    const digest = keptDigestOf(e.details);
    if (!digest) continue;
    try {
      await readKeptText(dir, digest);
    } catch (err) {
      if (!(err instanceof KeptListError)) throw err;
      return {
        seq: e.seq,
        reason:
          err.reason === 'missing'
            ? `the id list of export record ${e.seq} is missing (${digest} in ${dir})`
            : `the id list of export record ${e.seq} was altered: it does not match the digest ${digest} the record holds`,
      };
    }
  }
  return null;
}
