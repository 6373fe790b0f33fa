// What every bench suite reads from its command line and how the Neo4j suites fill their store: one copy here
// rather than one per suite.
import { planNetwork } from '../seed/generate.ts';
import type { Stores } from '../server/store/stores.ts';

/** `--name=N` from the suite's arguments, or `dflt`. */
export function arg(args: string[], name: string, dflt: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
}

/** Writes the seeded network of `size` links (seed 7, batches of 2,000) into `stores`; how many links went in. */
export async function loadSeededNetwork(stores: Stores, size: number): Promise<number> {
  let loaded = 0;
  for (const c of planNetwork({ seed: 7, size }, 2_000).chunks()) {
    const r = await stores.graph.writeBatch(c, { actor: 'bench', importId: 'bench' });
    loaded += r.links.created + r.links.updated + r.links.unchanged;
  }
  return loaded;
}
