// Writes a seeded community-structured graph (server/analysis/random-graph.ts) into a store as people joined by
// ASSOCIATE_OF links, for tests and benchmarks that need a large view without the county-lines generator's detail.
import { communityGraph, type CommunityGraphOptions } from '../server/analysis/random-graph.ts';
import type { GraphStore } from '../server/store/graph-store.ts';

export async function loadCommunityGraph(
  store: GraphStore,
  options: CommunityGraphOptions,
  actor = 'seed',
): Promise<{ nodes: number; links: number; entityIds: string[] }> {
  const e = communityGraph(options);
  const n = options.n;
  const entityIds: string[] = [];
  for (let c = 0; c < n; c += 10_000) {
    const r = await store.writeBatch(
      {
        entities: Array.from({ length: Math.min(10_000, n - c) }, (_, i) => ({
          type: 'Person' as const,
          label: `Person ${c + i}`,
          key: `p${c + i}`,
        })),
      },
      { actor },
    );
    entityIds.push(...r.entityIds);
  }
  for (let c = 0; c < e.us.length; c += 20_000) {
    const links = [];
    for (let i = c; i < Math.min(e.us.length, c + 20_000); i++) {
      links.push({
        type: 'ASSOCIATE_OF' as const,
        from: { id: entityIds[e.us[i]] },
        to: { id: entityIds[e.vs[i]] },
        weight: e.ws[i],
      });
    }
    await store.writeBatch({ links }, { actor });
  }
  return { nodes: n, links: e.us.length, entityIds };
}
