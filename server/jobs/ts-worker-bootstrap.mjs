// Worker-thread entry that can run a TypeScript module. Node 20 does not pass tsx's loader hooks on to
// worker threads (and under vitest no loader is registered at all), so the worker registers tsx itself
// and then imports the real entry named in workerData.entry.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// Analysis threads yield the CPU to the request thread: on Linux, setpriority on a thread id renices only
// that thread. Elsewhere (or if not permitted) this is skipped and the work runs at normal priority.
if (workerData.nice !== undefined) {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid)) setPriority(tid, workerData.nice);
  } catch {
    /* not Linux, or not allowed: run at normal priority */
  }
}

register();
await import(workerData.entry);
