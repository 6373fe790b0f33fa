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
import type {
  EntityPatch,
  GraphStore,
  LinkListOptions,
  LinkPatch,
  MergeRecord,
  NeighbourhoodOptions,
  PathOptions,
  SearchHit,
  WriteBatch,
  WriteResult,
} from '../graph-store.ts';
import { readDataVersion, type Neo4jContext } from './context.ts';
import { writeBatch } from './graph-write.ts';
import * as edit from './graph-edit.ts';
import * as events from './events.ts';
import type { EventFilter, EventPage } from '../../domain/events.ts';
import * as merges from './graph-merge.ts';
import * as read from './graph-read.ts';
import * as walk from './graph-walk.ts';

export class Neo4jGraphStore implements GraphStore {
  constructor(private readonly c: Neo4jContext) {}

  /** Placeholder until ops-neo4j scopes the Cypher reads: every scope reads everything. */
  scoped(): GraphStore {
    return this;
  }

  async dataVersion(): Promise<number> {
    return this.c.read(readDataVersion);
  }

  // --- writes (each one transaction) ---

  writeBatch(batch: WriteBatch, ctx: WriteContext): Promise<WriteResult> {
    return writeBatch(this.c, batch, ctx);
  }
  async updateEntity(id: string, patch: EntityPatch, _ctx: WriteContext): Promise<EntityDetail> {
    await edit.updateEntity(this.c, id, patch);
    return (await this.getEntity(id))!;
  }
  async updateLink(id: string, patch: LinkPatch, _ctx: WriteContext): Promise<LinkDetail> {
    await edit.updateLink(this.c, id, patch);
    return (await this.getLink(id))!;
  }
  deleteEntity(id: string, _ctx: WriteContext): Promise<void> {
    return edit.deleteEntity(this.c, id);
  }
  deleteLink(id: string, _ctx: WriteContext): Promise<void> {
    return edit.deleteLink(this.c, id);
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
    return merges.listMerges(this.c, opts);
  }

  // --- reads ---

  getEntity(id: string): Promise<EntityDetail | null> {
    return read.getEntity(this.c, id);
  }
  getEntities(ids: string[]): Promise<Entity[]> {
    return read.getEntities(this.c, ids);
  }
  findEntity(type: EntityType, key: string): Promise<Entity | null> {
    return read.findEntity(this.c, type, key);
  }
  listEntities(opts?: ListOptions & { type?: EntityType; importId?: string }): Promise<Page<Entity>> {
    return read.listEntities(this.c, opts);
  }
  getLink(id: string): Promise<LinkDetail | null> {
    return read.getLink(this.c, id);
  }
  listLinks(opts?: LinkListOptions): Promise<Page<Link>> {
    return read.listLinks(this.c, opts);
  }
  getReport(idOrRef: string): Promise<Report | null> {
    return read.getReport(this.c, idOrRef);
  }
  listReports(opts?: ListOptions & { dueBefore?: string }): Promise<Page<Report>> {
    return read.listReports(this.c, opts);
  }
  search(query: string, opts?: { types?: EntityType[]; limit?: number }): Promise<SearchHit[]> {
    return read.search(this.c, query, opts);
  }
  neighbourhood(seedIds: string[], opts: NeighbourhoodOptions): Promise<Subgraph> {
    return walk.neighbourhood(this.c, seedIds, opts);
  }
  shortestPaths(fromId: string, toId: string, opts?: PathOptions): Promise<PathResult[]> {
    return walk.shortestPaths(this.c, fromId, toId, opts);
  }
  listEvents(filter: EventFilter): Promise<EventPage> {
    return events.listEvents(this.c, filter);
  }
  subgraph(filter: ViewFilter, opts?: { limit?: number }): Promise<Subgraph> {
    return walk.subgraph(this.c, filter, opts);
  }
}
