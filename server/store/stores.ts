// Stores: the data layer as the rest of Linkchart sees it, one interface per aggregate, opened once
// (server/store/open-store.ts) over one connection or driver. Each backend (sqlite/, neo4j/) implements each
// interface in its own file; one contract suite per interface (test/contract/) runs on both.
//
// Rules every implementation keeps:
// - Every method that writes is one transaction: it writes all of its input or, on any error, nothing.
// - Input is validated with the domain schemas before anything is written; a StoreError says what and where.
// - Upserts are idempotent: the same input again changes nothing, and does not move the data version.
// - The data version (GraphStore.dataVersion) rises on every graph or workspace write that changes something;
//   users, the audit, targets and import runs leave it alone.
import type { StoreCounts, StoreKind } from './common.ts';
import type { CycleStore } from './cycle-store.ts';
import type { DeconflictionStore } from './deconfliction-store.ts';
import type { DuplicateStore } from './duplicates-store.ts';
import type { GraphStore } from './graph-store.ts';
import type { ImportLog } from './import-log.ts';
import type { OperationStore } from './operation-store.ts';
import type { SecurityStore } from './security-store.ts';
import type { JobStore } from './job-store.ts';
import type { SessionStore } from './session-store.ts';
import type { WorkspaceStore } from './workspace-store.ts';
import type { ReadAfterSigner } from './read-after.ts';

export interface Stores {
  readonly kind: StoreKind;
  /** Entities, links, reports, merges, search, walks and views. */
  readonly graph: GraphStore;
  /** Annotations and charts. */
  readonly workspace: WorkspaceStore;
  /** Users and the audit. */
  readonly security: SecurityStore;
  /** Targets and their action logs. */
  readonly cycle: CycleStore;
  /** Likely duplicates proposed by the resolver, and the decisions on them. */
  readonly duplicates: DuplicateStore;
  /** Import runs. */
  readonly imports: ImportLog;
  /** Operations and their members: which facts a user may read (need-to-know). */
  readonly operations: OperationStore;
  /** Notices that two operations hold the same subject, and the steps taken on them. */
  readonly deconfliction: DeconflictionStore;
  /** Sessions and the sign-in throttle, shared by every server on the store. */
  readonly sessions: SessionStore;
  /** Analysis jobs' records and results, shared by every server on the store. */
  readonly jobs: JobStore;
  /** Apply migrations / schema. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** How much of everything the store holds (health, start-up, tests). */
  counts(): Promise<StoreCounts>;
  /**
   * A file another thread may open read-only to read the same graph (SQLite's database file), so heavy
   * reads such as a whole-view export run off the request thread. Absent when there is none.
   */
  readonly readerPath?: string;
  /**
   * Signs the bookmarks a request hands its user for read-your-writes across servers (server/store/
   * read-after.ts), under a key every server shares. Absent where reads need no bookmarks (SQLite).
   */
  readonly readAfter?: ReadAfterSigner;
  /**
   * `fn` runs when this server finds the store's data replaced under it (a transfer with --replace into a
   * Neo4j it serves): what it keeps keyed by data version or id must go. Absent where a transfer cannot
   * replace the data under a running server (SQLite: the README says to stop it).
   */
  onReplaced?(fn: () => void): void;
}
