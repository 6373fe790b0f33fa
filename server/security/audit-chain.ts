// The audit hash chain: each record's hash covers its content and the previous record's hash, so an
// edit or deletion anywhere breaks every hash after it. Stores call `chainAudit` inside the append
// transaction; `verifyAuditChain` (npm run audit:verify) walks the chain.
import { hash } from 'node:crypto';
import type { AuditEvent, AuditInput } from '../domain/model.ts';

export const GENESIS_HASH = '0'.repeat(64);

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

export function auditHash(event: Omit<AuditEvent, 'hash'>): string {
  return hash('sha256', canonicalJson(event), 'hex');
}

/**
 * The stored record for a (validated) input at `seq`, chained after `prevHash`, with its details as the
 * JSON the store keeps. Both stores build records here, so they hash the same thing.
 */
export function chainAudit(
  input: AuditInput,
  seq: number,
  at: string,
  prevHash: string,
): { event: AuditEvent; detailsJson: string | null } {
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
  return { event: { ...body, hash: auditHash(body) }, detailsJson };
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
