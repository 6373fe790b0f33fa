// The content digest of a transfer, computed as rows stream past in any order and in any number of sittings.
// Each part's digest is the sum modulo 2^256 of the SHA-256 of each record's canonical JSON (a multiset hash:
// the order rows arrive in, which differs between SQLite and Neo4j and between pages, does not change it, and a
// part interrupted half-way can go on from its running sum kept in the resume marker). The whole digest is the
// SHA-256 of every part's name, count and sum in DUMP_PARTS order, so two stores holding the same records give
// the same digest whichever way the copy went.
import { createHash } from 'node:crypto';
import { DUMP_PARTS, type DumpPart, type PartRecord } from './parts.ts';

const MOD = 1n << 256n;

/** JSON with sorted keys, so two stores holding the same record give the same text. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * A record as the digest sees it: provenance lists are sets (their order differs between stores), and a
 * merge's snapshot is what unmerge needs, kept in each store's own form, so it is left out (as before).
 */
function normalised(part: DumpPart, x: Record<string, unknown>): unknown {
  if (part === 'entities' || part === 'links') {
    return {
      ...x,
      reports: [...(x.reports as string[])].sort(),
      imports: [...(x.imports as string[])].sort(),
    };
  }
  if (part === 'merges') return { ...x, snapshot: undefined };
  return x;
}

export interface PartTally {
  count: number;
  /** The running sum, as hex (kept in the resume marker as text). */
  sum: string;
}

export class StreamDigest {
  private readonly sums = new Map<DumpPart, bigint>();
  private readonly counts = new Map<DumpPart, number>();

  constructor(from?: Partial<Record<DumpPart, PartTally>>) {
    for (const [p, t] of Object.entries(from ?? {}) as [DumpPart, PartTally][]) {
      this.sums.set(p, BigInt(`0x${t.sum || '0'}`));
      this.counts.set(p, t.count);
    }
  }

  add<P extends DumpPart>(part: P, rows: readonly PartRecord<P>[]): void {
    let sum = this.sums.get(part) ?? 0n;
    for (const x of rows) {
      const h = createHash('sha256')
        .update(JSON.stringify(canonical(normalised(part, x as Record<string, unknown>))))
        .digest('hex');
      sum = (sum + BigInt(`0x${h}`)) % MOD;
    }
    this.sums.set(part, sum);
    this.counts.set(part, (this.counts.get(part) ?? 0) + rows.length);
  }

  count(part: DumpPart): number {
    return this.counts.get(part) ?? 0;
  }

  allCounts(): Record<DumpPart, number> {
    return Object.fromEntries(DUMP_PARTS.map((p) => [p, this.count(p)])) as Record<DumpPart, number>;
  }

  /** What a resume marker keeps to go on later. */
  tally(): Partial<Record<DumpPart, PartTally>> {
    const out: Partial<Record<DumpPart, PartTally>> = {};
    for (const p of DUMP_PARTS)
      if (this.counts.has(p)) out[p] = { count: this.count(p), sum: (this.sums.get(p) ?? 0n).toString(16) };
    return out;
  }

  digest(): string {
    const h = createHash('sha256');
    for (const p of DUMP_PARTS)
      h.update(`${p}\u0000${this.count(p)}\u0000${(this.sums.get(p) ?? 0n).toString(16)}\n`);
    return h.digest('hex');
  }
}
