// Start a worker thread running a TypeScript module, under tsx, vitest or plain node alike.
import { Worker, type ResourceLimits } from 'node:worker_threads';

const BOOTSTRAP = new URL('./ts-worker-bootstrap.mjs', import.meta.url);

export function spawnTsWorker(
  entry: URL,
  data: Record<string, unknown>,
  opts: { resourceLimits?: ResourceLimits; nice?: number } = {},
): Worker {
  return new Worker(BOOTSTRAP, {
    // Analysis workers run at a lower priority (nice 10 by default) so requests stay responsive.
    workerData: { ...data, entry: entry.href, nice: opts.nice ?? 10 },
    resourceLimits: opts.resourceLimits,
    // The parent's loader flags (tsx's) are not needed: the bootstrap registers tsx itself.
    execArgv: [],
  });
}
