// What every store interface shares: the error a store throws, pages of results, and which backend it is.
// The interfaces themselves, one per aggregate: graph-store.ts, workspace-store.ts, security-store.ts,
// cycle-store.ts, import-log.ts; stores.ts holds them together.
import type { EntityType, LinkType } from '../domain/model.ts';

export type StoreKind = 'sqlite' | 'neo4j';

export type StoreErrorCode =
  | 'invalid' // input failed validation (HTTP 400)
  | 'not_found' // an id or key that does not exist (404)
  | 'conflict' // e.g. a duplicate report ref with different content, merging an entity with itself (409)
  | 'unavailable' // the database cannot be reached (503)
  | 'busy' // the database is there but could not take the work now, after retries: try again (503)
  | 'too_large'; // an answer past a bound the caller set, e.g. NeighbourhoodOptions.maxLinks (413)

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

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
  /**
   * For lists that page by key (entities, links, reports, the audit, ...): the key that reads the next page in the same order (`after`;
   * the audit newest first: `before`); null at the end.
   */
  next?: string | null;
  /** The total is a lower bound: a scope on a large Neo4j store is not counted whole (graph-read.ts linkTotal). */
  totalAtLeast?: boolean;
}

export interface ListOptions {
  offset?: number;
  limit?: number;
  /** Lists read by key: the id of the last row the caller has (the page before's `next`); see shared/list-key.ts. */
  after?: string;
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
