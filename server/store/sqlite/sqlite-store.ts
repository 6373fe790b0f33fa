// GraphStore on an embedded SQLite file (better-sqlite3): the zero set-up default.
// One file, WAL journal, foreign keys on, versioned migrations (schema.ts). Every write method is one
// transaction; input is validated with the domain schemas first, and errors name the batch index.
import { BackgroundCheckpointer, type CheckpointerOptions } from './checkpointer.ts';
import { SqliteReadPool, type ReadPoolOptions } from './read-pool.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type {
  Annotation,
  AnnotationInput,
  AuditEvent,
  ImportRun,
  AuditInput,
  Chart,
  ChartInput,
  Entity,
  EntityDetail,
  EntityType,
  Link,
  LinkDetail,
  LinkType,
  PathResult,
  Properties,
  Report,
  Role,
  Subgraph,
  User,
  ViewFilter,
  WriteContext,
} from '../../domain/model.ts';
import {
  LINK_RULES,
  annotationInputSchema,
  chartInputSchema,
  entityInputSchema,
  linkInputSchema,
  reportInputSchema,
} from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { normaliseName } from '../../domain/normalise.ts';
import { chainAudit, GENESIS_HASH } from '../../security/audit-chain.ts';
import { defaultReviewDate } from '../../security/retention.ts';
import type {
  AuditQuery,
  EntityPatch,
  GraphStore,
  LinkPatch,
  ListOptions,
  MergeRecord,
  NeighbourhoodOptions,
  Page,
  PathOptions,
  SearchHit,
  StoreCounts,
  UpsertCounts,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import { StoreError } from '../graph-store.ts';
import { checkFilter, filtersLinks, linkCondition, typeCondition } from './filters.ts';
import { ftsMatch } from './fts.ts';
import { mergeEntities, recomputeGrades, unmergeEntities } from './merge.ts';
import { allShortestPaths, toPathResult, type Step } from './paths.ts';
import {
  ENTITY_COLS,
  LINK_COLS,
  REPORT_COLS,
  type EntityRow,
  type LinkRow,
  type ReportRow,
  dateMs,
  entityId,
  gradeBit,
  linkId,
  parseId,
  parsePlainId,
  parseProps,
  reportId,
  searchText,
  toEntity,
  toEntityRaw,
  toLink,
  toLinkRaw,
  toReport,
} from './rows.ts';
import { INDEX_NEW_ENTITIES_SQL, migrate } from './schema.ts';
import { SqliteTargets } from './targets.ts';
import type { Target, TargetActionInput, TargetQuery, TargetRecord } from '../../domain/target.ts';
import {
  auditInputSchema,
  entityPatchSchema,
  fastEntity,
  fastLink,
  invalid,
  linkPatchSchema,
  listOptionsSchema,
  parseOr,
  userInputSchema,
} from './validate.ts';

type Param = string | number | null;

export interface SqliteStoreOptions {
  /** Create the folder of the file if missing (default true). */
  createDir?: boolean;
  /**
   * A connection that only reads a file another store has opened and migrated (a read-pool worker's):
   * no journal-mode change, and SQLite refuses any write on it.
   */
  readOnly?: boolean;
}

const DEFAULT_PAGE = 50;
const DEFAULT_NEIGHBOURHOOD_LIMIT = 2000;

/** A row as an array (statement.raw()), columns in SELECT order. */
type RawRow = (string | number | null)[];
/** Where neighbourQuery's rows carry the other end's row id: after the LINK_COLS. */
const OTHER = LINK_COLS.split(',').length;
const placeholders = (n: number): string => Array<string>(n).fill('?').join(',');

const counts0 = (): UpsertCounts => ({ created: 0, updated: 0, unchanged: 0 });
const nfcKey = (k: string): string => k.normalize('NFC').trim();

// Imports repeat the same few hundred dates; parsing each once saves a regex and a Date.parse per row.
const msCache = new Map<string, number>();
function cachedMs(s: string, end: boolean): number {
  const k = end ? `${s}~` : s;
  let v = msCache.get(k);
  if (v === undefined) {
    if (msCache.size > 20_000) msCache.clear();
    v = dateMs(s, end);
    msCache.set(k, v);
  }
  return v;
}

/** Date columns (seen string and its epoch ms) of a link, with a date alone covering its day. */
function seen(first: string | null | undefined, last: string | null | undefined) {
  return {
    first: first ?? null,
    last: last ?? null,
    firstMs: first ? cachedMs(first, false) : null,
    lastMs: last ? cachedMs(last, true) : null,
  };
}

const JOIN_INSERT = {
  entityReports:
    'INSERT OR IGNORE INTO entity_reports (entity_id, report_id) SELECT value ->> 0, value ->> 1 FROM json_each(?)',
  entityImports:
    'INSERT OR IGNORE INTO entity_imports (entity_id, import_id) SELECT value, ? FROM json_each(?)',
  linkReports:
    'INSERT OR IGNORE INTO link_reports (link_id, report_id) SELECT value ->> 0, value ->> 1 FROM json_each(?)',
  linkImports: 'INSERT OR IGNORE INTO link_imports (link_id, import_id) SELECT value, ? FROM json_each(?)',
} as const;

/** Report and import joins of newly created rows, written in one statement each (see writeBatchTx). */
class JoinBuffer {
  private pairs: number[][] = [];
  private ids: number[] = [];
  constructor(
    private readonly reportsStmt: Database.Statement,
    private readonly importsStmt: Database.Statement,
    private readonly importId: string | null,
  ) {}

  add(id: number, reports: { id: number }[]): void {
    for (const r of reports) this.pairs.push([id, r.id]);
    if (this.importId !== null) this.ids.push(id);
  }

  flush(): void {
    if (this.pairs.length) this.reportsStmt.run(JSON.stringify(this.pairs));
    if (this.ids.length) this.importsStmt.run(this.importId, JSON.stringify(this.ids));
    this.pairs = [];
    this.ids = [];
  }
}

export class SqliteGraphStore implements GraphStore {
  readonly kind = 'sqlite' as const;
  readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly txRunner: (f: () => unknown) => unknown;
  private readonly targets: SqliteTargets;
  private auditTx: ((f: () => AuditEvent[]) => AuditEvent[]) | null = null;
  private checkpointer: BackgroundCheckpointer | null = null;
  /** Worker threads that answer graph walks, when the server asked for them (readInWorkers). */
  private readers: SqliteReadPool | null = null;
  /** getUser's cache: users by row id, valid while data_version stays at usersSeenAt. */
  private readonly knownUsers = new Map<number, User>();
  private usersSeenAt = -1;
  private usersCheckedThisTurn = false;

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
    this.targets = new SqliteTargets(this.db);
  }

  private tx<T>(f: () => T): T {
    return this.txRunner(f) as T;
  }

  /** Prepared statements are cached by their SQL text. */
  private st(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** A cached statement that returns rows as arrays (kept apart from the object-row one of the same SQL). */
  private raw(sql: string): Database.Statement {
    const key = `${sql} -- raw`;
    let s = this.stmts.get(key);
    if (!s) {
      s = this.db.prepare(sql).raw(true);
      this.stmts.set(key, s);
    }
    return s;
  }

  private bump(): number {
    return this.st("UPDATE meta SET v = v + 1 WHERE k = 'data_version' RETURNING v").pluck().get() as number;
  }

  async init(): Promise<void> {
    migrate(this.db);
    this.targets.init();
  }

  // Targets live in their own tables (./targets.ts).
  async saveTarget(t: TargetRecord, ctx: WriteContext, opts?: { expectedVersion?: number }): Promise<Target> {
    return this.targets.save(t, ctx, opts);
  }
  async getTarget(id: string): Promise<Target | null> {
    return this.targets.get(id);
  }
  async listTargets(q?: TargetQuery): Promise<Page<Target>> {
    return this.targets.list(q);
  }
  async appendTargetAction(id: string, a: TargetActionInput, ctx: WriteContext): Promise<Target> {
    return this.targets.appendAction(id, a, ctx);
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
   * Answers neighbourhood expansions and shortest paths from worker threads with their own connections
   * (see read-pool.ts), so a walk no longer holds the request thread. For a long-running server on a
   * file store; stopped by close().
   */
  async readInWorkers(opts: ReadPoolOptions = {}): Promise<void> {
    if (this.readers || this.path === ':memory:') return;
    this.readers = await SqliteReadPool.start(this.path, opts);
  }

  /** Calls the read workers have answered (0 when there are none). */
  get answeredInWorkers(): number {
    return this.readers?.answered ?? 0;
  }

  async close(): Promise<void> {
    await this.readers?.stop();
    this.readers = null;
    await this.checkpointer?.stop();
    this.checkpointer = null;
    if (this.db.open) this.db.close();
  }

  async dataVersion(): Promise<number> {
    return this.st("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number;
  }

  async counts(): Promise<StoreCounts> {
    const one = (sql: string): number => this.st(sql).pluck().get() as number;
    const entitiesByType: StoreCounts['entitiesByType'] = {};
    for (const r of this.st('SELECT type, COUNT(*) AS n FROM entities GROUP BY type').all() as {
      type: EntityType;
      n: number;
    }[])
      entitiesByType[r.type] = r.n;
    const linksByType: StoreCounts['linksByType'] = {};
    for (const r of this.st('SELECT type, COUNT(*) AS n FROM links GROUP BY type').all() as {
      type: LinkType;
      n: number;
    }[])
      linksByType[r.type] = r.n;
    return {
      entities: Object.values(entitiesByType).reduce((a, b) => a + b, 0),
      links: Object.values(linksByType).reduce((a, b) => a + b, 0),
      reports: one('SELECT COUNT(*) FROM reports'),
      annotations: one('SELECT COUNT(*) FROM annotations'),
      charts: one('SELECT COUNT(*) FROM charts'),
      audit: one('SELECT COUNT(*) FROM audit'),
      entitiesByType,
      linksByType,
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Writes

  async writeBatch(batch: WriteBatch, ctx: WriteContext): Promise<WriteResult> {
    const reports = (batch.reports ?? []).map((r, i) => parseOr(reportInputSchema, r, ['reports', i]));
    const entities = (batch.entities ?? []).map(
      (e, i) => fastEntity(e) ?? parseOr(entityInputSchema, e, ['entities', i]),
    );
    const links = (batch.links ?? []).map((l, i) => fastLink(l) ?? parseOr(linkInputSchema, l, ['links', i]));
    const importId = ctx.importId ?? null;
    // Every reference a batch writes (entity ends, report refs) is resolved and checked by this code before
    // it is written, and a batch deletes nothing, so SQLite's own foreign-key checks (five look-ups a link)
    // are switched off for its transaction. The pragma cannot change inside a transaction, hence out here.
    this.db.pragma('foreign_keys = OFF');
    try {
      return this.writeBatchTx(reports, entities, links, importId, ctx);
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
  }

  private writeBatchTx(
    reports: z.output<typeof reportInputSchema>[],
    entities: z.output<typeof entityInputSchema>[],
    links: z.output<typeof linkInputSchema>[],
    importId: string | null,
    ctx: WriteContext,
  ): WriteResult {
    return this.tx(() => {
      const now = new Date().toISOString();
      let changed = false;
      const res: WriteResult = {
        reports: counts0(),
        entities: counts0(),
        links: counts0(),
        entityIds: [],
        linkIds: [],
        reportIds: [],
        dataVersion: 0,
      };

      // --- reports: immutable once written; the same ref with other content is a conflict.
      const refs = new Map<string, { id: number; bit: number }>();
      const getReport = this.st(`SELECT ${REPORT_COLS}, r.grade_bit FROM reports r WHERE r.ref = ?`);
      const insReport = this.st(
        `INSERT INTO reports (ref, date, author, text, source, intel, handling, conditions, review_date, grade_bit, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      reports.forEach((r, i) => {
        const conditions = r.handling === 'C' ? (r.conditions ?? null) : (r.conditions ?? null);
        const ex = getReport.get(r.ref) as (ReportRow & { grade_bit: number }) | undefined;
        if (ex) {
          const same =
            ex.date === r.date &&
            ex.author === r.author &&
            ex.text === r.text &&
            ex.source === r.source &&
            ex.intel === r.intel &&
            ex.handling === r.handling &&
            ex.conditions === conditions &&
            // The review date is not part of a report's identity (retention moves it on): a report
            // written again without one is the same report; a different date given outright is not.
            (r.reviewDate === undefined || ex.review_date === r.reviewDate);
          if (!same) {
            throw new StoreError(
              'conflict',
              `reports[${i}]: report ${r.ref} already exists with different content; reports cannot be changed once recorded`,
              ['reports', i, 'ref'],
            );
          }
          res.reports.unchanged++;
          refs.set(r.ref, { id: ex.id, bit: ex.grade_bit });
          res.reportIds.push(reportId(ex.id));
          return;
        }
        const bit = gradeBit(r.source, r.intel);
        const id = Number(
          insReport.run(
            r.ref,
            r.date,
            r.author,
            r.text,
            r.source,
            r.intel,
            r.handling,
            conditions,
            // Every report has a review date, set by its grading on entry when the source gave none.
            r.reviewDate ?? defaultReviewDate(r),
            bit,
            now,
          ).lastInsertRowid,
        );
        changed = true;
        res.reports.created++;
        refs.set(r.ref, { id, bit });
        res.reportIds.push(reportId(id));
      });
      const reportByRef = this.st('SELECT id, grade_bit AS bit FROM reports WHERE ref = ?');
      const resolveReports = (list: string[], at: (string | number)[]): { id: number; bit: number }[] =>
        list.map((ref, j) => {
          let r = refs.get(ref);
          if (!r) {
            r = reportByRef.get(ref) as { id: number; bit: number } | undefined;
            if (!r)
              throw invalid(
                [...at, 'reports', j],
                `report ${JSON.stringify(ref)} does not exist; add it to the batch's reports`,
              );
            refs.set(ref, r);
          }
          return r;
        });

      // --- entities, by natural key.
      const keyed = new Map<string, { id: number; type: EntityType }>();
      // Most stores have merged nothing: then there are no aliases to look up.
      const anyAlias = this.st('SELECT EXISTS (SELECT 1 FROM entity_aliases)').pluck().get() === 1;
      const alias = (s: Database.Statement, type: string, key: string): unknown =>
        anyAlias ? s.get(type, key) : undefined;
      const getEntity = this.st(
        'SELECT id, label, properties, review_date FROM entities WHERE type = ? AND key = ?',
      );
      const getAliased = this.st(
        `SELECT e.id, e.label, e.properties, e.review_date FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
         WHERE a.type = ? AND a.key = ?`,
      );
      const insEntity = this.st(
        `INSERT INTO entities (type, key, label, properties, search_text, review_date, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (type, key) DO NOTHING`,
      );
      const updEntity = this.st(
        'UPDATE entities SET label = ?, properties = ?, search_text = ?, review_date = ?, updated_at = ? WHERE id = ?',
      );
      const addEntityReport = this.st(
        'INSERT OR IGNORE INTO entity_reports (entity_id, report_id) VALUES (?, ?)',
      );
      const addEntityImport = this.st(
        'INSERT OR IGNORE INTO entity_imports (entity_id, import_id) VALUES (?, ?)',
      );
      const touchEntity = this.st('UPDATE entities SET updated_at = ? WHERE id = ?');
      // Join rows of rows this batch created are written together, one statement per table (fewer calls
      // into SQLite); they are flushed before any existing row's joins are checked, so a row repeated
      // within the batch still sees them.
      const pend = new JoinBuffer(
        this.st(JOIN_INSERT.entityReports),
        this.st(JOIN_INSERT.entityImports),
        importId,
      );
      let firstNew = 0;
      entities.forEach((e, i) => {
        const label = normaliseName(e.label);
        const key = e.key ? nfcKey(e.key) : naturalKey(e.type, label, e.properties);
        if (!key) throw invalid(['entities', i, 'key'], 'the natural key is empty');
        const rs = resolveReports(e.reports, ['entities', i]);
        type Existing = { id: number; label: string; properties: string; review_date: string | null };
        // Without aliases an insert that conflicts proves the key exists, so new rows skip the look-up.
        let ex = anyAlias
          ? ((getEntity.get(e.type, key) ?? getAliased.get(e.type, key)) as Existing | undefined)
          : undefined;
        let newId: number | undefined;
        if (!ex) {
          const ins = insEntity.run(
            e.type,
            key,
            label,
            JSON.stringify(e.properties),
            searchText(e.properties),
            e.reviewDate ?? null,
            now,
            now,
          );
          if (ins.changes === 1) newId = Number(ins.lastInsertRowid);
          else ex = getEntity.get(e.type, key) as Existing;
        }
        let id: number;
        let status: keyof UpsertCounts;
        if (newId !== undefined) {
          id = newId;
          status = 'created';
          if (firstNew === 0) firstNew = id;
          pend.add(id, rs);
        } else if (ex) {
          pend.flush();
          id = ex.id;
          status = 'unchanged';
          const hasProps = Object.keys(e.properties).length > 0;
          const merged: Properties = hasProps ? { ...parseProps(ex.properties), ...e.properties } : {};
          const props = hasProps ? JSON.stringify(merged) : ex.properties;
          const review = e.reviewDate ?? ex.review_date;
          if (label !== ex.label || props !== ex.properties || review !== ex.review_date) {
            // The update trigger takes the old text out of the index: it must be in there first.
            if (firstNew !== 0 && id >= firstNew) {
              this.st(INDEX_NEW_ENTITIES_SQL).run(firstNew);
              firstNew = 0;
            }
            updEntity.run(
              label,
              props,
              searchText(hasProps ? merged : parseProps(ex.properties)),
              review,
              now,
              id,
            );
            status = 'updated';
          }
          let joined = false;
          for (const r of rs) if (addEntityReport.run(id, r.id).changes > 0) joined = true;
          if (importId !== null && addEntityImport.run(id, importId).changes > 0) joined = true;
          if (joined && status === 'unchanged') {
            touchEntity.run(now, id);
            status = 'updated';
          }
        } else {
          throw new Error('unreachable: an entity insert neither wrote nor conflicted');
        }
        if (status !== 'unchanged') changed = true;
        res.entities[status]++;
        res.entityIds.push(entityId(id));
        keyed.set(`${e.type}\u0000${key}`, { id, type: e.type });
      });
      pend.flush();
      // Ids only grow (AUTOINCREMENT), so everything from the first new id on was made by this batch.
      if (firstNew !== 0) this.st(INDEX_NEW_ENTITIES_SQL).run(firstNew);

      // --- links, by (type, from, to); undirected ones with their ends in canonical order.
      const entityTypeById = this.st('SELECT type FROM entities WHERE id = ?').pluck();
      const idByKey = this.st('SELECT id FROM entities WHERE type = ? AND key = ?').pluck();
      const idByAlias = this.st('SELECT entity_id FROM entity_aliases WHERE type = ? AND key = ?').pluck();
      const endpoint = (
        ref: { id: string } | { type: EntityType; key: string },
        at: (string | number)[],
      ): { id: number; type: EntityType } => {
        if ('id' in ref) {
          const n = parseId(ref.id, 'e');
          const type = n === null ? undefined : (entityTypeById.get(n) as EntityType | undefined);
          if (n === null || !type) throw invalid(at, `entity ${JSON.stringify(ref.id)} does not exist`);
          return { id: n, type };
        }
        const key = nfcKey(ref.key);
        const cacheKey = `${ref.type}\u0000${key}`;
        const hit = keyed.get(cacheKey);
        if (hit) return hit;
        let id = (idByKey.get(ref.type, key) ?? alias(idByAlias, ref.type, key)) as number | undefined;
        if (id === undefined) {
          // Keys typed as they appear in a source (07700 900123) normalise to the stored form (+447700900123).
          const nk = naturalKey(ref.type, key, {});
          if (nk !== key)
            id = (idByKey.get(ref.type, nk) ?? alias(idByAlias, ref.type, nk)) as number | undefined;
        }
        if (id === undefined) {
          throw invalid(
            at,
            `no ${ref.type} with key ${JSON.stringify(ref.key)}; add it to the batch's entities first`,
          );
        }
        const found = { id, type: ref.type };
        keyed.set(cacheKey, found);
        return found;
      };
      const insLink = this.st(
        `INSERT INTO links (type, from_id, to_id, directed, weight, first_seen, last_seen, first_ms, last_ms, properties, grades, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (from_id, type, to_id) DO NOTHING`,
      );
      const getLink = this.st(
        `SELECT id, weight, first_seen, last_seen, first_ms, last_ms, properties, grades FROM links
         WHERE from_id = ? AND type = ? AND to_id = ?`,
      );
      const updLink = this.st(
        `UPDATE links SET weight = ?, first_seen = ?, last_seen = ?, first_ms = ?, last_ms = ?, properties = ?,
           grades = ?, updated_at = ? WHERE id = ?`,
      );
      const addLinkReport = this.st('INSERT OR IGNORE INTO link_reports (link_id, report_id) VALUES (?, ?)');
      const addLinkImport = this.st('INSERT OR IGNORE INTO link_imports (link_id, import_id) VALUES (?, ?)');
      const touchLink = this.st('UPDATE links SET updated_at = ? WHERE id = ?');
      const lpend = new JoinBuffer(
        this.st(JOIN_INSERT.linkReports),
        this.st(JOIN_INSERT.linkImports),
        importId,
      );
      links.forEach((l, i) => {
        const rule = LINK_RULES[l.type];
        let from = endpoint(l.from, ['links', i, 'from']);
        let to = endpoint(l.to, ['links', i, 'to']);
        if (from.id === to.id) {
          throw invalid(
            ['links', i, 'to'],
            `a ${l.type} link cannot join entity ${entityId(from.id)} to itself`,
          );
        }
        if (!rule.from.includes(from.type) || !rule.to.includes(to.type)) {
          const bad = !rule.from.includes(from.type) ? 'from' : 'to';
          throw invalid(
            ['links', i, bad],
            `${l.type} (${rule.description}) joins ${rule.from.join('/')} to ${rule.to.join('/')}; ` +
              `this link joins a ${from.type} to a ${to.type}`,
          );
        }
        if (!rule.directed && from.id > to.id) [from, to] = [to, from];
        if (l.firstSeen && l.lastSeen && cachedMs(l.firstSeen, false) > cachedMs(l.lastSeen, true)) {
          throw invalid(
            ['links', i, 'lastSeen'],
            `lastSeen ${l.lastSeen} is before firstSeen ${l.firstSeen}`,
          );
        }
        const rs = resolveReports(l.reports, ['links', i]);
        let mask = 0;
        for (const r of rs) mask |= r.bit;
        const s = seen(l.firstSeen, l.lastSeen);
        const props = Object.keys(l.properties).length === 0 ? '{}' : JSON.stringify(l.properties);
        const ins = insLink.run(
          l.type,
          from.id,
          to.id,
          rule.directed ? 1 : 0,
          l.weight,
          s.first,
          s.last,
          s.firstMs,
          s.lastMs,
          props,
          mask,
          now,
          now,
        );
        const newId = ins.changes === 1 ? Number(ins.lastInsertRowid) : undefined;
        let id: number;
        let status: keyof UpsertCounts;
        if (newId !== undefined) {
          id = newId;
          status = 'created';
          lpend.add(id, rs);
        } else {
          lpend.flush();
          const ex = getLink.get(from.id, l.type, to.id) as {
            id: number;
            weight: number;
            first_seen: string | null;
            last_seen: string | null;
            first_ms: number | null;
            last_ms: number | null;
            properties: string;
            grades: number;
          };
          id = ex.id;
          status = 'unchanged';
          // Combine: the larger weight, seen dates widened, properties merged, gradings united.
          const weight = Math.max(ex.weight, l.weight);
          let first = ex.first_seen;
          let firstMs = ex.first_ms;
          if (s.firstMs !== null && (firstMs === null || s.firstMs < firstMs))
            [first, firstMs] = [s.first, s.firstMs];
          let last = ex.last_seen;
          let lastMs = ex.last_ms;
          if (s.lastMs !== null && (lastMs === null || s.lastMs > lastMs))
            [last, lastMs] = [s.last, s.lastMs];
          const hasProps = Object.keys(l.properties).length > 0;
          const p = hasProps
            ? JSON.stringify({ ...parseProps(ex.properties), ...l.properties })
            : ex.properties;
          const grades = ex.grades | mask;
          if (
            weight !== ex.weight ||
            first !== ex.first_seen ||
            last !== ex.last_seen ||
            p !== ex.properties ||
            grades !== ex.grades
          ) {
            updLink.run(weight, first, last, firstMs, lastMs, p, grades, now, id);
            status = 'updated';
          }
          let joined = false;
          for (const r of rs) if (addLinkReport.run(id, r.id).changes > 0) joined = true;
          if (importId !== null && addLinkImport.run(id, importId).changes > 0) joined = true;
          if (joined && status === 'unchanged') {
            touchLink.run(now, id);
            status = 'updated';
          }
        }
        if (status !== 'unchanged') changed = true;
        res.links[status]++;
        res.linkIds.push(linkId(id));
      });
      lpend.flush();

      res.dataVersion = changed
        ? this.bump()
        : (this.st("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number);
      if (ctx.importRun) {
        if (importId === null) throw invalid(['importId'], 'an import run needs the import id');
        // A log of what was done, like the audit: it does not change the data version.
        this.st('INSERT INTO import_runs (import_id, at, actor, report) VALUES (?, ?, ?, ?)').run(
          importId,
          now,
          ctx.actor,
          JSON.stringify(ctx.importRun(res)),
        );
      }
      return res;
    });
  }

  private reportIdsFor(refs: string[], at: (string | number)[]): number[] {
    const byRef = this.st('SELECT id FROM reports WHERE ref = ?').pluck();
    return refs.map((ref, j) => {
      const id = byRef.get(ref) as number | undefined;
      if (id === undefined) throw invalid([...at, j], `report ${JSON.stringify(ref)} does not exist`);
      return id;
    });
  }

  private entityRowId(id: string): number {
    const n = parseId(id, 'e');
    if (n === null || !this.st('SELECT 1 FROM entities WHERE id = ?').get(n)) {
      throw new StoreError('not_found', `entity ${JSON.stringify(id)} does not exist`, ['id']);
    }
    return n;
  }

  private linkRowId(id: string): number {
    const n = parseId(id, 'l');
    if (n === null || !this.st('SELECT 1 FROM links WHERE id = ?').get(n)) {
      throw new StoreError('not_found', `link ${JSON.stringify(id)} does not exist`, ['id']);
    }
    return n;
  }

  async updateEntity(id: string, patch: EntityPatch, _ctx: WriteContext): Promise<EntityDetail> {
    const p = parseOr(entityPatchSchema, patch, []);
    this.tx(() => {
      const n = this.entityRowId(id);
      const row = this.st('SELECT label, properties, review_date FROM entities WHERE id = ?').get(n) as {
        label: string;
        properties: string;
        review_date: string | null;
      };
      const label = p.label !== undefined ? normaliseName(p.label) : row.label;
      const props = p.properties !== undefined ? JSON.stringify(p.properties) : row.properties;
      const review = p.reviewDate !== undefined ? p.reviewDate : row.review_date;
      const add = this.reportIdsFor(p.addReports ?? [], ['addReports']);
      const remove = this.reportIdsFor(p.removeReports ?? [], ['removeReports']);
      let changed = label !== row.label || props !== row.properties || review !== row.review_date;
      for (const r of add)
        if (this.st('INSERT OR IGNORE INTO entity_reports VALUES (?, ?)').run(n, r).changes) changed = true;
      for (const r of remove)
        if (this.st('DELETE FROM entity_reports WHERE entity_id = ? AND report_id = ?').run(n, r).changes)
          changed = true;
      if (!changed) return;
      this.st(
        'UPDATE entities SET label = ?, properties = ?, search_text = ?, review_date = ?, updated_at = ? WHERE id = ?',
      ).run(label, props, searchText(parseProps(props)), review, new Date().toISOString(), n);
      this.bump();
    });
    return (await this.getEntity(id))!;
  }

  async updateLink(id: string, patch: LinkPatch, _ctx: WriteContext): Promise<LinkDetail> {
    const p = parseOr(linkPatchSchema, patch, []);
    this.tx(() => {
      const n = this.linkRowId(id);
      const row = this.st('SELECT weight, first_seen, last_seen, properties FROM links WHERE id = ?').get(
        n,
      ) as {
        weight: number;
        first_seen: string | null;
        last_seen: string | null;
        properties: string;
      };
      const weight = p.weight ?? row.weight;
      const first = p.firstSeen !== undefined ? p.firstSeen : row.first_seen;
      const last = p.lastSeen !== undefined ? p.lastSeen : row.last_seen;
      if (first && last && dateMs(first) > dateMs(last, true)) {
        throw invalid(['lastSeen'], `lastSeen ${last} is before firstSeen ${first}`);
      }
      const props = p.properties !== undefined ? JSON.stringify(p.properties) : row.properties;
      const add = this.reportIdsFor(p.addReports ?? [], ['addReports']);
      const remove = this.reportIdsFor(p.removeReports ?? [], ['removeReports']);
      let changed =
        weight !== row.weight ||
        first !== row.first_seen ||
        last !== row.last_seen ||
        props !== row.properties;
      for (const r of add)
        if (this.st('INSERT OR IGNORE INTO link_reports VALUES (?, ?)').run(n, r).changes) changed = true;
      for (const r of remove)
        if (this.st('DELETE FROM link_reports WHERE link_id = ? AND report_id = ?').run(n, r).changes)
          changed = true;
      if (!changed) return;
      const s = seen(first, last);
      this.st(
        `UPDATE links SET weight = ?, first_seen = ?, last_seen = ?, first_ms = ?, last_ms = ?, properties = ?,
           updated_at = ? WHERE id = ?`,
      ).run(weight, s.first, s.last, s.firstMs, s.lastMs, props, new Date().toISOString(), n);
      recomputeGrades(this.db, n);
      this.bump();
    });
    return (await this.getLink(id))!;
  }

  async deleteEntity(id: string, _ctx: WriteContext): Promise<void> {
    this.tx(() => {
      const n = this.entityRowId(id);
      this.st('DELETE FROM entities WHERE id = ?').run(n);
      this.bump();
    });
  }

  async deleteLink(id: string, _ctx: WriteContext): Promise<void> {
    this.tx(() => {
      const n = this.linkRowId(id);
      this.st('DELETE FROM links WHERE id = ?').run(n);
      this.bump();
    });
  }

  async deleteReport(id: string, _ctx: WriteContext): Promise<{ entities: string[]; links: string[] }> {
    return this.tx(() => {
      const rid = this.reportRowId(id);
      if (rid === null)
        throw new StoreError('not_found', `report ${JSON.stringify(id)} does not exist`, ['id']);
      // What rests on this report alone goes with it; links of a removed entity go too.
      const soleLinks = this.st(
        `SELECT lr.link_id FROM link_reports lr WHERE lr.report_id = ?
           AND NOT EXISTS (SELECT 1 FROM link_reports o WHERE o.link_id = lr.link_id AND o.report_id <> lr.report_id)`,
      )
        .pluck()
        .all(rid) as number[];
      const soleEntities = this.st(
        `SELECT er.entity_id FROM entity_reports er WHERE er.report_id = ?
           AND NOT EXISTS (SELECT 1 FROM entity_reports o WHERE o.entity_id = er.entity_id AND o.report_id <> er.report_id)`,
      )
        .pluck()
        .all(rid) as number[];
      const otherLinks = this.st(
        'SELECT id FROM links WHERE from_id IN (SELECT value FROM json_each(?)) OR to_id IN (SELECT value FROM json_each(?))',
      )
        .pluck()
        .all(JSON.stringify(soleEntities), JSON.stringify(soleEntities)) as number[];
      const removedLinks = [...new Set([...soleLinks, ...otherLinks])].sort((a, b) => a - b);
      const affected = this.st('SELECT link_id FROM link_reports WHERE report_id = ?')
        .pluck()
        .all(rid) as number[];
      this.st('DELETE FROM links WHERE id IN (SELECT value FROM json_each(?))').run(
        JSON.stringify(removedLinks),
      );
      this.st('DELETE FROM entities WHERE id IN (SELECT value FROM json_each(?))').run(
        JSON.stringify(soleEntities),
      );
      this.st('DELETE FROM reports WHERE id = ?').run(rid);
      const gone = new Set(removedLinks);
      for (const l of affected) if (!gone.has(l)) recomputeGrades(this.db, l);
      this.bump();
      return { entities: soleEntities.sort((a, b) => a - b).map(entityId), links: removedLinks.map(linkId) };
    });
  }

  /** Retention review (retain): moves the review date on. Nothing else about a report ever changes. */
  async setReportReviewDate(id: string, reviewDate: string, _ctx: WriteContext): Promise<Report> {
    const date = parseOr(
      z.object({ reviewDate: reportInputSchema.shape.date }),
      { reviewDate },
      [],
    ).reviewDate;
    return this.tx(() => {
      const n = this.reportRowId(id);
      if (n === null)
        throw new StoreError('not_found', `report ${JSON.stringify(id)} does not exist`, ['id']);
      if (
        this.st('UPDATE reports SET review_date = ? WHERE id = ? AND review_date IS NOT ?').run(date, n, date)
          .changes
      )
        this.bump();
      return toReport(this.st(`SELECT ${REPORT_COLS} FROM reports r WHERE r.id = ?`).get(n) as ReportRow);
    });
  }

  private reportRowId(idOrRef: string): number | null {
    const n = parseId(idOrRef, 'r');
    if (n !== null) {
      const hit = this.st('SELECT id FROM reports WHERE id = ?').pluck().get(n) as number | undefined;
      if (hit !== undefined) return hit;
    }
    return (
      (this.st('SELECT id FROM reports WHERE ref = ?').pluck().get(idOrRef) as number | undefined) ?? null
    );
  }

  async merge(keepId: string, dropId: string, ctx: WriteContext): Promise<MergeRecord> {
    const id = this.tx(() => {
      if (keepId === dropId) {
        throw new StoreError('conflict', `cannot merge entity ${JSON.stringify(keepId)} with itself`, [
          'dropId',
        ]);
      }
      const keep = parseId(keepId, 'e');
      const drop = parseId(dropId, 'e');
      if (keep === null)
        throw new StoreError('not_found', `entity ${JSON.stringify(keepId)} does not exist`, ['keepId']);
      if (drop === null)
        throw new StoreError('not_found', `entity ${JSON.stringify(dropId)} does not exist`, ['dropId']);
      const mid = mergeEntities(this.db, keep, drop, ctx.actor, new Date().toISOString());
      this.bump();
      return mid;
    });
    return this.mergeRecord(id)!;
  }

  private mergeRecord(id: number): MergeRecord | null {
    const r = this.st('SELECT id, kept_id, merged_id, actor, at, undone FROM merges WHERE id = ?').get(id) as
      | { id: number; kept_id: number; merged_id: number; actor: string; at: string; undone: number }
      | undefined;
    return r
      ? {
          id: String(r.id),
          keptId: entityId(r.kept_id),
          mergedId: entityId(r.merged_id),
          actor: r.actor,
          at: r.at,
          undone: r.undone === 1,
        }
      : null;
  }

  async unmerge(mergeId: string, _ctx: WriteContext): Promise<void> {
    this.tx(() => {
      const n = parsePlainId(mergeId);
      if (n === null)
        throw new StoreError('not_found', `merge ${JSON.stringify(mergeId)} does not exist`, ['mergeId']);
      unmergeEntities(this.db, n);
      this.bump();
    });
  }

  async listMerges(opts: ListOptions = {}): Promise<Page<MergeRecord>> {
    const { offset, limit } = this.page(opts);
    const ids = this.st('SELECT id FROM merges ORDER BY id DESC LIMIT ? OFFSET ?')
      .pluck()
      .all(limit, offset) as number[];
    const total = this.st('SELECT COUNT(*) FROM merges').pluck().get() as number;
    return { items: ids.map((i) => this.mergeRecord(i)!), total, offset, limit };
  }

  // ------------------------------------------------------------------------------------------------
  // Reads

  private page(opts: ListOptions): { offset: number; limit: number } {
    const o = parseOr(listOptionsSchema, { offset: opts.offset, limit: opts.limit }, []);
    return { offset: o.offset ?? 0, limit: o.limit ?? DEFAULT_PAGE };
  }

  async getEntity(id: string): Promise<EntityDetail | null> {
    const n = parseId(id, 'e');
    if (n === null) return null;
    const row = this.st(`SELECT ${ENTITY_COLS} FROM entities e WHERE e.id = ?`).get(n) as
      EntityRow | undefined;
    if (!row) return null;
    const reports = (
      this.st(
        `SELECT ${REPORT_COLS} FROM entity_reports er JOIN reports r ON r.id = er.report_id WHERE er.entity_id = ? ORDER BY r.id`,
      ).all(n) as ReportRow[]
    ).map(toReport);
    const aliases = this.st('SELECT key FROM entity_aliases WHERE entity_id = ? ORDER BY key')
      .pluck()
      .all(n) as string[];
    return { ...toEntity(row), reports, aliases };
  }

  async getEntities(ids: string[]): Promise<Entity[]> {
    const nums = ids.map((i) => parseId(i, 'e')).filter((n): n is number => n !== null);
    const rows = this.st(
      `SELECT ${ENTITY_COLS} FROM entities e WHERE e.id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(nums)) as EntityRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    // In the order asked for; unknown ids are left out.
    return nums.filter((n) => byId.has(n)).map((n) => toEntity(byId.get(n)!));
  }

  async findEntity(type: EntityType, key: string): Promise<Entity | null> {
    const k = nfcKey(key);
    let row = this.st(`SELECT ${ENTITY_COLS} FROM entities e WHERE e.type = ? AND e.key = ?`).get(type, k) as
      EntityRow | undefined;
    row ??= this.st(
      `SELECT ${ENTITY_COLS} FROM entity_aliases a JOIN entities e ON e.id = a.entity_id WHERE a.type = ? AND a.key = ?`,
    ).get(type, k) as EntityRow | undefined;
    return row ? toEntity(row) : null;
  }

  async listEntities(
    opts: ListOptions & { type?: EntityType; importId?: string } = {},
  ): Promise<Page<Entity>> {
    const { offset, limit } = this.page(opts);
    const t = typeCondition('e.type', opts.type ? [opts.type] : undefined);
    const where =
      opts.importId === undefined
        ? t.sql
        : `${t.sql} AND e.id IN (SELECT entity_id FROM entity_imports WHERE import_id = ?)`;
    const params = opts.importId === undefined ? t.params : [...t.params, opts.importId];
    const items = (
      this.st(`SELECT ${ENTITY_COLS} FROM entities e WHERE ${where} ORDER BY e.id LIMIT ? OFFSET ?`).all(
        ...params,
        limit,
        offset,
      ) as EntityRow[]
    ).map(toEntity);
    const total = this.st(`SELECT COUNT(*) FROM entities e WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { items, total, offset, limit };
  }

  async getLink(id: string): Promise<LinkDetail | null> {
    const n = parseId(id, 'l');
    if (n === null) return null;
    const row = this.st(`SELECT ${LINK_COLS} FROM links l WHERE l.id = ?`).get(n) as LinkRow | undefined;
    if (!row) return null;
    const reports = (
      this.st(
        `SELECT ${REPORT_COLS} FROM link_reports lr JOIN reports r ON r.id = lr.report_id WHERE lr.link_id = ? ORDER BY r.id`,
      ).all(n) as ReportRow[]
    ).map(toReport);
    return { ...toLink(row), reports };
  }

  async listLinks(opts: ListOptions & { type?: LinkType; entityId?: string } = {}): Promise<Page<Link>> {
    const { offset, limit } = this.page(opts);
    const conds: string[] = [];
    const params: Param[] = [];
    if (opts.type) {
      conds.push('l.type = ?');
      params.push(opts.type);
    }
    if (opts.entityId !== undefined) {
      const n = parseId(opts.entityId, 'e') ?? -1;
      conds.push(
        'l.id IN (SELECT id FROM links WHERE from_id = ? UNION SELECT id FROM links WHERE to_id = ?)',
      );
      params.push(n, n);
    }
    const where = conds.length ? conds.join(' AND ') : '1';
    const items = (
      this.st(`SELECT ${LINK_COLS} FROM links l WHERE ${where} ORDER BY l.id LIMIT ? OFFSET ?`).all(
        ...params,
        limit,
        offset,
      ) as LinkRow[]
    ).map(toLink);
    const total = this.st(`SELECT COUNT(*) FROM links l WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { items, total, offset, limit };
  }

  async getReport(idOrRef: string): Promise<Report | null> {
    const n = this.reportRowId(idOrRef);
    if (n === null) return null;
    return toReport(this.st(`SELECT ${REPORT_COLS} FROM reports r WHERE r.id = ?`).get(n) as ReportRow);
  }

  async listReports(opts: ListOptions & { dueBefore?: string } = {}): Promise<Page<Report>> {
    const { offset, limit } = this.page(opts);
    const where = opts.dueBefore ? 'r.review_date IS NOT NULL AND r.review_date < ?' : '1';
    const params = opts.dueBefore ? [opts.dueBefore] : [];
    const items = (
      this.st(`SELECT ${REPORT_COLS} FROM reports r WHERE ${where} ORDER BY r.id LIMIT ? OFFSET ?`).all(
        ...params,
        limit,
        offset,
      ) as ReportRow[]
    ).map(toReport);
    const total = this.st(`SELECT COUNT(*) FROM reports r WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { items, total, offset, limit };
  }

  async search(query: string, opts: { types?: EntityType[]; limit?: number } = {}): Promise<SearchHit[]> {
    if (typeof query !== 'string') throw invalid(['query'], 'search text must be a string');
    const match = ftsMatch(query);
    if (!match) return [];
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 20)), 500);
    const t = typeCondition('e.type', opts.types);
    const rows = this.st(
      `SELECT ${ENTITY_COLS}, bm25(entities_fts, 10.0, 5.0, 1.0) AS rank
       FROM entities_fts JOIN entities e ON e.id = entities_fts.rowid
       WHERE entities_fts MATCH ? AND ${t.sql} ORDER BY rank LIMIT ?`,
    ).all(match, ...t.params, limit) as (EntityRow & { rank: number })[];
    return rows.map((r) => ({ entity: toEntity(r), score: -r.rank }));
  }

  /**
   * Statement listing each link of a node that passes the filter, with the entity at the other end, as
   * row arrays: LINK_COLS, then the other end's row id at OTHER. Arrays, because building a keyed object
   * per row cost twice the query itself on the 1-hop path.
   */
  private neighbourQuery(filter: ViewFilter, otherTypes: readonly string[] | undefined) {
    const lc = linkCondition(filter);
    const tc = typeCondition('e.type', otherTypes);
    // The other end's entity is joined only when its type matters.
    const join = (end: string) => (otherTypes ? `JOIN entities e ON e.id = l.${end}` : '');
    const sql = `SELECT ${LINK_COLS}, l.to_id AS other FROM links l ${join('to_id')}
        WHERE l.from_id = ? AND ${lc.sql} AND ${tc.sql}
      UNION ALL
      SELECT ${LINK_COLS}, l.from_id AS other FROM links l ${join('from_id')}
        WHERE l.to_id = ? AND ${lc.sql} AND ${tc.sql}`;
    const stmt = this.raw(sql);
    const params = [...lc.params, ...tc.params];
    return (node: number) => stmt.all(node, ...params, node, ...params) as RawRow[];
  }

  /**
   * Links passing the filter with both ends in the outermost ring, as LINK_COLS row arrays. Links from
   * the ring to inner nodes were all found when the inner nodes were expanded, so only ring-to-ring links
   * are missing; one direction suffices because both ends are in the same set.
   */
  private linksWithinRing(filter: ViewFilter, ring: number[]): RawRow[] {
    if (ring.length < 2) return [];
    // The (from_id, type, to_id) index answers "which links join two ring nodes" without reading link
    // rows; ring-to-ring links are rare, so the few found are read whole (and filtered) afterwards. Small
    // rings bind their ids as plain parameters (one statement per ring size, cached), which measured
    // 2-3x faster than a statement per ring node or json_each lists; large rings use json_each.
    const ids = (
      ring.length <= 100
        ? this.st(
            `SELECT id FROM links WHERE from_id IN (${placeholders(ring.length)}) AND to_id IN (${placeholders(ring.length)})`,
          )
            .pluck()
            .all(...ring, ...ring)
        : this.st(
            'SELECT id FROM links WHERE from_id IN (SELECT value FROM json_each(@r)) AND to_id IN (SELECT value FROM json_each(@r))',
          )
            .pluck()
            .all({ r: JSON.stringify(ring) })
    ) as number[];
    if (ids.length === 0) return [];
    const lc = linkCondition(filter);
    return this.raw(
      `SELECT ${LINK_COLS} FROM links l WHERE l.id IN (SELECT value FROM json_each(?)) AND ${lc.sql}`,
    ).all(JSON.stringify(ids), ...lc.params) as RawRow[];
  }

  /** Entities by row id, in id order; ids with no entity are left out. */
  private entitiesByIds(ids: Iterable<number>): Entity[] {
    const list = [...ids];
    // A handful of primary-key lookups costs half of building a json_each list for them; larger sets
    // go through the list in one statement.
    if (list.length <= 64) {
      const one = this.raw(`SELECT ${ENTITY_COLS} FROM entities e WHERE e.id = ?`);
      const out: Entity[] = [];
      for (const id of list.sort((a, b) => a - b)) {
        const r = one.get(id) as RawRow | undefined;
        if (r) out.push(toEntityRaw(r));
      }
      return out;
    }
    return (
      this.raw(
        `SELECT ${ENTITY_COLS} FROM entities e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
      ).all(JSON.stringify(list)) as RawRow[]
    ).map(toEntityRaw);
  }

  async neighbourhood(seedIds: string[], opts: NeighbourhoodOptions): Promise<Subgraph> {
    if (this.readers?.size) return this.readers.call('neighbourhood', [seedIds, opts]);
    const hops = opts.hops;
    if (!Number.isInteger(hops) || hops < 1 || hops > 4) throw invalid(['hops'], 'hops must be 1, 2, 3 or 4');
    const filter = checkFilter(opts.filter);
    const limit = opts.limit ?? DEFAULT_NEIGHBOURHOOD_LIMIT;
    if (!Number.isInteger(limit) || limit < 1)
      throw invalid(['limit'], 'limit must be a whole number above 0');
    let types: string[] | undefined = opts.entityTypes ?? filter.entityTypes;
    if (opts.entityTypes && filter.entityTypes)
      types = opts.entityTypes.filter((t) => filter.entityTypes!.includes(t));
    const unknownSeed = (i: number): StoreError =>
      new StoreError('not_found', `entity ${JSON.stringify(seedIds[i])} does not exist`, ['seedIds', i]);
    const seeds = seedIds.map((s, i) => {
      const n = parseId(s, 'e');
      if (n === null) throw unknownSeed(i);
      return n;
    });
    // One read transaction, so every statement sees the same snapshot (the runner is built once: making a
    // transaction function per call measured 2% of a 1-hop request).
    return this.tx(() => {
      const dataVersion = this.st("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number;
      const neighbours = this.neighbourQuery(filter, types);
      const nodes = new Set<number>(seeds);
      const links = new Map<number, RawRow>();
      let truncated = false;
      let frontier = [...nodes];
      for (let h = 0; h < hops && frontier.length > 0; h++) {
        const next: number[] = [];
        for (const u of frontier) {
          for (const r of neighbours(u)) {
            const other = r[OTHER] as number;
            if (!nodes.has(other)) {
              if (nodes.size >= limit) {
                truncated = true;
                continue;
              }
              nodes.add(other);
              next.push(other);
            }
            links.set(r[0] as number, r);
          }
        }
        frontier = next;
      }
      // Links among the outermost ring, so the result is the whole graph induced on its nodes.
      for (const r of this.linksWithinRing(filter, frontier)) links.set(r[0] as number, r);
      const entities = this.entitiesByIds(nodes);
      // Seeds are checked here rather than one query each up front: a seed that does not exist has no
      // links, so it only shows up as missing from the entities read.
      if (entities.length < nodes.size) {
        const found = new Set(entities.map((e) => e.id));
        const i = seeds.findIndex((n) => !found.has(entityId(n)));
        if (i >= 0) throw unknownSeed(i);
      }
      return {
        dataVersion,
        nodes: entities,
        links: [...links.values()].sort((a, b) => (a[0] as number) - (b[0] as number)).map(toLinkRaw),
        truncated,
      };
    });
  }

  async shortestPaths(fromId: string, toId: string, opts: PathOptions = {}): Promise<PathResult[]> {
    if (this.readers?.size) return this.readers.call('shortestPaths', [fromId, toId, opts]);
    const filter = checkFilter(opts.filter);
    const maxHops = opts.maxHops ?? 6;
    const limit = opts.limit ?? 10;
    if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 12)
      throw invalid(['maxHops'], 'maxHops must be a whole number from 1 to 12');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw invalid(['limit'], 'limit must be a whole number from 1 to 1000');
    const a = this.entityRowId(fromId);
    const b = this.entityRowId(toId);
    const neighbours = this.neighbourQuery(filter, filter.entityTypes);
    const steps = (n: number): Step[] =>
      neighbours(n).map((r) => ({ other: r[OTHER] as number, link: r[0] as number }));
    return this.tx(() =>
      allShortestPaths(a, b, steps, { maxHops, limit }).map((p) => toPathResult(p, entityId, linkId)),
    );
  }

  /**
   * The graph a view is built from, in one streaming pass over the links. Nodes: the ends of every link
   * that passes; when the filter restricts only entity types (or nothing), entities without links too.
   */
  async subgraph(filterIn: ViewFilter, opts: { limit?: number } = {}): Promise<Subgraph> {
    const filter = checkFilter(filterIn);
    const limit = opts.limit ?? Number.MAX_SAFE_INTEGER;
    const lc = linkCondition(filter);
    const types = filter.entityTypes;
    const read = this.db.transaction(() => {
      const dataVersion = this.st("SELECT v FROM meta WHERE k = 'data_version'").pluck().get() as number;
      const links: Link[] = [];
      const nodeIds = new Set<number>();
      let truncated = false;
      const join = types
        ? `JOIN entities ef ON ef.id = l.from_id JOIN entities et ON et.id = l.to_id
           WHERE ef.type IN (${types.map(() => '?').join(',')}) AND et.type IN (${types.map(() => '?').join(',')}) AND`
        : 'WHERE';
      const stmt = this.raw(`SELECT ${LINK_COLS} FROM links l ${join} ${lc.sql} ORDER BY l.id`);
      const params = types ? [...types, ...types, ...lc.params] : lc.params;
      for (const r of stmt.iterate(...params) as IterableIterator<(string | number | null)[]>) {
        if (links.length >= limit) {
          truncated = true;
          break;
        }
        links.push(toLinkRaw(r));
        nodeIds.add(r[2] as number);
        nodeIds.add(r[3] as number);
      }
      const nodes: Entity[] = [];
      const tc = typeCondition('e.type', types);
      // Without link filters every entity of the allowed types is in the view; otherwise only the ends of
      // the links found, fetched by id rather than by reading every entity.
      const all = !filtersLinks(filter) && !truncated;
      const rows = all
        ? this.raw(`SELECT ${ENTITY_COLS} FROM entities e WHERE ${tc.sql} ORDER BY e.id`).iterate(
            ...tc.params,
          )
        : this.raw(
            `SELECT ${ENTITY_COLS} FROM entities e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
          ).iterate(JSON.stringify([...nodeIds]));
      for (const r of rows as IterableIterator<(string | number | null)[]>) nodes.push(toEntityRaw(r));
      return { dataVersion, nodes, links, truncated };
    });
    return read();
  }

  // ------------------------------------------------------------------------------------------------
  // Annotations, charts, users, audit

  private toAnnotation(r: {
    id: number;
    target_kind: string;
    target_id: string;
    text: string;
    tags: string;
    target_flag: number;
    author: string;
    created_at: string;
    updated_at: string;
  }): Annotation {
    return {
      id: String(r.id),
      target: { kind: r.target_kind as Annotation['target']['kind'], id: r.target_id },
      text: r.text,
      tags: JSON.parse(r.tags) as string[],
      targetFlag: r.target_flag === 1,
      author: r.author,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  private annotationRow(n: number) {
    return this.st('SELECT * FROM annotations WHERE id = ?').get(n) as
      Parameters<SqliteGraphStore['toAnnotation']>[0] | undefined;
  }

  async createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation> {
    const a = parseOr(annotationInputSchema, input, []);
    const n = this.tx(() => {
      const now = new Date().toISOString();
      const id = Number(
        this.st(
          `INSERT INTO annotations (target_kind, target_id, text, tags, target_flag, author, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          a.target.kind,
          a.target.id,
          a.text,
          JSON.stringify(a.tags),
          a.target_flag ? 1 : 0,
          ctx.actor,
          now,
          now,
        ).lastInsertRowid,
      );
      this.bump();
      return id;
    });
    return this.toAnnotation(this.annotationRow(n)!);
  }

  async updateAnnotation(
    id: string,
    input: Partial<AnnotationInput>,
    _ctx: WriteContext,
  ): Promise<Annotation> {
    const parsed = parseOr(annotationInputSchema.partial(), input, []);
    // The schema's defaults would fill fields the caller left out; a patch keeps those as they are.
    const has = (k: keyof AnnotationInput) => input[k] !== undefined;
    const a = {
      target: has('target') ? parsed.target : undefined,
      text: has('text') ? parsed.text : undefined,
      tags: has('tags') ? parsed.tags : undefined,
      target_flag: has('target_flag') ? parsed.target_flag : undefined,
    };
    const n = parsePlainId(id);
    this.tx(() => {
      const row = n === null ? undefined : this.annotationRow(n);
      if (!row) throw new StoreError('not_found', `annotation ${JSON.stringify(id)} does not exist`, ['id']);
      this.st(
        `UPDATE annotations SET target_kind = ?, target_id = ?, text = ?, tags = ?, target_flag = ?, updated_at = ?
         WHERE id = ?`,
      ).run(
        a.target?.kind ?? row.target_kind,
        a.target?.id ?? row.target_id,
        a.text ?? row.text,
        a.tags ? JSON.stringify(a.tags) : row.tags,
        a.target_flag === undefined ? row.target_flag : a.target_flag ? 1 : 0,
        new Date().toISOString(),
        n,
      );
      this.bump();
    });
    return this.toAnnotation(this.annotationRow(n!)!);
  }

  async deleteAnnotation(id: string, _ctx: WriteContext): Promise<void> {
    const n = parsePlainId(id);
    this.tx(() => {
      if (n === null || this.st('DELETE FROM annotations WHERE id = ?').run(n).changes === 0) {
        throw new StoreError('not_found', `annotation ${JSON.stringify(id)} does not exist`, ['id']);
      }
      this.bump();
    });
  }

  async listAnnotations(
    target?: { kind: string; id: string },
    opts: ListOptions = {},
  ): Promise<Page<Annotation>> {
    const { offset, limit } = this.page(opts);
    const where = target ? 'target_kind = ? AND target_id = ?' : '1';
    const params = target ? [target.kind, target.id] : [];
    const rows = this.st(`SELECT * FROM annotations WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`).all(
      ...params,
      limit,
      offset,
    ) as Parameters<SqliteGraphStore['toAnnotation']>[0][];
    const total = this.st(`SELECT COUNT(*) FROM annotations WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { items: rows.map((r) => this.toAnnotation(r)), total, offset, limit };
  }

  private chartRow(n: number): Chart | null {
    const r = this.st('SELECT * FROM charts WHERE id = ?').get(n) as
      | { id: number; name: string; owner: string; state: string; created_at: string; updated_at: string }
      | undefined;
    return r
      ? {
          id: String(r.id),
          name: r.name,
          owner: r.owner,
          state: JSON.parse(r.state) as Record<string, unknown>,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        }
      : null;
  }

  async saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart> {
    const c = parseOr(chartInputSchema, input, []);
    const n = this.tx(() => {
      const now = new Date().toISOString();
      let n: number;
      if (id !== undefined) {
        const k = parsePlainId(id);
        if (
          k === null ||
          this.st('UPDATE charts SET name = ?, state = ?, updated_at = ? WHERE id = ?').run(
            c.name,
            JSON.stringify(c.state),
            now,
            k,
          ).changes === 0
        ) {
          throw new StoreError('not_found', `chart ${JSON.stringify(id)} does not exist`, ['id']);
        }
        n = k;
      } else {
        n = Number(
          this.st(
            'INSERT INTO charts (name, owner, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
          ).run(c.name, ctx.actor, JSON.stringify(c.state), now, now).lastInsertRowid,
        );
      }
      this.bump();
      return n;
    });
    return this.chartRow(n)!;
  }

  async getChart(id: string): Promise<Chart | null> {
    const n = parsePlainId(id);
    return n === null ? null : this.chartRow(n);
  }

  async listCharts(opts: ListOptions = {}): Promise<Page<Chart>> {
    const { offset, limit } = this.page(opts);
    const ids = this.st('SELECT id FROM charts ORDER BY id LIMIT ? OFFSET ?')
      .pluck()
      .all(limit, offset) as number[];
    const total = this.st('SELECT COUNT(*) FROM charts').pluck().get() as number;
    return { items: ids.map((i) => this.chartRow(i)!), total, offset, limit };
  }

  async deleteChart(id: string, _ctx: WriteContext): Promise<void> {
    const n = parsePlainId(id);
    this.tx(() => {
      if (n === null || this.st('DELETE FROM charts WHERE id = ?').run(n).changes === 0) {
        throw new StoreError('not_found', `chart ${JSON.stringify(id)} does not exist`, ['id']);
      }
      this.bump();
    });
  }

  private userRow(where: string, v: Param): User | null {
    const r = this.st(`SELECT * FROM users WHERE ${where}`).get(v) as
      | { id: number; name: string; role: Role; password_hash: string; disabled: number; created_at: string }
      | undefined;
    return r
      ? {
          id: String(r.id),
          name: r.name,
          role: r.role,
          passwordHash: r.password_hash,
          disabled: r.disabled === 1,
          createdAt: r.created_at,
        }
      : null;
  }

  async createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User> {
    const u = parseOr(userInputSchema, user, []);
    this.knownUsers.clear();
    const n = this.tx(() => {
      if (this.st('SELECT 1 FROM users WHERE name = ?').get(u.name)) {
        throw new StoreError('conflict', `a user named ${JSON.stringify(u.name)} already exists`, ['name']);
      }
      return Number(
        this.st('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
          u.name,
          u.role,
          u.passwordHash,
          new Date().toISOString(),
        ).lastInsertRowid,
      );
    });
    return this.userRow('id = ?', n)!;
  }

  async updateUser(
    id: string,
    patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>,
  ): Promise<User> {
    const p = parseOr(
      userInputSchema
        .pick({ role: true, passwordHash: true })
        .partial()
        .extend({ disabled: z.boolean().optional() }),
      patch,
      [],
    );
    const n = parsePlainId(id);
    this.knownUsers.clear();
    this.tx(() => {
      const u = n === null ? null : this.userRow('id = ?', n);
      if (!u) throw new StoreError('not_found', `user ${JSON.stringify(id)} does not exist`, ['id']);
      this.st('UPDATE users SET role = ?, password_hash = ?, disabled = ? WHERE id = ?').run(
        p.role ?? u.role,
        p.passwordHash ?? u.passwordHash,
        (p.disabled ?? u.disabled) ? 1 : 0,
        n,
      );
    });
    return this.userRow('id = ?', n)!;
  }

  async getUserByName(name: string): Promise<User | null> {
    return this.userRow('name = ?', name);
  }

  async getUser(id: string): Promise<User | null> {
    const n = parsePlainId(id);
    if (n === null) return null;
    // The server reads the signed-in user on every request (so a disabled account or a changed role
    // takes effect at once), which made this lookup the costliest statement after the expansion itself:
    // not the row, but opening a read transaction, a few locking system calls. Users found are kept until
    // anything changes them: a write through this store clears the cache, and so does a commit by any
    // other connection (a CLI disabling an account), which data_version reports. That is asked once per
    // turn of the event loop, so another process's change is seen within one turn (milliseconds).
    if (!this.usersCheckedThisTurn) {
      this.usersCheckedThisTurn = true;
      setImmediate(() => (this.usersCheckedThisTurn = false));
      const v = this.st('PRAGMA data_version').pluck().get() as number;
      if (v !== this.usersSeenAt) {
        this.knownUsers.clear();
        this.usersSeenAt = v;
      }
    }
    let u = this.knownUsers.get(n);
    if (!u) {
      const row = this.userRow('id = ?', n);
      if (!row) return null;
      this.knownUsers.set(n, (u = row));
    }
    return { ...u };
  }

  async listUsers(opts: ListOptions = {}): Promise<Page<User>> {
    const { offset, limit } = this.page(opts);
    const ids = this.st('SELECT id FROM users ORDER BY id LIMIT ? OFFSET ?')
      .pluck()
      .all(limit, offset) as number[];
    const total = this.st('SELECT COUNT(*) FROM users').pluck().get() as number;
    return { items: ids.map((i) => this.userRow('id = ?', i)!), total, offset, limit };
  }

  async appendAudit(input: AuditInput): Promise<AuditEvent> {
    return (await this.appendAuditBatch([input]))[0];
  }

  async appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]> {
    // Every record is checked before any is written, so a bad one leaves the batch unwritten.
    const valid = inputs.map((input, i) => parseOr(auditInputSchema, input, inputs.length > 1 ? [i] : []));
    if (valid.length === 0) return [];
    // The chain's tip is read inside the transaction every time (a B-tree descent, a few microseconds;
    // caching it measured no faster and would go stale when a CLI or a transfer load appends through
    // another path). IMMEDIATE takes the write lock before that read, so a CLI appending from another
    // process waits for the lock instead of failing to upgrade a stale read snapshot.
    this.auditTx ??= this.db.transaction((f: () => AuditEvent[]) => f()).immediate;
    return this.auditTx(() => {
      const last = this.st('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const at = new Date().toISOString();
      const rows: (string | number | null)[] = [];
      const events = valid.map((a) => {
        const { event, detailsJson } = chainAudit(a, ++seq, at, prevHash);
        rows.push(
          event.seq,
          event.at,
          event.actor,
          event.action,
          event.route,
          JSON.stringify(event.objectIds),
          event.outcome,
          event.justification,
          event.recipient,
          detailsJson,
          event.prevHash,
          event.hash,
        );
        prevHash = event.hash;
        return event;
      });
      // Up to 64 rows per INSERT: one statement step per group instead of one per record.
      for (let i = 0; i < events.length; i += 64) {
        const n = Math.min(64, events.length - i);
        this.st(
          `INSERT INTO audit (seq, at, actor, action, route, object_ids, outcome, justification, recipient, details, prev_hash, hash)
           VALUES ${Array<string>(n)
             .fill(`(${placeholders(12)})`)
             .join(', ')}`,
        ).run(...rows.slice(i * 12, (i + n) * 12));
      }
      return events;
    });
  }

  async listImportRuns(q: ListOptions & { importId?: string } = {}): Promise<Page<ImportRun>> {
    const { offset, limit } = this.page(q);
    const where = q.importId === undefined ? '1' : 'import_id = ?';
    const params = q.importId === undefined ? [] : [q.importId];
    const items = (
      this.st(`SELECT * FROM import_runs WHERE ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(
        ...params,
        limit,
        offset,
      ) as { seq: number; import_id: string; at: string; actor: string; report: string }[]
    ).map((r) => ({
      seq: r.seq,
      importId: r.import_id,
      at: r.at,
      actor: r.actor,
      report: JSON.parse(r.report) as Record<string, unknown>,
    }));
    const total = this.st(`SELECT COUNT(*) FROM import_runs WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return { items, total, offset, limit };
  }

  async listAudit(q: AuditQuery = {}): Promise<Page<AuditEvent>> {
    const { offset, limit } = this.page(q);
    const conds: string[] = [];
    const params: Param[] = [];
    const add = (sql: string, v: Param | undefined) => {
      if (v === undefined) return;
      conds.push(sql);
      params.push(v);
    };
    add('actor = ?', q.actor);
    add('action = ?', q.action);
    add('EXISTS (SELECT 1 FROM json_each(object_ids) WHERE value = ?)', q.objectId);
    add('at >= ?', q.since);
    add('at <= ?', q.until);
    const where = conds.length ? conds.join(' AND ') : '1';
    const rows = this.st(`SELECT * FROM audit WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(
      ...params,
      limit,
      offset,
    ) as {
      seq: number;
      at: string;
      actor: string;
      action: string;
      route: string | null;
      object_ids: string;
      outcome: AuditEvent['outcome'];
      justification: string | null;
      recipient: string | null;
      details: string | null;
      prev_hash: string;
      hash: string;
    }[];
    const total = this.st(`SELECT COUNT(*) FROM audit WHERE ${where}`)
      .pluck()
      .get(...params) as number;
    return {
      items: rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        route: r.route,
        objectIds: JSON.parse(r.object_ids) as string[],
        outcome: r.outcome,
        justification: r.justification,
        recipient: r.recipient,
        details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
      total,
      offset,
      limit,
    };
  }
}

/** Opens (creating if needed) and migrates a SQLite store at `path`. */
export async function openSqliteStore(
  path: string,
  opts: SqliteStoreOptions = {},
): Promise<SqliteGraphStore> {
  const store = new SqliteGraphStore(path, opts);
  try {
    await store.init();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
