// Worker-thread entry that can run a TypeScript module. Node 20 does not pass tsx's loader hooks on to
// worker threads (and under vitest no loader is registered at all), so the worker registers tsx itself
// and then imports the real entry named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
