// The streamed transfer's two ends. A reader hands out each part's records in bounded batches, each with the
// key of its last record (the cursor a resumed transfer starts after); a writer takes them a batch at a time,
// each batch with the resume marker committed in the same transaction, so an interrupted transfer knows
// exactly which batch it last wrote.
import type { PartTally } from './digest.ts';
import type { DumpPart, PartRecord } from './parts.ts';

/** The key of the last record of a batch (JSON), or null before the first. */
export type Cursor = ReadonlyArray<string | number> | null;

export interface Batch<P extends DumpPart> {
  rows: PartRecord<P>[];
  cursor: Cursor;
}

export interface DumpReader {
  readonly name: string;
  dataVersion(): Promise<number>;
  /** How many records each part holds (for progress and the empty check). */
  sizes(): Promise<Record<DumpPart, number>>;
  /** The part's records after `after`, in batches of at most `size`, in the order of their keys. */
  batches<P extends DumpPart>(part: P, after: Cursor, size: number): AsyncIterable<Batch<P>>;
}

/** The highest numbers and the audit head a load has seen: where the target's counters go on after it. */
export interface Highest {
  entity: number;
  link: number;
  report: number;
  merge: number;
  annotation: number;
  chart: number;
  user: number;
  audit: number;
  auditHash: string;
  event: number;
  operation: number;
  target: number;
  targetAction: number;
  deconfliction: number;
}

/** What a writer commits with each batch, and what `--resume` goes on from. */
export interface Marker {
  /** Source and target, so a marker is never taken up by another transfer. */
  route: string;
  part: DumpPart;
  cursor: Cursor;
  /** The source digest's running sums and counts of every part written so far. */
  tally: Partial<Record<DumpPart, PartTally>>;
  highest: Highest;
}

export interface DumpWriter {
  readonly name: string;
  /** The marker of an interrupted transfer into this store, if any. */
  marker(): Promise<Marker | null>;
  /** Before the first batch of a transfer that starts afresh (not a resumed one). */
  start(fresh: boolean): Promise<void>;
  write<P extends DumpPart>(part: P, rows: PartRecord<P>[], mark: Marker): Promise<void>;
  /** After the last batch: the data version and counters, and the marker removed. */
  finish(dataVersion: number, highest: Highest): Promise<void>;
}
