// JobStore: analysis jobs as every server of a tier sees them. A job runs on the server that took it; its
// status (refreshed as it runs, under a lease that server renews) and, once done, its result are kept here,
// so another server lists it, shows its progress, reads its result and can ask for it to be cancelled.
// Results are kept by computation key (data version, view, parameters): one result, many users' jobs.
// Contract: test/contract/job-contract.ts.
/** A job's state; the status is kept as the job manager gives it (server/jobs/job-types.ts JobStatus). */
export type StoredJobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export interface StoredJobStatus {
  state: StoredJobState;
  error: string | null;
  [field: string]: unknown;
}

export interface StoredJob {
  id: string;
  ownerId: string;
  ownerName: string;
  /** The computation's key (JobManager.key): data version, view and request. */
  key: string;
  /** The server running it, and until when that server vouches for it (ms since the epoch). */
  server: string;
  leaseUntil: number;
  status: StoredJobStatus;
  /** The operations the job's view read (need-to-know for overseers). */
  operations: string[];
  notes: string[];
  /** Another server asked for it to be cancelled. */
  cancelRequested: boolean;
}

export interface JobStore {
  /** Creates or replaces a job's record (its cancel request is kept). */
  putJob(job: StoredJob): Promise<void>;
  /**
   * Writes a new job's record only while its owner holds fewer than `maxLive` live jobs (queued or running,
   * lease not run out at `now`) on every server together: counted and written in one transaction, which
   * other claims for the same owner wait for. Returns how many live jobs the owner held before; the job was
   * written when that is below `maxLive`.
   */
  claimJob(job: StoredJob, maxLive: number, now: number): Promise<number>;
  /** Removes a job's record (a claim its request did not need after all). */
  dropJob(id: string): Promise<void>;
  getJob(id: string): Promise<StoredJob | null>;
  /** A user's jobs, newest first. */
  listJobs(ownerId: string, limit: number): Promise<StoredJob[]>;
  /** A finished job of this computation whose result is kept (for another user or server to join). */
  findDone(key: string): Promise<StoredJob | null>;
  /** Marks a job for cancelling by the server running it; false when there is no such live job. */
  requestCancel(id: string): Promise<boolean>;
  /** Moves on the lease of a server's live jobs; returns those of them asked to be cancelled. */
  renewLeases(server: string, ids: string[], leaseUntil: number): Promise<string[]>;
  /** Live jobs whose lease ran out (their server stopped) become failed with `error`; returns how many. */
  failExpired(now: number, error: string): Promise<number>;
  putResult(key: string, bytes: Uint8Array): Promise<void>;
  getResult(key: string): Promise<Uint8Array | null>;
  /**
   * Keeps at most `perUser` finished jobs per user and `total` in all (oldest dropped first), and the
   * results only of jobs kept.
   */
  prune(perUser: number, total: number): Promise<void>;
}
