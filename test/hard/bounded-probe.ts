// Helpers for the bounded-* hard tests: a server started as `npm start` runs it, a health probe that polls
// GET /api/health from its own worker thread (so the test's own work, building or sending large bodies,
// never delays a probe), and the server's memory and CPU time read from /proc.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { startServer, type Server } from './harness.ts';

/**
 * Starts test/hard/serve.ts as `npm start` runs it (read workers and checkpointer on, `npm start`'s V8
 * flag; sign-in limits per address and per name-and-address lifted) over `dbPath`, with `env` added to the
 * environment (e.g. a limit).
 */
export function startBoundedServer(dbPath: string, env: Record<string, string> = {}): Promise<Server> {
  return startServer(dbPath, {
    nodeArgs: ['--max-semi-space-size=32'],
    env: { HARD_DEPLOYED: '1', HARD_THROTTLE_LIFT: 'maxPerAddress,maxFailures', ...env },
  });
}

export interface HealthProbe {
  /** Stops polling; resolves with every probe's latency (ms) in the order sent, and the failures. */
  stop(): Promise<{ latencies: number[]; failures: string[] }>;
}

const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const latencies = [];
const failures = [];
let running = true;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const t0 = performance.now();
    try {
      const res = await fetch(workerData.url + '/api/health', { signal: AbortSignal.timeout(30000) });
      await res.arrayBuffer();
      if (res.status !== 200) failures.push('status ' + res.status);
    } catch (e) {
      failures.push(String(e && e.message));
    }
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, workerData.gapMs));
  }
  parentPort.postMessage({ latencies, failures });
})();
`;

/** Polls health every `gapMs` (after each answer) until stopped. */
export function startHealthProbe(url: string, gapMs = 10): HealthProbe {
  const worker = new Worker(PROBE, { eval: true, workerData: { url, gapMs } });
  const done = new Promise<{ latencies: number[]; failures: string[] }>((resolve, reject) => {
    worker.once('message', (m: { latencies: number[]; failures: string[] }) => resolve(m));
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const r = await done;
      await worker.terminate();
      return r;
    },
  };
}

/** Resident memory of a process, now and at its peak (VmHWM), in MB (Linux). */
export function rssMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU time a process has used so far (user + system), in ms (Linux: /proc/<pid>/stat, in clock ticks). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time the process's main thread (the request thread: its task id is the process id) has used so far,
 * in ms. Unlike health's latency on a shared, loaded host, it does not count time spent waiting for a core:
 * what work a job or an export puts on the request thread (Linux: /proc/<pid>/task/<pid>/stat).
 */
export function mainThreadCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function summary(latencies: number[]): string {
  const s = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]?.toFixed(1);
  return `${s.length} probes, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${s.at(-1)?.toFixed(1)} ms`;
}
