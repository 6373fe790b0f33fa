// Failed requests from callers who are not signed in are counted and sampled, not written one record each.
// Anyone can send them, as fast as the network allows, and audit records can never be deleted: one record
// per anonymous 401 let 1,000 requests in 0.6 s write 14 MB. Per source address and route, within each
// interval, the first few are recorded in full (their query strings cut to the parameter names); the rest
// are counted, and one summary record per source and route says how many there were, with which statuses,
// which sign-in names were tried, from when to when. A signed-in user's failures are still recorded one
// each: they are accountable, and their own number is small.
import type { AuditInput } from '../domain/model.ts';

export interface AnonymousAuditOptions {
  /** Length of one counting interval, ms (default 60 s; LINKCHART_AUDIT_ANON_WINDOW_MS). */
  windowMs?: number;
  /** Failures per source and route recorded in full in each interval (default 3; LINKCHART_AUDIT_ANON_SAMPLE). */
  sampleFirst?: number;
  /** Sources and routes tracked at once; beyond that they share one bucket per route (default 10,000). */
  maxSources?: number;
  /** Full records in one interval across all sources; beyond that, only counts (default 1,000). */
  maxFullPerWindow?: number;
}

export const ANONYMOUS_AUDIT_DEFAULTS: Required<AnonymousAuditOptions> = {
  windowMs: 60_000,
  sampleFirst: 3,
  maxSources: 10_000,
  maxFullPerWindow: 1_000,
};

/** The environment variable behind each option, and its range (read by server/config.ts). */
export const ANONYMOUS_AUDIT_ENV = {
  windowMs: ['LINKCHART_AUDIT_ANON_WINDOW_MS', 1000, 24 * 3600 * 1000],
  sampleFirst: ['LINKCHART_AUDIT_ANON_SAMPLE', 0, 1_000_000],
} as const satisfies Record<string, readonly [string, number, number]>;

/**
 * The source a failure is counted against: an IPv4 address as it is, an IPv6 address by its /64 (one
 * host is usually given a whole /64, so counting single addresses there would count nothing).
 */
export function sourceOf(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1];
  if (!ip.includes(':')) return ip || 'unknown';
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t]
    : h;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const MAX_ACTORS = 20;
const MAX_QUERY_KEYS = 10;

/** A failure recorded in full, with what anyone could put in it cut down to size. */
function trimmed(input: AuditInput, nth: number): AuditInput {
  const details: Record<string, unknown> = { ...input.details, anonymousSample: nth };
  const query = details.query;
  delete details.query;
  if (query && typeof query === 'object')
    details.queryKeys = Object.keys(query)
      .slice(0, MAX_QUERY_KEYS)
      .map((k) => k.slice(0, 50));
  // Nothing was disclosed to someone not signed in: what the body claimed is not kept.
  const { justification: _j, recipient: _r, ...rest } = input;
  return { ...rest, details };
}

interface Bucket {
  source: string;
  route: string;
  action: string;
  start: number;
  last: number;
  full: number;
  counted: number;
  statuses: Record<string, number>;
  outcomes: Set<AuditInput['outcome']>;
  actors: Set<string>;
}

export class AnonymousFailureSampler {
  readonly opts: Required<AnonymousAuditOptions>;
  private buckets = new Map<string, Bucket>();
  private windowStart: number;
  private fullThisWindow = 0;

  constructor(
    opts: AnonymousAuditOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...ANONYMOUS_AUDIT_DEFAULTS, ...opts };
    this.windowStart = now();
  }

  /** Failures counted and not yet summarised. */
  get pending(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.counted;
    return n;
  }

  /**
   * One anonymous failure. Returns the records to write now: the failure itself in full while its source
   * and route are within the sample, and the summary of the interval that has just ended for them.
   */
  note(ip: string, input: AuditInput): AuditInput[] {
    const t = this.now();
    const out = this.expire(t);
    if (t - this.windowStart >= this.opts.windowMs) {
      this.windowStart = t;
      this.fullThisWindow = 0;
    }
    const route = input.route ?? '';
    let source = sourceOf(ip);
    let key = `${source} ${route}`;
    let b = this.buckets.get(key);
    if (!b && this.buckets.size >= this.opts.maxSources) {
      source = 'other sources';
      key = `* ${route}`;
      b = this.buckets.get(key);
    }
    if (!b) {
      b = {
        source,
        route,
        action: input.action,
        start: t,
        last: t,
        full: 0,
        counted: 0,
        statuses: {},
        outcomes: new Set(),
        actors: new Set(),
      };
      this.buckets.set(key, b);
    }
    b.last = t;
    if (b.full < this.opts.sampleFirst && this.fullThisWindow < this.opts.maxFullPerWindow) {
      b.full++;
      this.fullThisWindow++;
      out.push(trimmed(input, b.full));
      return out;
    }
    b.counted++;
    const status = String(input.details?.status ?? '?');
    b.statuses[status] = (b.statuses[status] ?? 0) + 1;
    b.outcomes.add(input.outcome);
    if (b.actors.size < MAX_ACTORS && input.actor !== 'anonymous') b.actors.add(input.actor.slice(0, 200));
    return out;
  }

  /** Summaries of every interval that has ended by `t` (all of them when `all`), their buckets dropped. */
  expire(t = this.now(), all = false): AuditInput[] {
    const out: AuditInput[] = [];
    for (const [key, b] of this.buckets) {
      if (!all && t - b.start < this.opts.windowMs) continue;
      this.buckets.delete(key);
      if (b.counted > 0) out.push(this.summary(b));
    }
    return out;
  }

  private summary(b: Bucket): AuditInput {
    const details: Record<string, unknown> = {
      count: b.counted,
      recordedInFull: b.full,
      source: b.source,
      statuses: b.statuses,
      from: new Date(b.start).toISOString(),
      to: new Date(b.last).toISOString(),
      action: b.action,
    };
    if (b.actors.size) details.namesTried = [...b.actors];
    return {
      actor: 'anonymous',
      action: 'anonymous.failures',
      route: b.route,
      outcome: b.outcomes.has('failed') || b.outcomes.has('error') ? 'failed' : 'denied',
      details,
    };
  }
}
