// Loads a generated network into a store in chunks, one transaction each, and reports the throughput.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { StoreCounts } from '../server/store/common.ts';
import type { Stores } from '../server/store/stores.ts';
import { planNetwork, type GenerateOptions, type GroundTruth } from './generate.ts';

export const DEFAULT_SEED = 20240701;
export const DEFAULT_DEMO_TRUTH = 'data/demo-truth.json';

export interface LoadSeedOptions extends Partial<GenerateOptions> {
  /** Links per write batch (one transaction each). */
  chunkLinks?: number;
  /** Where to write the ground truth as JSON; the demo writes data/demo-truth.json unless this is null. */
  truthFile?: string | null;
  /** The operation the network is written into (the demo's KESTREL); absent: the GENERAL operation. */
  operationId?: string;
  /** Called after each chunk is written. */
  onChunk?: (done: { links: number; entities: number; seconds: number }) => void;
}

export interface LoadSeedResult {
  truth: GroundTruth;
  counts: StoreCounts;
  links: number;
  entities: number;
  reports: number;
  /** Wall time, generation included. */
  seconds: number;
  /** Time spent inside the store's writes only. */
  storeSeconds: number;
  linksPerSecond: number;
  truthFile: string | null;
}

/** Generates the network for `opts` and writes it to `stores`; the truth comes back with entity ids filled in. */
export async function loadSeed(stores: Stores, opts: LoadSeedOptions = {}): Promise<LoadSeedResult> {
  const size = opts.size ?? 'demo';
  const seed = opts.seed ?? DEFAULT_SEED;
  const t0 = performance.now();
  const plan = planNetwork(
    { seed, size, intervention: opts.intervention ?? false },
    opts.chunkLinks ?? 10_000,
  );
  let links = 0;
  let entities = 0;
  let reports = 0;
  let storeMs = 0;
  const ctx = {
    actor: 'seed',
    importId: `seed-${seed}-${size}`,
    ...(opts.operationId ? { operationId: opts.operationId } : {}),
  };
  for (const chunk of plan.chunks()) {
    const t = performance.now();
    await stores.graph.writeBatch(chunk, ctx);
    storeMs += performance.now() - t;
    links += chunk.links?.length ?? 0;
    entities += chunk.entities?.length ?? 0;
    reports += chunk.reports?.length ?? 0;
    opts.onChunk?.({ links, entities, seconds: (performance.now() - t0) / 1000 });
  }
  const truth: GroundTruth = { ...plan.truth, ids: {} };
  for (const key of Object.keys(truth.labels)) {
    const e = await stores.graph.findEntity('Person', key);
    if (e) truth.ids![key] = e.id;
  }
  let truthFile: string | null = null;
  const wanted =
    opts.truthFile === undefined ? (size === 'demo' ? DEFAULT_DEMO_TRUTH : null) : opts.truthFile;
  if (wanted) {
    truthFile = resolve(wanted);
    mkdirSync(dirname(truthFile), { recursive: true });
    writeFileSync(truthFile, JSON.stringify(truth, null, 2) + '\n');
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    truth,
    counts: await stores.counts(),
    links,
    entities,
    reports,
    seconds,
    storeSeconds: storeMs / 1000,
    linksPerSecond: links / (storeMs / 1000),
    truthFile,
  };
}
