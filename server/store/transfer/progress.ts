// Progress of a transfer on stderr: per kind, how far, how fast and about how long is left, at most once a
// second (and once when a kind is done), so a long move says it is alive without flooding the terminal.
import type { DumpPart } from './parts.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export class Progress {
  private part: DumpPart | null = null;
  private done = 0;
  private startedAt = 0;
  private lastSaid = 0;
  private already = 0;

  constructor(
    private readonly say: (line: string) => void,
    private readonly verb: string,
    private readonly sizes: Partial<Record<DumpPart, number>>,
    private readonly everyMs = 1000,
  ) {}

  begin(part: DumpPart, already = 0): void {
    this.part = part;
    this.done = already;
    this.already = already;
    this.startedAt = performance.now();
    this.lastSaid = this.startedAt;
  }

  add(n: number): void {
    this.done += n;
    const now = performance.now();
    if (now - this.lastSaid < this.everyMs) return;
    this.lastSaid = now;
    const total = this.sizes[this.part!] ?? 0;
    const rate = (this.done - this.already) / ((now - this.startedAt) / 1000);
    const pct = total > 0 ? ` (${Math.min(100, Math.floor((100 * this.done) / total))}%)` : '';
    const left = total > this.done && rate > 0 ? `, about ${duration((total - this.done) / rate)} left` : '';
    this.say(
      `${this.verb} ${this.part}: ${fmt(this.done)} of ${fmt(total)}${pct}, ${fmt(rate)} a second${left}`,
    );
  }

  end(): void {
    if (!this.part) return;
    const s = (performance.now() - this.startedAt) / 1000;
    const n = this.done - this.already;
    if (this.done > 0)
      this.say(
        `${this.verb} ${this.part}: ${fmt(this.done)} done in ${s.toFixed(1)} s${n > 0 && s > 0 ? ` (${fmt(n / s)} a second)` : ''}`,
      );
    this.part = null;
  }
}
