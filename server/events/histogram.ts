// Activity over time: calls and sightings counted in buckets whose size suits the range (minutes for an
// afternoon, days for a month, months for years), aligned to UTC clock and calendar boundaries.

export type BucketUnit =
  'minute' | '5 minutes' | '15 minutes' | 'hour' | '6 hours' | 'day' | 'week' | 'month' | 'year';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** 1970-01-05, the first Monday of the epoch: weeks start on Monday. */
const MONDAY = 4 * DAY;

const FIXED: Array<[BucketUnit, number]> = [
  ['minute', MIN],
  ['5 minutes', 5 * MIN],
  ['15 minutes', 15 * MIN],
  ['hour', HOUR],
  ['6 hours', 6 * HOUR],
  ['day', DAY],
  ['week', 7 * DAY],
];

/** Start of the bucket holding `ms`. */
export function bucketStart(ms: number, unit: BucketUnit): number {
  if (unit === 'month') {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  if (unit === 'year') return Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);
  const size = FIXED.find(([u]) => u === unit)![1];
  const origin = unit === 'week' ? MONDAY : 0;
  return Math.floor((ms - origin) / size) * size + origin;
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, unit: BucketUnit): number {
  if (unit === 'month') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  if (unit === 'year') return Date.UTC(new Date(start).getUTCFullYear() + 1, 0, 1);
  return start + FIXED.find(([u]) => u === unit)![1];
}

/** The finest unit giving at most `maxBuckets` buckets over [from, to]. */
export function chooseUnit(from: number, to: number, maxBuckets = 80): BucketUnit {
  const span = Math.max(0, to - from);
  for (const [unit, size] of FIXED) if (span / size < maxBuckets) return unit;
  if (span / (30.44 * DAY) < maxBuckets) return 'month';
  return 'year';
}

export interface Bucket {
  start: string;
  end: string;
  calls: number;
  sightings: number;
}

export interface Histogram {
  unit: BucketUnit;
  from: string;
  to: string;
  buckets: Bucket[];
  /** Events counted (inside [from, to]). */
  total: number;
}

/**
 * Counts events with a time in [from, to] into buckets of the unit chosen for the range. Every bucket
 * from the one holding `from` to the one holding `to` is present, empty ones with zero counts.
 */
export function histogram(
  events: Iterable<{ kind: 'call' | 'sighting'; at: string }>,
  from: number,
  to: number,
  maxBuckets = 80,
): Histogram {
  const unit = chooseUnit(from, to, maxBuckets);
  const starts: number[] = [];
  for (let s = bucketStart(from, unit); s <= to; s = nextBucket(s, unit)) starts.push(s);
  const buckets: Bucket[] = starts.map((s) => ({
    start: new Date(s).toISOString(),
    end: new Date(nextBucket(s, unit)).toISOString(),
    calls: 0,
    sightings: 0,
  }));
  let total = 0;
  for (const e of events) {
    const ms = Date.parse(e.at);
    if (!(ms >= from && ms <= to)) continue;
    // Binary search: month and year buckets are uneven.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= ms) lo = mid;
      else hi = mid - 1;
    }
    if (e.kind === 'call') buckets[lo].calls++;
    else buckets[lo].sightings++;
    total++;
  }
  return { unit, from: new Date(from).toISOString(), to: new Date(to).toISOString(), buckets, total };
}
