// What every aggregate of the Neo4j store shares: one driver and executor, the schema applied once, and the
// transaction helper. A (:Meta {k: 'state'}) node holds the data version and the id counters; every write
// transaction locks it first, so writers queue there and check-then-create (links have no database-level
// key) stays race-free.
import neo4j, { type Driver } from 'neo4j-driver';
import type { ListOptions, Page } from '../common.ts';
import { parsePlainId } from '../shared/ids.ts';
import { listOptionsSchema, parseOr } from '../shared/validate.ts';
import { Neo4jExecutor, type Row, type Tx } from './executor.ts';
import { cypher, schemaStatements } from './queries.ts';

const DEFAULT_PAGE = 50;

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

interface Meta {
  k: string;
  dataVersion: number;
  entity: number;
  link: number;
  report: number;
  merge: number;
  annotation: number;
  chart: number;
  user: number;
  audit: number;
  operation: number;
  auditHash: string;
}

export type Counter =
  'entity' | 'link' | 'report' | 'merge' | 'annotation' | 'chart' | 'user' | 'audit' | 'operation';

/** The open operation everything written before operations belongs to, and where unscoped writes land. */
export const GENERAL_OP_ID = 'op1';

/** Counters and data version, read under the Meta lock and written back at the end of the transaction. */
export class State {
  dirty = false;
  constructor(readonly meta: Meta) {}
  next(kind: Counter): number {
    this.meta[kind] = (this.meta[kind] ?? 0) + 1;
    this.dirty = true;
    return this.meta[kind];
  }
  bump(): number {
    this.meta.dataVersion += 1;
    this.dirty = true;
    return this.meta.dataVersion;
  }
}

function makeDriver(opts: Neo4jStoreOptions): Driver {
  return neo4j.driver(opts.uri, neo4j.auth.basic(opts.user ?? 'neo4j', opts.password ?? ''), {
    // Fail fast while the server is down (the API answers 503 within 2 s; outage.ts then refuses at once
    // until a probe reaches it again). A local server refuses a connection at once; these bound a remote one
    // that does not answer, and the driver's retries of a call that found no server.
    connectionTimeout: 1_500,
    connectionAcquisitionTimeout: 10_000,
    // The driver's first retry waits about 1 s: one retry, then the 503.
    maxTransactionRetryTime: 800,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's logger type is not exported
    logging: { level: 'error', logger: (() => undefined) as any },
  });
}

export class Neo4jContext {
  readonly exec: Neo4jExecutor;
  private readonly ownDriver: boolean;
  /** Schema applied once per process; a failure (Neo4j down) is retried on the next call. */
  private ready: Promise<void> | null = null;

  constructor(opts: Neo4jStoreOptions) {
    this.ownDriver = !opts.driver;
    this.exec = new Neo4jExecutor(opts.driver ?? makeDriver(opts), {
      database: opts.database,
      where: redactUri(opts.uri),
      ...(opts.log ? { log: opts.log } : {}),
    });
  }

  ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      for (const s of schemaStatements()) await this.exec.autoCommit(s);
      await this.exec.write((tx) => tx.run('meta-init'));
      await migrateOperations(this.exec);
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

  /** A write transaction holding the Meta lock; counters and data version are saved at its end. */
  async write<T>(work: (tx: Tx, st: State) => Promise<T>): Promise<T> {
    await this.ensureReady();
    return this.exec.write(async (tx) => {
      const m = (await tx.one('meta-lock'))!.m as Meta;
      const st = new State({ ...m });
      const out = await work(tx, st);
      if (st.dirty) await tx.run('meta-save', { m: st.meta });
      return out;
    });
  }

  /** Offset and limit of a list call, checked. */
  page(opts: ListOptions): { offset: number; limit: number } {
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
 * Facts written since carry their operation, so after the first start-up these find nothing to do.
 */
async function migrateOperations(exec: Neo4jExecutor): Promise<void> {
  const op = (await exec.write((tx) => tx.one('ops-migrate-general', { now: new Date().toISOString() })))!
    .id as string;
  for (const name of ['ops-migrate-entities', 'ops-migrate-links', 'ops-migrate-reports'])
    await exec.autoCommit(cypher(name), { op });
}

/** The data version as this transaction sees it. */
export async function readDataVersion(tx: Tx): Promise<number> {
  return ((await tx.one('data-version'))?.v as number) ?? 0;
}
