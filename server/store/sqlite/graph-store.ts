// GraphStore on SQLite, over the shared connection. The work is in graph-write.ts (writeBatch),
// graph-edit.ts (patches, deletes, merges), graph-read.ts (reads, search) and graph-walk.ts (walks, views);
// this class only binds them to the connection and, when the server started them, sends walks to the read
// workers (read-pool.ts).
import type { EntityType, ViewFilter, WriteContext } from '../../domain/model.ts';
import type { ViewOptions } from '../../analysis/view.ts';
import type { ReadScope } from '../../domain/operations.ts';
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

  scoped(scope: ReadScope): SqliteGraphStore {
    if (scope === 'all') return this.base ?? this;
    const s = new SqliteGraphStore(this.c, { operations: [...scope.operations] });
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

  // --- writes

  async writeBatch(batch: WriteBatch, ctx: WriteContext) {
    return this.c.write(() => writeBatch(this.c, batch, ctx));
  }
  async updateEntity(id: string, patch: EntityPatch, _ctx: WriteContext) {
    return this.c.write(() => edit.updateEntity(this.c, id, patch));
  }
  async updateLink(id: string, patch: LinkPatch, _ctx: WriteContext) {
    return this.c.write(() => edit.updateLink(this.c, id, patch));
  }
  async deleteEntity(id: string, _ctx: WriteContext) {
    await this.c.write(() => edit.deleteEntity(this.c, id));
  }
  async deleteLink(id: string, _ctx: WriteContext) {
    await this.c.write(() => edit.deleteLink(this.c, id));
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
    return edit.listMerges(this.c, opts);
  }

  // --- reads

  async getEntity(id: string) {
    return read.getEntity(this.c, id);
  }
  async getEntities(ids: string[]) {
    return read.getEntities(this.c, ids);
  }
  async findEntity(type: EntityType, key: string) {
    return read.findEntity(this.c, type, key);
  }
  async listEntities(opts: ListOptions & { type?: EntityType; importId?: string } = {}) {
    return read.listEntities(this.c, opts);
  }
  async getLink(id: string) {
    return read.getLink(this.c, id);
  }
  async listLinks(opts: LinkListOptions = {}) {
    return read.listLinks(this.c, opts);
  }
  async getReport(idOrRef: string) {
    return read.getReport(this.c, idOrRef);
  }
  async listReports(opts: ListOptions & { dueBefore?: string } = {}) {
    return read.listReports(this.c, opts);
  }
  async search(query: string, opts: { types?: EntityType[]; limit?: number } = {}) {
    return read.search(this.c, query, opts);
  }

  // --- walks and views

  async neighbourhood(seedIds: string[], opts: NeighbourhoodOptions) {
    if (this.readers?.size) return this.readers.call('neighbourhood', [seedIds, opts]);
    return walk.neighbourhood(this.c, seedIds, opts);
  }
  async shortestPaths(fromId: string, toId: string, opts: PathOptions = {}) {
    if (this.readers?.size) return this.readers.call('shortestPaths', [fromId, toId, opts]);
    return walk.shortestPaths(this.c, fromId, toId, opts);
  }
  async listEvents(filter: EventFilter) {
    return events.listEvents(this.c, filter);
  }
  async subgraph(filter: ViewFilter, opts: { limit?: number } = {}) {
    if (this.readers?.size) return this.readers.call('subgraph', [filter, opts]);
    return walk.subgraph(this.c, filter, opts);
  }
  /** Only with read workers: without them the caller builds the view in a worker of its own. */
  get analysisView(): GraphStore['analysisView'] {
    const readers = this.readers;
    if (!readers?.size) return undefined;
    return (options: ViewOptions, opts: { limit?: number; only?: string[] } = {}) =>
      readers.callView(options, opts);
  }
}
