// GraphStore on SQLite, over the shared connection. The work is in graph-write.ts (writeBatch),
// graph-edit.ts (patches, deletes, merges), graph-read.ts (reads, search) and graph-walk.ts (walks, views);
// this class only binds them to the connection and, when the server started them, sends walks to the read
// workers (read-pool.ts).
import type { EntityType, ViewFilter, WriteContext } from '../../domain/model.ts';
import type { ViewOptions } from '../../analysis/view.ts';
import type { ReadScope } from '../../domain/operations.ts';
import { StoreError } from '../common.ts';
import { narrowOps, resolveScope, type SqlScope } from './scope.ts';
import type { ListOptions } from '../common.ts';
import type {
  EntityPatch,
  GraphStore,
  LinkListOptions,
  LinkPatch,
  NeighbourhoodOptions,
  PathOptions,
  WriteBatch,
} from '../graph-store.ts';
import type { SqliteConnection } from './connection.ts';
import * as edit from './graph-edit.ts';
import * as events from './events.ts';
import type { EventFilter } from '../../domain/events.ts';
import * as read from './graph-read.ts';
import * as walk from './graph-walk.ts';
import { writeBatch } from './graph-write.ts';
import type { SqliteReadPool } from './read-pool.ts';

export class SqliteGraphStore implements GraphStore {
  /** Worker threads that answer graph walks, when the server asked for them (SqliteStores.readInWorkers). */
  private readers: SqliteReadPool | null = null;
  /** The store scoped() came from: its read workers are the ones used (they can be started after). */
  private base: SqliteGraphStore | null = null;

  constructor(
    private readonly c: SqliteConnection,
    /** Which operations this store's reads see (need-to-know); 'all' for the system. */
    readonly scope: ReadScope = 'all',
  ) {}

  get readScope(): ReadScope {
    return this.scope;
  }

  /** A scoped store scoped again only narrows: never sees more than it did. */
  scoped(scope: ReadScope): SqliteGraphStore {
    if (scope === 'all') return this;
    const ops = narrowOps(this.scope, scope.operations) ?? [];
    const s = new SqliteGraphStore(this.c, { operations: [...ops] });
    s.base = this.base ?? this;
    return s;
  }

  /** Sends neighbourhoods, shortest paths and views to `pool` from now on (null: walk on this thread again). */
  walkIn(pool: SqliteReadPool | null): void {
    this.readers = pool;
  }

  async dataVersion() {
    return this.c.version();
  }

  /** The scope as SQL needs it; null: this read sees everything (scope.ts). */
  private sql(): SqlScope | null {
    return resolveScope(this.c, this.scope);
  }

  /** A view filter narrowed to this store's scope: walks and views read their scope from the filter. */
  private scopeFilter(f: ViewFilter | undefined): ViewFilter | undefined {
    if (this.scope === 'all') return f;
    const operations = narrowOps(this.scope, f?.operations);
    return { ...(f ?? {}), operations: operations ? [...operations] : [] };
  }

  private get pool(): SqliteReadPool | null {
    return (this.base ?? this).readers;
  }

  // --- writes (unscoped: they take their operation from the context)

  async writeBatch(batch: WriteBatch, ctx: WriteContext) {
    return this.c.write(() => writeBatch(this.c, batch, ctx));
  }
  async updateEntity(id: string, patch: EntityPatch, ctx: WriteContext) {
    const done = await this.c.write(() => edit.updateEntity(this.c, id, patch, ctx));
    return this.scope === 'all' ? done : this.seenAfterWrite(await this.getEntity(id), id);
  }
  async updateLink(id: string, patch: LinkPatch, ctx: WriteContext) {
    const done = await this.c.write(() => edit.updateLink(this.c, id, patch, ctx));
    return this.scope === 'all' ? done : this.seenAfterWrite(await this.getLink(id), id);
  }
  /** What a scoped writer gets back is what its scope sees of the fact, never the whole of it. */
  private seenAfterWrite<T>(seen: T | null, id: string): T {
    if (seen === null) throw new StoreError('not_found', `${JSON.stringify(id)} does not exist`, ['id']);
    return seen;
  }
  async deleteEntity(id: string, ctx: WriteContext) {
    return this.c.write(() => edit.deleteEntity(this.c, id, ctx));
  }
  async deleteLink(id: string, ctx: WriteContext) {
    return this.c.write(() => edit.deleteLink(this.c, id, ctx));
  }
  async deleteReport(id: string, _ctx: WriteContext) {
    return this.c.write(() => edit.deleteReport(this.c, id));
  }
  async setReportReviewDate(id: string, reviewDate: string, _ctx: WriteContext) {
    return this.c.write(() => edit.setReportReviewDate(this.c, id, reviewDate));
  }
  async merge(keepId: string, dropId: string, ctx: WriteContext) {
    return this.c.write(() => edit.merge(this.c, keepId, dropId, ctx));
  }
  async unmerge(mergeId: string, _ctx: WriteContext) {
    await this.c.write(() => edit.unmerge(this.c, mergeId));
  }
  async listMerges(opts: ListOptions = {}) {
    return edit.listMerges(this.c, opts, this.sql());
  }

  // --- reads

  async getEntity(id: string) {
    return read.getEntity(this.c, id, this.sql());
  }
  async getEntities(ids: string[]) {
    return read.getEntities(this.c, ids, this.sql());
  }
  async findEntity(type: EntityType, key: string) {
    return read.findEntity(this.c, type, key, this.sql());
  }
  async listEntities(opts: ListOptions & { type?: EntityType; importId?: string } = {}) {
    return read.listEntities(this.c, opts, this.sql());
  }
  async getLink(id: string) {
    return read.getLink(this.c, id, this.sql());
  }
  async listLinks(opts: LinkListOptions = {}) {
    return read.listLinks(this.c, opts, this.sql());
  }
  async getReport(idOrRef: string) {
    return read.getReport(this.c, idOrRef, this.sql());
  }
  async listReports(opts: ListOptions & { dueBefore?: string } = {}) {
    return read.listReports(this.c, opts, this.sql());
  }
  async search(query: string, opts: { types?: EntityType[]; limit?: number } = {}) {
    return read.search(this.c, query, opts, this.sql());
  }

  // --- walks and views: the scope travels in the filter (ViewFilter.operations), to the read workers too

  async neighbourhood(seedIds: string[], optsIn: NeighbourhoodOptions) {
    const opts = this.scope === 'all' ? optsIn : { ...optsIn, filter: this.scopeFilter(optsIn.filter) };
    const pool = this.pool;
    if (pool?.size) return pool.call('neighbourhood', [seedIds, opts]);
    return walk.neighbourhood(this.c, seedIds, opts);
  }
  async shortestPaths(fromId: string, toId: string, optsIn: PathOptions = {}) {
    const opts = this.scope === 'all' ? optsIn : { ...optsIn, filter: this.scopeFilter(optsIn.filter) };
    const pool = this.pool;
    if (pool?.size) return pool.call('shortestPaths', [fromId, toId, opts]);
    return walk.shortestPaths(this.c, fromId, toId, opts);
  }
  async listEvents(filter: EventFilter) {
    return events.listEvents(this.c, filter, this.sql());
  }
  async subgraph(filterIn: ViewFilter, opts: { limit?: number } = {}) {
    const filter = this.scopeFilter(filterIn) ?? {};
    const pool = this.pool;
    if (pool?.size) return pool.call('subgraph', [filter, opts]);
    return walk.subgraph(this.c, filter, opts);
  }
  /** Only with read workers: without them the caller builds the view in a worker of its own. */
  get analysisView(): GraphStore['analysisView'] {
    const readers = this.pool;
    if (!readers?.size) return undefined;
    return (options: ViewOptions, opts: { limit?: number; only?: string[] } = {}) =>
      readers.callView(
        this.scope === 'all' ? options : { ...options, filter: this.scopeFilter(options.filter) ?? {} },
        opts,
      );
  }
}
