// The cycle's worker threads are bounded: so many run, so many wait, and the next is refused with a
// StoreError 'unavailable' (503 at the API) that says which variables set the bound.
import { afterEach, describe, expect, it } from 'vitest';
import { CYCLE_POOL, cyclePoolLoad, runInWorker, type CycleTask } from '../../server/cycle/off-thread.ts';
import { StoreError } from '../../server/store/common.ts';

const saved = { ...CYCLE_POOL };
afterEach(() => Object.assign(CYCLE_POOL, saved));

const task: CycleTask = {
  kind: 'priorities',
  sub: { dataVersion: 1, nodes: [], links: [], truncated: false },
  rfg: { asOf: '2024-06-30' },
  matrix: {},
};

describe('cycle worker pool', () => {
  it('runs so many at once, queues so many, refuses the rest with 503', async () => {
    CYCLE_POOL.workers = 1;
    CYCLE_POOL.queue = 1;
    const first = runInWorker(task);
    const second = runInWorker(task);
    const third = runInWorker(task);
    await expect(third).rejects.toBeInstanceOf(StoreError);
    await expect(third).rejects.toThrow(/LINKCHART_CYCLE_WORKERS=1, LINKCHART_CYCLE_QUEUE=1/);
    expect(((await third.catch((e: unknown) => e)) as StoreError).code).toBe('unavailable');
    await Promise.all([first, second]);
    expect(cyclePoolLoad()).toEqual({ active: 0, waiting: 0 });
    // Places are given back: more work runs afterwards.
    await runInWorker(task);
  });
});
