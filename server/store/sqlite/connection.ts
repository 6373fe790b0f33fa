// The one connection every SQLite store shares (better-sqlite3): the file's pragmas, prepared statements
// cached by their SQL text, the transaction runner, the data version and one way to read a page.
// One file, WAL journal, foreign keys on; the schema is migrated by SqliteStores.init (schema.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ListOptions, Page } from '../common.ts';
import type { AuditTrailOptions } from '../../security/audit-key.ts';
import { type ListKey, listCursor } from '../shared/list-key.ts';
import { listOptionsSchema, parseOr } from '../shared/validate.ts';
import { WriteGate, type WriteLock } from './write-gate.ts';

/** auditKey, unkeyedTrail, log: how the audit is keyed and what init says (server/security/audit-key.ts). */
export interface SqliteStoreOptions extends AuditTrailOptions {
  /** Create the folder of the file if missing (default true). */
  createDir?: boolean;
  /**
   * A connection that only reads a file another store has opened and migrated (a read-pool worker's):
   * no journal-mode change, and SQLite refuses any write on it.
   */
  readOnly?: boolean;
  /**
   * Whose turn it is to write (write-gate.ts): a worker thread's connection is given the request thread's
   * gate over its port; otherwise the connection has a gate of its own.
   */
  writeGate?: WriteLock;
}

export type Param = string | number | null;
/** A row as an array (statement.raw()), columns in SELECT order. */
export type RawRow = (string | number | null)[];

export const placeholders = (n: number): string => Array<string>(n).fill('?').join(',');

const DEFAULT_PAGE = 50;

/** Where one page is read from: `SELECT cols FROM from WHERE where ORDER BY order`, and its COUNT. */
export interface PageQuery {
  cols: string;
  from: string;
  where?: string;
  params?: readonly Param[];
  order: string;
}

export class SqliteConnection {
  readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  // Built once: making a transaction function per call measured 2% of a 1-hop neighbourhood request.
  private readonly txRunner: Database.Transaction<(f: () => unknown) => unknown>;
  /** Every write of the stores on this connection waits its turn here (write-gate.ts). */
  readonly gate: WriteLock;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    if (path !== ':memory:' && opts.createDir !== false) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, opts.readOnly ? { fileMustExist: true } : {});
    if (opts.readOnly) this.db.pragma('query_only = ON');
    else {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
    }
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
    this.txRunner = this.db.transaction((f: () => unknown) => f());
    this.gate = opts.writeGate ?? new WriteGate();
  }

  /**
   * Runs the synchronous write `f` (its own transactions inside) in its turn at the gate: never while
   * another thread of this process holds SQLite's write lock, so this thread never busy-waits for it.
   */
  write<T>(f: () => T): Promise<T> {
    return this.gate.run(f);
  }

  /** `tx(f)` in its turn at the gate. */
  writeTx<T>(f: () => T): Promise<T> {
    return this.gate.run(() => this.tx(f));
  }

  /** `immediate(f)` in its turn at the gate. */
  writeImmediate<T>(f: () => T): Promise<T> {
    return this.gate.run(() => this.immediate(f));
  }

  /** Runs `f` in one transaction (a nested call joins the outer one). */
  tx<T>(f: () => T): T {
    return this.txRunner(f) as T;
  }

  /**
   * Runs `f` in a transaction that takes the write lock first (BEGIN IMMEDIATE): for a write that reads
   * before it writes, so another process's writer makes it wait for the lock rather than fail to upgrade
   * a stale read snapshot.
   */
  immediate<T>(f: () => T): T {
    return this.txRunner.immediate(f) as T;
  }

  /** Prepared statements are cached by their SQL text. */
  st(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** A cached statement that returns rows as arrays (kept apart from the object-row one of the same SQL). */
  raw(sql: string): Database.Statement {
    const key = `${sql} -- raw`;
    let s = this.stmts.get(key);
    if (!s) {
      s = this.db.prepare(sql).raw(true);
      this.stmts.set(key, s);
    }
    return s;
  }

  /** The data version now. */
  version(): number {
    return this.st("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number;
  }

  /** Moves the data version on (inside the caller's transaction) and returns the new one. */
  bump(): number {
    return this.st("UPDATE meta SET v = v + 1 WHERE k = 'data_version' RETURNING v").pluck().get() as number;
  }

  /** Offset and limit of a list call, checked, with the defaults filled in. */
  page(opts: Pick<ListOptions, 'offset' | 'limit'>): { offset: number; limit: number } {
    const o = parseOr(listOptionsSchema, { offset: opts.offset, limit: opts.limit }, []);
    return { offset: o.offset ?? 0, limit: o.limit ?? DEFAULT_PAGE };
  }

  /** One page of rows mapped to the domain, with the total of rows the query matches. */
  pageOf<R, T>(at: { offset: number; limit: number }, q: PageQuery, map: (row: R) => T): Page<T> {
    const where = q.where ?? '1';
    const params = q.params ?? [];
    const { offset, limit } = at;
    const rows = this.st(
      `SELECT ${q.cols} FROM ${q.from} WHERE ${where} ORDER BY ${q.order} LIMIT ? OFFSET ?`,
    ).all(...params, limit, offset) as R[];
    const total = this.st(`SELECT COUNT(*) FROM ${q.from} WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { items: rows.map(map), total, offset, limit };
  }

  /**
   * One page of a list read by key (shared/list-key.ts): the rows after the cursor along `keyCol`, an integer
   * primary key, so a deep page is a seek rather than a walk over every row before it; one row more than the
   * page says whether another follows (`next`, exact). The total is a count of the rows the query matches,
   * unless `total` says how to count them more cheaply.
   */
  keyedPageOf<R, T>(
    opts: ListOptions,
    key: ListKey,
    q: Omit<PageQuery, 'order'> & { keyCol: string },
    map: (row: R) => T,
    total?: () => number,
  ): Page<T> {
    const at = this.page(opts);
    const after = listCursor(opts, key);
    const where = q.where ?? '1';
    const params = q.params ?? [];
    const seek = after === null ? '' : ` AND ${q.keyCol} ${key.desc ? '<' : '>'} ?`;
    const order = `${q.keyCol} ${key.desc ? 'DESC' : 'ASC'}`;
    return this.tx(() => {
      const rows = this.st(
        `SELECT ${q.cols}, ${q.keyCol} AS page_key FROM ${q.from} WHERE ${where}${seek} ORDER BY ${order} LIMIT ? OFFSET ?`,
      ).all(...params, ...(after === null ? [] : [after]), at.limit + 1, at.offset) as (R & {
        page_key: number;
      })[];
      const more = rows.length > at.limit;
      if (more) rows.length = at.limit;
      const counted = total
        ? total()
        : (this.st(`SELECT COUNT(*) FROM ${q.from} WHERE ${where}`)
            .pluck()
            .get(...params) as number);
      const next = more ? key.format(rows[rows.length - 1].page_key) : null;
      return { items: rows.map(map), total: counted, ...at, next };
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
