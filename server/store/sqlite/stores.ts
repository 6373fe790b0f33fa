// The SQLite backend's Stores: every aggregate's store over one connection to one file (the zero set-up
// default), plus what only a long-running server on a file asks for: checkpoints and graph walks on worker
// threads. Every write method is one transaction; input is validated with the domain schemas first, and
// errors name the batch index.
import { SqliteJobStore } from './jobs.ts';
import { SqliteSessionStore } from './sessions.ts';
import type Database from 'better-sqlite3';
import type { EntityType, LinkType } from '../../domain/model.ts';
import type { StoreCounts } from '../common.ts';
import type { Stores } from '../stores.ts';
import type { AuditKey } from '../../security/audit-chain.ts';
import { checkAuditTrail, defaultStoreLog, resolveAuditKey } from '../../security/audit-key.ts';
import { ensureAuditTriggers } from './audit-triggers.ts';
import { toAuditEvent, type AuditRow } from './rows.ts';
import { BackgroundCheckpointer, type CheckpointerOptions } from './checkpointer.ts';
import { SqliteConnection, type SqliteStoreOptions } from './connection.ts';
import { SqliteCycleStore } from './cycle.ts';
import { SqliteDeconflictionStore } from './deconfliction.ts';
import { SqliteDuplicateStore } from './duplicates.ts';
import { SqliteGraphStore } from './graph-store.ts';
import { SqliteImportLog } from './import-log.ts';
import { SqliteOperationStore } from './operations.ts';
import { SqliteReadPool, type ReadPoolOptions } from './read-pool.ts';
import { migrate } from './schema.ts';
import { SqliteSecurityStore } from './security.ts';
import { SqliteWorkspaceStore } from './workspace.ts';
import { WriteGate } from './write-gate.ts';
import { lendGate, type GatePeer } from './write-gate-port.ts';

export type { SqliteStoreOptions } from './connection.ts';

export class SqliteStores implements Stores {
  readonly kind = 'sqlite' as const;

  /** The database file, for read-only connections on other threads (none for an in-memory database). */
  get readerPath(): string | undefined {
    return this.path === ':memory:' ? undefined : this.path;
  }
  /** The file's connection, for what only SQLite can do (the transfer's bulk load, tests' raw SQL). */
  readonly db: Database.Database;
  readonly graph: SqliteGraphStore;
  readonly workspace: SqliteWorkspaceStore;
  readonly security: SqliteSecurityStore;
  readonly cycle: SqliteCycleStore;
  readonly duplicates: SqliteDuplicateStore;
  readonly imports: SqliteImportLog;
  readonly operations: SqliteOperationStore;
  readonly deconfliction: SqliteDeconflictionStore;
  readonly sessions: SqliteSessionStore;
  readonly jobs: SqliteJobStore;
  private readonly conn: SqliteConnection;
  /** The key the audit is chained with: the one given, or the key file beside the database; null: unkeyed. */
  private readonly auditKey: AuditKey | null;
  private checkpointer: BackgroundCheckpointer | null = null;
  /** Worker threads that answer graph walks, when the server asked for them (readInWorkers). */
  private readers: SqliteReadPool | null = null;
  /** Every write of this process to the file takes its turn here (write-gate.ts), worker threads' too. */
  private readonly gate: WriteGate | null;

  /** Opens the file (creating it and its folder if needed); init() migrates it. */
  constructor(
    readonly path: string,
    private readonly opts: SqliteStoreOptions = {},
  ) {
    // A gate handed in (a worker's, from the request thread) is used as it is; otherwise the stores' own.
    this.gate = opts.writeGate ? null : new WriteGate();
    this.conn = new SqliteConnection(path, this.gate ? { ...opts, writeGate: this.gate } : opts);
    this.db = this.conn.db;
    this.graph = new SqliteGraphStore(this.conn);
    this.workspace = new SqliteWorkspaceStore(this.conn);
    // No key given: the key file beside the database, if there is one (npm start made it), so that a
    // tool or test opening the file directly extends a keyed trail instead of being refused.
    this.auditKey =
      opts.auditKey !== undefined || opts.readOnly || path === ':memory:'
        ? (opts.auditKey ?? null)
        : resolveAuditKey({}, { dbPath: path, mode: 'verify' }).key;
    this.security = new SqliteSecurityStore(this.conn, this.auditKey);
    this.cycle = new SqliteCycleStore(this.conn);
    this.duplicates = new SqliteDuplicateStore(this.conn);
    this.imports = new SqliteImportLog(this.conn);
    this.operations = new SqliteOperationStore(this.conn);
    this.deconfliction = new SqliteDeconflictionStore(this.conn);
    this.sessions = new SqliteSessionStore(this.conn);
    this.jobs = new SqliteJobStore(this.conn);
  }

  /**
   * Migrates the file; re-creates the audit's protective triggers if they were dropped or altered (and says
   * so: a log line and an audit record); with an audit key, checks the trail's last record against it or
   * seals a trail written before keying (server/security/audit-key.ts checkAuditTrail).
   */
  async init(): Promise<void> {
    migrate(this.db);
    this.cycle.init();
    if (this.opts.readOnly) return;
    const triggers = ensureAuditTriggers(this.db);
    const trail = await checkAuditTrail(
      this.security,
      { ...this.opts, auditKey: this.auditKey },
      async () => {
        const row = this.conn.st('SELECT * FROM audit ORDER BY seq DESC LIMIT 1').get() as
          AuditRow | undefined;
        return row ? toAuditEvent(row) : null;
      },
    );
    const lost = [...triggers.missing, ...triggers.altered];
    if (lost.length === 0) return;
    const log = this.opts.log ?? defaultStoreLog;
    const what = [
      triggers.missing.length ? `missing: ${triggers.missing.join(', ')}` : '',
      triggers.altered.length ? `altered: ${triggers.altered.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    log(
      `the audit table's protective triggers were not in place in ${this.path} (${what}); re-created them. ` +
        'Someone with write access to the file removed them: run npm run audit:verify',
    );
    // Not onto a trail the key has not checked: the record would seal whatever is there.
    if (!trail.appendable) {
      log("not recorded in the audit: its last record does not verify with this store's key");
      return;
    }
    try {
      await this.security.appendAudit({
        actor: 'system',
        action: 'audit.triggers',
        outcome: 'error',
        details: { ...triggers, recreated: lost, file: this.path },
      });
    } catch (e) {
      log(`could not record the missing triggers in the audit: ${(e as Error).message}`);
    }
  }

  async counts(): Promise<StoreCounts> {
    const one = (sql: string): number => this.conn.st(sql).pluck().get() as number;
    const entities = this.countByType<EntityType>('entities');
    const links = this.countByType<LinkType>('links');
    return {
      entities: entities.total,
      links: links.total,
      reports: one('SELECT COUNT(*) FROM reports'),
      annotations: one('SELECT COUNT(*) FROM annotations'),
      charts: one('SELECT COUNT(*) FROM charts'),
      audit: one('SELECT COUNT(*) FROM audit'),
      entitiesByType: entities.byType,
      linksByType: links.byType,
    };
  }

  private countByType<T extends string>(table: 'entities' | 'links') {
    const byType: Partial<Record<T, number>> = {};
    let total = 0;
    const rows = this.conn.st(`SELECT type, COUNT(*) AS n FROM ${table} GROUP BY type`).all();
    for (const r of rows as { type: T; n: number }[]) {
      byType[r.type] = r.n;
      total += r.n;
    }
    return { byType, total };
  }

  /**
   * Checkpoints the WAL from a worker thread instead of inside commits (see checkpointer.ts). For a
   * long-running server; a file store only. Stopped by close().
   */
  async checkpointInBackground(opts: CheckpointerOptions = {}): Promise<void> {
    if (this.checkpointer || this.path === ':memory:') return;
    this.checkpointer = await BackgroundCheckpointer.start(this.db, this.path, opts);
  }

  /**
   * Answers neighbourhood expansions, shortest paths and views from worker threads with their own connections
   * (see read-pool.ts), so a walk no longer holds the request thread. For a long-running server on a
   * file store; stopped by close().
   */
  async readInWorkers(opts: ReadPoolOptions = {}): Promise<void> {
    if (this.readers || this.path === ':memory:') return;
    this.readers = await SqliteReadPool.start(this.path, opts);
    this.graph.walkIn(this.readers);
  }

  /**
   * Lets a worker thread with its own connection to this file write in turn with this process's other
   * writers (write-gate-port.ts). Returns what to call once the worker has gone.
   */
  lendWriteGate(peer: GatePeer): () => void {
    if (!this.gate) throw new Error('SqliteStores: these stores write through a gate lent to them');
    return lendGate(this.gate, peer);
  }

  /** Calls the read workers have answered (0 when there are none). */
  get answeredInWorkers(): number {
    return this.readers?.answered ?? 0;
  }

  async close(): Promise<void> {
    this.graph.walkIn(null);
    await this.readers?.stop();
    this.readers = null;
    await this.checkpointer?.stop();
    this.checkpointer = null;
    this.conn.close();
  }
}

/** Opens (creating if needed) and migrates the SQLite stores at `path`. */
export async function openSqliteStores(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStores> {
  const stores = new SqliteStores(path, opts);
  try {
    await stores.init();
  } catch (e) {
    await stores.close();
    throw e;
  }
  return stores;
}
