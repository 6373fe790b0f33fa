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
  /** Single calls and reads of the batch's links (imports), in blocks, each valid until the next is taken; the links' counts are derived from them. */
  events?: Iterable<EventColumns>;
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

/**
 * What a delete removed from its operation (the same shape whether other operations keep the fact or not, so
 * it tells nobody about operations they cannot read). Ids in id order.
 */
export interface FactRemoval {
  /** The operation it was removed from (id). */
  operationId: string;
  /** Entities removed from the operation. */
  entities: string[];
  /** Links removed from the operation. */
  links: string[];
  /** The operation's reports detached from them. */
  reports: string[];
  /** How many of the operation's calls and reads went with them. */
  events: number;
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
  /** The scope this store's reads obey; absent: 'all'. Work handed to another thread carries it along. */
  readonly readScope?: ReadScope;
  /** Rises on every graph or workspace write that changes something. Caches key on it. */
  dataVersion(): Promise<number>;

  // --- writes (each one transaction) ---
  writeBatch(batch: WriteBatch, ctx: WriteContext): Promise<WriteResult>;
  updateEntity(id: string, patch: EntityPatch, ctx: WriteContext): Promise<EntityDetail>;
  updateLink(id: string, patch: LinkPatch, ctx: WriteContext): Promise<LinkDetail>;
  /**
   * Deletes the entity from the working operation: what that operation holds of it (its membership, its
   * properties, its reports on it, its links there that no other operation holds, its calls and reads on them)
   * goes; other operations keep the entity whole. When no other operation holds it, the entity and its links go.
   * A conflict when the working operation does not hold it.
   */
  deleteEntity(id: string, ctx: WriteContext): Promise<FactRemoval>;
  /** The same for one link (the link goes when only the working operation holds it). */
  deleteLink(id: string, ctx: WriteContext): Promise<FactRemoval>;
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
