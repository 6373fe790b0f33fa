// A duplicate-finding run: the resolver over what a read scope sees (the operations the caller works in), or
// pairs touching some entities of it (say, what one import brought in), in a worker thread, its proposals then
// stored in one transaction. Need-to-know: a run reads only records its scope may read, so it never pairs a
// closed operation's record for someone outside it, its counts are of what the scope sees, and it takes off
// the queue only waiting pairs the scope sees. One run at a time per store: a
// second is refused while the first works (the resolver over 100k people takes seconds, and two at once
// would only race to write the same queue). A run that passes its time bound is stopped.
import { ApiError } from '../api-types/errors.ts';
import { spawnTsWorker } from '../jobs/spawn.ts';
import type { WriteContext } from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';
import { StoreError } from '../store/common.ts';
import type { ProposalInput, SaveProposalsResult } from '../store/duplicates-store.ts';
import type { Stores } from '../store/stores.ts';
import { loadResolverRecords, type ResolverScope } from './records.ts';
import type { Proposal as Found, ResolverOptions, ResolverRecord } from './resolver.ts';

const ENTRY = new URL('./queue-worker.ts', import.meta.url);

/** Heap bound of a run's worker, and how long it may take. */
export const RUN_MEMORY_MB = 2048;
export const RUN_TIME_MS = 5 * 60_000;

export interface RunRequest {
  /** Only pairs touching these entities; absent: everything the run's scope reads. */
  entityIds?: string[];
  /** Propose pairs at or above this match weight (the resolver's default otherwise). */
  threshold?: number;
}

export interface RunResult extends SaveProposalsResult {
  /** Records compared (the people, phones and vehicles the scope reads). */
  records: number;
  /** Pairs the resolver proposed. */
  proposed: number;
  /** Pairs now waiting for a decision (the queue as the scope sees it). */
  waiting: number;
  ms: number;
}

type WorkerAnswer =
  { ok: { records: number; proposals: Found[] } } | { error: { code?: StoreError['code']; message: string } };

const toInput = (p: Found): ProposalInput => ({
  aId: p.a,
  bId: p.b,
  type: p.type as ProposalInput['type'],
  weight: p.weight,
  probability: p.probability,
  evidence: p.evidence,
  fingerprint: p.fingerprint,
});

export class DuplicateRuns {
  private running = false;

  constructor(
    private readonly stores: Stores,
    private readonly bounds = { memoryMb: RUN_MEMORY_MB, timeMs: RUN_TIME_MS },
  ) {}

  get busy(): boolean {
    return this.running;
  }

  /**
   * Runs the resolver over what `scope` reads: the request's read scope for a user, 'all' only for the
   * system's own runs (the demo seed).
   */
  async run(req: RunRequest, ctx: WriteContext, scope: ReadScope): Promise<RunResult> {
    if (this.running) {
      throw new ApiError(
        409,
        'busy',
        'a search for duplicates is already running; wait for it to finish and look at the list again',
      );
    }
    this.running = true;
    const t0 = Date.now();
    try {
      // A run on some entities still reads every record the scope reads: what an import brought in is
      // compared with all of that, and only pairs touching those entities are kept (the resolver's onlyIds).
      const records: ResolverScope = {};
      const options: Partial<ResolverOptions> = {
        ...(req.threshold !== undefined ? { threshold: req.threshold } : {}),
        ...(req.entityIds ? { onlyIds: req.entityIds } : {}),
      };
      const found = await this.resolve(records, options, scope);
      const queue = this.stores.duplicates.scoped(scope);
      const saved = await queue.saveProposals(
        found.proposals.map(toInput),
        ctx,
        req.entityIds ? { entityIds: req.entityIds } : undefined,
      );
      const waiting = (await queue.listProposals({ state: 'new', limit: 1 })).total;
      return {
        ...saved,
        records: found.records,
        proposed: found.proposals.length,
        waiting,
        ms: Date.now() - t0,
      };
    } finally {
      this.running = false;
    }
  }

  /**
   * The records `readScope` reads, read and compared in a worker (the SQLite file read there too, on its
   * own connection, through the graph store scoped the same way).
   */
  private async resolve(
    scope: ResolverScope,
    options: Partial<ResolverOptions>,
    readScope: ReadScope,
  ): Promise<{ records: number; proposals: Found[] }> {
    const path = this.stores.readerPath;
    const records: ResolverRecord[] | undefined = path
      ? undefined
      : await loadResolverRecords(this.stores.graph.scoped(readScope), scope);
    const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
      const worker = spawnTsWorker(
        ENTRY,
        { path, records, scope, readScope, options },
        { resourceLimits: { maxOldGenerationSizeMb: this.bounds.memoryMb } },
      );
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(
          new ApiError(
            503,
            'too_slow',
            `the search for duplicates took longer than ${Math.round(this.bounds.timeMs / 1000)} s and was stopped; ` +
              'run it on one import at a time',
          ),
        );
      }, this.bounds.timeMs);
      worker.once('message', (m: WorkerAnswer) => {
        clearTimeout(timer);
        resolve(m);
        void worker.terminate();
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        reject(
          /heap|memory/i.test(e.message)
            ? new ApiError(
                413,
                'too_large',
                `the search for duplicates needed more than its memory bound (${this.bounds.memoryMb} MB); ` +
                  'run it on one import at a time',
              )
            : new Error(`the search for duplicates failed: ${e.message}`),
        );
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the search for duplicates stopped (worker exit ${code})`));
      });
    });
    if ('ok' in answer) return answer.ok;
    if (answer.error.code) throw new StoreError(answer.error.code, answer.error.message);
    throw new Error(`the search for duplicates failed: ${answer.error.message}`);
  }
}

const perStore = new WeakMap<Stores, DuplicateRuns>();

/** The one run manager of a store, shared by the duplicates routes and the import route. */
export function duplicateRunsFor(stores: Stores): DuplicateRuns {
  let r = perStore.get(stores);
  if (!r) perStore.set(stores, (r = new DuplicateRuns(stores)));
  return r;
}
