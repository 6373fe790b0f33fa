// Runs a cycle computation inline for small views and in a worker thread for large ones (the pure
// functions are the same either way), so a review of a million-link view does not stall the API.
// The workers are bounded: LINKCHART_CYCLE_WORKERS run at once (default 2), LINKCHART_CYCLE_QUEUE more
// wait (default 16) and the next is refused with 503, and each has the analysis jobs' heap bound, so a
// burst of large reviews cannot take the server's memory or every core.
import type { Subgraph } from '../domain/model.ts';
import { StoreError } from '../store/common.ts';
import { spawnTsWorker } from '../jobs/spawn.ts';
import {
  networkPositions,
  priorityMatrix,
  type PriorityMatrix,
  type PriorityOptions,
} from './priority-matrix.ts';
import { operationalReview, type ReviewOptions, type ReviewResult } from './review.ts';
import { rfgScores, type RfgOptions, type RfgResult } from './rfg.ts';

export type CycleTask =
  | { kind: 'review'; before: Subgraph; after: Subgraph; options: ReviewOptions }
  | { kind: 'priorities'; sub: Subgraph; rfg: RfgOptions; matrix: PriorityOptions; seed?: number };

export type CycleTaskResult = ReviewResult | { rfg: RfgResult; matrix: PriorityMatrix };

/** Views with more links than this are worked on off the request thread. */
export const OFF_THREAD_LINKS = 20_000;

export function runCycleTask(task: CycleTask): CycleTaskResult {
  if (task.kind === 'review') return operationalReview(task.before, task.after, task.options);
  const rfg = rfgScores(task.sub, task.rfg);
  return {
    rfg,
    matrix: priorityMatrix(rfg.scores, networkPositions(task.sub, task.seed, true), task.matrix),
  };
}

function limit(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`${name}=${JSON.stringify(raw)} is not a whole number from 1 to ${max}`);
  return n;
}

/** Cycle workers running at once, and waiting, before the next is refused (read once, at start). */
export const CYCLE_POOL = {
  workers: limit('LINKCHART_CYCLE_WORKERS', 2, 64),
  queue: limit('LINKCHART_CYCLE_QUEUE', 16, 10_000),
  /** Heap bound of one cycle worker, MB (as an analysis job's). */
  maxMemoryMb: 2048,
};

let active = 0;
const waiting: Array<() => void> = [];

/** Waits for a free worker place; refuses (503) when too many already wait. */
async function acquire(): Promise<void> {
  if (active < CYCLE_POOL.workers) {
    active++;
    return;
  }
  if (waiting.length >= CYCLE_POOL.queue)
    throw new StoreError(
      'unavailable',
      `the server is already working on ${active + waiting.length} large reviews or priority matrices ` +
        `(LINKCHART_CYCLE_WORKERS=${CYCLE_POOL.workers}, LINKCHART_CYCLE_QUEUE=${CYCLE_POOL.queue}); ` +
        'try again shortly, or narrow the view',
    );
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else active--;
}

/** Cycle workers running and waiting now (for tests). */
export function cyclePoolLoad(): { active: number; waiting: number } {
  return { active, waiting: waiting.length };
}

export async function runInWorker(task: CycleTask): Promise<CycleTaskResult> {
  await acquire();
  try {
    return await spawnCycleWorker(task);
  } finally {
    release();
  }
}

function spawnCycleWorker(task: CycleTask): Promise<CycleTaskResult> {
  return new Promise((resolve, reject) => {
    const w = spawnTsWorker(
      new URL('./worker.ts', import.meta.url),
      { task },
      { resourceLimits: { maxOldGenerationSizeMb: CYCLE_POOL.maxMemoryMb } },
    );
    let settled = false;
    w.once('message', (m: { ok: boolean; result?: CycleTaskResult; error?: string }) => {
      settled = true;
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
      void w.terminate();
    });
    w.once('error', (e: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      reject(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new StoreError(
              'invalid',
              `the review needed more than its memory bound of ${CYCLE_POOL.maxMemoryMb} MB; narrow the view`,
              ['view'],
            )
          : e,
      );
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`the cycle worker stopped (exit code ${code}) before it answered`));
    });
  });
}

export async function runCycle(task: CycleTask): Promise<CycleTaskResult> {
  const links =
    task.kind === 'review' ? task.before.links.length + task.after.links.length : task.sub.links.length;
  return links > OFF_THREAD_LINKS ? runInWorker(task) : runCycleTask(task);
}
