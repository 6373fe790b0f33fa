// A sampled ranking's accuracy in words (server/analysis/bound-words.ts), from bounds the real sampler
// states: a star's hub is set apart at once ("top 1 separated"); a generated network stopped at a small
// cap leaves only some of its top 20 certain, and the words give that count and the score error the
// sampler reached. The web's Ranks panel and analysis record, and the server's export record, use these.
import { describe, expect, it } from 'vitest';
import { accuracyWords, describeSampledBound, plainNumber } from '../../server/analysis/bound-words.ts';
import { sampledBetweenness } from '../../server/analysis/betweenness-sampled.ts';
import { samplingErrorBound } from '../../server/analysis/betweenness.ts';
import { buildCSR } from '../../server/analysis/csr.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';
import { withAccuracyRecord, withAccuracyWords } from '../../server/export/collect.ts';
import { boundWords } from '../../web/src/analysis/ranking.ts';

function star(leaves: number) {
  const ids = Array.from({ length: leaves + 1 }, (_, i) => `n${i}`);
  const us = Array.from({ length: leaves }, () => 0);
  const vs = Array.from({ length: leaves }, (_, i) => i + 1);
  return buildCSR(
    ids,
    us,
    vs,
    us.map(() => 1),
    false,
  );
}

describe('sampled ranking in words', () => {
  it('writes numbers as people do', () => {
    expect(plainNumber(0.00004)).toBe('0.00004');
    expect(plainNumber(0.000041234)).toBe('0.000041');
    expect(plainNumber(4.2e-7)).toBe('0.00000042');
    expect(plainNumber(0.125)).toBe('0.13');
    expect(plainNumber(12_345, 2)).toBe('12,000');
    expect(plainNumber(0)).toBe('0');
  });

  it('says the top k are separated when the sampler set them apart', () => {
    const { bound } = sampledBetweenness(star(300), { topK: 1, seed: 3 });
    expect(bound.topKCertain).toBe(1);
    const w = describeSampledBound(bound);
    expect(w.headline).toBe('Sampled: top 1 separated');
    expect(w.detail).toContain('The top 1 are certain (at 99% confidence)');
    expect(w.detail).toMatch(/Sampling stopped because /);
    expect(w.detail).not.toMatch(/e-\d/); // no e-notation for an analyst
  });

  it('says how many of the top k are certain, and the score error, when sampling stopped short', () => {
    const e = communityGraph({ n: 3000, meanDegree: 4, seed: 11 });
    const g = buildCSR(
      Array.from({ length: 3000 }, (_, i) => `n${i}`),
      e.us,
      e.vs,
      e.ws,
      false,
    );
    const { bound } = sampledBetweenness(g, { topK: 20, maxSamples: 400, epsilon: 1e-6, seed: 5 });
    expect(bound.stoppedBy).toBe('sampleCap');
    expect(bound.topKCertain!).toBeLessThan(20);
    const w = describeSampledBound(bound);
    expect(w.headline).toBe(
      `Sampled: ${bound.topKCertain} of the top 20 certain; scores ±${plainNumber(bound.epsilon)} at 99% confidence`,
    );
    expect(w.detail).toContain(`${20 - bound.topKCertain!} could swap with entities just below them`);
    expect(w.detail).toContain('it reached the most paths a ranking draws (400)');
    expect(w.detail).toContain('from 400 shortest paths drawn at random');
    // The web app's words are these words, and so are the export record's, whatever the request said.
    expect(boundWords(bound)).toEqual(w);
    const { explanation: _, ...figures } = bound;
    const params = withAccuracyWords({ metric: 'betweenness', errorBound: figures, accuracy: 'stale words' });
    expect(params.accuracy).toBe(w.headline);
    expect(params.accuracyExplained).toBe(w.detail);
    expect(withAccuracyWords({ metric: 'degree' })).toEqual({ metric: 'degree' });
    // The briefing PDF's record: its Accuracy lines worded again from the parameters, in place.
    const record = withAccuracyRecord({
      Measure: 'Betweenness',
      Accuracy: 'stale',
      'Accuracy explained': 'stale',
      Parameters: { errorBound: figures },
    });
    expect(Object.keys(record)).toEqual(['Measure', 'Accuracy', 'Accuracy explained', 'Parameters']);
    expect(record.Accuracy).toBe(`${w.headline} (400 samples)`);
    expect(record['Accuracy explained']).toBe(w.detail);
    expect(withAccuracyRecord({ Accuracy: 'exact' })).toEqual({ Accuracy: 'exact' });
  });

  it('reads a bound from k starting points, one without a top k, and exact rankings', () => {
    const pivots = samplingErrorBound(549, 200, 0.05);
    expect(describeSampledBound(pivots).headline).toBe(
      `Sampled from 200 starting points: scores ±${plainNumber(pivots.epsilon)} at 95% confidence`,
    );
    expect(
      describeSampledBound({ epsilon: 0.0001, delta: 0.01, samples: 50_000, stoppedBy: 'adaptive' }).headline,
    ).toBe('Sampled: scores ±0.0001 at 99% confidence');
    expect(
      describeSampledBound({
        epsilon: 0.00004,
        delta: 0.01,
        samples: 100_000,
        stoppedBy: 'topKRelative',
        topK: 100,
        topKCertain: 37,
        topKRelative: 0.093,
      }).headline,
    ).toBe('Sampled: each of the top 100 within ±10% of its score; 37 of them certain');
    // A reason this version does not know is still said, not dropped.
    expect(
      describeSampledBound({ epsilon: 0.0002, delta: 0.01, samples: 9, stoppedBy: 'somethingNew' }).detail,
    ).toContain('Sampling stopped because of somethingNew.');
    expect(accuracyWords(null)).toBe('exact');
  });
});
