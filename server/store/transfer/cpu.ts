// CPU time per phase of a transfer: this process (every thread, the links' worker too), the child processes it
// waited for (the importer's JVM, the server's stop and start scripts) and the local Neo4j server (by the pid
// cypher/server/neo4j.sh keeps in its folder). A phase's wall time on a loaded machine says little; its CPU
// says what it costs, so the log carries both. Linux only (/proc); elsewhere the figures are left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks a second of /proc's times (USER_HZ, 100 on every Linux Node runs on). */
const TICKS = 100;

/** utime + stime (and with `children` also cutime + cstime) of a process, in seconds; null if unreadable. */
function procSeconds(pid: number | 'self', children: boolean): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces), from field 3 (state): utime is field 14.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]);
    return (children ? Number(f[13]) + Number(f[14]) : own) / TICKS;
  } catch {
    return null;
  }
}

export interface CpuLap {
  /** This process, every thread. */
  self: number;
  /** Child processes waited for in the lap (the importer). */
  children: number;
  /** The local Neo4j server, or null when its pid is not known. */
  server: number | null;
}

export class CpuClock {
  private self = process.cpuUsage();
  private children = procSeconds('self', true) ?? 0;
  private server: { pid: number; s: number } | null;

  /** `home`: the local server's folder (LINKCHART_NEO4J_HOME), or null when it is not ours to watch. */
  constructor(private readonly home: string | null) {
    this.server = this.serverNow();
  }

  private serverNow(): { pid: number; s: number } | null {
    if (!this.home) return null;
    try {
      const pid = Number(readFileSync(join(this.home, 'run', 'neo4j.pid'), 'utf8').trim());
      const s = procSeconds(pid, false);
      return s === null ? null : { pid, s };
    } catch {
      return null;
    }
  }

  /** CPU seconds since the last lap. A server restarted in the lap counts from its start. */
  lap(): CpuLap {
    const self = process.cpuUsage(this.self);
    this.self = process.cpuUsage();
    const children = procSeconds('self', true) ?? 0;
    const c = children - this.children;
    this.children = children;
    const now = this.serverNow();
    const server = now ? (this.server?.pid === now.pid ? now.s - this.server.s : now.s) : null;
    this.server = now;
    return { self: (self.user + self.system) / 1e6, children: c, server };
  }
}

/** "files 30.1/25.0/2.0, ..." for the log. */
export function cpuLine(laps: Record<string, CpuLap>): string {
  return Object.entries(laps)
    .map(
      ([k, v]) =>
        `${k} ${v.self.toFixed(1)}/${v.children.toFixed(1)}/${v.server === null ? '-' : v.server.toFixed(1)}`,
    )
    .join(', ');
}
