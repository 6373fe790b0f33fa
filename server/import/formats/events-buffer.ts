// The calls or reads of one import, held while the file streams. The write needs them all (it comes after
// the last row, in one transaction), but memory must not grow with the file: past one block of BLOCK events
// (25 bytes each) they go to a temporary file, and `finish` hands them back a block at a time, grouped by
// link, so the store writes its (link, time) index in order.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventColumns, EventDirection, EventKind } from '../../domain/events.ts';

const DIRECTION_CODE: Record<EventDirection, number> = { outgoing: 1, incoming: 2 };

/** Events held in memory at once (1.6 MB); more go to disk. */
export const BLOCK = 1 << 16;

/** The events of a batch, one block after another; each block is valid until the next is taken. */
export interface EventSource extends Iterable<EventColumns> {
  readonly count: number;
  /** Frees the temporary files (the pipeline calls it once the batch is written or refused). */
  close(): void;
}

/** One block's columns: link, time, duration, direction, place (25 bytes an event). */
class Columns {
  link: Uint32Array;
  atMs: Float64Array;
  duration: Float64Array;
  direction: Uint8Array;
  place: Int32Array;
  constructor(readonly size: number) {
    this.link = new Uint32Array(size);
    this.atMs = new Float64Array(size);
    this.duration = new Float64Array(size);
    this.direction = new Uint8Array(size);
    this.place = new Int32Array(size);
  }
  /** The five columns' bytes, first `n` events. */
  views(n: number): Uint8Array[] {
    return [this.link, this.atMs, this.duration, this.direction, this.place].map(
      (a) => new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT),
    );
  }
}
const BYTES = [4, 8, 8, 1, 4];
const EVENT_BYTES = 25;

/** A temporary file nobody else can find: unlinked at once, gone when closed (or when the process ends). */
function scratchFile(): number {
  const path = join(tmpdir(), `linkchart-events-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  return fd;
}

function readFully(fd: number, into: Uint8Array, at: number): void {
  for (let got = 0; got < into.length;) {
    const n = readSync(fd, into, got, into.length - got, at + got);
    if (n === 0) throw new Error('events spill file ended early');
    got += n;
  }
}

export class EventBuffer {
  private n = 0;
  private held = 0;
  private mem = new Columns(BLOCK);
  private spill: number | null = null;
  /** Events per link (the format's own numbering), to lay the blocks out by link at the end. */
  private perLink = new Uint32Array(1024);
  private readonly places: string[] = [];
  private readonly placeIndex = new Map<string, number>();

  constructor(private readonly kind: EventKind) {}

  get count(): number {
    return this.n;
  }

  /** One event of the link numbered `link` (the format's own numbering; see `finish`). */
  add(
    link: number,
    atMs: number,
    duration: number | null,
    direction: EventDirection | null,
    place: string | null,
  ): void {
    if (this.held === BLOCK) this.flush();
    const i = this.held++;
    this.n++;
    const m = this.mem;
    m.link[i] = link;
    m.atMs[i] = atMs;
    m.duration[i] = duration ?? NaN;
    m.direction[i] = direction ? DIRECTION_CODE[direction] : 0;
    if (place === null) m.place[i] = -1;
    else {
      let p = this.placeIndex.get(place);
      if (p === undefined) {
        p = this.places.length;
        this.places.push(place);
        this.placeIndex.set(place, p);
      }
      m.place[i] = p;
    }
    if (link >= this.perLink.length) {
      const more = new Uint32Array(Math.max(link + 1, this.perLink.length * 2));
      more.set(this.perLink);
      this.perLink = more;
    }
    this.perLink[link]++;
  }

  /** A full block to the end of the spill file, column by column. */
  private flush(): void {
    this.spill ??= scratchFile();
    for (const v of this.mem.views(this.held)) writeSync(this.spill, v);
    this.held = 0;
  }

  /**
   * The events, each link renumbered to its index in the batch's sorted links (`position[own number]`).
   * Up to one block: that block, from memory. Beyond: one pass over the spill file sorts the events into
   * blocks of neighbouring links (a second file, each block's region known from the counts per link), and
   * reading gives one block at a time.
   */
  finish(position: Uint32Array): EventSource {
    if (this.spill === null) {
      const n = this.held;
      const m = this.mem;
      const link = m.link.subarray(0, n);
      for (let i = 0; i < n; i++) link[i] = position[link[i]];
      const one: EventColumns = {
        kind: this.kind,
        count: n,
        link,
        atMs: m.atMs.subarray(0, n),
        duration: m.duration.subarray(0, n),
        direction: m.direction.subarray(0, n),
        place: m.place.subarray(0, n),
        places: this.places,
      };
      return { count: n, close() {}, [Symbol.iterator]: () => (n ? [one] : [])[Symbol.iterator]() };
    }
    return this.regroup(position);
  }

  private regroup(position: Uint32Array): EventSource {
    const links = position.length;
    // Events per sorted link, then links cut into runs of about BLOCK events (a link is never split).
    const perPos = new Uint32Array(links);
    for (let own = 0; own < links; own++) perPos[position[own]] = this.perLink[own] ?? 0;
    const blockOf = new Uint32Array(links);
    const sizes: number[] = [];
    let size = 0;
    for (let p = 0; p < links; p++) {
      if (size > 0 && size + perPos[p] > BLOCK) {
        sizes.push(size);
        size = 0;
      }
      blockOf[p] = sizes.length;
      size += perPos[p];
    }
    sizes.push(size);
    const starts: number[] = [];
    let at = 0;
    for (const s of sizes) {
      starts.push(at);
      at += s * EVENT_BYTES;
    }
    // Each block's region holds its five columns one after another; staged writes go to their place.
    const out = scratchFile();
    const stageSize = Math.max(64, Math.min(4096, Math.floor((4 * BLOCK) / sizes.length)));
    const stages = sizes.map(() => new Columns(stageSize));
    const staged = new Uint32Array(sizes.length);
    const written = new Float64Array(sizes.length);
    const emit = (b: number) => {
      const k = staged[b];
      const views = stages[b].views(k);
      let col = starts[b];
      for (let c = 0; c < 5; c++) {
        writeSync(out, views[c], 0, views[c].length, col + written[b] * BYTES[c]);
        col += sizes[b] * BYTES[c];
      }
      written[b] += k;
      staged[b] = 0;
    };
    const spread = (src: Columns, n: number) => {
      for (let i = 0; i < n; i++) {
        const p = position[src.link[i]];
        const b = blockOf[p];
        const s = stages[b];
        const j = staged[b]++;
        s.link[j] = p;
        s.atMs[j] = src.atMs[i];
        s.duration[j] = src.duration[i];
        s.direction[j] = src.direction[i];
        s.place[j] = src.place[i];
        if (j + 1 === stageSize) emit(b);
      }
    };
    const inFile = (this.n - this.held) / BLOCK;
    const block = new Columns(BLOCK);
    const views = block.views(BLOCK);
    const spill = this.spill!;
    for (let f = 0, pos = 0; f < inFile; f++) {
      for (const v of views) {
        readFully(spill, v, pos);
        pos += v.length;
      }
      spread(block, BLOCK);
    }
    spread(this.mem, this.held);
    for (let b = 0; b < sizes.length; b++) if (staged[b]) emit(b);
    closeSync(spill);
    this.spill = null;

    const kind = this.kind;
    const places = this.places;
    const count = this.n;
    let open = true;
    const biggest = Math.max(...sizes);
    return {
      count,
      close() {
        if (open) closeSync(out);
        open = false;
      },
      *[Symbol.iterator]() {
        if (!open) throw new Error('the events of this import were already released');
        const buf = new Columns(biggest);
        for (let b = 0; b < sizes.length; b++) {
          const n = sizes[b];
          if (n === 0) continue;
          const v = buf.views(n);
          let col = starts[b];
          for (let c = 0; c < 5; c++) {
            readFully(out, v[c], col);
            col += n * BYTES[c];
          }
          yield {
            kind,
            count: n,
            link: buf.link.subarray(0, n),
            atMs: buf.atMs.subarray(0, n),
            duration: buf.duration.subarray(0, n),
            direction: buf.direction.subarray(0, n),
            place: buf.place.subarray(0, n),
            places,
          };
        }
      },
    };
  }
}
