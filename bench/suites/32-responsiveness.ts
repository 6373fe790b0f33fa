// Issue 4's responsiveness goal: while a 50k-node betweenness job runs in the workers, /api/health and a job
// status request keep answering in under 50 ms. Peer: the same requests on the idle server, in the same run.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchSuite } from '../run.ts';
import { loadCommunityGraph } from '../../seed/community-store.ts';
import { startHarness } from '../../test/api/server-harness.ts';

const N = 50_000;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const suite: BenchSuite = {
  title: 'Server responsiveness during a 50k-node analysis job',
  async run() {
    const h = await startHarness();
    try {
      const g = await loadCommunityGraph(h.stores.graph, { n: N, meanDegree: 4, seed: 3 }, 'bench');
      const sample = async (path: string, count: number): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < count; i++) {
          const t0 = performance.now();
          const r = await fetch(`${h.url}${path}`, { headers: h.auth });
          await r.text();
          out.push(performance.now() - t0);
          await new Promise((res) => setTimeout(res, 20));
        }
        return out;
      };
      await sample('/api/health', 5);
      const idleHealth = await sample('/api/health', 50);
      const start = await h.call('POST', '/api/analysis/jobs', {
        request: { kind: 'metric', metric: 'betweenness', k: 5000 },
      });
      const id = (start.json as { id: string }).id;
      const idleStatus = await sample(`/api/analysis/jobs/${id}`, 5);
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const busyHealth = await sample('/api/health', 50);
      const busyStatus = await sample(`/api/analysis/jobs/${id}`, 50);
      loop.disable();
      const state = ((await h.call('GET', `/api/analysis/jobs/${id}`)).json as { state: string }).state;
      await h.call('DELETE', `/api/analysis/jobs/${id}`);
      const row = (name: string, xs: number[], peer: number[]) =>
        console.log(
          `${name.padEnd(28)} median ${pct(xs, 50).toFixed(1).padStart(6)} ms  p99 ${pct(xs, 99)
            .toFixed(1)
            .padStart(
              6,
            )} ms  (idle median ${pct(peer, 50).toFixed(1)} ms, ratio ${(pct(xs, 50) / pct(peer, 50)).toFixed(2)}x)`,
        );
      console.log(`${g.nodes} nodes, ${g.links} links; job still ${state} at the end of sampling`);
      row('GET /api/health during job', busyHealth, idleHealth);
      row('GET job status during job', busyStatus, idleStatus);
      console.log(
        `event-loop delay during job: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
      );
    } finally {
      await h.close();
    }
  },
};
export default suite;
