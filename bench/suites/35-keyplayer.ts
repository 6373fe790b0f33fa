// Key-player search (server/analysis/keyplayer.ts) and weighted betweenness on a 10k-node generated network
// (communities of 50, 10% mixing, mean degree 6: about 30k links, seeded).
//
// - KPP-Neg k = 10 by fragmentation: the whole search (greedy, single and pair swaps, 8 seeded restarts).
//   Its peers are python-networkx and python-igraph scoring the same measure on the same graph: no common
//   library ships a key-player search, so the ratio shown is "our whole search" against "the sets our search
//   scored, each evaluated from scratch by the peer at its measured rate", i.e. what the bulk scoring saves.
// - Fragmentation evaluations per second, ours and the peers', on the same 200 seeded sets of 10 (values
//   checked against each other).
// - Weighted betweenness (distance 1/weight, igraph's tolerant tie rule), one thread, against igraph's.
// `npm run bench -- 35-keyplayer`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../run.ts';
import { betweenness } from '../../server/analysis/betweenness.ts';
import { buildCSR } from '../../server/analysis/csr.ts';
import { fragmentation, keyPlayerNeg } from '../../server/analysis/keyplayer.ts';
import { mulberry32, samplePivots } from '../../server/analysis/random.ts';
import { communityGraph } from '../../server/analysis/random-graph.ts';

const PEER_SCRIPT = `
import sys, time, json
n = int(sys.argv[2]); edges = []; ws = []
for line in open(sys.argv[1]):
    a, b, w = line.split(); edges.append((int(a), int(b))); ws.append(float(w))
sets = json.load(open(sys.argv[3]))
out = {}

def frag_sizes(sizes, left):
    return 1.0 - sum(s * (s - 1) for s in sizes) / (left * (left - 1))

import networkx as nx
G = nx.Graph(); G.add_nodes_from(range(n)); G.add_edges_from(edges)
t = time.perf_counter(); vals = []
for S in sets[:20]:
    H = G.subgraph(set(range(n)) - set(S))
    vals.append(frag_sizes([len(c) for c in nx.connected_components(H)], H.number_of_nodes()))
out['networkx'] = {'rate': 20 / (time.perf_counter() - t), 'values': vals, 'version': nx.__version__}

try:
    import igraph as ig
    g = ig.Graph(n=n, edges=edges)
    t = time.perf_counter(); vals = []
    for S in sets:
        h = g.copy(); h.delete_vertices(S)
        vals.append(frag_sizes(h.connected_components().sizes(), h.vcount()))
    out['igraph'] = {'rate': len(sets) / (time.perf_counter() - t), 'values': vals, 'version': ig.__version__}
    t = time.perf_counter()
    g.betweenness(weights=[1.0 / w for w in ws], directed=False)
    out['igraph_betweenness_weighted'] = time.perf_counter() - t
except ImportError:
    pass
print(json.dumps(out))
`;

function fmt(s: number): string {
  return s < 10 ? s.toFixed(3) : s.toFixed(1);
}

const suite: BenchSuite = {
  title: 'Key-player search and weighted betweenness vs networkx and igraph',
  async run() {
    const n = 10_000;
    const k = 10;
    const e = communityGraph({ n, meanDegree: 6, seed: 42 });
    const g = buildCSR(
      Array.from({ length: n }, (_, i) => String(i)),
      e.us,
      e.vs,
      e.ws,
      false,
    );
    console.log(`-- ${n} nodes, ${g.m} links`);
    const rng = mulberry32(7);
    const sets = Array.from({ length: 200 }, () => Array.from(samplePivots(n, k, rng)));
    const dir = mkdtempSync(join(tmpdir(), 'linkchart-bench-kpp-'));
    try {
      let s = '';
      for (let i = 0; i < e.us.length; i++) s += `${e.us[i]} ${e.vs[i]} ${e.ws[i]}\n`;
      writeFileSync(join(dir, 'edges.txt'), s);
      writeFileSync(join(dir, 'sets.json'), JSON.stringify(sets));
      writeFileSync(join(dir, 'peer.py'), PEER_SCRIPT);

      // Ours: fragmentation evaluations, from scratch, on the same sets.
      const masks = sets.map((set) => {
        const m = new Uint8Array(n);
        for (const v of set) m[v] = 1;
        return m;
      });
      let t = performance.now();
      const ourValues = masks.map((m) => fragmentation(g, m));
      const ourRate = masks.length / ((performance.now() - t) / 1000);

      t = performance.now();
      const r = keyPlayerNeg(g, { k, timeBudgetMs: 60_000 });
      const search = (performance.now() - t) / 1000;

      t = performance.now();
      betweenness(g, { weighted: true });
      const bw = (performance.now() - t) / 1000;

      let peer: Record<string, { rate: number; values: number[]; version: string } | number> = {};
      try {
        const out = execFileSync(
          '/usr/bin/python3',
          [join(dir, 'peer.py'), join(dir, 'edges.txt'), String(n), join(dir, 'sets.json')],
          { encoding: 'utf8', maxBuffer: 1 << 24 },
        );
        peer = JSON.parse(out) as typeof peer;
      } catch (err) {
        console.log(`python peers unavailable: ${(err as Error).message.split('\n')[0]}`);
      }

      console.log(
        `KPP-Neg k=${k}: fragmentation ${r.score.toFixed(6)} (greedy ${r.greedyScore?.toFixed(6)}), ` +
          `${r.evaluations} sets scored, ${r.restarts} restarts (${r.restartsAtBest} at the best), ` +
          `${r.pairSwaps} pair swaps over ${r.pairCandidates} first replacements, stopped early: ${r.stoppedEarly}`,
      );
      console.log('');
      console.log('| what | ours | peer | peer | ratio (peer/ours) | note |');
      console.log('|---|---:|---|---:|---:|---|');
      for (const name of ['networkx', 'igraph'] as const) {
        const p = peer[name];
        if (!p || typeof p === 'number') continue;
        const worst = p.values.reduce((d, v, i) => Math.max(d, Math.abs(v - ourValues[i])), 0);
        console.log(
          `| fragmentation evaluations/s (sets of ${k}) | ${ourRate.toFixed(0)} | ${name} ${p.version} | ` +
            `${p.rate.toFixed(1)} | ${(ourRate / p.rate).toFixed(2)}x faster | values agree to ${worst.toExponential(1)} |`,
        );
        const peerSearch = r.evaluations / p.rate;
        console.log(
          `| KPP-Neg k=${k} search (s) | ${fmt(search)} | ${name}, same ${r.evaluations} sets from scratch | ` +
            `${fmt(peerSearch)} | ${(peerSearch / search).toFixed(0)}x | peer time estimated from its rate |`,
        );
      }
      const ib = peer.igraph_betweenness_weighted;
      console.log(
        `| weighted betweenness, 1 thread (s) | ${fmt(bw)} | igraph | ${typeof ib === 'number' ? fmt(ib) : '-'} | ` +
          `${typeof ib === 'number' ? `${(ib / bw).toFixed(2)}x` : '-'} | distance 1/weight, tolerant ties both |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
