import { describe, expect, it } from 'vitest';
import { ordinal } from '../../server/domain/ordinal.ts';

describe('ordinal', () => {
  it('reads like English for every last digit and the teens', () => {
    const cases: Array<[number, string]> = [
      [0, '0th'],
      [1, '1st'],
      [2, '2nd'],
      [3, '3rd'],
      [4, '4th'],
      [9, '9th'],
      [10, '10th'],
      [11, '11th'],
      [12, '12th'],
      [13, '13th'],
      [14, '14th'],
      [21, '21st'],
      [22, '22nd'],
      [23, '23rd'],
      [93, '93rd'],
      [100, '100th'],
      [101, '101st'],
      [111, '111th'],
      [112, '112th'],
      [113, '113th'],
      [121, '121st'],
      [1002, '1002nd'],
    ];
    for (const [n, s] of cases) expect(ordinal(n)).toBe(s);
  });
  it('rounds a fractional percentile before choosing the suffix', () => {
    expect(ordinal(92.6)).toBe('93rd');
    expect(ordinal(11.4)).toBe('11th');
    expect(ordinal(-3)).toBe('-3rd');
    expect(ordinal(Number.NaN)).toBe('NaN');
  });
});
