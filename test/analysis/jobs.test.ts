// Jobs off the request thread: worker threads under vitest, progress, dedup, cancel, memory bound,
// and parallel Brandes agreeing with the single-threaded kernel.
import { afterAll, describe, expect, it } from 'vitest';
import { betweenness } from '../../server/analysis/betweenness.ts';
import { buildCSR, type CSR } from '../../server/analysis/csr.ts';
import { computeMetric } from '../../server/analysis/registry.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { JobManager } from '../../server/jobs/job-manager.ts';
import type { JobStatus } from '../../server/jobs/job-types.ts';
import { parallelBetweenness } from '../../server/jobs/parallel-betweenness.ts';

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

const managers: JobManager[] = [];
afterAll(async () => {
  for (const m of managers) await m.close();
});

describe('parallel betweenness', () => {
  it('matches the single-threaded kernel (exact and sampled, weighted and not)', async () => {
    const g = graph(600);
    for (const weighted of [false, true]) {
      const a = betweenness(g, { weighted });
      const b = await parallelBetweenness(g, { weighted, threads: 2 });
      for (let i = 0; i < g.n; i++) expect(b[i]).toBeCloseTo(a[i], 12);
    }
    const s1 = betweenness(g, { k: 50, seed: 9 });
    const s2 = await parallelBetweenness(g, { k: 50, seed: 9, threads: 2 });
    for (let i = 0; i < g.n; i++) expect(s2[i]).toBeCloseTo(s1[i], 12);
  });

  it('stops when aborted', async () => {
    const g = graph(6000);
    const ac = new AbortController();
    const p = parallelBetweenness(g, { threads: 2, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await expect(p).rejects.toThrow(/cancelled/);
  });
});

describe('JobManager', () => {
  it('runs a metric in a worker with progress, and joins an identical request', async () => {
    const m = new JobManager();
    managers.push(m);
    const g = graph(2000);
    const labels = g.ids.map((id) => `label ${id}`);
    const jg = { csr: g, labels, dataVersion: 1, viewKey: 'v' };
    const req = { kind: 'metric' as const, metric: 'closeness' as const, k: null, seed: 1 };
    const a = m.start(jg, req);
    const b = m.start(jg, req);
    expect(b.id).toBe(a.id);
    const seen: JobStatus[] = [];
    m.subscribe(a.id, (s) => seen.push(s));
    const final = await m.wait(a.id);
    expect(final.state).toBe('done');
    expect(seen.some((s) => s.state === 'running' && s.progress > 0 && s.progress < 100)).toBe(true);
    const { result } = m.result(a.id)! as {
      result: { scores: Array<{ id: string; score: number; label: string }> };
    };
    const expected = computeMetric(g, 'closeness');
    const byId = new Map(result.scores.map((s) => [s.id, s]));
    expect(byId.get('n7')!.score).toBeCloseTo(expected[7], 12);
    expect(byId.get('n7')!.label).toBe('label n7');
    // A finished job still answers the same request.
    expect(m.start(jg, req).id).toBe(a.id);
    // A different data version is a different job.
    expect(m.start({ ...jg, dataVersion: 2 }, req).id).not.toBe(a.id);
  });

  it('cancels a running job and reports failures with a message', async () => {
    const m = new JobManager();
    managers.push(m);
    const g = graph(20_000);
    const jg = { csr: g, labels: [...g.ids], dataVersion: 1, viewKey: 'v' };
    const s = m.start(jg, { kind: 'metric', metric: 'betweenness', k: null, seed: 1 });
    await new Promise<void>((resolve) => {
      const off = m.subscribe(s.id, (x) => {
        if (x.state === 'running') {
          off();
          resolve();
        }
      });
    });
    expect(m.cancel(s.id)!.state).toBe('cancelled');
    expect((await m.wait(s.id)).state).toBe('cancelled');

    const bad = m.start(jg, {
      kind: 'explain',
      node: 'nobody',
      focus: 'degree',
      resamples: 0,
      dropShare: 0.1,
      weakBelow: 0.4,
      seed: 1,
    });
    const done = await m.wait(bad.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/node "nobody" is not in this view/);
  });

  it('enforces the memory bound', async () => {
    const m = new JobManager({ maxMemoryMb: 8 });
    managers.push(m);
    const g = graph(30_000);
    const s = m.start(
      { csr: g, labels: [...g.ids], dataVersion: 1, viewKey: 'v' },
      {
        kind: 'explain',
        node: 'n1',
        focus: 'degree',
        resamples: 50,
        dropShare: 0.1,
        weakBelow: 0.4,
        seed: 1,
      },
    );
    const done = await m.wait(s.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/memory bound of 8 MB/);
  });
});
