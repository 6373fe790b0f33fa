// Runs a cycle computation inline for small views and in a worker thread for large ones (the pure
// functions are the same either way), so a review of a million-link view does not stall the API.
import type { Subgraph } from '../domain/model.ts';
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

export function runInWorker(task: CycleTask): Promise<CycleTaskResult> {
  return new Promise((resolve, reject) => {
    const w = spawnTsWorker(new URL('./worker.ts', import.meta.url), { task });
    let settled = false;
    w.once('message', (m: { ok: boolean; result?: CycleTaskResult; error?: string }) => {
      settled = true;
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
      void w.terminate();
    });
    w.once('error', (e) => {
      if (!settled) reject(e);
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
