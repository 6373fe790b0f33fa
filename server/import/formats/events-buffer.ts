// The calls or reads of one import, held column by column while the file streams: typed arrays that grow
// by doubling (25 bytes an event), not an object per row, so a million-row file stays small in memory.
import type { EventColumns, EventDirection, EventKind } from '../../domain/events.ts';

const DIRECTION_CODE: Record<EventDirection, number> = { outgoing: 1, incoming: 2 };

export class EventBuffer {
  private n = 0;
  private link = new Uint32Array(1024);
  private atMs = new Float64Array(1024);
  private duration = new Float64Array(1024);
  private direction = new Uint8Array(1024);
  private place = new Int32Array(1024);
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
    if (this.n === this.link.length) this.grow();
    const i = this.n++;
    this.link[i] = link;
    this.atMs[i] = atMs;
    this.duration[i] = duration ?? NaN;
    this.direction[i] = direction ? DIRECTION_CODE[direction] : 0;
    if (place === null) this.place[i] = -1;
    else {
      let p = this.placeIndex.get(place);
      if (p === undefined) {
        p = this.places.length;
        this.places.push(place);
        this.placeIndex.set(place, p);
      }
      this.place[i] = p;
    }
  }

  private grow(): void {
    const size = this.link.length * 2;
    const more = <T extends Uint32Array | Float64Array | Uint8Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.link = more(this.link, new Uint32Array(size));
    this.atMs = more(this.atMs, new Float64Array(size));
    this.duration = more(this.duration, new Float64Array(size));
    this.direction = more(this.direction, new Uint8Array(size));
    this.place = more(this.place, new Int32Array(size));
  }

  /**
   * The columns, with each event's link renumbered to its index in the batch's sorted links
   * (`position[own number]`).
   */
  finish(position: Uint32Array): EventColumns {
    const n = this.n;
    const link = this.link.subarray(0, n);
    for (let i = 0; i < n; i++) link[i] = position[link[i]];
    return {
      kind: this.kind,
      count: n,
      link,
      atMs: this.atMs.subarray(0, n),
      duration: this.duration.subarray(0, n),
      direction: this.direction.subarray(0, n),
      place: this.place.subarray(0, n),
      places: this.places,
    };
  }
}
