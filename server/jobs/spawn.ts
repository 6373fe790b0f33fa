// Start a worker thread running a TypeScript module, under tsx, vitest or plain node alike.
import { Worker, type ResourceLimits } from 'node:worker_threads';

const BOOTSTRAP = new URL('./ts-worker-bootstrap.mjs', import.meta.url);

export function spawnTsWorker(
  entry: URL,
  data: Record<string, unknown>,
  opts: { resourceLimits?: ResourceLimits } = {},
): Worker {
  return new Worker(BOOTSTRAP, {
    workerData: { ...data, entry: entry.href },
    resourceLimits: opts.resourceLimits,
    // The parent's loader flags (tsx's) are not needed: the bootstrap registers tsx itself.
    execArgv: [],
  });
}
