// The content digest of a transfer, computed as rows stream past in any order and in any number of sittings.
// Each part's digest is the sum modulo 2^256 of the SHA-256 of each record's canonical JSON (a multiset hash:
// the order rows arrive in, which differs between SQLite and Neo4j and between pages, does not change it, and a
// part interrupted half-way can go on from its running sum kept in the resume marker). The whole digest is the
// SHA-256 of every part's name, count and sum in DUMP_PARTS order, so two stores holding the same records give
// the same digest whichever way the copy went.
//
// It runs once per record on both sides of a transfer (millions of times), so the canonical JSON is written in
// one pass (no sorted copy of each record, no per-record BigInt): the text is exactly JSON.stringify of the
// record with its keys sorted, and the sum is kept in eight 32-bit lanes, carried now and then.
import { createHash, hash } from 'node:crypto';
import { DUMP_PARTS, type DumpPart, type PartRecord } from './parts.ts';

/** A key JavaScript orders before all others, by number (an array index), whatever order it was added in. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;
const isIndex = (k: string) => INDEX_KEY.test(k) && Number(k) < 4294967295;

/** Keys in the order a plain object built by inserting them sorted iterates them (index keys first). */
function orderedKeys(o: object): string[] {
  const keys = Object.keys(o).sort();
  if (!keys.some(isIndex)) return keys;
  const idx = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...idx, ...keys.filter((k) => !isIndex(k))];
}

/** A primitive as JSON.stringify and canonicalJson write it; undefined for anything else. */
function primitive(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return v === null ? 'null' : undefined;
  }
}

/**
 * JSON.stringify(v) with every object's keys sorted (undefined where JSON.stringify gives undefined). `skip`
 * and `sorted` name top-level keys to leave out and string lists to sort (sets whose order differs between
 * the stores).
 */
export function canonicalJson(
  v: unknown,
  top?: { skip?: string; sorted?: readonly string[] },
): string | undefined {
  const p = primitive(v);
  if (p !== undefined) return p;
  // Anything else JSON.stringify leaves out (undefined, a function, a symbol) gives undefined.
  if (typeof v !== 'object' || v === null) return undefined;
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ',';
      s += canonicalJson(v[i]) ?? 'null';
    }
    return `${s}]`;
  }
  let s = '{';
  let first = true;
  for (const k of orderedKeys(v)) {
    if (top?.skip === k) continue;
    let x = (v as Record<string, unknown>)[k];
    if (top?.sorted?.includes(k) && Array.isArray(x)) x = [...(x as string[])].sort();
    const e = canonicalJson(x);
    if (e === undefined) continue;
    s += `${first ? '' : ','}${JSON.stringify(k)}:${e}`;
    first = false;
  }
  return `${s}}`;
}

/**
 * How the digest sees a part's record: provenance lists are sets (their order differs between stores), and a
 * merge's snapshot is what unmerge needs, kept in each store's own form, so it is left out.
 */
const TOP: Partial<Record<DumpPart, { skip?: string; sorted?: readonly string[] }>> = {
  entities: { sorted: ['reports', 'imports'] },
  links: { sorted: ['reports', 'imports'] },
  merges: { skip: 'snapshot' },
};

/** The canonical text of one record of a part, as its hash is taken. */
export function recordText(part: DumpPart, x: unknown): string {
  return canonicalJson(x, TOP[part]) ?? 'null';
}

/** Whether a value is written alike by JSON.stringify with a key list and by canonicalJson. */
function plain(v: unknown, sorted: boolean): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) {
    for (let j = 0; j < v.length; j++) {
      const e: unknown = v[j];
      if (e !== null && typeof e === 'object') return false;
      if (sorted && j > 0 && (v[j - 1] as string) > (e as string)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const _ in v) return false;
  return true;
}

/**
 * recordText for one part, fast for a record of the usual shape: the keys' order and their quoted names are
 * worked out once per shape (checked for every record), and each value is written by itself: a primitive
 * directly, a list of primitives (sorted where `sorted` says) or an empty object by JSON.stringify (native),
 * anything else through canonicalJson. One pass, no replacer list and no copy of the record.
 */
function flatText(part: DumpPart): (x: unknown) => string {
  const top = TOP[part];
  let keys: string[] = [];
  let order: string[] = [];
  let sorted: boolean[] = [];
  let quoted: string[] = [];
  return (x) => {
    const o = x as Record<string, unknown>;
    const ks = Object.keys(o);
    let same = ks.length === keys.length;
    for (let i = 0; same && i < ks.length; i++) same = ks[i] === keys[i];
    if (!same) {
      keys = ks;
      order = orderedKeys(o).filter((k) => k !== top?.skip);
      sorted = order.map((k) => top?.sorted?.includes(k) === true);
      quoted = order.map((k) => `${JSON.stringify(k)}:`);
    }
    let s = '{';
    let first = true;
    for (let j = 0; j < order.length; j++) {
      const v = o[order[j]];
      let e = primitive(v);
      if (e === undefined) {
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        if (plain(v, sorted[j])) e = JSON.stringify(v);
        else e = canonicalJson(sorted[j] && Array.isArray(v) ? [...(v as string[])].sort() : v);
        if (e === undefined) continue;
      }
      s += first ? quoted[j] + e : `,${quoted[j]}${e}`;
      first = false;
    }
    return `${s}}`;
  };
}

export interface PartTally {
  count: number;
  /** The running sum, as hex (kept in the resume marker as text). */
  sum: string;
}

const MOD = 1n << 256n;

/** A part's running sum modulo 2^256 (reduced once per batch). */
class Sum256 {
  constructor(public v = 0n) {}

  add(hex: string): void {
    this.v += BigInt(`0x${hex}`);
  }

  plus(o: Sum256): void {
    this.v = (this.v + o.v) % MOD;
  }

  value(): bigint {
    this.v %= MOD;
    return this.v;
  }
}

export class StreamDigest {
  private readonly sums = new Map<DumpPart, Sum256>();
  private readonly counts = new Map<DumpPart, number>();

  constructor(from?: Partial<Record<DumpPart, PartTally>>) {
    for (const [p, t] of Object.entries(from ?? {}) as [DumpPart, PartTally][]) {
      this.sums.set(p, new Sum256(BigInt(`0x${t.sum || '0'}`)));
      this.counts.set(p, t.count);
    }
  }

  private sum(part: DumpPart): Sum256 {
    let s = this.sums.get(part);
    if (!s) this.sums.set(part, (s = new Sum256()));
    return s;
  }

  add<P extends DumpPart>(part: P, rows: readonly PartRecord<P>[]): void {
    const sum = this.sum(part);
    const text = this.texts(part);
    for (const x of rows) sum.add(hash('sha256', text(x), 'hex'));
    sum.value();
    this.counts.set(part, (this.counts.get(part) ?? 0) + rows.length);
  }

  private readonly writers = new Map<DumpPart, (x: unknown) => string>();

  /** The canonical text of a part's records, fast for the usual flat record (see flatText). */
  private texts(part: DumpPart): (x: unknown) => string {
    let w = this.writers.get(part);
    if (!w) this.writers.set(part, (w = flatText(part)));
    return w;
  }

  /** Adds what another digest saw (of other records: a part read in slices, each slice digested apart). */
  merge(other: StreamDigest): void {
    for (const [p, s] of other.sums) this.sum(p).plus(s);
    for (const [p, n] of other.counts) this.counts.set(p, (this.counts.get(p) ?? 0) + n);
  }

  count(part: DumpPart): number {
    return this.counts.get(part) ?? 0;
  }

  allCounts(): Record<DumpPart, number> {
    return Object.fromEntries(DUMP_PARTS.map((p) => [p, this.count(p)])) as Record<DumpPart, number>;
  }

  /** What a resume marker keeps to go on later (and what a worker hands back). */
  tally(): Partial<Record<DumpPart, PartTally>> {
    const out: Partial<Record<DumpPart, PartTally>> = {};
    for (const p of DUMP_PARTS)
      if (this.counts.has(p))
        out[p] = { count: this.count(p), sum: (this.sums.get(p)?.value() ?? 0n).toString(16) };
    return out;
  }

  digest(): string {
    const h = createHash('sha256');
    for (const p of DUMP_PARTS)
      h.update(`${p}\u0000${this.count(p)}\u0000${(this.sums.get(p)?.value() ?? 0n).toString(16)}\n`);
    return h.digest('hex');
  }
}
