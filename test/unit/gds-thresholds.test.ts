// When a whole-store analysis goes to GDS is set per metric (jobs/gds-thresholds.ts): the measured crossovers
// by default, one setting for every metric when LINKCHART_GDS_FROM_LINKS is given, and each metric's own
// variable above both; a bad value stops the start naming its variable. And GDS's rows are ranked by the
// server's one ranking rule (registry.ts rankByScore): the same ranks, ties and order as rankScores.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import {
  GDS_FROM_LINKS_DEFAULTS,
  GDS_JOB_METRICS,
  gdsFromLinksFor,
  readGdsThresholds,
} from '../../server/jobs/gds-thresholds.ts';
import { rankGdsRows } from '../../server/jobs/gds-analysis.ts';
import { rankByScore, rankScores } from '../../server/analysis/registry.ts';
import { buildCSR } from '../../server/analysis/csr.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { boundWords, describeBound } from '../../web/src/analysis/ranking.ts';

describe('the GDS threshold per metric', () => {
  it('defaults to the measured crossovers: PageRank from 50k links, Louvain from 200k, betweenness never by size', () => {
    const limits = loadConfig({}).limits;
    expect(gdsFromLinksFor('pagerank', limits)).toBe(50_000);
    expect(gdsFromLinksFor('communities', limits)).toBe(200_000);
    expect(gdsFromLinksFor('degree', limits)).toBe(GDS_FROM_LINKS_DEFAULTS.degree);
    expect(gdsFromLinksFor('betweenness', limits)).toBe(Infinity);
    // What GDS does not run is never sent by size.
    expect(gdsFromLinksFor('closeness', limits)).toBe(Infinity);
  });

  it('LINKCHART_GDS_FROM_LINKS sets every metric; a metric of its own overrides it, "never" included', () => {
    const limits = loadConfig({
      LINKCHART_GDS_FROM_LINKS: '1000',
      LINKCHART_GDS_FROM_LINKS_PAGERANK: '123',
      LINKCHART_GDS_FROM_LINKS_LOUVAIN: 'never',
    }).limits;
    expect(gdsFromLinksFor('pagerank', limits)).toBe(123);
    expect(gdsFromLinksFor('communities', limits)).toBe(Infinity);
    for (const m of GDS_JOB_METRICS.filter((x) => x !== 'pagerank' && x !== 'communities'))
      expect(gdsFromLinksFor(m, limits)).toBe(1000);
    expect(readGdsThresholds({ LINKCHART_GDS_FROM_LINKS_CORE_NUMBER: ' 77 ' })).toEqual({ coreNumber: 77 });
  });

  it('a bad value stops the start, naming the variable', () => {
    expect(() => loadConfig({ LINKCHART_GDS_FROM_LINKS_DEGREE: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ LINKCHART_GDS_FROM_LINKS_DEGREE: '0' })).toThrow(
      /LINKCHART_GDS_FROM_LINKS_DEGREE="0" is not a whole number/,
    );
    expect(() => loadConfig({ LINKCHART_SAMPLED_BUDGET_MS: '5s' })).toThrow(/LINKCHART_SAMPLED_BUDGET_MS/);
  });
});

describe('one ranking rule for the server and GDS', () => {
  it("GDS's rows, in any order, rank as the server ranks the same scores over the view", () => {
    const rng = mulberry32(3);
    const n = 300;
    const ids = Array.from({ length: n }, (_, i) => `e${i + 1}`);
    // Many exact ties and near-ties (within 1e-9) so the tie rule decides most places.
    const scores = Float64Array.from(
      { length: n },
      () => Math.floor(rng() * 20) / 20 + (rng() < 0.3 ? 1e-11 : 0),
    );
    const g = buildCSR(ids, [0], [1], null, false);
    const server = rankScores(g, scores);
    const rows = ids.map((id, i) => ({ id, label: `L${id}`, type: 'Person', value: scores[i] }));
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const gds = rankGdsRows(rows);
    expect(gds.map((r) => [r.id, r.rank])).toEqual(server.map((r) => [r.id, r.rank]));
    expect(gds.every((r) => r.label === `L${r.id}` && r.type === 'Person')).toBe(true);
    expect(rankByScore(ids, scores)).toEqual(server);
    // Ties share the better rank: some do here.
    expect(new Set(server.map((r) => r.rank)).size).toBeLessThan(n);
  });
});

describe("the bound a sampled ranking reached, in the analyst's words", () => {
  it('says how many of the top k are certain, and that the time ran out', () => {
    expect(describeBound({ epsilon: 0.001, delta: 0.01, samples: 10 })).toBe(
      'Sampled: scores ±0.001 at 99% confidence',
    );
    const budget = {
      epsilon: 0.00031,
      delta: 0.01,
      samples: 3594,
      topK: 100,
      topKCertain: 37,
      stoppedBy: 'timeBudget',
    };
    expect(describeBound(budget)).toBe(
      'Sampled: 37 of the top 100 certain; scores ±0.00031 at 99% confidence',
    );
    expect(boundWords(budget).detail).toContain('it reached the time a ranking may take');
  });
});
