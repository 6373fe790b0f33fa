// The SQLite store's pure helpers: search text to FTS, dates for the time window, grading masks, path search.
import { describe, expect, it } from 'vitest';
import { ftsMatch } from '../../server/store/sqlite/fts.ts';
import {
  allowedGradeMask,
  dateMs,
  gradeBit,
  gradingFromMask,
  parseId,
} from '../../server/store/sqlite/rows.ts';
import { allShortestPaths } from '../../server/store/sqlite/paths.ts';

describe('ftsMatch', () => {
  it('quotes every word and keeps operators as words', () => {
    expect(ftsMatch('John Smith')).toBe('"John" "Smith"*');
    expect(ftsMatch('"; DROP TABLE')).toBe('"DROP" "TABLE"*');
    expect(ftsMatch('AND OR NEAR(')).toBe('"AND" "OR" "NEAR"*');
    expect(ftsMatch('  ;;; ')).toBeNull();
    expect(ftsMatch('07700 900123')).toBe('("07700" "900123"*) OR "447700900123"');
  });
});

describe('dates and gradings', () => {
  it('a date alone covers its whole day; a time without a zone is UTC', () => {
    expect(dateMs('2024-01-02')).toBe(Date.UTC(2024, 0, 2));
    expect(dateMs('2024-01-02', true)).toBe(Date.UTC(2024, 0, 3) - 1);
    expect(dateMs('2024-01-02T10:00')).toBe(Date.UTC(2024, 0, 2, 10));
    expect(dateMs('2024-01-02T10:00:00+01:00')).toBe(Date.UTC(2024, 0, 2, 9));
  });
  it('grading masks: allowed bits and best grading', () => {
    const m = allowedGradeMask({ source: 2, intel: 'B' });
    expect(m & gradeBit(1, 'A')).not.toBe(0);
    expect(m & gradeBit(2, 'B')).not.toBe(0);
    expect(m & gradeBit(2, 'C')).toBe(0);
    expect(m & gradeBit(3, 'A')).toBe(0);
    expect(gradingFromMask(gradeBit(1, 'D') | gradeBit(2, 'C'))).toEqual({ source: 2, intel: 'C' });
    expect(gradingFromMask(0)).toBeNull();
    expect(parseId('e12', 'e')).toBe(12);
    for (const bad of ['e0', 'e01', 'l12', 'e1.5', 'e', '12', 'e-1']) expect(parseId(bad, 'e')).toBeNull();
  });
});

describe('allShortestPaths', () => {
  const adj: Record<number, [number, number][]> = {
    1: [
      [2, 12],
      [3, 13],
    ],
    2: [
      [1, 12],
      [4, 24],
    ],
    3: [
      [1, 13],
      [4, 34],
    ],
    4: [
      [2, 24],
      [3, 34],
      [5, 45],
    ],
    5: [[4, 45]],
  };
  const nb = (n: number) => (adj[n] ?? []).map(([other, link]) => ({ other, link }));
  it('finds every shortest path, honours maxHops and limit', () => {
    expect(allShortestPaths(1, 4, nb, { maxHops: 5, limit: 10 })).toEqual([
      { nodes: [1, 2, 4], links: [12, 24] },
      { nodes: [1, 3, 4], links: [13, 34] },
    ]);
    expect(allShortestPaths(1, 5, nb, { maxHops: 2, limit: 10 })).toEqual([]);
    expect(allShortestPaths(1, 5, nb, { maxHops: 3, limit: 1 })).toHaveLength(1);
    expect(allShortestPaths(1, 9, nb, { maxHops: 6, limit: 10 })).toEqual([]);
  });
});
