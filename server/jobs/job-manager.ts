// Runs analyses off the request thread. Each job is a worker thread with a memory bound
// (resourceLimits); progress (0-100 and a phase name) streams to listeners; a job can be cancelled
// (its worker is terminated); a second identical request (same data version, view and parameters) while
// one is queued or running, or after it finished and its result is still kept, joins that job.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { CSR } from '../analysis/csr.ts';
import { toShared } from '../analysis/csr.ts';
import type { JobRequest, JobStatus, WorkerMessage } from './job-types.ts';
import { spawnTsWorker } from './spawn.ts';

export interface JobManagerOptions {
  /** Heap limit per job worker, MB. Default 2048. */
  maxMemoryMb?: number;
  /** Jobs running at once; others queue. Default 1 (analyses use every core they get). */
  concurrency?: number;
  /** Finished jobs (and their results) kept for joining and fetching. Default 32. */
  keepFinished?: number;
}
export const JOB_MANAGER_DEFAULTS = { maxMemoryMb: 2048, concurrency: 1, keepFinished: 32 };

export interface JobGraph {
  csr: CSR;
  labels: string[];
  dataVersion: number;
  /** Identifies the view (e.g. ViewCache.key) for deduplication. */
  viewKey: string;
}

interface Job {
  status: JobStatus;
  key: string;
  graph: JobGraph;
  request: JobRequest;
  worker: Worker | null;
  result: unknown;
  events: EventEmitter;
}

const ENTRY = new URL('./job-worker.ts', import.meta.url);

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly byKey = new Map<string, string>();
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly o: typeof JOB_MANAGER_DEFAULTS;

  constructor(options: JobManagerOptions = {}) {
    this.o = { ...JOB_MANAGER_DEFAULTS, ...options };
  }

  /** Start (or join) a job. */
  start(graph: JobGraph, request: JobRequest): JobStatus {
    const key = `${graph.dataVersion}|${graph.viewKey}|${JSON.stringify(request)}`;
    const existing = this.byKey.get(key);
    if (existing) {
      const j = this.jobs.get(existing);
      if (j && (j.status.state === 'queued' || j.status.state === 'running' || j.status.state === 'done')) {
        return { ...j.status };
      }
    }
    const job: Job = {
      key,
      graph,
      request,
      worker: null,
      result: undefined,
      events: new EventEmitter(),
      status: {
        id: randomUUID(),
        kind: request.kind,
        state: 'queued',
        progress: 0,
        phase: 'queued',
        error: null,
        dataVersion: graph.dataVersion,
        nodes: graph.csr.n,
        links: graph.csr.m,
        createdAt: new Date().toISOString(),
        finishedAt: null,
      },
    };
    this.jobs.set(job.status.id, job);
    this.byKey.set(key, job.status.id);
    this.queue.push(job);
    this.pump();
    return { ...job.status };
  }

  get(id: string): JobStatus | null {
    const j = this.jobs.get(id);
    return j ? { ...j.status } : null;
  }

  result(id: string): { status: JobStatus; result: unknown } | null {
    const j = this.jobs.get(id);
    return j ? { status: { ...j.status }, result: j.result } : null;
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
    if (isFinal(j.status.state)) return Promise.resolve({ ...j.status });
    return new Promise((resolve) => {
      const off = this.subscribe(id, (s) => {
        if (isFinal(s.state)) {
          off();
          resolve(s);
        }
      });
    });
  }

  cancel(id: string): JobStatus | null {
    const j = this.jobs.get(id);
    if (!j) return null;
    if (j.status.state === 'queued') {
      this.queue.splice(this.queue.indexOf(j), 1);
      this.finish(j, 'cancelled', 'cancelled by request');
    } else if (j.status.state === 'running') {
      const w = j.worker;
      this.finish(j, 'cancelled', 'cancelled by request');
      void w?.terminate();
    }
    return { ...j.status };
  }

  /** Terminate everything (server shutdown). */
  async close(): Promise<void> {
    for (const j of this.jobs.values()) if (!isFinal(j.status.state)) this.cancel(j.status.id);
  }

  private update(j: Job, patch: Partial<JobStatus>): void {
    Object.assign(j.status, patch);
    j.events.emit('status', { ...j.status });
  }

  private finish(j: Job, state: 'done' | 'failed' | 'cancelled', error: string | null): void {
    if (isFinal(j.status.state)) return;
    if (j.worker) this.running--;
    j.worker = null;
    this.update(j, {
      state,
      error,
      progress: state === 'done' ? 100 : j.status.progress,
      phase: state,
      finishedAt: new Date().toISOString(),
    });
    if (state !== 'done') this.byKey.delete(j.key);
    this.prune();
    this.pump();
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => isFinal(j.status.state));
    for (const j of finished.slice(0, Math.max(0, finished.length - this.o.keepFinished))) {
      this.jobs.delete(j.status.id);
      if (this.byKey.get(j.key) === j.status.id) this.byKey.delete(j.key);
    }
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.queue.length > 0) {
      const j = this.queue.shift()!;
      this.launch(j);
    }
  }

  private launch(j: Job): void {
    this.running++;
    const shared = toShared(j.graph.csr);
    const worker = spawnTsWorker(
      ENTRY,
      { graph: { ...shared, ids: [...j.graph.csr.ids] }, labels: j.graph.labels, request: j.request },
      { resourceLimits: { maxOldGenerationSizeMb: this.o.maxMemoryMb } },
    );
    j.worker = worker;
    this.update(j, { state: 'running', phase: 'starting' });
    worker.on('message', (m: WorkerMessage) => {
      if (j.worker !== worker) return;
      if (m.type === 'progress') this.update(j, { progress: m.progress, phase: m.phase });
      else if (m.type === 'result') {
        j.result = m.result;
        this.finish(j, 'done', null);
        void worker.terminate();
      } else this.finish(j, 'failed', m.message);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (j.worker !== worker) return;
      const msg =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the analysis needed more than its memory bound of ${this.o.maxMemoryMb} MB; narrow the view or sample`
          : e.message;
      this.finish(j, 'failed', msg);
    });
    worker.on('exit', (code) => {
      if (j.worker === worker)
        this.finish(j, 'failed', `the analysis worker stopped unexpectedly (exit code ${code})`);
    });
  }
}

function isFinal(s: JobStatus['state']): boolean {
  return s === 'done' || s === 'failed' || s === 'cancelled';
}
