// Runs analyses off the request thread, for many users at once without letting one of them hold up the rest.
//
// Two things are kept apart:
//  - a computation: one analysis over one view (data version, view, parameters) in a worker thread with a
//    memory bound (resourceLimits) and a time budget; progress (0-100 and a phase name) streams to listeners;
//  - a job: one user's handle on a computation, with its own id. Jobs belong to their owner: the manager
//    says whose each is and the routes show it to no one else (but supervisors). A second identical request
//    from the same user returns that user's job; from another user it gets a new job on the same
//    computation (the result is shared, the id and the controls are not). Cancelling a job cancels the
//    computation only when no other job still waits on it.
//
// Limits: each user may hold `maxJobsPerUser` queued or running jobs (the next is refused with a
// JobLimitError saying how many are running); at most `maxQueued` computations wait, all users together.
// The queue is fair between users: when a worker frees, the computation started next is the oldest waiting
// one of the user served least recently (round-robin over users, not first-come over jobs), so one user's
// backlog waits behind another user's single small job, not the other way round.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { CSR } from '../analysis/csr.ts';
import { toShared } from '../analysis/csr.ts';
import { packStrings } from '../analysis/packed-strings.ts';
import type { PackedView } from '../analysis/view.ts';
import { DEFAULT_JOB_LIMITS, JOB_LIMIT_VARIABLES } from './job-limits.ts';
import type { TimeWindow } from '../analysis/windows.ts';
import type { JobInput, JobRequest, JobState, JobStatus, ViewInput, WorkerMessage } from './job-types.ts';
import { encodeResult, resultChunks, type EncodedResult, type ResultPage } from './result-encoding.ts';
import { spawnTsWorker } from './spawn.ts';

export interface JobManagerOptions {
  /** Heap limit per job worker, MB. Default 2048. */
  maxMemoryMb?: number;
  /** Computations running at once; others queue. Default 1 (analyses use every core they get). */
  concurrency?: number;
  /** Finished jobs (and their results) kept for fetching and joining, all users together. Default 32. */
  keepFinished?: number;
  /** Finished jobs kept per user (so one user's many small jobs cannot push out another's result). Default 8. */
  keepFinishedPerUser?: number;
  /** Queued + running jobs one user may hold. Default 4. */
  maxJobsPerUser?: number;
  /** Computations waiting to run, all users together. Default 64. */
  maxQueued?: number;
  /** Longest one computation may run, ms. Default 900 000 (15 minutes). */
  maxJobMs?: number;
}
export const JOB_MANAGER_DEFAULTS: Required<JobManagerOptions> = {
  maxMemoryMb: 2048,
  concurrency: DEFAULT_JOB_LIMITS.jobWorkers,
  keepFinished: 32,
  keepFinishedPerUser: 8,
  maxJobsPerUser: DEFAULT_JOB_LIMITS.maxJobsPerUser,
  maxQueued: DEFAULT_JOB_LIMITS.maxQueuedJobs,
  maxJobMs: DEFAULT_JOB_LIMITS.maxJobSeconds * 1000,
};

/** Who a job belongs to: the signed-in user's id (compared) and name (shown and audited). */
export interface JobOwner {
  id: string;
  name: string;
}
/** The owner of jobs started without a user (command-line tools, tests). */
export const SYSTEM_OWNER: JobOwner = { id: 'system', name: 'system' };

/** A job refused by a limit: `user` (that user's cap) or `queue` (the queue as a whole is full). */
export class JobLimitError extends Error {
  override name = 'JobLimitError';
  constructor(
    readonly reason: 'user' | 'queue',
    message: string,
    /** A fair guess at when to try again. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A job's status as it changed, with whose it is and which computation it waits on. */
export interface JobChange {
  id: string;
  owner: JobOwner;
  key: string;
  notes: string[];
  status: JobStatus;
}

/**
 * What a job runs over: a view packed off the request thread (the server's way: nothing in it is decoded
 * here), or a graph and its labels (tests and tools; packed when the job starts).
 */
export type JobGraph = JobGraphBase &
  (
    | { packed: PackedView }
    | { csr: CSR; labels: string[] }
    /** A windows job: one view per window, in time order. */
    | { series: Array<{ window: TimeWindow; packed: PackedView }> }
    | { remote: RemoteComputation }
  );

/**
 * A computation another process does (Neo4j's Graph Data Science, for views the server does not load): run
 * in place of a worker, under the same queue, limits, time budget and result encoding. Its result is already
 * described (as describeResult would). Cancelling drops its answer; the database finishes its own work.
 */
export interface RemoteComputation {
  run(progress: (progress: number, phase: string) => void): Promise<{
    result: unknown;
    nodes: number;
    links: number;
  }>;
}
interface JobGraphBase {
  dataVersion: number;
  /** Identifies the view (e.g. ViewCache.key) for deduplication. */
  viewKey: string;
  /** What building the view folded or dropped, returned with every job on it. */
  notes?: string[];
}

/** What a job is asked to compute, before its view is built (enough to find an identical computation). */
export interface JobSpec {
  dataVersion: number;
  viewKey: string;
  request: JobRequest;
}

interface Computation {
  key: string;
  /** Until it starts: the view it runs on (dropped then, so finished results do not hold views). */
  graph: JobGraph | null;
  request: JobRequest;
  dataVersion: number;
  nodes: number;
  links: number;
  notes: string[];
  state: JobState;
  progress: number;
  phase: string;
  error: string | null;
  startedAt: string | null;
  startedMs: number;
  finishedAt: string | null;
  worker: Worker | null;
  /** A remote computation holds a running place while it runs. */
  remoteRunning: boolean;
  timer: NodeJS.Timeout | null;
  /** The result as its answer's JSON bytes (made in the worker); decoded only for `result`. */
  result: EncodedResult | undefined;
  decoded: unknown;
  handles: Set<Job>;
}

interface Job {
  id: string;
  seq: number;
  owner: JobOwner;
  comp: Computation;
  createdAt: string;
  /** Set once this job is over (its computation finished, or this job was cancelled). */
  final: JobStatus | null;
  events: EventEmitter;
}

const ENTRY = new URL('./job-worker.ts', import.meta.url);

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly byKey = new Map<string, Computation>();
  /** Each user's queued jobs, oldest first (entries whose computation started or was cancelled are skipped). */
  private readonly queues = new Map<string, Job[]>();
  /** When each user last had a computation started for them (a counter, not a clock). */
  private readonly lastServed = new Map<string, number>();
  /** Requests admitted but still building their view: they count against the caps. */
  private readonly reserved = new Map<string, number>();
  private reservedTotal = 0;
  /** Finished jobs in the order they finished (for keeping only so many). */
  private finished: Job[] = [];
  private running = 0;
  private seq = 0;
  private serveSeq = 0;
  private closing = false;
  private readonly o: Required<JobManagerOptions>;
  /**
   * Every job's status as it changes ('status', JobChange): what a tier of servers keeps in its store
   * (job-board.ts). Progress is reported as often as the worker sends it.
   */
  readonly changes = new EventEmitter();

  constructor(options: JobManagerOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.o = { ...JOB_MANAGER_DEFAULTS, ...given };
  }

  /** Whether a computation with this key is queued, running or done here (so joining it costs nothing). */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /**
   * New requests no longer join the computations there are (the store's data was replaced, so the data
   * version in their keys may now name other data); the jobs on them are kept, and finish as they would.
   */
  forgetComputations(): void {
    this.byKey.clear();
  }

  /** Queued + running jobs one user may hold (the cap a tier counts in its store: job-board.ts). */
  get maxJobsPerUser(): number {
    return this.o.maxJobsPerUser;
  }

  /**
   * Whether submitting `key` for `owner` would give them a new live job (taking one of their places), rather
   * than hand back their own job on it or join a finished computation.
   */
  takesPlace(owner: JobOwner, key: string): boolean {
    const c = this.byKey.get(key);
    if (!c) return true;
    if (c.state === 'done') return false;
    for (const j of c.handles) if (j.owner.id === owner.id && j.final?.state !== 'cancelled') return false;
    return true;
  }

  /** The ids of this server's queued and running jobs. */
  liveIds(): string[] {
    return [...this.jobs.values()].filter((j) => !j.final).map((j) => j.id);
  }

  private changed(j: Job, status: JobStatus): void {
    const change: JobChange = { id: j.id, owner: j.owner, key: j.comp.key, notes: j.comp.notes, status };
    this.changes.emit('status', change);
  }

  static key(spec: JobSpec): string {
    return `${spec.dataVersion}|${spec.viewKey}|${JSON.stringify(spec.request)}`;
  }

  /**
   * Start (or join) a job whose view is already built. Throws JobLimitError when the owner is at their cap
   * or the queue is full.
   */
  start(graph: JobGraph, request: JobRequest, owner: JobOwner = SYSTEM_OWNER): JobStatus {
    const key = JobManager.key({ dataVersion: graph.dataVersion, viewKey: graph.viewKey, request });
    const joined = this.join(owner, key);
    if (joined) return joined;
    this.admit(owner);
    return this.status(this.create(owner, key, graph, request));
  }

  /**
   * Start (or join) a job, building its view only when no identical computation exists. The caps are
   * checked before `build` runs and hold while it does (concurrent requests of one user cannot all pass).
   */
  async submit(
    owner: JobOwner,
    spec: JobSpec,
    build: () => Promise<JobGraph>,
    /** The new job's id when it makes one (a place the tier's store already holds for it). */
    id?: string,
  ): Promise<{ status: JobStatus; notes: string[] }> {
    const key = JobManager.key(spec);
    const joined = this.join(owner, key, id);
    if (joined) return { status: joined, notes: this.byKey.get(key)?.notes ?? [] };
    this.admit(owner);
    this.reserve(owner, 1);
    let graph: JobGraph;
    try {
      graph = await build();
    } finally {
      this.reserve(owner, -1);
    }
    // Someone may have started the same computation while the view was built.
    const again = this.join(owner, key, id);
    if (again) return { status: again, notes: this.byKey.get(key)?.notes ?? [] };
    const job = this.create(owner, key, graph, spec.request, id);
    return { status: this.status(job), notes: job.comp.notes };
  }

  get(id: string): JobStatus | null {
    const j = this.jobs.get(id);
    return j ? this.status(j) : null;
  }

  /** The owner of a job (null when there is no such job). */
  ownerOf(id: string): JobOwner | null {
    return this.jobs.get(id)?.owner ?? null;
  }

  /** A user's jobs, newest first. */
  list(ownerId: string): JobStatus[] {
    return [...this.jobs.values()]
      .filter((j) => j.owner.id === ownerId)
      .sort((a, b) => b.seq - a.seq)
      .map((j) => this.status(j));
  }

  /**
   * A finished job's result as an object. It decodes the whole result: for tests and tools; the server
   * answers from `resultJson`, which reads only the page asked for.
   */
  result(id: string): { status: JobStatus; result: unknown } | null {
    const j = this.jobs.get(id);
    if (!j) return null;
    const status = this.status(j);
    if (status.state !== 'done' || !j.comp.result) return { status, result: undefined };
    const c = j.comp;
    if (c.decoded === undefined)
      c.decoded = JSON.parse(Buffer.concat(resultChunks(c.result!)).toString('utf8')) as unknown;
    return { status, result: c.decoded };
  }

  /**
   * A finished job's result as JSON chunks, whole or one page of its ranking (see result-encoding.ts);
   * null unless the job is done. Nothing is decoded: the entries asked for are sliced out of the bytes.
   */
  resultJson(id: string, page?: ResultPage): Uint8Array[] | null {
    const c = this.jobs.get(id)?.comp;
    if (!c || c.state !== 'done' || !c.result) return null;
    return resultChunks(c.result, page);
  }

  /** The notes of the view a job runs on. */
  notes(id: string): string[] {
    return this.jobs.get(id)?.comp.notes ?? [];
  }

  /** Listen to status changes; returns the unsubscribe function. */
  subscribe(id: string, listener: (s: JobStatus) => void): () => void {
    const j = this.jobs.get(id);
    if (!j) return () => {};
    const f = (s: JobStatus) => listener(s);
    j.events.on('status', f);
    return () => j.events.off('status', f);
  }

  /** Wait for a job to finish (any final state). */
  wait(id: string): Promise<JobStatus> {
    const j = this.jobs.get(id);
    if (!j) return Promise.reject(new Error(`no job ${id}`));
    if (j.final) return Promise.resolve({ ...j.final });
    return new Promise((resolve) => {
      const off = this.subscribe(id, (s) => {
        if (isFinal(s.state)) {
          off();
          resolve(s);
        }
      });
    });
  }

  /**
   * Cancel one job. Its computation stops only when no other job waits on it (another user who asked the
   * same keeps theirs).
   */
  cancel(id: string, why = 'cancelled by request'): JobStatus | null {
    const j = this.jobs.get(id);
    if (!j) return null;
    if (j.final) return { ...j.final };
    this.settle(j, { state: 'cancelled', phase: 'cancelled', error: why });
    const c = j.comp;
    if (!this.hasLive(c)) {
      const w = c.worker;
      this.finishComputation(c, 'cancelled', why);
      void w?.terminate();
    } else this.prune();
    return { ...j.final! };
  }

  /** Terminate everything (server shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    for (const j of [...this.jobs.values()]) if (!j.final) this.cancel(j.id, 'the server is stopping');
  }

  /** How many jobs are queued and running for one user, and in all (for tests and health). */
  counts(ownerId?: string): { queued: number; running: number } {
    let queued = 0;
    let running = 0;
    for (const j of this.jobs.values()) {
      if (j.final || (ownerId !== undefined && j.owner.id !== ownerId)) continue;
      if (j.comp.state === 'queued') queued++;
      else if (j.comp.state === 'running') running++;
    }
    return { queued, running };
  }

  // --- admission -------------------------------------------------------------------------------------

  /** The owner's existing job for `key`, or a new job of theirs on an existing computation; else null. */
  private join(owner: JobOwner, key: string, id?: string): JobStatus | null {
    const c = this.byKey.get(key);
    if (!c) return null;
    for (const j of c.handles)
      if (j.owner.id === owner.id && j.final?.state !== 'cancelled') return this.status(j);
    // Joining a finished computation costs nothing; joining a live one takes one of the owner's places.
    if (c.state !== 'done') this.checkUser(owner);
    return this.status(this.attach(owner, c, id));
  }

  /** Throws unless the owner has room for another job and the queue room for another computation. */
  private admit(owner: JobOwner): void {
    this.checkUser(owner);
    let queued = this.reservedTotal;
    for (const c of this.byKey.values()) if (c.state === 'queued') queued++;
    if (queued >= this.o.maxQueued) {
      throw new JobLimitError(
        'queue',
        `the server has ${queued} analysis jobs waiting, the most it queues ` +
          `(${JOB_LIMIT_VARIABLES.maxQueuedJobs}=${this.o.maxQueued}); try again when some have finished`,
        this.retryAfter(null),
      );
    }
  }

  private checkUser(owner: JobOwner): void {
    let running = 0;
    let queued = 0;
    for (const j of this.jobs.values()) {
      if (j.final || j.owner.id !== owner.id) continue;
      if (j.comp.state === 'running') running++;
      else queued++;
    }
    const starting = this.reserved.get(owner.id) ?? 0;
    const held = running + queued + starting;
    if (held < this.o.maxJobsPerUser) return;
    const parts = [`${running} running`, `${queued} queued`];
    if (starting) parts.push(`${starting} starting`);
    throw new JobLimitError(
      'user',
      `you have ${held} analysis job${held === 1 ? '' : 's'} queued or running (${parts.join(', ')}); ` +
        `each user may have ${this.o.maxJobsPerUser} at once (${JOB_LIMIT_VARIABLES.maxJobsPerUser}). ` +
        'Wait for one to finish or cancel one, then try again',
      this.retryAfter(owner.id),
    );
  }

  private reserve(owner: JobOwner, delta: 1 | -1): void {
    const n = (this.reserved.get(owner.id) ?? 0) + delta;
    if (n > 0) this.reserved.set(owner.id, n);
    else this.reserved.delete(owner.id);
    this.reservedTotal += delta;
  }

  /** Seconds until a place is likely to free: the nearest expected end of a running computation. */
  private retryAfter(ownerId: string | null): number {
    let best = Infinity;
    const now = Date.now();
    for (const j of this.jobs.values()) {
      if (j.final || (ownerId !== null && j.owner.id !== ownerId)) continue;
      const c = j.comp;
      if (c.state !== 'running' || c.progress <= 0) continue;
      const elapsed = now - c.startedMs;
      best = Math.min(best, (elapsed * (100 - c.progress)) / c.progress / 1000);
    }
    return Number.isFinite(best) ? Math.min(600, Math.max(1, Math.ceil(best))) : 10;
  }

  // --- jobs and computations -------------------------------------------------------------------------

  private create(owner: JobOwner, key: string, graph: JobGraph, request: JobRequest, id?: string): Job {
    const c: Computation = {
      key,
      graph,
      request,
      dataVersion: graph.dataVersion,
      ...graphSize(graph),
      notes: graph.notes ?? [],
      state: 'queued',
      progress: 0,
      phase: 'queued',
      error: null,
      startedAt: null,
      startedMs: 0,
      finishedAt: null,
      worker: null,
      remoteRunning: false,
      timer: null,
      result: undefined,
      decoded: undefined,
      handles: new Set(),
    };
    this.byKey.set(key, c);
    const job = this.attach(owner, c, id);
    this.pump();
    return job;
  }

  private attach(owner: JobOwner, c: Computation, id?: string): Job {
    const job: Job = {
      id: id && !this.jobs.has(id) ? id : randomUUID(),
      seq: ++this.seq,
      owner: { id: owner.id, name: owner.name },
      comp: c,
      createdAt: new Date().toISOString(),
      final: null,
      events: new EventEmitter(),
    };
    // Every open event stream of the job listens: no warning past ten.
    job.events.setMaxListeners(0);
    this.jobs.set(job.id, job);
    c.handles.add(job);
    this.changed(job, this.status(job));
    if (c.state === 'queued') {
      const q = this.queues.get(owner.id);
      if (q) q.push(job);
      else this.queues.set(owner.id, [job]);
    } else if (isFinal(c.state)) {
      this.settle(job, {});
      this.prune();
    }
    return job;
  }

  private status(j: Job): JobStatus {
    if (j.final) return { ...j.final };
    const c = j.comp;
    return {
      id: j.id,
      kind: c.request.kind,
      state: c.state,
      progress: c.state === 'done' ? 100 : c.progress,
      phase: c.phase,
      error: c.error,
      dataVersion: c.dataVersion,
      nodes: c.nodes,
      links: c.links,
      owner: j.owner.name,
      createdAt: j.createdAt,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
    };
  }

  /** Ends one job: its final status is fixed from now on (overridden by `patch`), and listeners hear it. */
  private settle(j: Job, patch: Partial<JobStatus>): void {
    if (j.final) return;
    j.final = { ...this.status(j), finishedAt: new Date().toISOString(), ...patch };
    if (j.final.state === 'done') j.final.progress = 100;
    this.finished.push(j);
    j.events.emit('status', { ...j.final });
    this.changed(j, { ...j.final });
  }

  private hasLive(c: Computation): boolean {
    for (const j of c.handles) if (!j.final) return true;
    return false;
  }

  private emit(c: Computation): void {
    for (const j of c.handles)
      if (!j.final) {
        const s = this.status(j);
        j.events.emit('status', s);
        this.changed(j, s);
      }
  }

  private finishComputation(
    c: Computation,
    state: 'done' | 'failed' | 'cancelled',
    error: string | null,
  ): void {
    if (isFinal(c.state)) return;
    if (c.worker || c.remoteRunning) this.running--;
    if (c.timer) clearTimeout(c.timer);
    c.worker = null;
    c.remoteRunning = false;
    c.timer = null;
    c.graph = null;
    Object.assign(c, {
      state,
      error,
      progress: state === 'done' ? 100 : c.progress,
      phase: state,
      finishedAt: new Date().toISOString(),
    });
    for (const j of [...c.handles]) if (!j.final) this.settle(j, {});
    if (state !== 'done' && this.byKey.get(c.key) === c) this.byKey.delete(c.key);
    this.prune();
    this.pump();
  }

  /** Keeps at most keepFinishedPerUser finished jobs per user and keepFinished in all. */
  private prune(): void {
    const byOwner = new Map<string, Job[]>();
    for (const j of this.finished) {
      const l = byOwner.get(j.owner.id);
      if (l) l.push(j);
      else byOwner.set(j.owner.id, [j]);
    }
    const drop = new Set<Job>();
    for (const l of byOwner.values())
      for (const j of l.slice(0, Math.max(0, l.length - this.o.keepFinishedPerUser))) drop.add(j);
    let left = this.finished.length - drop.size;
    while (left > this.o.keepFinished) {
      // The oldest finished job of the user keeping the most.
      let worst: Job[] | null = null;
      for (const l of byOwner.values()) {
        const kept = l.filter((j) => !drop.has(j));
        if (!worst || kept.length > worst.length) worst = kept;
      }
      drop.add(worst![0]);
      left--;
    }
    if (drop.size === 0) return;
    this.finished = this.finished.filter((j) => !drop.has(j));
    for (const j of drop) {
      this.jobs.delete(j.id);
      j.events.removeAllListeners();
      const c = j.comp;
      c.handles.delete(j);
      if (c.handles.size === 0 && isFinal(c.state) && this.byKey.get(c.key) === c) this.byKey.delete(c.key);
    }
  }

  // --- scheduling ------------------------------------------------------------------------------------

  /** The next computation to run: the oldest queued one of the user served least recently. */
  private next(): Computation | null {
    let pick: { owner: string; served: number; seq: number } | null = null;
    for (const [owner, q] of this.queues) {
      while (q.length > 0 && (q[0].final || q[0].comp.state !== 'queued')) q.shift();
      if (q.length === 0) {
        this.queues.delete(owner);
        continue;
      }
      const served = this.lastServed.get(owner) ?? 0;
      if (!pick || served < pick.served || (served === pick.served && q[0].seq < pick.seq))
        pick = { owner, served, seq: q[0].seq };
    }
    if (!pick) return null;
    const q = this.queues.get(pick.owner)!;
    const job = q.shift()!;
    if (q.length === 0) this.queues.delete(pick.owner);
    this.lastServed.set(pick.owner, ++this.serveSeq);
    return job.comp;
  }

  private pump(): void {
    while (!this.closing && this.running < this.o.concurrency) {
      const c = this.next();
      if (!c) break;
      this.launch(c);
    }
  }

  private launch(c: Computation): void {
    const graph = c.graph!;
    this.running++;
    if ('remote' in graph) {
      this.launchRemote(c, graph.remote);
      return;
    }
    const worker = spawnTsWorker(
      ENTRY,
      { input: jobInput(graph), request: c.request },
      { resourceLimits: { maxOldGenerationSizeMb: this.o.maxMemoryMb } },
    );
    c.graph = null;
    c.worker = worker;
    c.state = 'running';
    c.phase = 'starting';
    c.startedAt = new Date().toISOString();
    c.startedMs = Date.now();
    c.timer = setTimeout(() => {
      if (c.worker !== worker) return;
      this.finishComputation(
        c,
        'failed',
        `the analysis ran longer than its time budget of ${+(this.o.maxJobMs / 1000).toFixed(1)} s ` +
          `(${JOB_LIMIT_VARIABLES.maxJobSeconds}); narrow the view, or sample (k) for betweenness`,
      );
      void worker.terminate();
    }, this.o.maxJobMs);
    c.timer.unref();
    this.emit(c);
    worker.on('message', (m: WorkerMessage) => {
      if (c.worker !== worker) return;
      if (m.type === 'progress') {
        c.progress = m.progress;
        c.phase = m.phase;
        this.emit(c);
      } else if (m.type === 'result') {
        c.result = m.result;
        this.finishComputation(c, 'done', null);
        void worker.terminate();
      } else this.finishComputation(c, 'failed', m.message);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (c.worker !== worker) return;
      const msg =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the analysis needed more than its memory bound of ${this.o.maxMemoryMb} MB; narrow the view or sample`
          : e.message;
      this.finishComputation(c, 'failed', msg);
    });
    worker.on('exit', (code) => {
      if (c.worker === worker)
        this.finishComputation(c, 'failed', `the analysis worker stopped unexpectedly (exit code ${code})`);
    });
  }

  private launchRemote(c: Computation, remote: RemoteComputation): void {
    c.graph = null;
    c.remoteRunning = true;
    c.state = 'running';
    c.phase = 'starting';
    c.startedAt = new Date().toISOString();
    c.startedMs = Date.now();
    const live = () => c.state === 'running' && c.remoteRunning;
    c.timer = setTimeout(() => {
      if (!live()) return;
      this.finishComputation(
        c,
        'failed',
        `the analysis ran longer than its time budget of ${+(this.o.maxJobMs / 1000).toFixed(1)} s ` +
          `(${JOB_LIMIT_VARIABLES.maxJobSeconds}); narrow the view`,
      );
    }, this.o.maxJobMs);
    c.timer.unref();
    this.emit(c);
    remote
      .run((progress, phase) => {
        if (!live()) return;
        c.progress = progress;
        c.phase = phase;
        this.emit(c);
      })
      .then(
        (r) => {
          if (!live()) return;
          c.nodes = r.nodes;
          c.links = r.links;
          c.result = encodeResult(r.result);
          this.finishComputation(c, 'done', null);
        },
        (e: unknown) => {
          if (live()) this.finishComputation(c, 'failed', e instanceof Error ? e.message : String(e));
        },
      );
  }
}

/** Nodes and links a job runs over (a windows job: summed over its windows). */
function graphSize(graph: JobGraph): { nodes: number; links: number } {
  // A remote computation learns its size when it has run.
  if ('remote' in graph) return { nodes: 0, links: 0 };
  if ('series' in graph)
    return graph.series.reduce((a, s) => ({ nodes: a.nodes + s.packed.n, links: a.links + s.packed.m }), {
      nodes: 0,
      links: 0,
    });
  return 'packed' in graph
    ? { nodes: graph.packed.n, links: graph.packed.m }
    : { nodes: graph.csr.n, links: graph.csr.m };
}

const viewInput = ({ graph, ids, labels, types, notes }: PackedView): ViewInput => ({
  graph,
  ids,
  labels,
  types,
  notes,
});

/** What the worker gets: only shared buffers and a few notes, so starting it copies no strings here. */
function jobInput(graph: Exclude<JobGraph, { remote: RemoteComputation }>): JobInput {
  if ('series' in graph)
    return {
      series: graph.series.map((s) => ({ window: s.window, view: viewInput(s.packed) })),
      notes: graph.notes ?? [],
    };
  if ('packed' in graph) return viewInput(graph.packed);
  const { ids, ...arrays } = toShared(graph.csr);
  return {
    graph: arrays,
    ids: packStrings(ids, true),
    labels: packStrings(graph.labels, true),
    types: packStrings([], true),
    notes: graph.notes ?? [],
  };
}

function isFinal(s: JobState): boolean {
  return s === 'done' || s === 'failed' || s === 'cancelled';
}
