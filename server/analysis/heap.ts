// A binary min-heap of (key, node) over typed arrays, for Dijkstra. Lazy deletion: a node may be pushed
// more than once and stale entries are skipped by the caller (cheaper than decrease-key here).
export class MinHeap {
  keys: Float64Array;
  vals: Int32Array;
  /** Insertion counter per entry: equal keys pop in insertion order, as networkx's heap does. */
  seq: Float64Array;
  size = 0;
  private counter = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.vals = new Int32Array(Math.max(16, capacity));
    this.seq = new Float64Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
    this.counter = 0;
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a];
    const kb = this.keys[b];
    return ka < kb || (ka === kb && this.seq[a] < this.seq[b]);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
    const v = this.vals[a];
    this.vals[a] = this.vals[b];
    this.vals[b] = v;
    const s = this.seq[a];
    this.seq[a] = this.seq[b];
    this.seq[b] = s;
  }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size++;
    this.keys[i] = key;
    this.vals[i] = val;
    this.seq[i] = this.counter++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Pops the minimum; read `lastKey` for its key. */
  lastKey = 0;
  pop(): number {
    const top = this.vals[0];
    this.lastKey = this.keys[0];
    const last = --this.size;
    if (last > 0) {
      this.keys[0] = this.keys[last];
      this.vals[0] = this.vals[last];
      this.seq[0] = this.seq[last];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.less(r, l) ? r : l;
        if (!this.less(c, i)) break;
        this.swap(c, i);
        i = c;
      }
    }
    return top;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const k = new Float64Array(cap);
    k.set(this.keys);
    const v = new Int32Array(cap);
    v.set(this.vals);
    const s = new Float64Array(cap);
    s.set(this.seq);
    this.keys = k;
    this.vals = v;
    this.seq = s;
  }
}
