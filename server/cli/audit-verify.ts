// npm run audit:verify: walks the audit hash chain from the first record and names the first record that
// was altered, removed or re-ordered. Exit 0: the chain holds; 1: it is broken; 2: it could not be read.
import type { AuditEvent } from '../domain/model.ts';
import type { SecurityStore } from '../store/security-store.ts';
import type { Stores } from '../store/stores.ts';
import { openStore } from '../store/open-store.ts';
import { GENESIS_HASH, verifyAuditChain, type ChainBreak } from '../security/audit-chain.ts';

export interface VerifyResult {
  records: number;
  /** seq and hash of the last record: keep it somewhere else to detect a truncated tail later. */
  head: { seq: number; hash: string } | null;
  broken: ChainBreak | null;
}

/** Page by page, so a long trail is never held in memory at once. */
export async function verifyStoreAudit(security: SecurityStore, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let last: AuditEvent | null = null;
  let records = 0;
  for (let offset = 0; ; offset += pageSize) {
    const page = await security.listAudit({ offset, limit: pageSize });
    const items = page.items;
    if (items.length === 0) break;
    const expected = last ? last.seq + 1 : 1;
    if (items[0].seq !== expected) {
      return {
        records,
        head: last && { seq: last.seq, hash: last.hash },
        broken: { seq: expected, reason: `record ${expected} is missing (next is ${items[0].seq})` },
      };
    }
    const broken = verifyAuditChain(items, prev);
    if (broken) return { records: records + items.length, head: null, broken };
    records += items.length;
    last = items[items.length - 1];
    prev = last.hash;
    if (items.length < pageSize) break;
  }
  return { records, head: last && { seq: last.seq, hash: last.hash }, broken: null };
}

async function main(): Promise<number> {
  let stores: Stores | null = null;
  try {
    stores = await openStore();
    const r = await verifyStoreAudit(stores.security);
    if (r.broken) {
      console.error(`audit chain BROKEN at record ${r.broken.seq}: ${r.broken.reason}`);
      return 1;
    }
    console.log(
      r.head
        ? `audit chain intact: ${r.records} records; head seq ${r.head.seq} hash ${r.head.hash}`
        : 'audit chain intact: no records yet',
    );
    return 0;
  } catch (e) {
    console.error(`cannot read the audit trail: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    await stores?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((code) => process.exit(code));
}
