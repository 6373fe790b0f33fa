// What every aggregate of the Neo4j store shares: one driver and executor, the schema applied once, the id
// numbers and the write helper. A (:Meta {k: 'state'}) node holds the data version and the id counters; no
// write holds it while it runs (issue 21): ids are reserved and the version raised in short transactions of
// their own, and each write locks only what it touches (see write()).
import { randomUUID } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import { StoreError, type ListOptions, type Page } from '../common.ts';
import { parsePlainId } from '../shared/ids.ts';
import { type ListKey, cursorBound, listCursor } from '../shared/list-key.ts';
import { listOptionsSchema, parseOr } from '../shared/validate.ts';
import { BusyError, Neo4jExecutor, type Row, type Tx } from './executor.ts';
import { cypher, schemaStatements } from './queries.ts';

const DEFAULT_PAGE = 50;

/**
 * The rows a keyed page knows are in the list: up to the end of this page, and one more if another follows.
 * Read from the start (no cursor) and with none after it, that is the exact total.
 */
export interface SeenRows {
  n: number;
  exact: boolean;
}

/**
 * What a page shows of its list: `shown` rows from `offset`, `more` if another follows, `fromStart` if it was
 * read without a cursor. (An offset past the end shows nothing: then only "at least none" is known.)
 */
export function seenRows(offset: number, shown: number, more: boolean, fromStart: boolean): SeenRows {
  return shown
    ? { n: offset + shown + (more ? 1 : 0), exact: fromStart && !more }
    : { n: 0, exact: fromStart && offset === 0 };
}

/**
 * The rows of one page read by key: `<name>-list` from the cursor (see Neo4jContext.keyedPage), asked for one
 * row more than the page; cut to the page, with whether another follows and the key that reads it.
 */
export async function keyedRows(
  tx: Tx,
  name: string,
  at: { offset: number; limit: number },
  after: number | null,
  listKey: ListKey,
  params: Row,
): Promise<{ rows: Row[]; more: boolean; next: string | null }> {
  const rows = await tx.run(`${name}-list`, {
    ...params,
    after: cursorBound(after, listKey),
    offset: at.offset,
    limit: at.limit + 1,
  });
  const more = rows.length > at.limit;
  if (more) rows.length = at.limit;
  return { rows, more, next: more ? listKey.format(rows[rows.length - 1].k as number) : null };
}

export interface Neo4jStoreOptions {
  uri: string;
  user?: string;
  password?: string;
  database?: string;
  /** Reuse a driver (tests); otherwise the store makes and closes its own. */
  driver?: Driver;
  /** Where an outage and the recovery are said (outage.ts); stderr by default. */
  log?: (msg: string) => void;
}

/** The URI without any credentials in it, for messages. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//');
}

export type Counter =
  'entity' | 'link' | 'report' | 'merge' | 'annotation' | 'chart' | 'user' | 'audit' | 'operation' | 'event';

const COUNTERS = new Set<string>([
  'entity',
  'link',
  'report',
  'merge',
  'annotation',
  'chart',
  'user',
  'audit',
  'operation',
  'event',
]);

/** The open operation everything written before operations belongs to, and where unscoped writes land. */
export const GENERAL_OP_ID = 'op1';

/** Neo4j's code for a deadlock it broke by failing one of the transactions: that one is simply run again. */
const DEADLOCK = 'Neo.TransientError.Transaction.DeadlockDetected';
/** Attempts of one write that deadlocks or loses a race for a new key before the error reaches the caller. */
const WRITE_ATTEMPTS = 8;
/** No attempt of a write starts this long after its first: a request under that much contention gets its 503. */
const WRITE_RETRY_MS = 10_000;

/**
 * A write met a fact another writer created after this one looked (an entity's natural key, a report's ref):
 * the whole transaction is undone and run again, and then finds it.
 */
export class WriteRace extends Error {
  constructor(what: string) {
    super(`another writer created ${what} at the same moment`);
  }
}

/**
 * Id numbers handed out by this server. Numbers come from the Meta node's counters in a short transaction of
 * their own (ids-reserve), exactly as many as a write asks for, so no write holds the counters while it runs;
 * numbers of a write that failed come back here and are handed out first, so a refused write leaves no gap
 * while the process lives.
 */
export class IdPool {
  private readonly spare = new Map<Counter, number[]>();
  constructor(private readonly exec: Neo4jExecutor) {}

  async take(kind: Counter, count: number): Promise<number[]> {
    if (!COUNTERS.has(kind)) throw new Error(`unknown id counter ${kind}`);
    const spare = this.spare.get(kind) ?? [];
    const out = spare.splice(0, count);
    const more = count - out.length;
    if (more > 0) {
      const top = (await this.exec.write((tx) => tx.one('ids-reserve', { kind, count: more })))!
        .top as number;
      for (let n = top - more + 1; n <= top; n++) out.push(n);
    }
    return out;
  }

  /**
   * Numbers of several kinds at once, in one short transaction (one write's whole need: see
   * State.reserveMany), which also reads the data version as it then stands.
   */
  async takeMany(want: Partial<Record<Counter, number>>): Promise<{
    numbers: Map<Counter, number[]>;
    dataVersion: number | null;
  }> {
    const numbers = new Map<Counter, number[]>();
    const ask: { kind: Counter; count: number }[] = [];
    for (const [kind, count] of Object.entries(want) as [Counter, number][]) {
      if (!COUNTERS.has(kind)) throw new Error(`unknown id counter ${kind}`);
      if (count <= 0) continue;
      const out = (this.spare.get(kind) ?? []).splice(0, count);
      numbers.set(kind, out);
      if (count > out.length) ask.push({ kind, count: count - out.length });
    }
    if (ask.length === 0) return { numbers, dataVersion: null };
    const rows = await this.exec.write((tx) => tx.run('ids-reserve-many', { kinds: ask }));
    let dataVersion: number | null = null;
    for (const r of rows) {
      const kind = r.kind as Counter;
      const top = r.top as number;
      const more = ask.find((a) => a.kind === kind)!.count;
      const out = numbers.get(kind)!;
      for (let n = top - more + 1; n <= top; n++) out.push(n);
      dataVersion = r.dataVersion as number;
    }
    return { numbers, dataVersion };
  }

  /** Drops every spare number: they were reserved from counters a transfer has since replaced. */
  clear(): void {
    this.spare.clear();
  }

  giveBack(kind: Counter, numbers: number[]): void {
    if (numbers.length === 0) return;
    const spare = this.spare.get(kind) ?? [];
    spare.push(...numbers);
    spare.sort((a, b) => a - b);
    this.spare.set(kind, spare);
  }
}

/** Numbers reserved for one write, handed out in order (a batch takes thousands: no shifting of an array). */
class Ready {
  private list: number[] = [];
  private at = 0;

  get size(): number {
    return this.list.length - this.at;
  }

  add(ns: number[]): void {
    this.list = [...this.list.slice(this.at), ...ns];
    this.at = 0;
  }

  take(): number | undefined {
    return this.at < this.list.length ? this.list[this.at++] : undefined;
  }

  /** The numbers not handed out. */
  rest(): number[] {
    return this.list.slice(this.at);
  }
}

/**
 * What one attempt of a write transaction draws on: id numbers (reserved outside it) and whether it changed
 * the data (then the data version rises once it has committed). A new State for every attempt.
 */
export class State {
  /** Numbers reserved and not yet used, by kind. */
  private readonly ready = new Map<Counter, Ready>();
  /** Numbers used, by kind: they go back to the pool if the attempt does not commit. */
  private readonly used = new Map<Counter, number[]>();
  /** Whether the data changed: the data version rises after the commit. */
  changed = false;
  /** The data version after this write committed, when it changed the data (set by Neo4jContext.write). */
  version = 0;

  constructor(private readonly pool: IdPool) {}

  private readyOf(kind: Counter): Ready {
    let r = this.ready.get(kind);
    if (!r) this.ready.set(kind, (r = new Ready()));
    return r;
  }

  /** Makes `count` numbers of `kind` ready for take(), which can then be called without waiting. */
  async reserve(kind: Counter, count: number): Promise<void> {
    const have = this.ready.get(kind)?.size ?? 0;
    if (count <= have) return;
    this.readyOf(kind).add(await this.pool.take(kind, count - have));
  }

  /**
   * Makes numbers of several kinds ready at once: one short transaction for a whole write batch (none when this
   * server holds enough spare numbers). Returns the data version as it stood then (null if not read).
   */
  async reserveMany(want: Partial<Record<Counter, number>>): Promise<number | null> {
    const need: Partial<Record<Counter, number>> = {};
    for (const [kind, count] of Object.entries(want) as [Counter, number][]) {
      const have = this.ready.get(kind)?.size ?? 0;
      if (count > have) need[kind] = count - have;
    }
    const got = await this.pool.takeMany(need);
    for (const [kind, ns] of got.numbers) this.readyOf(kind).add(ns);
    return got.dataVersion;
  }

  /** A number taken and, after all, not used (the fact it was for turned out to exist): it goes back. */
  release(kind: Counter, n: number): void {
    const used = this.used.get(kind);
    const i = used?.indexOf(n) ?? -1;
    if (i >= 0) used!.splice(i, 1);
    this.pool.giveBack(kind, [n]);
  }

  /** The next reserved number of `kind`; reserve() first. */
  take(kind: Counter): number {
    const n = this.ready.get(kind)?.take();
    if (n === undefined) throw new Error(`no ${kind} number reserved for this write`);
    const used = this.used.get(kind) ?? [];
    used.push(n);
    this.used.set(kind, used);
    return n;
  }

  /** The next number of `kind`. */
  async next(kind: Counter): Promise<number> {
    await this.reserve(kind, 1);
    return this.take(kind);
  }

  /** The data changed: the data version rises when the transaction has committed. */
  bump(): void {
    this.changed = true;
  }

  /** After the commit: numbers reserved and not used go back. */
  committed(): void {
    for (const [kind, ns] of this.ready) this.pool.giveBack(kind, ns.rest());
    this.ready.clear();
  }

  /** The attempt did not commit: every number it drew goes back. */
  undone(): void {
    for (const [kind, ns] of this.used) this.pool.giveBack(kind, ns);
    this.used.clear();
    this.committed();
  }
}

function makeDriver(opts: Neo4jStoreOptions): Driver {
  return neo4j.driver(opts.uri, neo4j.auth.basic(opts.user ?? 'neo4j', opts.password ?? ''), {
    // Fail fast while the server is down (the API answers 503 within 2 s; outage.ts then refuses at once
    // until a probe reaches it again). A local server refuses a connection at once; these bound a remote one
    // that does not answer, and the driver's retries of a call that found no server.
    connectionTimeout: 1_500,
    connectionAcquisitionTimeout: 10_000,
    // Transient errors (deadlocks between writers, a full transaction memory pool) are retried for up to 5 s.
    // An outage does not wait for this: a call unanswered after 400 ms has the server probed, and a server
    // that is gone refuses the waiting calls at once (executor.ts suspect()).
    maxTransactionRetryTime: 5_000,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's logger type is not exported
    logging: { level: 'error', logger: (() => undefined) as any },
  });
}

export class Neo4jContext {
  readonly exec: Neo4jExecutor;
  /** Id numbers for this server's writes. */
  readonly pool: IdPool;
  private readonly ownDriver: boolean;
  /** Schema applied once per process; a failure (Neo4j down) is retried on the next call. */
  private ready: Promise<void> | null = null;
  /** The epoch of the data this server last read (seeEpoch); null before the first read. */
  private epoch: string | null = null;
  /** What to forget when the data is replaced (seeEpoch). */
  private readonly forgetters: (() => void)[] = [];

  constructor(opts: Neo4jStoreOptions) {
    this.ownDriver = !opts.driver;
    this.exec = new Neo4jExecutor(opts.driver ?? makeDriver(opts), {
      database: opts.database,
      where: redactUri(opts.uri),
      ...(opts.log ? { log: opts.log } : {}),
    });
    this.pool = new IdPool(this.exec);
  }

  ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      for (const s of schemaStatements()) await this.exec.autoCommit(s);
      await this.exec.write((tx) => tx.run('meta-init', { epoch: randomUUID() }));
      await migrateOperations(this.exec);
      await fillAuditObjects(this.exec);
    })().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async close(): Promise<void> {
    this.exec.outage.close();
    if (this.ownDriver) await this.exec.driver.close();
  }

  async read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    await this.ensureReady();
    return this.exec.read(work);
  }

  /**
   * A write transaction. It locks only what it touches: `lock` names one lock node the write queues on
   * (writes that must not interleave with others of their kind: editing, user names); the default, 'edit',
   * keeps the rare hand edits (merges, charts, drafts, operations, deletions) in one queue as before, apart
   * from imports, batches and the audit, which pass `lock: null` and lock the facts they write themselves.
   * A write that deadlocks with another (Neo4j fails one of the two) or loses a race for a new key
   * (WriteRace) is run again from the start; the caller's `work` must therefore only touch the database.
   *
   * The data version rises after the commit, in a short transaction of its own, not inside the write: inside,
   * every writer would queue on the one node that holds it for as long as its whole transaction lasts. Every
   * reader of the version uses it to key or label what it computed from the data (the job and analysis
   * caches, window views, exports, the health answer), so what matters is that a version never names data
   * older than what a reader computed under it. Rising after the commit keeps that: a reader that saw the old
   * version with the new data caches the new data under the old number, which the bump then retires; a bump
   * inside the transaction could be seen before the data it stands for and cache the old data under the new
   * number for good. Two writes committing together may each see the version rise by one or by two.
   */
  async write<T>(work: (tx: Tx, st: State) => Promise<T>, opts: { lock?: string | null } = {}): Promise<T> {
    await this.ensureReady();
    const lock = opts.lock === undefined ? 'edit' : opts.lock;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const attempts: State[] = [];
      try {
        const out = await this.exec.write(async (tx) => {
          // Before the pool hands out a number or the write trusts what this server remembers of the data.
          await this.versionIn(tx);
          const st = new State(this.pool);
          attempts.push(st);
          if (lock !== null) await tx.run('lock-named', { k: `lock:${lock}` });
          const r = await work(tx, st);
          return { r, st };
        });
        // The driver may have run `work` more than once (a transient error): only the last attempt committed.
        for (const st of attempts) if (st !== out.st) st.undone();
        out.st.committed();
        if (out.st.changed) out.st.version = await this.bumpVersion();
        return out.r;
      } catch (e) {
        for (const st of attempts) st.undone();
        // A deadlock comes back mapped (BusyError) once the driver's own retries, which back off from about a
        // second, have run out: run again from the start here, with a short random wait instead.
        const deadlock =
          (e as { code?: string } | null)?.code === DEADLOCK ||
          (e instanceof BusyError && e.neo4jCode === DEADLOCK);
        const again = e instanceof WriteRace || deadlock;
        if (!again || attempt >= WRITE_ATTEMPTS || Date.now() - started > WRITE_RETRY_MS) {
          if (e instanceof WriteRace) throw new StoreError('conflict', `${e.message}; try again`);
          throw e;
        }
        // A little random wait, so the two writers that met do not meet again at once.
        await new Promise((res) => setTimeout(res, Math.random() * 20 * attempt));
      }
    }
  }

  /** Data version bumps that could not be written yet (the database went away just after a commit). */
  private pendingBumps = 0;

  /** Raises the data version after a committed write; returns the new version. */
  private async bumpVersion(): Promise<number> {
    const by = this.pendingBumps + 1;
    try {
      const v = (await this.exec.write((tx) => tx.one('data-version-bump', { by })))!.v as number;
      this.pendingBumps = 0;
      return v;
    } catch {
      // The write itself has committed: it must not be reported failed (a retry would write it twice). The
      // bump is owed and paid with the next one; until then caches may keep serving the older version.
      this.pendingBumps = by;
      return this.dataVersion().catch(() => 0);
    }
  }

  /** The data version now. */
  async dataVersion(): Promise<number> {
    return this.exec.read((tx) => this.versionIn(tx));
  }

  /** The data version as this transaction sees it, noting the data's epoch (seeEpoch). */
  async versionIn(tx: Tx): Promise<number> {
    const r = await tx.one('data-version');
    if (typeof r?.epoch === 'string') this.seeEpoch(r.epoch);
    return (r?.v as number | undefined) ?? 0;
  }

  /**
   * `fn` runs when this server finds the data replaced (a transfer with --replace, or the importer's new
   * database, under a server left running): it forgets what it remembered of the old data.
   */
  onReplaced(fn: () => void): void {
    this.forgetters.push(fn);
  }

  /**
   * Every load by a transfer gives the store a new epoch (transfer/neo4j.ts setCounters). The data version
   * comes from the source, so it may name a version this server already saw of the old data; and the ids come
   * from the source too, so a report it remembers may now be another under the same id, and spare numbers
   * may now belong to records. A server that finds a new epoch therefore drops its spare numbers and every
   * memory keyed by data version or id (onReplaced) before it reads or writes anything else.
   */
  seeEpoch(epoch: string): void {
    if (epoch === this.epoch) return;
    const before = this.epoch;
    this.epoch = epoch;
    if (before === null) return;
    this.pool.clear();
    for (const fn of this.forgetters) fn();
  }

  /** Offset and limit of a list call, checked. */
  page(opts: Pick<ListOptions, 'offset' | 'limit'>): { offset: number; limit: number } {
    const o = parseOr(listOptionsSchema, { offset: opts.offset, limit: opts.limit }, []);
    return { offset: o.offset ?? 0, limit: o.limit ?? DEFAULT_PAGE };
  }

  /**
   * One page of a list: the named queries `<name>-list` (with offset and limit) and `<name>-count`, in one
   * read transaction; `key` names the column holding each row's map.
   */
  async listPage<T>(
    name: string,
    opts: ListOptions,
    params: Row,
    key: string,
    map: (r: Row) => T,
  ): Promise<Page<T>> {
    const { offset, limit } = this.page(opts);
    return this.read(async (tx) => {
      const items = (await tx.run(`${name}-list`, { ...params, offset, limit })).map((r) =>
        map(r[key] as Row),
      );
      const total = (await tx.one(`${name}-count`, params))!.c as number;
      return { items, total, offset, limit };
    });
  }

  /**
   * One page of a list read by key (shared/list-key.ts). `<name>-list` seeks along the list's index on n from
   * `$after` (exclusive; a bound below or above every number when there is no cursor) and returns each row's
   * number as `k`; it is asked for one row more than the page, which says whether another follows. The total
   * is `<name>-count`'s unless `total` says how to count it (from the count store, say).
   */
  async keyedPage<T>(
    name: string,
    opts: ListOptions,
    listKey: ListKey,
    params: Row,
    key: string,
    map: (r: Row) => T,
    total?: (tx: Tx, seen: SeenRows) => Promise<{ total: number; atLeast?: boolean }>,
  ): Promise<Page<T>> {
    const { offset, limit } = this.page(opts);
    const after = listCursor(opts, listKey);
    return this.read(async (tx) => {
      const { rows, more, next } = await keyedRows(tx, name, { offset, limit }, after, listKey, params);
      const items = rows.map((r) => map(r[key] as Row));
      const seen = seenRows(offset, rows.length, more, after === null);
      const counted = total
        ? await total(tx, seen)
        : { total: (await tx.one(`${name}-count`, params))!.c as number };
      return {
        items,
        total: counted.total,
        offset,
        limit,
        next,
        ...(counted.atLeast ? { totalAtLeast: true } : {}),
      };
    });
  }

  /** The row a named query finds for a plain numeric id ('12'), mapped; null for no row or a malformed id. */
  async byPlainId<T>(name: string, id: string, key: string, map: (r: Row) => T): Promise<T | null> {
    if (parsePlainId(id) === null) return null;
    return this.read(async (tx) => {
      const r = await tx.one(name, { id });
      return r ? map(r[key] as Row) : null;
    });
  }
}

/**
 * Operations (issue 17), idempotent: the GENERAL operation, then every entity, link, report and event from
 * before operations into it, in batches outside one transaction (a large graph must not become one huge one).
 * Facts written since carry their operation, so once it has run to its end the Meta node says so and later
 * start-ups skip it: its scans of every entity and link took seconds each on a million links.
 */
async function migrateOperations(exec: Neo4jExecutor): Promise<void> {
  if ((await exec.read((tx) => tx.one('ops-migrated')))?.done === true) return;
  const op = (await exec.write((tx) => tx.one('ops-migrate-general', { now: new Date().toISOString() })))!
    .id as string;
  for (const name of ['ops-migrate-entities', 'ops-migrate-links', 'ops-migrate-reports'])
    await exec.autoCommit(cypher(name), { op });
  await exec.write((tx) => tx.run('ops-migrated-mark'));
}

/**
 * The audit's object index (cypher/schema.cypher audit_object) for records written without it: those of a store
 * from before it, and those the offline importer loaded. Idempotent; once done, the Meta node says so.
 */
async function fillAuditObjects(exec: Neo4jExecutor): Promise<void> {
  if ((await exec.read((tx) => tx.one('audit-objects-filled')))?.done === true) return;
  await exec.autoCommit(cypher('audit-objects-fill'));
  await exec.write((tx) => tx.run('audit-objects-filled-mark'));
}

/** Write-locks entities by id (in id order, so writers cannot take them crosswise); returns those found. */
export async function lockEntities(tx: Tx, ids: Iterable<string>): Promise<Row[]> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return [];
  return (await tx.run('entities-lock', { ids: sorted })).map((r) => r.e as Row);
}

/**
 * Write-locks entities and every entity linked to them: what a merge or a removal changes (their links too, and
 * a batch creating a link holds both its ends, so it cannot add one while these run).
 */
export async function lockWithNeighbours(tx: Tx, ids: string[]): Promise<void> {
  const near = ((await tx.one('entities-neighbours', { ids }))?.ids as string[] | undefined) ?? [];
  await lockEntities(tx, [...ids, ...near]);
}

/** The data version as this transaction sees it. */
export async function readDataVersion(tx: Tx): Promise<number> {
  return ((await tx.one('data-version'))?.v as number) ?? 0;
}
