// GraphStore: the one interface every part of Linkchart uses to reach the data. Two implementations
// (SQLite, the embedded default; Neo4j) pass one contract suite: test/contract/store-contract.ts.
//
// Rules every implementation keeps:
// - Every method that writes is one transaction: it writes all of its input or, on any error, nothing.
// - Input is validated with the domain schemas before anything is written; a StoreError says what and where.
// - Upserts are idempotent: the same input again changes nothing, and does not move the data version.
// - The data version rises on every write that changes something.
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
  Role,
  Subgraph,
  User,
  ViewFilter,
  WriteContext,
} from '../domain/model.ts';
import type { Target, TargetActionInput, TargetQuery, TargetRecord } from '../domain/target.ts';

export type StoreKind = 'sqlite' | 'neo4j';

export type StoreErrorCode =
  | 'invalid' // input failed validation (HTTP 400)
  | 'not_found' // an id or key that does not exist (404)
  | 'conflict' // e.g. a duplicate report ref with different content, merging an entity with itself (409)
  | 'unavailable'; // the database cannot be reached (503)

/** The error every store throws for anything the caller did wrong or cannot have. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** Where in the input: e.g. ['links', 3, 'to'] for the fourth link of a batch. */
    readonly path: (string | number)[] = [],
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface WriteBatch {
  reports?: ReportInput[];
  entities?: EntityInput[];
  /** Links may name endpoints by natural key ({type, key}), including entities of the same batch. */
  links?: LinkInput[];
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

export interface StoreCounts {
  entities: number;
  links: number;
  reports: number;
  annotations: number;
  charts: number;
  audit: number;
  entitiesByType: Partial<Record<EntityType, number>>;
  linksByType: Partial<Record<LinkType, number>>;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface SearchHit {
  entity: Entity;
  /** Higher is better; comparable only within one result. */
  score: number;
}

export interface NeighbourhoodOptions {
  /** 1 to 4. */
  hops: number;
  filter?: ViewFilter;
  /** Entity types to bring in (the seeds are always included). */
  entityTypes?: EntityType[];
  /** Stop after this many nodes; `truncated` says so. */
  limit?: number;
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

export interface ListOptions {
  offset?: number;
  limit?: number;
}

export interface AuditQuery extends ListOptions {
  actor?: string;
  action?: string;
  objectId?: string;
  since?: string;
  until?: string;
}

export interface GraphStore {
  readonly kind: StoreKind;
  /** Apply migrations / schema. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Rises on every write that changes something. Caches key on it. */
  dataVersion(): Promise<number>;
  counts(): Promise<StoreCounts>;

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
  listLinks(opts?: ListOptions & { type?: LinkType; entityId?: string }): Promise<Page<Link>>;
  getReport(idOrRef: string): Promise<Report | null>;
  listReports(opts?: ListOptions & { dueBefore?: string }): Promise<Page<Report>>;
  /** Full-text search over labels and identifiers (keys, string properties). Plain text, never a query language. */
  search(query: string, opts?: { types?: EntityType[]; limit?: number }): Promise<SearchHit[]>;
  neighbourhood(seedIds: string[], opts: NeighbourhoodOptions): Promise<Subgraph>;
  /** All shortest paths (fewest links, ignoring direction) between two entities. */
  shortestPaths(fromId: string, toId: string, opts?: PathOptions): Promise<PathResult[]>;
  /** The filtered graph a view is built from. */
  subgraph(filter: ViewFilter, opts?: { limit?: number }): Promise<Subgraph>;

  // --- annotations, charts, users, audit ---
  createAnnotation(input: AnnotationInput, ctx: WriteContext): Promise<Annotation>;
  updateAnnotation(id: string, input: Partial<AnnotationInput>, ctx: WriteContext): Promise<Annotation>;
  deleteAnnotation(id: string, ctx: WriteContext): Promise<void>;
  listAnnotations(target?: { kind: string; id: string }, opts?: ListOptions): Promise<Page<Annotation>>;

  saveChart(input: ChartInput, ctx: WriteContext, id?: string): Promise<Chart>;
  getChart(id: string): Promise<Chart | null>;
  listCharts(opts?: ListOptions): Promise<Page<Chart>>;
  deleteChart(id: string, ctx: WriteContext): Promise<void>;

  createUser(user: { name: string; role: Role; passwordHash: string }): Promise<User>;
  updateUser(id: string, patch: Partial<Pick<User, 'role' | 'passwordHash' | 'disabled'>>): Promise<User>;
  getUserByName(name: string): Promise<User | null>;
  getUser(id: string): Promise<User | null>;
  listUsers(opts?: ListOptions): Promise<Page<User>>;

  // --- targets (tasking; server/store/{sqlite,neo4j}/targets.ts, test/contract/targets-contract.ts) ---
  // Target writes do not move the data version: they change no graph fact.
  /**
   * Creates a target (record without id) or replaces one (with id). `expectedVersion`, when given, must
   * equal the stored version or the save is refused as a conflict.
   */
  saveTarget(target: TargetRecord, ctx: WriteContext, opts?: { expectedVersion?: number }): Promise<Target>;
  getTarget(id: string): Promise<Target | null>;
  /** Newest first. */
  listTargets(query?: TargetQuery): Promise<Page<Target>>;
  /**
   * Appends an action to the target's append-only log and, in the same transaction, marks the target
   * actioned. Refused (conflict) unless it is approved or already actioned.
   */
  appendTargetAction(targetId: string, action: TargetActionInput, ctx: WriteContext): Promise<Target>;

  /** Append-only: the store links each record to the previous one by hash (see server/security/audit-chain.ts). */
  appendAudit(input: AuditInput): Promise<AuditEvent>;
  /**
   * Several records in one transaction, chained in the order given: all are written or none (a bad one
   * is refused as 'invalid' with its index in the path). The server's audit hook groups the records of
   * concurrent requests this way, so the chain costs one commit per group rather than one per request.
   */
  appendAuditBatch(inputs: AuditInput[]): Promise<AuditEvent[]>;
  listAudit(query?: AuditQuery): Promise<Page<AuditEvent>>;

  // --- import runs (written by writeBatch when its context carries importRun) ---
  /** Runs newest first; with importId, the runs of that import only. */
  listImportRuns(query?: ListOptions & { importId?: string }): Promise<Page<ImportRun>>;
}
