// Value forms both backends store alike: natural keys, dates as epoch ms for the time window, properties as JSON.
import type { Properties } from '../../domain/model.ts';
import type { UpsertCounts, WriteResult } from '../graph-store.ts';
import { fuzzyText } from './search-tokens.ts';

/** A natural key as stored: NFC, trimmed. */
export const nfcKey = (k: string): string => k.normalize('NFC').trim();

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Epoch ms of an ISO date. A date without a time means its whole day: its start, or with `end` its last
 * millisecond, so window bounds and seen dates given as days are inclusive. A time without a zone is UTC.
 */
export function dateMs(s: string, end = false): number {
  if (DATE_ONLY.test(s)) return Date.parse(`${s}T00:00:00Z`) + (end ? DAY_MS - 1 : 0);
  const t = s.replace(' ', 'T');
  return Date.parse(HAS_ZONE.test(t) ? t : `${t}Z`);
}

// Imports repeat the same few hundred dates; parsing each once saves a regex and a Date.parse per row.
const msCache = new Map<string, number>();
export function cachedMs(s: string, end: boolean): number {
  const k = end ? `${s}~` : s;
  let v = msCache.get(k);
  if (v === undefined) {
    if (msCache.size > 20_000) msCache.clear();
    v = dateMs(s, end);
    msCache.set(k, v);
  }
  return v;
}

/** Date columns (seen string and its epoch ms) of a link, with a date alone covering its day. */
export function seen(first: string | null | undefined, last: string | null | undefined) {
  return {
    first: first ?? null,
    last: last ?? null,
    firstMs: first ? cachedMs(first, false) : null,
    lastMs: last ? cachedMs(last, true) : null,
  };
}

export function parseProps(s: string): Properties {
  return s === '{}' ? {} : (JSON.parse(s) as Properties);
}

/** String property values and the label's sound-alike keys (search-tokens.ts), for full-text search. */
export function searchText(p: Properties, label: string): string {
  let out = '';
  for (const v of Object.values(p)) if (typeof v === 'string') out += (out ? ' ' : '') + v;
  const fuzzy = fuzzyText(label);
  return fuzzy ? (out ? `${out} ${fuzzy}` : fuzzy) : out;
}

const counts0 = (): UpsertCounts => ({ created: 0, updated: 0, unchanged: 0 });

/** A write batch's result before its first step: nothing counted yet. */
export function emptyWriteResult(): WriteResult {
  return {
    reports: counts0(),
    entities: counts0(),
    links: counts0(),
    entityIds: [],
    linkIds: [],
    reportIds: [],
    dataVersion: 0,
  };
}
