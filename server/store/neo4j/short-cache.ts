// Reads every request makes of things that rarely change (the signed-in user, the operations they may read and
// their memberships), kept by this server for at most SHORT_CACHE_MS. On Neo4j each such read is a transaction
// and a round trip, several per request (issue 21: audited reads at 10 clients). A change made through this
// server empties the cache before and after it is written, so this server sees it at once; a change made on
// another server is seen here within SHORT_CACHE_MS (README: More than one machine).

/** How long this server reuses such a read. */
export const SHORT_CACHE_MS = 1_000;

export class ShortCache<V> {
  private readonly map = new Map<string, { v: Promise<V>; at: number }>();
  /** Moves on every change: a read begun before one is not kept. */
  private gen = 0;

  constructor(
    private readonly ttlMs = SHORT_CACHE_MS,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value for `key`: a copy read less than ttlMs ago (or being read now), else `load()`. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const t = this.now();
    const hit = this.map.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.v;
    if (this.map.size >= this.max) this.map.clear();
    const gen = this.gen;
    const v = load();
    const entry = { v, at: t };
    this.map.set(key, entry);
    v.then(
      () => {
        // A change ran while this was read: it may hold what the change replaced.
        if (gen !== this.gen && this.map.get(key) === entry) this.map.delete(key);
      },
      () => {
        if (this.map.get(key) === entry) this.map.delete(key);
      },
    );
    return v;
  }

  /** Empties the cache. */
  clear(): void {
    this.gen++;
    this.map.clear();
  }

  /** Runs a change, emptying the cache before and after it (a read overlapping it is not kept). */
  async changing<T>(write: () => Promise<T>): Promise<T> {
    this.clear();
    try {
      return await write();
    } finally {
      this.clear();
    }
  }
}
