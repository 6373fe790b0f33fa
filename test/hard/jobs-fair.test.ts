// A viewer fires 20 heavy analysis jobs at once; an analyst's small job must still finish within about the
// time of one heavy job (fair scheduling between users), and the viewer's 5th and later jobs are refused
// with 429, Retry-After and a message saying how many are running (LINKCHART_MAX_JOBS_PER_USER, default 4).
import { afterAll, describe, expect, it } from 'vitest';
import {
  call,
  isFinal,
  sleep,
  startJobsServer,
  type JobStatusLike,
  type JobsServer,
} from './jobs-helpers.ts';

const NODES = 20_000;
/** Betweenness pivots of one heavy job: a few seconds on this graph. */
const PIVOTS = Number(process.env.HARD_JOBS_PIVOTS ?? 4000);

let js: JobsServer | undefined;
afterAll(async () => {
  await js?.close();
});

describe('analysis jobs are fair between users', () => {
  it("a viewer's 20 heavy jobs: 5th+ get 429; an analyst's small job finishes within about one heavy job", async () => {
    js = await startJobsServer(NODES);
    const { url } = js;
    const viewer = await js.user('jobs-viewer', 'viewer');
    const analyst = await js.user('jobs-analyst', 'analyst');

    // Warm the view cache so the first job's time is the analysis, not the view build.
    const warm = await call(url, viewer, 'POST', '/api/analysis/jobs', {
      request: { kind: 'metric', metric: 'degree' },
    });
    expect(warm.status, warm.text).toBe(202);
    for (;;) {
      const s = (await call(url, viewer, 'GET', `/api/analysis/jobs/${(warm.json as JobStatusLike).id}`))
        .json as JobStatusLike;
      if (isFinal(s.state)) break;
      await sleep(100);
    }

    // 20 distinct heavy jobs (different seeds, so none joins another), sent together.
    const starts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(url, viewer, 'POST', '/api/analysis/jobs', {
          request: { kind: 'metric', metric: 'betweenness', k: PIVOTS, seed: 100 + i },
        }),
      ),
    );
    const accepted = starts.filter((r) => r.status === 202).map((r) => (r.json as JobStatusLike).id);
    const refused = starts.filter((r) => r.status === 429);
    console.log(`viewer: ${accepted.length} accepted, ${refused.length} refused with 429`);

    // Wait for the viewer's first job to run, then the analyst asks for a small one.
    const runAt = new Map<string, number>();
    const doneAt = new Map<string, number>();
    const watch = async () => {
      for (const id of accepted) {
        if (doneAt.has(id)) continue;
        const s = (await call(url, viewer, 'GET', `/api/analysis/jobs/${id}`)).json as JobStatusLike;
        const now = Date.now();
        if (s.state === 'running' && !runAt.has(id)) runAt.set(id, now);
        if (isFinal(s.state)) {
          if (!runAt.has(id)) runAt.set(id, now);
          doneAt.set(id, now);
        }
      }
    };
    while (runAt.size === 0) {
      await watch();
      await sleep(50);
    }
    const t0 = Date.now();
    const small = await call(url, analyst, 'POST', '/api/analysis/jobs', {
      request: { kind: 'metric', metric: 'degree', seed: 7 },
    });
    expect(small.status, small.text).toBe(202);
    const smallId = (small.json as JobStatusLike).id;
    let smallMs = Infinity;
    // Stop waiting once three heavy jobs have finished after it was sent (FIFO would keep it for all 20).
    const deadline = t0 + 180_000;
    while (Date.now() < deadline) {
      const s = (await call(url, analyst, 'GET', `/api/analysis/jobs/${smallId}`)).json as JobStatusLike;
      if (isFinal(s.state)) {
        expect(s.state).toBe('done');
        smallMs = Date.now() - t0;
        break;
      }
      await watch();
      const finishedSince = [...doneAt.values()].filter((t) => t > t0).length;
      if (finishedSince >= 3) break;
      await sleep(100);
    }
    await watch();
    const heavy = [...doneAt.keys()].map((id) => doneAt.get(id)! - runAt.get(id)!).filter((ms) => ms > 0);
    const heavyMs = heavy.length ? Math.max(...heavy) : NaN;
    console.log(
      `analyst's small job: ${Number.isFinite(smallMs) ? `${smallMs} ms` : 'not done'}; one heavy job: ${heavy.join(', ')} ms`,
    );
    for (const id of accepted) await call(url, viewer, 'DELETE', `/api/analysis/jobs/${id}`);

    expect.soft(accepted.length, 'the per-user cap admits 4 queued + running').toBe(4);
    expect.soft(refused.length).toBe(16);
    for (const r of refused) {
      expect.soft(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect.soft(r.text).toMatch(/4 analysis jobs/);
      expect.soft(r.text).toMatch(/running/);
    }
    expect(Number.isFinite(smallMs), "the analyst's job finished while the viewer's backlog waited").toBe(
      true,
    );
    expect(heavy.length).toBeGreaterThan(0);
    // Round-robin: it waits at most for the heavy job already running (plus worker start-up and slack).
    expect(smallMs).toBeLessThan(heavyMs * 1.25 + 4000);
  });
});
