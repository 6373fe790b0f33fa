// JobManager with owners (real worker threads, small graphs): per-user caps that concurrent submits cannot
// race past, the queue bound, round-robin between users, one job id per user on a shared computation with
// reference-counted cancel, the time budget, and finished jobs kept per user.
import { afterAll, describe, expect, it } from 'vitest';
import { buildCSR, type CSR } from '../../server/analysis/csr.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { JobLimitError, JobManager, type JobGraph, type JobOwner } from '../../server/jobs/job-manager.ts';
import { resolveJobLimits } from '../../server/jobs/job-limits.ts';
import { jobLimits, loadConfig } from '../../server/config.ts';
import type { JobRequest, JobStatus } from '../../server/jobs/job-types.ts';

function graph(n: number, seed = 5): CSR {
  const e = communityGraph({ n, seed });
  return buildCSR(
    Array.from({ length: n }, (_, i) => `n${i}`),
    e.us,
    e.vs,
    e.ws,
    false,
  );
}

const small = graph(300);
const big = graph(20_000);
const jg = (g: CSR, viewKey = 'v'): JobGraph => ({ csr: g, labels: [...g.ids], dataVersion: 1, viewKey });
const metric = (
  m: 'degree' | 'betweenness' | 'closeness',
  seed = 1,
  k: number | null = null,
): JobRequest => ({
  kind: 'metric',
  metric: m,
  k,
  seed,
});
const A: JobOwner = { id: 'u-a', name: 'alice' };
const B: JobOwner = { id: 'u-b', name: 'bob' };

const managers: JobManager[] = [];
function manager(o: ConstructorParameters<typeof JobManager>[0] = {}): JobManager {
  const m = new JobManager(o);
  managers.push(m);
  return m;
}
afterAll(async () => {
  for (const m of managers) await m.close();
});

/** Resolves once the job is running. */
function running(m: JobManager, id: string): Promise<void> {
  return new Promise((resolve) => {
    if (m.get(id)?.state === 'running') return resolve();
    const off = m.subscribe(id, (s) => {
      if (s.state === 'running') {
        off();
        resolve();
      }
    });
  });
}

describe('JobManager: per-user cap and queue bound', () => {
  it("refuses a user's job beyond the cap, naming how many run; other users are not affected", async () => {
    const m = manager({ maxJobsPerUser: 3 });
    for (let i = 0; i < 3; i++) m.start(jg(big), metric('betweenness', i, 2000), A);
    let err: unknown;
    try {
      m.start(jg(big), metric('betweenness', 9, 2000), A);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JobLimitError);
    const le = err as JobLimitError;
    expect(le.reason).toBe('user');
    expect(le.message).toMatch(/you have 3 analysis jobs queued or running \(1 running, 2 queued\)/);
    expect(le.message).toMatch(/LINKCHART_MAX_JOBS_PER_USER/);
    expect(le.retryAfterSeconds).toBeGreaterThan(0);
    // The same request again joins the user's own job (no new place taken).
    const again = m.start(jg(big), metric('betweenness', 0, 2000), A);
    expect(m.list(A.id).map((s) => s.id)).toContain(again.id);
    // Another user still gets in.
    expect(m.start(jg(big), metric('betweenness', 9, 2000), B).owner).toBe('bob');
    expect(m.counts(A.id)).toEqual({ running: 1, queued: 2 });
    await m.close();
  });

  it('concurrent submits of one user cannot race past the cap (the view build holds a place)', async () => {
    const m = manager({ maxJobsPerUser: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        m.submit(A, { dataVersion: 1, viewKey: 'v', request: metric('betweenness', i, 2000) }, async () => {
          await new Promise((r) => setTimeout(r, 30));
          return jg(big);
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.reason).toBeInstanceOf(JobLimitError);
    expect((refused[0].reason as Error).message).toMatch(/2 starting/);
    await m.close();
  });

  it('a failing view build gives its place back', async () => {
    const m = manager({ maxJobsPerUser: 1 });
    await expect(
      m.submit(A, { dataVersion: 1, viewKey: 'v', request: metric('degree') }, () =>
        Promise.reject(new Error('empty view')),
      ),
    ).rejects.toThrow(/empty view/);
    const ok = await m.submit(A, { dataVersion: 1, viewKey: 'v', request: metric('degree') }, async () =>
      jg(small),
    );
    expect(ok.status.owner).toBe('alice');
  });

  it('bounds the queue as a whole', async () => {
    const m = manager({ maxQueued: 2, maxJobsPerUser: 10 });
    m.start(jg(big), metric('betweenness', 1, 2000), A); // runs
    m.start(jg(big), metric('betweenness', 2, 2000), A); // queued 1
    m.start(jg(big), metric('betweenness', 3, 2000), B); // queued 2
    expect(() => m.start(jg(big), metric('betweenness', 4, 2000), B)).toThrow(
      /2 analysis jobs waiting.*LINKCHART_MAX_QUEUED_JOBS=2/,
    );
    // Joining a computation already queued adds no work.
    expect(m.start(jg(big), metric('betweenness', 3, 2000), A).owner).toBe('alice');
    await m.close();
  });
});

describe('JobManager: fair between users', () => {
  it("starts the next user's job before the rest of one user's backlog", async () => {
    const m = manager({ maxJobsPerUser: 10 });
    const order: string[] = [];
    const watch = (s: JobStatus, who: string) =>
      m.subscribe(s.id, (x) => {
        if (x.state === 'running' && x.phase === 'starting') order.push(who);
      });
    const a1 = m.start(jg(small), metric('closeness', 1), A);
    order.push('a1'); // started at once
    const rest = [2, 3, 4].map((i) => m.start(jg(small), metric('closeness', i), A));
    rest.forEach((s, i) => watch(s, `a${i + 2}`));
    const b1 = m.start(jg(small), metric('closeness', 1, null), B);
    expect(b1.id).not.toBe(a1.id);
    // b1 is the same computation as a1 (same request): it joined, it is not queued.
    expect(b1.state).toBe('running');
    const b2 = m.start(jg(small), metric('degree', 5), B);
    watch(b2, 'b2');
    await Promise.all([...rest, b2].map((s) => m.wait(s.id)));
    expect(order).toEqual(['a1', 'b2', 'a2', 'a3', 'a4']);
  });
});

describe('JobManager: jobs belong to their owner; a shared computation is reference-counted', () => {
  it("gives another user's identical request its own id; cancelling it leaves the first running", async () => {
    const m = manager();
    const req = metric('betweenness', 1, 1000);
    const a = m.start(jg(big), req, A);
    expect(m.start(jg(big), req, A).id).toBe(a.id);
    const b = m.start(jg(big), req, B);
    expect(b.id).not.toBe(a.id);
    expect(b.owner).toBe('bob');
    expect(m.ownerOf(a.id)).toEqual(A);
    expect(m.ownerOf(b.id)).toEqual(B);
    expect(m.list(B.id).map((s) => s.id)).toEqual([b.id]);
    await running(m, a.id);
    expect(m.cancel(b.id)!.state).toBe('cancelled');
    expect(m.get(a.id)!.state).toBe('running');
    const done = await m.wait(a.id);
    expect(done.state).toBe('done');
    expect(m.get(b.id)!.state).toBe('cancelled');
    // After it finished: a new job for B on the kept result, done at once.
    const b2 = m.start(jg(big), req, B);
    expect(b2.id).not.toBe(a.id);
    expect(b2.state).toBe('done');
    expect(m.result(b2.id)!.result).toBe(m.result(a.id)!.result);
  });

  it('cancels the computation once every job on it is cancelled', async () => {
    const m = manager();
    const req = metric('betweenness', 2, 4000);
    const a = m.start(jg(big), req, A);
    const b = m.start(jg(big), req, B);
    await running(m, a.id);
    m.cancel(a.id);
    expect(m.get(b.id)!.state).toBe('running');
    m.cancel(b.id);
    expect(m.counts()).toEqual({ queued: 0, running: 0 });
    // Asked again: a fresh computation, not the cancelled one.
    const c = m.start(jg(big), req, A);
    expect(c.state).toBe('running');
    m.cancel(c.id);
  });

  it('fails a job that outruns its time budget, saying how to narrow it', async () => {
    const m = manager({ maxJobMs: 300 });
    const s = m.start(jg(big), metric('betweenness', 3, null), A);
    const done = await m.wait(s.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/time budget of 0.3 s/);
    expect(done.error).toMatch(/LINKCHART_MAX_JOB_SECONDS/);
  });

  it("keeps finished jobs per user, so one user's many jobs do not push out another's result", async () => {
    const m = manager({ keepFinishedPerUser: 2, keepFinished: 3 });
    const b = m.start(jg(small), metric('degree', 99), B);
    await m.wait(b.id);
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = m.start(jg(small), metric('degree', i), A);
      mine.push(s.id);
      await m.wait(s.id);
    }
    expect(m.get(b.id)!.state).toBe('done');
    expect(m.list(A.id).map((s) => s.id)).toEqual([mine[4], mine[3]]);
    expect(m.get(mine[0])).toBeNull();
  });
});

describe('job limits from the environment', () => {
  it('reads each variable with the configuration, refuses bad values naming them, and lets the app override', () => {
    const limits = (env: NodeJS.ProcessEnv) => jobLimits(loadConfig(env).limits);
    expect(limits({})).toEqual({
      maxJobsPerUser: 4,
      maxQueuedJobs: 64,
      jobWorkers: 1,
      maxJobSeconds: 900,
    });
    expect(limits({ LINKCHART_MAX_JOBS_PER_USER: '2', LINKCHART_JOB_WORKERS: '3' })).toMatchObject({
      maxJobsPerUser: 2,
      jobWorkers: 3,
    });
    expect(() => limits({ LINKCHART_MAX_JOBS_PER_USER: '0' })).toThrow(
      /LINKCHART_MAX_JOBS_PER_USER="0" is not a whole number from 1 to 1000/,
    );
    expect(() => limits({ LINKCHART_MAX_QUEUED_JOBS: 'lots' })).toThrow(/LINKCHART_MAX_QUEUED_JOBS/);
    expect(resolveJobLimits({ maxJobsPerUser: 7 }).maxJobsPerUser).toBe(7);
    expect(resolveJobLimits({}).maxJobsPerUser).toBe(4);
  });
});
