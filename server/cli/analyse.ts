// `npm run analyse -- <source> --metric NAME [--top N] [--json] [--k PIVOTS] [--seed S] [--directed]
//  [--threads N]`
// Ranks the nodes of a network file (matrix, two-mode, edge list) or of the configured store (`store`).
// Metrics: see METRIC_NAMES in server/analysis/registry.ts; also `communities` (Louvain) and `cut`
// (articulation points and bridges).
import { parseArgs } from 'node:util';
import { samplingErrorBound } from '../analysis/betweenness.ts';
import { cutStructure } from '../analysis/cut.ts';
import { louvain } from '../analysis/louvain.ts';
import { METRIC_NAMES, computeMetric, isMetricName, rankScores } from '../analysis/registry.ts';
import { VIEW_FLAGS, VIEW_FLAGS_USAGE, loadGraphSource, viewFromFlags } from '../jobs/load-source.ts';
import { parallelBetweenness } from '../jobs/parallel-betweenness.ts';

const USAGE = `usage: npm run analyse -- <file|store> --metric NAME [--top N] [--json] [--k PIVOTS] [--seed S] [--directed] [--threads N]
metrics: ${METRIC_NAMES.join(', ')}, communities, cut
${VIEW_FLAGS_USAGE}`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      metric: { type: 'string', default: 'betweenness' },
      top: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      k: { type: 'string' },
      seed: { type: 'string', default: '1' },
      directed: { type: 'boolean' },
      threads: { type: 'string' },
      help: { type: 'boolean', default: false },
      ...VIEW_FLAGS,
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const metric = values.metric!;
  const top = Number(values.top);
  const seed = Number(values.seed);
  const k = values.k === undefined ? null : Number(values.k);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(`--threads must be a positive integer, got ${values.threads}`);
  }
  if (!Number.isInteger(top) || top < 1)
    throw new Error(`--top must be a positive integer, got ${values.top}`);
  if (k !== null && !(Number.isInteger(k) && k >= 1))
    throw new Error(`--k must be a positive integer, got ${values.k}`);
  const { csr, labels, description } = await loadGraphSource(positionals[0], {
    directed: values.directed,
    view: viewFromFlags(values),
  });
  const header = `${description}: ${csr.n} nodes, ${csr.m} links, ${csr.directed ? 'directed' : 'undirected'}`;

  if (metric === 'communities') {
    const r = louvain(csr, { seed });
    if (values.json) {
      console.log(
        JSON.stringify({
          metric,
          modularity: r.modularity,
          count: r.count,
          nodes: csr.ids.map((id, i) => ({ id, label: labels[i], community: r.communities[i] })),
        }),
      );
    } else {
      console.log(
        `${header}\nLouvain (seed ${seed}): ${r.count} communities, modularity ${r.modularity.toFixed(4)}`,
      );
      for (let c = 0; c < r.count; c++) {
        const members = labels.filter((_, i) => r.communities[i] === c);
        console.log(
          `  ${c}: ${members.length} - ${members.slice(0, 12).join(', ')}${members.length > 12 ? ', ...' : ''}`,
        );
      }
    }
    return 0;
  }
  if (metric === 'cut') {
    const c = cutStructure(csr);
    const aps = labels.filter((_, i) => c.articulation[i]);
    const bridges = c.bridges.map(([u, v]) => [labels[u], labels[v]]);
    if (values.json) console.log(JSON.stringify({ metric, articulationPoints: aps, bridges }));
    else
      console.log(
        `${header}\narticulation points (${aps.length}): ${aps.join(', ')}\nbridges (${bridges.length}): ${bridges.map((b) => b.join(' - ')).join('; ')}`,
      );
    return 0;
  }
  if (!isMetricName(metric)) throw new Error(`unknown metric ${JSON.stringify(metric)}\n${USAGE}`);
  const t0 = performance.now();
  const scores = metric.startsWith('betweenness')
    ? await parallelBetweenness(csr, { weighted: metric === 'betweennessWeighted', k, seed, threads })
    : computeMetric(csr, metric, { k, seed });
  const seconds = (performance.now() - t0) / 1000;
  const ranked = rankScores(csr, scores);
  const bound =
    k !== null && metric.startsWith('betweenness') ? samplingErrorBound(csr.n, Math.min(k, csr.n)) : null;
  if (values.json) {
    console.log(
      JSON.stringify({
        metric,
        nodes: csr.n,
        links: csr.m,
        directed: csr.directed,
        seconds,
        errorBound: bound,
        scores: ranked.map((r) => ({ id: r.id, label: labels[r.index], score: r.score, rank: r.rank })),
      }),
    );
    return 0;
  }
  console.log(header);
  console.log(`${metric} in ${seconds.toFixed(2)} s${bound ? `; ${bound.explanation}` : ''}`);
  console.log('rank  score         node');
  for (const r of ranked.slice(0, top)) {
    console.log(`${String(r.rank).padStart(4)}  ${r.score.toPrecision(6).padEnd(12)}  ${labels[r.index]}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`analyse: ${e.message}`);
    process.exit(1);
  },
);
