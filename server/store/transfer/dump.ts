// A store-neutral copy of everything a store holds, for `npm run transfer`: ids, provenance, merge records
// (with what unmerge needs), annotations, charts, drafts, targets with their action logs, the calls and reads
// behind links, the duplicate review queue, users and the audit chain, exactly as stored; and the operations
// (issue 17): each operation with its members, which operations each entity and link belongs to (with what each
// wrote of an entity's properties), the operation of each report, call, annotation, chart, draft and import run, and the
// deconfliction notices with their logs.
import { DEFAULT_OPERATION_REF } from '../../domain/operations.ts';
export { idNum } from './fields.ts';
export * from './parts.ts';
import { DUMP_PARTS, type Dump, type DumpPart } from './parts.ts';
import { StreamDigest } from './digest.ts';

/**
 * Whether the store holds nothing of its own: a new store already holds the GENERAL operation its schema
 * makes (with no members), which a load replaces with the source's.
 */
export function isEmptyDump(d: Dump): boolean {
  return DUMP_PARTS.every((k) =>
    k === 'operations' ? d.operations.every((o) => o.ref === DEFAULT_OPERATION_REF) : d[k].length === 0,
  );
}

/** The digest of a dump held in memory: the same value a streamed transfer computes for the same records. */
export function dumpDigest(d: Dump): string {
  const g = new StreamDigest();
  for (const p of DUMP_PARTS) g.add(p, d[p] as never);
  return g.digest();
}

export function dumpCounts(d: Dump): Record<DumpPart, number> {
  return Object.fromEntries(DUMP_PARTS.map((k) => [k, d[k].length])) as Record<DumpPart, number>;
}
