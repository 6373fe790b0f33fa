// The review section of a briefing states what the review computed, from the request that made it.
import { describe, expect, it } from 'vitest';
import { reviewComputedAs } from '../../server/cycle/briefing.ts';

describe('review section record', () => {
  it('names the network, the windows’ filter, the ranking and the seed actually used', () => {
    const people = reviewComputedAs({ before: { from: '2024-01-01' }, after: { to: '2024-12-31' } });
    expect(people).toContain('a person network, phones folded into the people who use them');
    expect(people).toContain('all entity types; all link types');
    expect(people).toContain('among Person');
    expect(people).toContain('Louvain, seed 42.');
    const phones = reviewComputedAs({
      before: {},
      after: {},
      foldPhones: false,
      seed: 7,
      riserTypes: ['Person', 'Phone'],
      targets: ['e1', 'e2'],
      view: { linkTypes: ['CALLED'], minGrading: { source: 2, intel: 'B' } },
    });
    expect(phones).toContain('an entity network, phones kept');
    expect(phones).toContain('CALLED, links graded 2B or better');
    expect(phones).toContain('among Person, Phone');
    expect(phones).toContain('seed 7');
    expect(phones).toContain('removes the 2 targets');
  });
});
