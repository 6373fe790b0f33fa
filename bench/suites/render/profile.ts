// CPU profile of one page load for the render benchmark (`npm run bench -- 50-render --profile`): a Chromium
// trace with the V8 sampling profiler and the page's performance marks on one clock, cut to the time between
// the view request and the first frame, and summed per function. On a shared machine wall-clock ratios
// swing; where the main thread's time goes between the two marks does not.
import type { CDPSession, Page } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** CPU time of the thread inside the event (µs), which a loaded machine does not inflate. */
  tdur?: number;
  id?: string;
  args?: {
    data?: {
      startTime?: number;
      cpuProfile?: {
        nodes?: Array<{
          id: number;
          parent?: number;
          callFrame: { functionName: string; url?: string; lineNumber?: number };
        }>;
        samples?: number[];
      };
      timeDeltas?: number[];
    };
  };
}

export interface StageProfile {
  /** Main-thread time between the marks, ms, by what it was doing. */
  wallMs: number;
  /** CPU time the main thread's tasks took between the marks (thread time, not wall time). */
  cpuMs: number;
  busyMs: number;
  idleMs: number;
  gcMs: number;
  /** Functions by time including their callees (ms), largest first. */
  inclusive: Array<[string, number]>;
  /** Functions by their own time (ms), largest first. */
  self: Array<[string, number]>;
}

async function readStream(cdp: CDPSession, handle: string): Promise<string> {
  let out = '';
  for (;;) {
    const r = await cdp.send('IO.read', { handle, size: 1 << 20 });
    out += r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data;
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle });
  return out;
}

/**
 * Runs `fn` (which loads a page and waits for its first frame) under a trace; returns the trace's events.
 * Unsampled, the trace holds the tasks and marks only (main-thread CPU time, little overhead).
 */
export async function traced(page: Page, fn: () => Promise<void>, sampled = true): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  let events: TraceEvent[] = [];
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: [
        'toplevel',
        'blink.user_timing',
        ...(sampled ? ['devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'] : []),
      ],
    },
  });
  try {
    await fn();
  } finally {
    const done = new Promise<string>((res) =>
      cdp.once('Tracing.tracingComplete', (e) => res(e.stream ?? '')),
    );
    await cdp.send('Tracing.end');
    const handle = await done;
    const text = await readStream(cdp, handle);
    await cdp.detach();
    const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  }
  return events;
}

function label(cf: { functionName: string; url?: string; lineNumber?: number }): string {
  const file = (cf.url ?? '').split('/').pop() ?? '';
  return `${cf.functionName || '(anonymous)'} ${file}:${(cf.lineNumber ?? -1) + 1}`;
}

/** The main thread's CPU profile between two performance marks, summed per function. */
export function between(events: TraceEvent[], from: string, to: string, top = 25): StageProfile {
  const a = events.find((e) => e.name === from && e.cat.includes('blink.user_timing'));
  const b = events.find((e) => e.name === to && e.cat.includes('blink.user_timing'));
  if (!a || !b) throw new Error(`marks ${from} / ${to} not in the trace`);
  const nodes = new Map<number, { parent?: number; name: string }>();
  const parentOf = new Map<number, number>();
  const samples: Array<{ node: number; ts: number }> = [];
  const profiles = events.filter((e) => e.name === 'Profile' && e.pid === a.pid);
  for (const p of profiles) {
    let t = p.args?.data?.startTime ?? 0;
    for (const c of events.filter((e) => e.name === 'ProfileChunk' && e.id === p.id && e.pid === p.pid)) {
      const cp = c.args?.data?.cpuProfile;
      for (const n of cp?.nodes ?? []) {
        nodes.set(n.id, { parent: n.parent, name: label(n.callFrame) });
        if (n.parent !== undefined) parentOf.set(n.id, n.parent);
      }
      const deltas = c.args?.data?.timeDeltas ?? [];
      (cp?.samples ?? []).forEach((s, i) => {
        t += deltas[i] ?? 0;
        samples.push({ node: s, ts: t });
      });
    }
  }
  samples.sort((x, y) => x.ts - y.ts);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  let busy = 0;
  for (let i = 0; i < samples.length - 1; i++) {
    const s = samples[i];
    if (s.ts < a.ts || s.ts > b.ts) continue;
    const dt = (Math.min(samples[i + 1].ts, b.ts) - s.ts) / 1000;
    const name = nodes.get(s.node)?.name ?? '?';
    if (name.startsWith('(idle)')) {
      idle += dt;
      continue;
    }
    if (name.startsWith('(garbage collector)')) gc += dt;
    busy += dt;
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = s.node; n !== undefined; n = parentOf.get(n)) {
      const nm = nodes.get(n)?.name ?? '?';
      if (seen.has(nm)) continue;
      seen.add(nm);
      incl.set(nm, (incl.get(nm) ?? 0) + dt);
    }
  }
  const sorted = (m: Map<string, number>): Array<[string, number]> =>
    [...m.entries()]
      .filter(([n]) => !n.startsWith('(root)'))
      .sort((x, y) => y[1] - x[1])
      .slice(0, top);
  // Thread time of the main thread's outermost tasks, clipped to the marks in proportion to wall time.
  const tasks = events
    .filter(
      (e) =>
        e.pid === a.pid &&
        e.tid === a.tid &&
        e.ph === 'X' &&
        e.cat.split(',').includes('toplevel') &&
        e.tdur !== undefined,
    )
    .sort((x, y) => x.ts - y.ts || (y.dur ?? 0) - (x.dur ?? 0));
  let cpu = 0;
  let end = -Infinity;
  for (const e of tasks) {
    const dur = e.dur ?? 0;
    if (e.ts < end || !dur) continue; // inside the task before
    end = e.ts + dur;
    const lo = Math.max(e.ts, a.ts);
    const hi = Math.min(e.ts + dur, b.ts);
    if (hi > lo) cpu += ((e.tdur ?? 0) * (hi - lo)) / dur / 1000;
  }
  return {
    wallMs: (b.ts - a.ts) / 1000,
    cpuMs: cpu,
    busyMs: busy,
    idleMs: idle,
    gcMs: gc,
    inclusive: sorted(incl),
    self: sorted(self),
  };
}

export function printProfile(name: string, p: StageProfile): void {
  console.log(
    `\n${name}: ${p.wallMs.toFixed(0)} ms from request to first frame; main thread CPU ${p.cpuMs.toFixed(0)} ms; ` +
      `sampled busy ${p.busyMs.toFixed(0)} ms (GC ${p.gcMs.toFixed(0)} ms), idle ${p.idleMs.toFixed(0)} ms`,
  );
  console.log('  inclusive (ms):');
  for (const [n, v] of p.inclusive) console.log(`    ${v.toFixed(0).padStart(6)}  ${n}`);
  console.log('  self (ms):');
  for (const [n, v] of p.self) console.log(`    ${v.toFixed(0).padStart(6)}  ${n}`);
}
