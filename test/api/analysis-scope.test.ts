// Analysis over the chart's entities and over the whole view run by one engine on the server: the same graph
// and parameters give the same scores (to 1e-9), a chart's scores match networkx on the graph the chart
// holds, and results name each ranked entity's type and the network they were computed over.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBatch } from '../e2e/fixture.ts';
import { startHarness, type Harness } from './server-harness.ts';
import type { Subgraph } from '../../server/domain/model.ts';

interface Scored {
  id: string;
  label: string;
  score: number;
  rank: number;
  type: string | null;
}
interface MetricResult {
  metric: string;
  scores: Scored[];
  view: { nodes: number; links: number; notes: string[] };
}

const PERSON_VIEW = {
  filter: {},
  projection: { foldPhones: true, personVia: [] },
  grading: 'ignore',
  directed: false,
};
const ENTITY_VIEW = { ...PERSON_VIEW, projection: { foldPhones: false, personVia: [] } };

describe('analysis over the chart and over the whole view', () => {
  let h: Harness;

  const run = async (body: Record<string, unknown>): Promise<MetricResult> => {
    const start = await h.call('POST', '/api/analysis/jobs', body);
    expect(start.status, start.text).toBe(202);
    const id = (start.json as { id: string }).id;
    for (let i = 0; i < 400; i++) {
      const s = await h.call('GET', `/api/analysis/jobs/${id}`);
      const state = (s.json as { state: string }).state;
      if (state === 'done') break;
      if (state === 'failed' || state === 'cancelled') throw new Error(s.text);
      await new Promise((r) => setTimeout(r, 25));
    }
    const r = await h.call('GET', `/api/analysis/jobs/${id}/result`);
    expect(r.status, r.text).toBe(200);
    return (r.json as { result: MetricResult }).result;
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.stores.graph.writeBatch(fixtureBatch(), { actor: 'test' });
  });
  afterAll(async () => h?.close());

  it('gives the same person-network scores for the chart holding the whole view as for the view', async () => {
    const request = { kind: 'metric', metric: 'betweenness' };
    const whole = await run({ view: PERSON_VIEW, request });
    const view = (await h.call('POST', '/api/view', { filter: {} })).json as Subgraph;
    const chart = await run({ view: PERSON_VIEW, request, entityIds: view.nodes.map((n) => n.id) });
    expect(chart.scores.length).toBe(whole.scores.length);
    const byId = new Map(whole.scores.map((s) => [s.id, s.score]));
    for (const s of chart.scores) expect(Math.abs(s.score - byId.get(s.id)!)).toBeLessThanOrEqual(1e-9);
    // Phones are folded into their users: the ranked entities are people and the few things left.
    expect(whole.scores.some((s) => s.type === 'Phone')).toBe(false);
    expect(whole.scores.slice(0, 5).every((s) => s.type === 'Person')).toBe(true);
    expect(whole.view.notes.join(' ')).toMatch(/phones folded into their users/);
    expect(whole.view.nodes).toBe(whole.scores.length);
  });

  it('ranks only the chart entities, as networkx does on the graph between them', async () => {
    const view = (await h.call('POST', '/api/view', { filter: {} })).json as Subgraph;
    // A chart of crew 1 and crew 2 people with their phones (the entities an analyst would have drawn).
    const ids = view.nodes
      .filter((n) => n.properties.crew === 1 || n.properties.crew === 2 || n.type === 'Phone')
      .map((n) => n.id);
    const inChart = new Set(ids);
    for (const weighted of [false, true]) {
      const r = await run({
        view: ENTITY_VIEW,
        request: { kind: 'metric', metric: weighted ? 'betweennessWeighted' : 'betweenness' },
        entityIds: ids,
      });
      const edges = view.links
        .filter((l) => inChart.has(l.from) && inChart.has(l.to))
        .map((l) => [l.from, l.to, l.weight]);
      // Every chart entity in the view is ranked, linked or not (an isolated one scores 0).
      const nodes = ids;
      const expected = JSON.parse(
        execFileSync('python3', [join(import.meta.dirname, '../reference/betweenness_of_links.py')], {
          input: JSON.stringify({ nodes, edges, weighted }),
        }).toString(),
      ) as Record<string, number>;
      expect(r.scores.length).toBe(nodes.length);
      for (const s of r.scores) {
        expect(inChart.has(s.id)).toBe(true);
        expect(Math.abs(s.score - expected[s.id])).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it('says plainly when none of the entities is in the view', async () => {
    const r = await h.call('POST', '/api/analysis/jobs', {
      view: PERSON_VIEW,
      request: { kind: 'metric', metric: 'degree' },
      entityIds: ['no-such-entity'],
    });
    expect(r.status, r.text).toBe(400);
    expect(r.text).toContain('none of these entities is in the view');
    expect(r.text).toContain('entityIds');
  });
});
