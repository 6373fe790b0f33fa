// The streamed transfer: reads the source a batch at a time, checks the audit chain and adds each record to
// the digest as it passes, and hands each batch to the target's writer with a resume marker; then reads the
// target back the same way for the verification. Memory stays at a batch or two whatever the store's size.
import {
  GENESIS_HASH,
  verifyAuditChain,
  type AuditKey,
  type ChainBreak,
} from '../../security/audit-chain.ts';
import type { AuditEvent } from '../../domain/model.ts';
import { StreamDigest } from './digest.ts';
import { noHighest, seeHighest } from './highest.ts';
import { DUMP_PARTS, LOAD_ORDER, type DumpPart } from './parts.ts';
import { Progress } from './progress.ts';
import type { DumpReader, DumpWriter, Highest, Marker } from './stream.ts';

export interface StreamOptions {
  batch: number;
  say: (line: string) => void;
  /** How often progress is said, in ms. */
  progressEveryMs?: number;
}

export interface Scan {
  digest: string;
  counts: Record<DumpPart, number>;
  /** The first break in the audit chain, or null. */
  chain: ChainBreak | null;
  dataVersion: number;
}

/** Follows the audit chain across batches (records in seq order). */
export class ChainCheck {
  private prev: string;
  private lastSeq: number | null;
  brk: ChainBreak | null = null;

  constructor(
    private readonly key: AuditKey | null,
    from?: { hash: string; seq: number },
  ) {
    this.prev = from && from.seq > 0 ? from.hash : GENESIS_HASH;
    this.lastSeq = from && from.seq > 0 ? from.seq : null;
  }

  see(rows: readonly AuditEvent[]): void {
    if (this.brk || rows.length === 0) return;
    if (this.lastSeq !== null && rows[0].seq !== this.lastSeq + 1) {
      this.brk = {
        seq: this.lastSeq + 1,
        reason: `record ${this.lastSeq + 1} is missing (next is ${rows[0].seq})`,
      };
      return;
    }
    this.brk = verifyAuditChain(rows, this.prev, this.key);
    const last = rows[rows.length - 1];
    this.prev = last.hash;
    this.lastSeq = last.seq;
  }
}

/** Reads every part of a store and digests it (and checks its audit chain), holding one batch at a time. */
export async function scan(
  reader: DumpReader,
  key: AuditKey | null,
  opts: StreamOptions & { verb?: string; parts?: readonly DumpPart[] },
): Promise<Scan> {
  const digest = new StreamDigest();
  const chain = new ChainCheck(key);
  const progress = new Progress(opts.say, opts.verb ?? 'reading', await reader.sizes(), opts.progressEveryMs);
  for (const part of opts.parts ?? DUMP_PARTS) {
    progress.begin(part);
    for await (const b of reader.batches(part, null, opts.batch)) {
      digest.add(part, b.rows);
      if (part === 'audit') chain.see(b.rows as AuditEvent[]);
      progress.add(b.rows.length);
    }
    progress.end();
  }
  return {
    digest: digest.digest(),
    counts: digest.allCounts(),
    chain: chain.brk,
    dataVersion: await reader.dataVersion(),
  };
}

/** A streamed read of part of a kind, in no order (neo4j.ts Neo4jScanner). */
export interface ScanSlice {
  part: DumpPart;
  name: string;
  read(): AsyncIterable<unknown[]>;
}

/**
 * scan(), with the large kinds read as several streams at once (`slices`: none for a part read in order by
 * `reader`), `streams` of them at a time, so the database reads on one core while this process decodes and
 * digests on another. The digest is a sum, so the order records arrive in does not matter; the audit (its chain
 * is followed record by record) and the other parts without slices are read in order.
 */
export async function scanParallel(
  reader: DumpReader,
  slices: (part: DumpPart) => Promise<ScanSlice[]>,
  key: AuditKey | null,
  opts: StreamOptions & { verb: string; streams: number },
): Promise<Scan> {
  const digest = new StreamDigest();
  const chain = new ChainCheck(key);
  const sizes = await reader.sizes();
  const total = DUMP_PARTS.reduce((n, p) => n + sizes[p], 0);
  const t0 = performance.now();
  let done = 0;
  let said = t0;
  const seen = (part: DumpPart, rows: readonly unknown[]) => {
    digest.add(part, rows as never[]);
    done += rows.length;
    const now = performance.now();
    if (now - said < (opts.progressEveryMs ?? 1000)) return;
    said = now;
    const rate = done / ((now - t0) / 1000);
    opts.say(
      `${opts.verb}: ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} records, ${Math.round(rate).toLocaleString('en-GB')} a second`,
    );
  };
  const queue: ScanSlice[] = [];
  const inOrder: DumpPart[] = [];
  for (const part of DUMP_PARTS) {
    const s = await slices(part);
    if (s.length > 0) queue.push(...s);
    else inOrder.push(part);
  }
  const lane = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const t = performance.now();
      let n = 0;
      for await (const rows of s.read()) {
        seen(s.part, rows);
        n += rows.length;
      }
      opts.say(
        `${opts.verb} ${s.name}: ${n.toLocaleString('en-GB')} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
  };
  const ordered = async () => {
    for (const part of inOrder)
      for await (const b of reader.batches(part, null, opts.batch)) {
        seen(part, b.rows);
        if (part === 'audit') chain.see(b.rows as AuditEvent[]);
      }
  };
  await Promise.all([ordered(), ...Array.from({ length: Math.max(1, opts.streams) }, lane)]);
  return {
    digest: digest.digest(),
    counts: digest.allCounts(),
    chain: chain.brk,
    dataVersion: await reader.dataVersion(),
  };
}

export interface Copied {
  digest: string;
  counts: Record<DumpPart, number>;
  highest: Highest;
  dataVersion: number;
}

/**
 * Copies every part from the reader to the writer, in LOAD_ORDER, a batch at a time; each batch is committed
 * with a marker holding the part, the key of its last record, the digest's running sums and the highest ids,
 * so a transfer that stops anywhere goes on from the marker (`resume`) to the same digest.
 */
export async function copy(
  reader: DumpReader,
  writer: DumpWriter,
  route: string,
  key: AuditKey | null,
  opts: StreamOptions & { resume: Marker | null },
): Promise<Copied> {
  const m = opts.resume;
  const digest = new StreamDigest(m?.tally);
  const highest = m ? { ...noHighest(), ...m.highest } : noHighest();
  const chain = new ChainCheck(key, m ? { hash: highest.auditHash, seq: highest.audit } : undefined);
  const progress = new Progress(opts.say, 'copying', await reader.sizes(), opts.progressEveryMs);
  await writer.start(!m);
  const from = m ? LOAD_ORDER.indexOf(m.part) : 0;
  for (const part of LOAD_ORDER.slice(from)) {
    const after = m && part === m.part ? m.cursor : null;
    progress.begin(part, digest.count(part));
    for await (const b of reader.batches(part, after, opts.batch)) {
      digest.add(part, b.rows);
      seeHighest(highest, part, b.rows);
      if (part === 'audit') {
        chain.see(b.rows as AuditEvent[]);
        if (chain.brk) throw new ChainBroken(chain.brk);
      }
      await writer.write(part, b.rows, { route, part, cursor: b.cursor, tally: digest.tally(), highest });
      progress.add(b.rows.length);
    }
    progress.end();
  }
  const dataVersion = await reader.dataVersion();
  await writer.finish(dataVersion, highest);
  return { digest: digest.digest(), counts: digest.allCounts(), highest, dataVersion };
}

export class ChainBroken extends Error {
  constructor(readonly brk: ChainBreak) {
    super(`the source's audit chain is broken at record ${brk.seq} (${brk.reason})`);
    this.name = 'ChainBroken';
  }
}
