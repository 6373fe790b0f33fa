// The audit hash chain: each record's hash covers its content and the previous record's hash, so an
// edit or deletion anywhere breaks every hash after it. Stores call `chainAudit` inside the append
// transaction; `verifyAuditChain` (npm run audit:verify) walks the chain.
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../domain/model.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys, so the same record always hashes the same whatever the store returned. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/** Checks records in seq order; returns the first break, or null if the chain holds. */
export function verifyAuditChain(
  events: Iterable<AuditEvent>,
  startPrevHash = GENESIS_HASH,
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
    if (auditHash(rest) !== hash)
      return { seq: e.seq, reason: `record ${e.seq} was altered (hash mismatch)` };
    prev = hash;
    expectedSeq = e.seq + 1;
  }
  return null;
}
