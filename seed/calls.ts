// The demo's single calls and ANPR reads: each CALLED or SIGHTED_AT link of a seed batch gets as many
// events as its count says, the first on its first day and the last on its last day, so the timeline, call
// patterns and windowed views have something to show without an import. Deterministic: each link's events
// come from the seed and the link's two ends alone, whatever the chunking. Each link then carries the figures
// its events give: count, first and last call to the second, and for a CALLED link the total duration.
import type { EventColumns } from '../server/domain/events.ts';
import type { LinkInput } from '../server/domain/model.ts';
import type { WriteBatch } from '../server/store/graph-store.ts';
import { createRng, type Rng } from './random.ts';

const DAY_MS = 86_400_000;

/** Hours of the day (UTC) a call or read falls in, weighted: little at night, most in the evening. */
const HOUR_WEIGHTS = [1, 1, 0, 0, 0, 0, 1, 2, 3, 4, 4, 5, 6, 5, 5, 6, 7, 8, 9, 10, 10, 9, 6, 3];

/** FNV-1a of the text, mixed with the seed: each link's own generator. */
function linkSeed(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const endKey = (e: LinkInput['from']): string => ('id' in e ? e.id : `${e.type}:${e.key}`);
const dayMs = (d: string): number => Date.parse(d.slice(0, 10) + 'T00:00:00Z');
/** An instant to the second, as the stores write a link's first and last call: 2024-03-01T10:00:00Z. */
const isoSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `n` distinct instants over the days from `first` to `last` (both dates): the first on the first day,
 * the last on the last day (when there are two or more), in time order.
 */
function instants(rng: Rng, n: number, first: number, last: number): number[] {
  const days = Math.round((last - first) / DAY_MS);
  const clock = () => rng.weighted(HOUR_WEIGHTS) * 3_600_000 + rng.int(0, 3599) * 1000;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const day = i === 0 || days === 0 ? 0 : i === 1 ? days : rng.int(0, days);
    out.push(first + day * DAY_MS + clock());
  }
  out.sort((a, b) => a - b);
  // Two calls of one link in the same second would be one call: keep them a second apart.
  for (let i = 1; i < n; i++) if (out[i] <= out[i - 1]) out[i] = out[i - 1] + 1000;
  return out;
}

/** A call's length in seconds: mostly short, a few long. */
const callSeconds = (rng: Rng): number => Math.min(3600, 5 + Math.round(-Math.log(1 - rng.next()) * 95));

function columns(kind: EventColumns['kind'], rows: [number, number, number][]): EventColumns {
  const n = rows.length;
  const c: EventColumns = {
    kind,
    count: n,
    link: new Uint32Array(n),
    atMs: new Float64Array(n),
    duration: new Float64Array(n),
    direction: new Uint8Array(n),
    place: new Int32Array(n).fill(-1),
    places: [],
  };
  rows.forEach(([link, at, duration], k) => {
    c.link[k] = link;
    c.atMs[k] = at;
    c.duration[k] = duration;
    // A call is made by the link's `from` phone: outgoing. A read has no direction.
    c.direction[k] = kind === 'call' ? 1 : 0;
  });
  return c;
}

/**
 * The batch with the single calls and reads of its CALLED and SIGHTED_AT links: the demo's only (the
 * generated networks of the benchmarks measure links, and stay as they are).
 */
export function withCalls(batch: WriteBatch, seed: number, size: 'demo' | number): WriteBatch {
  if (size !== 'demo' || !batch.links?.length) return batch;
  const calls: [number, number, number][] = [];
  const reads: [number, number, number][] = [];
  const links = batch.links.map((l, i) => {
    if ((l.type !== 'CALLED' && l.type !== 'SIGHTED_AT') || !l.firstSeen || !l.lastSeen) return l;
    const rng = createRng(linkSeed(seed, `${l.type}|${endKey(l.from)}|${endKey(l.to)}`));
    const first = dayMs(l.firstSeen);
    const last = Math.max(first, dayMs(l.lastSeen));
    const at = instants(rng, Math.max(1, Math.round(l.weight ?? 1)), first, last);
    // The link's figures are those its events give (as the store derives them on a later write), so loading
    // the demo again finds nothing to change and the data version stays.
    const seen = { weight: at.length, firstSeen: isoSecond(at[0]), lastSeen: isoSecond(at[at.length - 1]) };
    if (l.type === 'SIGHTED_AT') {
      for (const t of at) reads.push([i, t, NaN]);
      return { ...l, ...seen, properties: { ...l.properties, reads: at.length } };
    }
    let total = 0;
    for (const t of at) {
      const s = callSeconds(rng);
      total += s;
      calls.push([i, t, s]);
    }
    return { ...l, ...seen, properties: { ...l.properties, calls: at.length, totalDuration: total } };
  });
  const events: EventColumns[] = [];
  if (calls.length) events.push(columns('call', calls));
  if (reads.length) events.push(columns('sighting', reads));
  return { ...batch, links, events };
}
