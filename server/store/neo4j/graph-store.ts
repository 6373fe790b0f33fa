// GraphStore on Neo4j 5: same semantics as the SQLite store (the contract suite runs on both): the same
// validation, natural keys, merge rules and data version. Each group of methods lives in its own file:
// graph-write*.ts (writeBatch), graph-edit.ts, graph-merge.ts, graph-read.ts and graph-walk.ts; the stored
// model is described in rows.ts. All Cypher lives in cypher/ (named queries) and runs through executor.ts.
import type {
  Entity,
  EntityDetail,
  EntityType,
  Link,
  LinkDetail,
  PathResult,
  Report,
  Subgraph,
  ViewFilter,
  WriteContext,
} from '../../domain/model.ts';
import type { ListOptions, Page } from '../common.ts';
import { packView, viewOptionsSchema, type ViewOptions } from '../../analysis/view.ts';
import { streamView } from './view-load.ts';
import type {
  AnalysisView,
  EntityPatch,
  GraphStore,
  LinkListOptions,
  LinkPatch,
  MergeRecord,
  NeighbourhoodOptions,
  PathOptions,
  SearchHit,
  FactRemoval,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import { GENERAL_OP_ID, type Neo4jContext } from './context.ts';
import { writeBatch } from './graph-write.ts';
import * as edit from './graph-edit.ts';
import * as events from './events.ts';
import type { EventFilter, EventPage } from '../../domain/events.ts';
import * as merges from './graph-merge.ts';
import * as read from './graph-read.ts';
import * as walk from './graph-walk.ts';
import type { ReadScope } from '../../domain/operations.ts';
import { narrowScope, type Scope } from './op-membership.ts';

export class Neo4jGraphStore implements GraphStore {
  /**
   * @param scope the operations every read of this store sees (need-to-know); null: all of them, for the
   *   system only. Each read passes it to its Cypher as `$ops`, where the membership filter is applied.
   */
  constructor(
    private readonly c: Neo4jContext,
    private readonly scope: Scope = null,
    private readonly root: Neo4jGraphStore | null = null,
  ) {}

  /** The scope this store's reads obey, for work handed to another thread (an export worker). */
  get readScope(): ReadScope {
    return this.scope === null ? 'all' : { operations: [...this.scope] };
  }

  /** Scoping a scoped store only narrows it: 'all' leaves it as it is, a scope is intersected with its own. */
  scoped(scope: ReadScope): GraphStore {
    const all = this.root ?? this;
    if (scope === 'all') return this;
    const ops = narrowScope(this.scope, scope.operations)!;
    return new Neo4jGraphStore(this.c, ops, all);
  }

  async dataVersion(): Promise<number> {
    return this.c.read((tx) => this.c.versionIn(tx));
  }

  // --- writes (each one transaction) ---

  writeBatch(batch: WriteBatch, ctx: WriteContext): Promise<WriteResult> {
    return writeBatch(this.c, batch, ctx);
  }
  // An edit answers with the fact as this store's scope sees it (the edit's operation is in it).
  async updateEntity(id: string, patch: EntityPatch, ctx: WriteContext): Promise<EntityDetail> {
    await edit.updateEntity(this.c, id, patch, ctx);
    return (
      (await this.getEntity(id)) ?? (await read.getEntity(this.c, id, [ctx.operationId ?? GENERAL_OP_ID]))!
    );
  }
  async updateLink(id: string, patch: LinkPatch, ctx: WriteContext): Promise<LinkDetail> {
    await edit.updateLink(this.c, id, patch, ctx);
    return (await this.getLink(id)) ?? (await read.getLink(this.c, id, [ctx.operationId ?? GENERAL_OP_ID]))!;
  }
  deleteEntity(id: string, ctx: WriteContext): Promise<FactRemoval> {
    return edit.deleteEntity(this.c, id, ctx);
  }
  deleteLink(id: string, ctx: WriteContext): Promise<FactRemoval> {
    return edit.deleteLink(this.c, id, ctx);
  }
  deleteReport(id: string, _ctx: WriteContext): Promise<{ entities: string[]; links: string[] }> {
    return edit.deleteReport(this.c, id);
  }
  setReportReviewDate(id: string, reviewDate: string, _ctx: WriteContext): Promise<Report> {
    return edit.setReportReviewDate(this.c, id, reviewDate);
  }
  merge(keepId: string, dropId: string, ctx: WriteContext): Promise<MergeRecord> {
    return merges.merge(this.c, keepId, dropId, ctx);
  }
  unmerge(mergeId: string, _ctx: WriteContext): Promise<void> {
    return merges.unmerge(this.c, mergeId);
  }
  listMerges(opts?: ListOptions): Promise<Page<MergeRecord>> {
    return merges.listMerges(this.c, opts, this.scope === null ? null : [...this.scope]);
  }

  // --- reads ---

  getEntity(id: string): Promise<EntityDetail | null> {
    return read.getEntity(this.c, id, this.scope);
  }
  getEntities(ids: string[]): Promise<Entity[]> {
    return read.getEntities(this.c, ids, this.scope);
  }
  findEntity(type: EntityType, key: string): Promise<Entity | null> {
    return read.findEntity(this.c, type, key, this.scope);
  }
  listEntities(opts?: ListOptions & { type?: EntityType; importId?: string }): Promise<Page<Entity>> {
    return read.listEntities(this.c, opts, this.scope);
  }
  getLink(id: string): Promise<LinkDetail | null> {
    return read.getLink(this.c, id, this.scope);
  }
  listLinks(opts?: LinkListOptions): Promise<Page<Link>> {
    return read.listLinks(this.c, opts, this.scope);
  }
  getReport(idOrRef: string): Promise<Report | null> {
    return read.getReport(this.c, idOrRef, this.scope);
  }
  listReports(opts?: ListOptions & { dueBefore?: string }): Promise<Page<Report>> {
    return read.listReports(this.c, opts, this.scope);
  }
  search(query: string, opts?: { types?: EntityType[]; limit?: number }): Promise<SearchHit[]> {
    return read.search(this.c, query, opts, this.scope);
  }
  neighbourhood(seedIds: string[], opts: NeighbourhoodOptions): Promise<Subgraph> {
    return walk.neighbourhood(this.c, seedIds, opts, this.scope);
  }
  shortestPaths(fromId: string, toId: string, opts?: PathOptions): Promise<PathResult[]> {
    return walk.shortestPaths(this.c, fromId, toId, opts, this.scope);
  }
  listEvents(filter: EventFilter): Promise<EventPage> {
    return events.listEvents(this.c, filter, this.scope);
  }
  subgraph(filter: ViewFilter, opts?: { limit?: number }): Promise<Subgraph> {
    return walk.subgraph(this.c, filter, opts, this.scope);
  }
  /**
   * The analysis view streamed into typed arrays (view-load.ts) a page at a time, never as Link or Entity
   * objects; its arrays on shared memory for the job workers.
   */
  async analysisView(
    options: ViewOptions,
    opts: { limit?: number; only?: string[] } = {},
  ): Promise<AnalysisView> {
    const parsed = viewOptionsSchema.parse(options);
    const view = await this.c.read((tx) => streamView(tx, parsed, { ...opts, shared: true }, this.scope));
    return view ? { truncated: false, view: packView(view) } : { truncated: true };
  }
}
