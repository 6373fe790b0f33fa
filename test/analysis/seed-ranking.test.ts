// On the seed network (seed/generate.ts), the generator's ground-truth brokers and leaders must come out
// near the top of the betweenness and brokerage rankings among people, in the view an analyst would use
// (phones folded into their users; people linked through shared events, vehicles and places).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildView, type View } from '../../server/analysis/view.ts';
import { computeMetric, rankScores } from '../../server/analysis/registry.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { loadSeed } from '../../seed/load.ts';
import type { GroundTruth } from '../../seed/generate.ts';

let dir: string;
let stores: Stores;
let truth: GroundTruth;
let view: View;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linkchart-seed-rank-'));
  stores = await openStore({ LINKCHART_DB: join(dir, 'seed.db') });
  ({ truth } = await loadSeed(stores, { size: 'demo', truthFile: null }));
  view = buildView(await stores.graph.subgraph({}), {
    projection: { foldPhones: true, personVia: ['Event', 'Vehicle', 'Location'] },
  });
});

afterAll(async () => {
  await stores?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function peopleRanks(metric: 'betweenness' | 'brokerage'): (key: string) => number {
  const people = rankScores(view.csr, computeMetric(view.csr, metric)).filter(
    (r) => view.types[r.index] === 'Person',
  );
  return (key) => {
    const pos = people.findIndex((r) => r.id === truth.ids![key]);
    if (pos < 0) throw new Error(`${truth.labels[key]} (${key}) is not in the view`);
    return pos + 1;
  };
}

describe('seed network ground truth', () => {
  it('ranks the brokers in the top 5 and the leaders in the top 20 people by betweenness', () => {
    const rank = peopleRanks('betweenness');
    const brokers = truth.brokers.map(rank);
    const leaders = truth.leaders.map(rank);
    console.log(
      `betweenness ranks among people: brokers ${brokers.join(', ')}; leaders ${leaders.join(', ')}`,
    );
    for (const r of brokers) expect(r).toBeLessThanOrEqual(5);
    for (const r of leaders) expect(r).toBeLessThanOrEqual(20);
  });

  it('ranks brokers and leaders in the top 25 people by brokerage', () => {
    const rank = peopleRanks('brokerage');
    const ranks = [...truth.brokers, ...truth.leaders].map(rank);
    console.log(`brokerage ranks among people: brokers then leaders ${ranks.join(', ')}`);
    for (const r of ranks) expect(r).toBeLessThanOrEqual(25);
  });
});
