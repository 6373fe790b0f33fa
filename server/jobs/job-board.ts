// The jobs every server of a tier sees. A job runs on the server that took it (job-manager.ts); this keeps
// its record in the store as it changes (a lease the server renews while it runs, the result once done), so
// any server lists it, shows its progress, serves its result, passes on a cancel, and joins a finished
// computation another server ran (same data version, view and parameters: the cache keeps its meaning).
// A job whose server stops is failed once its lease runs out. Without a store (tests, tools) it is the
// manager alone.
import { randomUUID } from 'node:crypto';
import type { JobStore, StoredJob } from '../store/job-store.ts';
import type { JobChange, JobGraph, JobManager, JobOwner, JobSpec } from './job-manager.ts';
import { JobLimitError, JobManager as Manager } from './job-manager.ts';
import { JOB_LIMIT_VARIABLES } from './job-limits.ts';
import type { JobStatus } from './job-types.ts';
import { encodeResult, resultChunks, type EncodedResult, type ResultPage } from './result-encoding.ts';

export interface JobBoardOptions {
  /** How long a server vouches for its running jobs without renewing: 30 s. */
  leaseMs?: number;
  /** Results larger than this stay on the server that made them only: 64 MB. */
  maxResultBytes?: number;
  /** Finished jobs kept in the store per user and in all (as the manager keeps them in memory). */
  keepFinishedPerUser?: number;
  keepFinished?: number;
}

/** A job as the routes see it, wherever it runs. */
export interface BoardJob {
  status: JobStatus;
  owner: JobOwner;
  operations: readonly string[];
  notes: string[];
  /** Runs on this server (its progress streams; it can be cancelled here). */
  local: boolean;
  key: string;
}

export const LEASE_LOST = 'the server running this analysis stopped before it finished; start it again';
const FINAL = new Set(['done', 'failed', 'cancelled']);
/** When a user refused by the tier-wide count may try again, s (their jobs may run on other servers). */
const CLAIM_RETRY_S = 10;
/** Progress is written to the store at most this often per job (state changes at once). */
const PROGRESS_EVERY_MS = 1_000;

export class JobBoard {
  /** This server, as named on the jobs it runs. */
  readonly server = randomUUID();
  private readonly leaseMs: number;
  private readonly maxResultBytes: number;
  private readonly keepPerUser: number;
  private readonly keepTotal: number;
  /** Each job's pending store writes, in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastWrite = new Map<string, { state: string; at: number }>();
  private readonly operations = new Map<string, readonly string[]>();
  /** Results read back from the store (another server's), the last few. */
  private readonly results = new Map<string, EncodedResult>();
  /** Places claimed in the store for jobs whose view is still being built. */
  private readonly claims = new Set<string>();
  /** Computations whose result this server has already put in the store. */
  private readonly saved = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly onChange = (c: JobChange) => this.persist(c);

  constructor(
    readonly manager: JobManager,
    private readonly store: JobStore | null,
    opts: JobBoardOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxResultBytes = opts.maxResultBytes ?? 64 * 1024 * 1024;
    this.keepPerUser = opts.keepFinishedPerUser ?? 8;
    this.keepTotal = opts.keepFinished ?? 32;
    if (!store) return;
    manager.changes.on('status', this.onChange);
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /** Start (or join) a job: here when this server has the computation or none has finished it. */
  async submit(
    owner: JobOwner,
    spec: JobSpec,
    build: () => Promise<JobGraph>,
    operations: readonly string[],
  ): Promise<{ status: JobStatus; notes: string[] }> {
    const key = Manager.key(spec);
    if (this.store && !this.manager.has(key)) {
      const done = await this.store.findDone(key);
      if (done) return this.joinDone(owner, done, operations);
    }
    const claim =
      this.store && this.manager.takesPlace(owner, key) ? await this.claim(owner, spec, key) : null;
    let out: { status: JobStatus; notes: string[] };
    try {
      out = await this.manager.submit(owner, spec, build, claim ?? undefined);
    } catch (e) {
      if (claim) await this.release(claim);
      throw e;
    } finally {
      if (claim) this.claims.delete(claim);
    }
    // The owner's own job on this computation came back instead (asked twice at once): the place is freed.
    if (claim && out.status.id !== claim) await this.release(claim);
    this.operations.set(out.status.id, operations);
    if (this.store) {
      // Written before the answer, so every server lists it from the moment its id is known.
      this.persist({ id: out.status.id, owner, key, notes: out.notes, status: out.status }, true);
      await this.flush(out.status.id);
    }
    return out;
  }

  /**
   * Holds one of the owner's places in the store before the view is built, counting their live jobs on
   * every server (the cap is per user, not per server). Throws the manager's JobLimitError when they have
   * none left. The returned id becomes the job's; its record says 'starting' until the job is made.
   */
  private async claim(owner: JobOwner, spec: JobSpec, key: string): Promise<string> {
    const max = this.manager.maxJobsPerUser;
    const id = randomUUID();
    const now = Date.now();
    const createdAt = new Date(now).toISOString();
    const status: JobStatus = {
      id,
      kind: spec.request.kind,
      state: 'queued',
      progress: 0,
      phase: 'starting',
      error: null,
      dataVersion: spec.dataVersion,
      nodes: 0,
      links: 0,
      owner: owner.name,
      createdAt,
      startedAt: null,
      finishedAt: null,
    };
    // Renewed with this server's jobs while the view is built (renew()).
    this.claims.add(id);
    const held = await this.store!.claimJob(
      {
        id,
        ownerId: owner.id,
        ownerName: owner.name,
        key,
        server: this.server,
        leaseUntil: now + this.leaseMs,
        status: status as unknown as StoredJob['status'],
        operations: [],
        notes: [],
        cancelRequested: false,
      },
      max,
      now,
    ).catch((e: unknown) => {
      this.claims.delete(id);
      throw e;
    });
    if (held < max) return id;
    this.claims.delete(id);
    throw new JobLimitError(
      'user',
      `you have ${held} analysis job${held === 1 ? '' : 's'} queued or running (on every server together); ` +
        `each user may have ${max} at once (${JOB_LIMIT_VARIABLES.maxJobsPerUser}). ` +
        'Wait for one to finish or cancel one, then try again',
      CLAIM_RETRY_S,
    );
  }

  /** Gives back a place held by claim() that no job took. */
  private async release(id: string): Promise<void> {
    await this.store!.dropJob(id).catch(() => {
      // The store is down: the claim's lease runs out and it is failed like any job of a stopped server.
    });
  }

  /** A job, here or on any server of the tier; null when there is none. */
  async get(id: string): Promise<BoardJob | null> {
    const status = this.manager.get(id);
    const owner = this.manager.ownerOf(id);
    if (status && owner) {
      const stored = this.operations.get(id) ?? (await this.store?.getJob(id))?.operations ?? [];
      return { status, owner, operations: stored, notes: this.manager.notes(id), local: true, key: '' };
    }
    if (!this.store) return null;
    const j = await this.store.getJob(id);
    return j ? this.fromStore(j) : null;
  }

  /** A user's jobs on every server, newest first. */
  async list(ownerId: string): Promise<JobStatus[]> {
    if (!this.store) return this.manager.list(ownerId);
    const stored = await this.store.listJobs(ownerId, this.keepPerUser + 64);
    return stored.map((j) => this.manager.get(j.id) ?? this.fromStore(j).status);
  }

  /** A done job's result as JSON chunks (whole or one page); null when it is not to be had. */
  async resultJson(job: BoardJob, page?: ResultPage): Promise<Uint8Array[] | null> {
    if (job.local) return this.manager.resultJson(job.status.id, page);
    if (!this.store) return null;
    let enc = this.results.get(job.key);
    if (!enc) {
      const bytes = await this.store.getResult(job.key);
      if (!bytes) return null;
      enc = encodeResult(JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown);
      this.results.set(job.key, enc);
      if (this.results.size > 4) this.results.delete(this.results.keys().next().value!);
    }
    return resultChunks(enc, page);
  }

  /** Cancels a job here, or asks the server running it to. */
  async cancel(job: BoardJob, why: string): Promise<JobStatus | null> {
    if (job.local) return this.manager.cancel(job.status.id, why);
    if (FINAL.has(job.status.state) || !this.store) return job.status;
    await this.store.requestCancel(job.status.id);
    return { ...job.status, phase: 'cancelling' };
  }

  /** Status changes of a job: as they happen here, or read from the store every second for another's. */
  subscribe(job: BoardJob, listener: (s: JobStatus) => void): () => void {
    if (job.local || !this.store) return this.manager.subscribe(job.status.id, listener);
    const store = this.store;
    let last = JSON.stringify(job.status);
    const t = setInterval(() => {
      void store.getJob(job.status.id).then((j) => {
        if (!j) return;
        const s = this.fromStore(j).status;
        const now = JSON.stringify(s);
        if (now !== last) {
          last = now;
          listener(s);
        }
      });
    }, 1_000);
    return () => clearInterval(t);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.manager.close();
    await Promise.allSettled([...this.chains.values()]);
    this.manager.changes.off('status', this.onChange);
  }

  /** Waits for a job's store writes so far. */
  async flush(id: string): Promise<void> {
    await this.chains.get(id);
  }

  // --- the store --------------------------------------------------------------------------------------

  private async joinDone(
    owner: JobOwner,
    done: StoredJob,
    operations: readonly string[],
  ): Promise<{ status: JobStatus; notes: string[] }> {
    if (done.ownerId === owner.id) return { status: this.fromStore(done).status, notes: done.notes };
    const id = randomUUID();
    const status = {
      ...(done.status as unknown as JobStatus),
      id,
      owner: owner.name,
      createdAt: new Date().toISOString(),
    };
    await this.store!.putJob({
      ...done,
      id,
      ownerId: owner.id,
      ownerName: owner.name,
      server: this.server,
      leaseUntil: 0,
      status: status as unknown as StoredJob['status'],
      operations: [...operations],
      cancelRequested: false,
    });
    return { status, notes: done.notes };
  }

  private fromStore(j: StoredJob): BoardJob {
    let status = j.status as unknown as JobStatus;
    if (!FINAL.has(status.state) && j.leaseUntil < Date.now())
      status = { ...status, state: 'failed', phase: 'failed', error: LEASE_LOST };
    return {
      status,
      owner: { id: j.ownerId, name: j.ownerName },
      operations: j.operations,
      notes: j.notes,
      local: false,
      key: j.key,
    };
  }

  /** Queues the write of a job's change (progress at most once a second; state changes always). */
  private persist(c: JobChange, force = false): void {
    const store = this.store;
    if (!store) return;
    const prev = this.lastWrite.get(c.id);
    const now = Date.now();
    if (!force && prev && prev.state === c.status.state && now - prev.at < PROGRESS_EVERY_MS) return;
    this.lastWrite.set(c.id, { state: c.status.state, at: now });
    const final = FINAL.has(c.status.state);
    const record: StoredJob = {
      id: c.id,
      ownerId: c.owner.id,
      ownerName: c.owner.name,
      key: c.key,
      server: this.server,
      leaseUntil: final ? 0 : now + this.leaseMs,
      status: c.status as unknown as StoredJob['status'],
      operations: [...(this.operations.get(c.id) ?? [])],
      notes: c.notes,
      cancelRequested: false,
    };
    const write = async () => {
      if (c.status.state === 'done') await this.saveResult(c);
      await store.putJob(record);
      if (final) {
        this.lastWrite.delete(c.id);
        await store.prune(this.keepPerUser, this.keepTotal);
      }
    };
    const next = (this.chains.get(c.id) ?? Promise.resolve()).then(write).catch(() => {
      // The store is down: the job still runs here; its record catches up on its next change.
    });
    this.chains.set(c.id, next);
    void next.then(() => {
      if (this.chains.get(c.id) === next) this.chains.delete(c.id);
    });
  }

  /** The result's bytes, once per computation, when within the bound. */
  private async saveResult(c: JobChange): Promise<void> {
    if (this.saved.has(c.key)) return;
    const chunks = this.manager.resultJson(c.id);
    if (!chunks) return;
    const size = chunks.reduce((n, b) => n + b.byteLength, 0);
    if (size > this.maxResultBytes) return;
    await this.store!.putResult(c.key, Buffer.concat(chunks));
    this.saved.add(c.key);
    if (this.saved.size > 1_000) this.saved.delete(this.saved.values().next().value!);
  }

  /** Renews this server's leases, passes on cancels asked elsewhere, and fails jobs of stopped servers. */
  private async renew(): Promise<void> {
    const store = this.store!;
    try {
      const now = Date.now();
      const live = [...this.manager.liveIds(), ...this.claims];
      const cancel = await store.renewLeases(this.server, live, now + this.leaseMs);
      for (const id of cancel) this.manager.cancel(id, 'cancelled from another server');
      await store.failExpired(now, LEASE_LOST);
    } catch {
      // The store is down: leases are renewed on the next round.
    }
  }
}
