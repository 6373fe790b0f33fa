// The SQLite store's pure helpers: search text to FTS, dates for the time window, grading masks, path search.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityInputSchema, linkInputSchema } from '../../server/domain/model.ts';
import { fastEntity, fastLink } from '../../server/store/shared/validate.ts';
import { generateNetwork } from '../../seed/generate.ts';
import { ftsMatch } from '../../server/store/sqlite/fts.ts';
import { allowedGradeMask, gradeBit, gradingFromMask } from '../../server/store/sqlite/rows.ts';
import { dateMs } from '../../server/store/shared/values.ts';
import { parseId } from '../../server/store/shared/ids.ts';
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

describe('fast validation paths agree with the schemas', () => {
  const dateArb = fc.oneof(
    fc.constantFrom(
      '2024-01-01',
      '2024-02-30',
      '2024-02-31T10:00',
      '2024-01-01T25:00',
      '2024-13-01',
      '2024-01-01T10:00:00Z',
      '2024-1-1',
      '',
      'x',
    ),
    fc.string(),
  );
  const propsArb = fc.oneof(
    fc.constantFrom(undefined, {}, { calls: 3 }, { n: NaN }, { 'bad key': 1 }, { a: [1] }, []),
    fc.dictionary(
      fc.oneof(fc.constantFrom('calls', 'a_b', '_x', '9bad', 'with space', ''), fc.string()),
      fc.oneof(
        fc.string(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.object(),
      ),
    ),
  );
  const refArb = fc.oneof(
    fc.constantFrom(
      { id: 'e1' },
      { type: 'Phone', key: '+447700900001' },
      { id: '' },
      { type: 'Phone', key: '' },
    ),
    fc.record({ id: fc.oneof(fc.string(), fc.integer()) }),
    fc.record({
      type: fc.constantFrom('Person', 'Phone', 'Alien'),
      key: fc.oneof(fc.string(), fc.constant('k')),
    }),
    fc.constant(null),
  );
  const reportsArb = fc.oneof(
    fc.constantFrom(undefined, [], ['R1'], [''], 'R1'),
    fc.array(fc.oneof(fc.string(), fc.integer())),
  );
  it('links', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.constantFrom('CALLED', 'USES', 'LIKES'),
            from: refArb,
            to: refArb,
            weight: fc.oneof(fc.constantFrom(undefined, 0, -0, -1, 3, NaN, Infinity, '3'), fc.double()),
            firstSeen: fc.oneof(fc.constant(undefined), dateArb),
            lastSeen: fc.oneof(fc.constant(undefined), dateArb),
            properties: propsArb,
            reports: reportsArb,
          },
          { requiredKeys: ['type'] },
        ),
        (v) => {
          const fast = fastLink(v);
          if (fast === null) return;
          const z = linkInputSchema.safeParse(v);
          expect(z.success).toBe(true);
          expect(fast).toEqual(z.data);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('entities', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.constantFrom('Person', 'Phone', 'Alien'),
            label: fc.oneof(fc.string(), fc.constant('  Ann  '), fc.constant('   ')),
            key: fc.oneof(fc.constant(undefined), fc.string(), fc.constant(' k ')),
            properties: propsArb,
            reports: reportsArb,
            reviewDate: fc.oneof(fc.constant(undefined), dateArb),
          },
          { requiredKeys: ['type'] },
        ),
        (v) => {
          const fast = fastEntity(v);
          if (fast === null) return;
          const z = entityInputSchema.safeParse(v);
          expect(z.success).toBe(true);
          expect(fast).toEqual(z.data);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('accepts the plain shapes the seed writes', () => {
    const { batch } = generateNetwork({ seed: 3 });
    expect(batch.links!.every((l) => fastLink(l) !== null)).toBe(true);
    expect(batch.entities!.every((e) => fastEntity(e) !== null)).toBe(true);
  });
});
