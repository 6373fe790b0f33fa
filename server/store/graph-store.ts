// GraphStore: the intelligence graph (entities, links, reports, merges, search, walks and views), the aggregate
// every analysis and chart rests on. Implemented by sqlite/graph*.ts and neo4j/graph*.ts; contract:
// test/contract/graph-{write,read}-contract.ts. The rules every store keeps are in stores.ts.
import type {
  Entity,
  EntityDetail,
  EntityInput,
  EntityType,
  Link,
  LinkDetail,
  LinkInput,
  LinkType,
  PathResult,
  Properties,
  Report,
  ReportInput,
  Subgraph,
  ViewFilter,
  WriteContext,
} from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';
import type { PackedView, ViewOptions } from '../analysis/view.ts';
import type { EventColumns, EventFilter, EventPage } from '../domain/events.ts';
import type { ListOptions, Page } from './common.ts';

export interface WriteBatch {
  reports?: ReportInput[];
  entities?: EntityInput[];
  /** Links may name endpoints by natural key ({type, key}), including entities of the same batch. */
  links?: LinkInput[];
  /** Single calls and reads of the batch's links (imports); the links' counts are derived from them. */
  events?: EventColumns[];
}

export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface WriteResult {
  reports: UpsertCounts;
  entities: UpsertCounts;
  links: UpsertCounts;
  /** Ids in input order. */
  entityIds: string[];
  linkIds: string[];
  reportIds: string[];
  dataVersion: number;
}

export type LinkListOptions = ListOptions & { type?: LinkType; entityId?: string; after?: string };

export interface SearchHit {
  entity: Entity;
  /** Higher is better; comparable only within one result. Exact hits always score above similar ones. */
  score: number;
  /** 'exact': the words as typed; 'similar': only sounds or is spelt like them ("Smth" for Smith). */
  match: 'exact' | 'similar';
}

export interface NeighbourhoodOptions {
  /** 1 to 4. */
  hops: number;
  filter?: ViewFilter;
  /** Entity types to bring in (the seeds are always included). */
  entityTypes?: EntityType[];
  /** Stop after this many nodes; `truncated` says so. */
  limit?: number;
  /**
   * Refuse (StoreError 'too_large') as soon as the links among the nodes reached pass this many: the walk
   * stops there rather than gathering, copying and sending an answer the caller would refuse.
   */
  maxLinks?: number;
}

export interface PathOptions {
  filter?: ViewFilter;
  /** Longest path considered, in links. */
  maxHops?: number;
  /** How many shortest paths at most. */
  limit?: number;
}

export interface MergeRecord {
  id: string;
  keptId: string;
  mergedId: string;
  actor: string;
  at: string;
  undone: boolean;
}

export interface EntityPatch {
  label?: string;
  properties?: Properties;
  reviewDate?: string | null;
  /** Report refs to attach. */
  addReports?: string[];
  /** Report refs to detach. */
  removeReports?: string[];
}
export interface LinkPatch {
  weight?: number;
  firstSeen?: string | null;
  lastSeen?: string | null;
  properties?: Properties;
  addReports?: string[];
  removeReports?: string[];
}

export interface GraphStore {
  /**
   * The same store whose every read sees only the facts of the scope's operations (need-to-know): a hidden
   * fact is absent, a shared entity shows what the scope's operations hold of it. Writes are unchanged (they
   * take their operation from the WriteContext). scoped('all') is the store itself: for the system only.
   */
  scoped(scope: ReadScope): GraphStore;
  /** Rises on every graph or workspace write that changes something. Caches key on it. */
  dataVersion(): Promise<number>;

  // --- writes (each one transaction) ---
  writeBatch(batch: WriteBatch, ctx: WriteContext): Promise<WriteResult>;
  updateEntity(id: string, patch: EntityPatch, ctx: WriteContext): Promise<EntityDetail>;
  updateLink(id: string, patch: LinkPatch, ctx: WriteContext): Promise<LinkDetail>;
  /** Deletes the entity and its links. */
  deleteEntity(id: string, ctx: WriteContext): Promise<void>;
  deleteLink(id: string, ctx: WriteContext): Promise<void>;
  /** Removes a report; entities and links that rested on nothing else are removed too (retention disposal). */
  deleteReport(id: string, ctx: WriteContext): Promise<{ entities: string[]; links: string[] }>;
  /** Optional: sets a report's next review date (retention review: retain). Without it retention re-writes the report. */
  setReportReviewDate?(id: string, reviewDate: string, ctx: WriteContext): Promise<Report>;
  /** Same real thing: `dropId`'s links, reports and key move to `keepId`; recorded so it can be undone. */
  merge(keepId: string, dropId: string, ctx: WriteContext): Promise<MergeRecord>;
  unmerge(mergeId: string, ctx: WriteContext): Promise<void>;
  listMerges(opts?: ListOptions): Promise<Page<MergeRecord>>;

  // --- reads ---
  getEntity(id: string): Promise<EntityDetail | null>;
  getEntities(ids: string[]): Promise<Entity[]>;
  findEntity(type: EntityType, key: string): Promise<Entity | null>;
  /** With importId: the entities that import wrote or matched. */
  listEntities(opts?: ListOptions & { type?: EntityType; importId?: string }): Promise<Page<Entity>>;
  getLink(id: string): Promise<LinkDetail | null>;
  /**
   * Links in id order. With `after` (a link id, or the `next` of the page before), the links after it: a
   * page read by key, as fast at the millionth link as at the first; `next` says how to go on.
   */
  listLinks(opts?: LinkListOptions): Promise<Page<Link>>;
  getReport(idOrRef: string): Promise<Report | null>;
  listReports(opts?: ListOptions & { dueBefore?: string }): Promise<Page<Report>>;
  /** Full-text search over labels and identifiers (keys, string properties). Plain text, never a query language. */
  search(query: string, opts?: { types?: EntityType[]; limit?: number }): Promise<SearchHit[]>;
  neighbourhood(seedIds: string[], opts: NeighbourhoodOptions): Promise<Subgraph>;
  /** All shortest paths (fewest links, ignoring direction) between two entities. */
  shortestPaths(fromId: string, toId: string, opts?: PathOptions): Promise<PathResult[]>;
  /** Calls and reads in (at, id) order, a bounded page at a time (keyset cursor `after`). */
  listEvents(filter: EventFilter): Promise<EventPage>;
  /** The filtered graph a view is built from. */
  subgraph(filter: ViewFilter, opts?: { limit?: number }): Promise<Subgraph>;
  /**
   * Optional: the analysis view of `options` (its filter read with `limit`) built off the request thread,
   * its arrays on SharedArrayBuffer. A store offers it when it can read and build in a worker of its own;
   * server/jobs/view-off-thread.ts builds it in a worker for the stores that do not.
   */
  analysisView?(options: ViewOptions, opts?: { limit?: number; only?: string[] }): Promise<AnalysisView>;
}

/** An analysis view, or word that the store held more links than the limit (nothing was built then). */
export type AnalysisView = { truncated: false; view: PackedView } | { truncated: true };
