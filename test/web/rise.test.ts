// Rise and fall's pure part (web/src/analysis/rise.ts): the range asked of the server, the shared scale and
// which window names an axis has room for.
import { describe, expect, it } from 'vitest';
import {
  labelledTicks,
  riseRange,
  scoreText,
  sharedTop,
  type RiseLine,
} from '../../web/src/analysis/rise.ts';

const line = (scores: Array<number | null>): RiseLine => ({
  id: 'x',
  label: 'x',
  type: 'Person',
  scores,
  ranks: scores.map(() => null),
  peak: 0,
  peakWindow: 0,
  reason: 'top',
});

describe('rise and fall in the browser', () => {
  it("asks for the chart's dated span, cut to the latest 36 windows when longer", () => {
    const d = (s: string) => Date.parse(`${s}T12:00:00Z`);
    expect(riseRange({ min: d('2024-01-05'), max: d('2024-12-20') }, 'month')).toEqual({
      from: '2024-01-01',
      to: '2024-12-20',
      windows: 12,
      cut: false,
    });
    expect(riseRange({ min: d('2019-03-05'), max: d('2024-12-20') }, 'month')).toEqual({
      from: '2022-01-01',
      to: '2024-12-20',
      windows: 36,
      cut: true,
    });
    expect(riseRange(null, 'week')).toBeNull();
  });

  it('one scale: the highest score of any line, 1 when every score is 0', () => {
    expect(sharedTop([line([0.1, null, 0.3]), line([0.2, 0.25])])).toBe(0.3);
    expect(sharedTop([line([0, null])])).toBe(1);
  });

  it('labels every window when there is room, else evenly with the first and last', () => {
    expect(labelledTicks(4, 400)).toEqual([0, 1, 2, 3]);
    expect(labelledTicks(12, 160)).toEqual([0, 6, 11]);
    expect(labelledTicks(12, 500)).toEqual([0, 2, 4, 6, 8, 11]);
    expect(labelledTicks(0, 100)).toEqual([]);
  });

  it('writes scores short', () => {
    expect([scoreText(0), scoreText(3), scoreText(0.06612), scoreText(1.5)]).toEqual([
      '0',
      '3',
      '0.066',
      '1.50',
    ]);
  });
});
