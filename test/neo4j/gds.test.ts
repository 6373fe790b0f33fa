// GDS in the database against the server's own analysis on the same view: PageRank and betweenness agree
// node by node within the algorithms' tolerance; Louvain partitions agree in modularity (labels differ).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteBatch } from '../../server/store/graph-store.ts';
import type { Neo4jStores } from '../../server/store/neo4j/stores.ts';
import { gdsBetweenness, gdsLouvain, gdsPageRank, gdsVersion } from '../../server/store/neo4j/gds.ts';
import { buildView } from '../../server/analysis/view.ts';
import { pagerank } from '../../server/analysis/pagerank.ts';
import { betweenness } from '../../server/analysis/betweenness.ts';
import { louvain } from '../../server/analysis/louvain.ts';
import { modularity } from '../../server/analysis/modularity.ts';
import { mulberry32 } from '../../server/analysis/random.ts';
import { LOCK_WAIT_MS, lockDatabase, neo4jForTests } from './harness.ts';

const avail = await neo4jForTests();

/** Communities of people with strong ties inside and a few weak ties across, two kinds of link, isolates. */
export function clusteredNetwork(people = 240, groups = 6, seed = 7): WriteBatch {
  const rnd = mulberry32(seed);
  const entities = Array.from({ length: people }, (_, i) => ({
    type: 'Person' as const,
    label: `Person ${i}`,
  }));
  const key = (i: number) => ({ type: 'Person' as const, key: `person ${i}` });
  const links: NonNullable<WriteBatch['links']> = [];
  const connected = people - 3;
  for (let i = 0; i < connected; i++) {
    for (let j = i + 1; j < connected; j++) {
      const same = i % groups === j % groups;
      if (rnd() < (same ? 0.12 : 0.004)) {
        links.push({ type: 'ASSOCIATE_OF', from: key(i), to: key(j), weight: 1 + Math.floor(rnd() * 5) });
        // Some pairs are also relatives: two links between one pair, summed into one edge by both sides.
        if (rnd() < 0.1) links.push({ type: 'RELATIVE_OF', from: key(j), to: key(i), weight: 2 });
      }
    }
  }
  return { entities, links };
}

describe.skipIf(!avail.ok)('GDS against the server analysis', () => {
  let release: () => void = () => {};
  let stores: Neo4jStores;
  beforeAll(async () => {
    release = await lockDatabase();
    if (!avail.ok) return;
    stores = await avail.server.freshStore();
    await stores.graph.writeBatch(clusteredNetwork(), { actor: 'test' });
  }, LOCK_WAIT_MS);
  afterAll(async () => {
    await stores?.close();
    release();
    if (avail.ok) await avail.server.close();
  });

  it('has the GDS procedures', async () => {
    expect(await gdsVersion(stores)).toMatch(/^2\.13\./);
  });

  it('PageRank (weighted) matches node by node', async () => {
    const view = buildView(await stores.graph.subgraph({}));
    const ours = pagerank(view.csr, { weighted: true, tolerance: 1e-14 });
    const gds = await gdsPageRank(stores, { weighted: true });
    expect(gds.size).toBe(view.csr.n);
    let worst = 0;
    view.csr.ids.forEach((id, i) => (worst = Math.max(worst, Math.abs(gds.get(id)! - ours[i]) / ours[i])));
    expect(worst).toBeLessThan(1e-4);
  });

  it('PageRank (unweighted, filtered view) matches node by node', async () => {
    const filter = { linkTypes: ['ASSOCIATE_OF' as const] };
    const view = buildView(await stores.graph.subgraph(filter), { filter });
    const ours = pagerank(view.csr, { weighted: false, tolerance: 1e-14 });
    const gds = await gdsPageRank(stores, { weighted: false, filter });
    expect(gds.size).toBe(view.csr.n);
    view.csr.ids.forEach((id, i) => expect(gds.get(id)!, id).toBeCloseTo(ours[i], 6));
  });

  it('betweenness matches node by node', async () => {
    const view = buildView(await stores.graph.subgraph({}));
    const ours = betweenness(view.csr, { weighted: false, normalized: true });
    const gds = await gdsBetweenness(stores, { normalized: true });
    view.csr.ids.forEach((id, i) => expect(gds.get(id)!, id).toBeCloseTo(ours[i], 9));
    const raw = betweenness(view.csr, { weighted: false, normalized: false });
    const gdsRaw = await gdsBetweenness(stores, { normalized: false });
    view.csr.ids.forEach((id, i) => expect(gdsRaw.get(id)!, id).toBeCloseTo(raw[i], 6));
  });

  it('Louvain finds a partition as good as the server does', async () => {
    const view = buildView(await stores.graph.subgraph({}));
    const ours = louvain(view.csr, { weighted: true, seed: 1 });
    const gds = await gdsLouvain(stores, { weighted: true });
    const remap = new Map<number, number>();
    const labels = view.csr.ids.map((id) => {
      const c = gds.get(id)!;
      if (!remap.has(c)) remap.set(c, remap.size);
      return remap.get(c)!;
    });
    const q = modularity(view.csr, labels, { weighted: true });
    expect(ours.modularity).toBeGreaterThan(0.3);
    expect(Math.abs(q - ours.modularity)).toBeLessThan(0.02);
  });
});
