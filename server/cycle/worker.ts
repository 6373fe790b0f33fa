// Worker-thread entry for the cycle's heavy work (a review or a priority matrix over a large view), so
// the request thread keeps answering. Started by off-thread.ts through the analysis engine's TS bootstrap.
import { parentPort, workerData } from 'node:worker_threads';
import { runCycleTask, type CycleTask } from './off-thread.ts';

const task = (workerData as { task: CycleTask }).task;
try {
  parentPort!.postMessage({ ok: true, result: runCycleTask(task) });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
}
