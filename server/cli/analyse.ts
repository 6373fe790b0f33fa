// `npm run analyse -- <source> --metric NAME [--top N] [--json] [--k PIVOTS] [--seed S] [--directed]
//  [--threads N]` and `npm run analyse -- explain <source> --node ID|LABEL [--focus METRIC] ...`
// Ranks the nodes of a network file (matrix, two-mode, edge list) or of the configured store (`store`),
// or explains one node's rank with its stability interval (server/analysis/explain.ts).
// Metrics: see METRIC_NAMES in server/analysis/registry.ts; also `communities` (Louvain) and `cut`
// (articulation points and bridges).
import { parseArgs } from 'node:util';
import { samplingErrorBound } from '../analysis/betweenness.ts';
import { BETWEENNESS_EXACT_LIMIT, SAMPLED_RANKING_DEFAULTS } from '../analysis/betweenness-sampled.ts';
import { parallelSampledBetweenness, sampledBudgetMs } from '../jobs/parallel-sampled-betweenness.ts';
import { cutStructure } from '../analysis/cut.ts';
import { EXPLAIN_DEFAULTS, explain } from '../analysis/explain.ts';
import { louvain } from '../analysis/louvain.ts';
import { METRIC_NAMES, computeMetric, isMetricName, rankScores } from '../analysis/registry.ts';
import {
  VIEW_FLAGS,
  VIEW_FLAGS_USAGE,
  loadGraphSource,
  viewFromFlags,
  type LoadedGraph,
} from '../jobs/load-source.ts';
import { parallelBetweenness } from '../jobs/parallel-betweenness.ts';
import { NetworkFileError } from '../import/formats/network-files.ts';
import { FILE_FLAGS, FILE_FLAGS_USAGE, fileOptionsFromFlags } from './file-flags.ts';

const USAGE = `usage: npm run analyse -- <file|store> --metric NAME [--top N] [--json] [--k PIVOTS] [--seed S] [--directed] [--threads N]
       npm run analyse -- explain <file|store> --node ID|LABEL [--focus METRIC] [--resamples N] [--drop-share 0.1]
         [--weak-below 0.4] [--seed S] [--json]   one node's scores, the communities it bridges, its rank
         without weak intelligence, and its rank interval (5th-95th percentile) over resamples that drop links
metrics: ${METRIC_NAMES.join(', ')}, communities, cut
${VIEW_FLAGS_USAGE}
${FILE_FLAGS_USAGE}`;

const COMMON = {
  json: { type: 'boolean', default: false },
  seed: { type: 'string', default: '1' },
  directed: { type: 'boolean' },
  help: { type: 'boolean', short: 'h', default: false },
  ...VIEW_FLAGS,
  ...FILE_FLAGS,
} as const;

function wholeNumber(raw: string | undefined, flag: string, min: number, max: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}, got ${raw}`);
  return v;
}

/** The graph, refusing an empty one in words rather than letting a metric fail on it. */
async function load(
  source: string,
  values: Parameters<typeof viewFromFlags>[0] & Parameters<typeof fileOptionsFromFlags>[0],
): Promise<LoadedGraph> {
  const { directed, ...file } = fileOptionsFromFlags(values);
  let g: LoadedGraph;
  try {
    g = await loadGraphSource(source, { directed, view: viewFromFlags(values), file });
  } catch (e) {
    // Name the file the line is in, in the analyst's terms rather than the parser's.
    if (e instanceof NetworkFileError)
      throw new Error(`${source}: ${e.message.replace(/^network-files: /, '')}`);
    throw e;
  }
  if (g.csr.n === 0)
    throw new Error(
      `${g.description} has no nodes, so there is nothing to rank${g.notes.length ? ` (${g.notes.join('; ')})` : ''}`,
    );
  return g;
}

function headerLine(g: LoadedGraph): string {
  const { csr } = g;
  return [
    `${g.description}: ${csr.n} nodes, ${csr.m} links, ${csr.directed ? 'directed' : 'undirected'}`,
    ...g.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

async function explainMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...COMMON,
      node: { type: 'string' },
      focus: { type: 'string', default: EXPLAIN_DEFAULTS.focus },
      resamples: { type: 'string', default: String(EXPLAIN_DEFAULTS.resamples) },
      'drop-share': { type: 'string', default: String(EXPLAIN_DEFAULTS.dropShare) },
      'weak-below': { type: 'string', default: String(EXPLAIN_DEFAULTS.weakBelow) },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.node) {
    console.error(`explain needs a file (or store) and --node ID|LABEL\n${USAGE}`);
    return 2;
  }
  const focus = values.focus!;
  if (!isMetricName(focus)) throw new Error(`--focus: unknown metric ${JSON.stringify(focus)}\n${USAGE}`);
  // The rank interval is the point of explain: without a resample there is no interval to show.
  const resamples = wholeNumber(values.resamples, 'resamples', 1, 500);
  const dropShare = Number(values['drop-share']);
  if (!(dropShare > 0 && dropShare <= 0.9))
    throw new Error(
      `--drop-share is the share of links each resample drops, above 0 and at most 0.9, got ${values['drop-share']}`,
    );
  const weakBelow = Number(values['weak-below']);
  if (!(weakBelow >= 0 && weakBelow <= 1))
    throw new Error(`--weak-below is a grading weight from 0 to 1, got ${values['weak-below']}`);
  const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 31);
  const g = await load(positionals[0], values);
  const { csr, labels } = g;
  let node = csr.ids.indexOf(values.node);
  if (node < 0) {
    const matches = labels.flatMap((l, i) => (l === values.node ? [i] : []));
    if (matches.length > 1)
      throw new Error(
        `--node: ${matches.length} nodes are labelled ${JSON.stringify(values.node)}; give one of their ids: ${matches.map((i) => csr.ids[i]).join(', ')}`,
      );
    node = matches[0] ?? -1;
  }
  if (node < 0) throw new Error(`--node: no node ${JSON.stringify(values.node)} in ${g.description}`);
  const x = explain(csr, node, { focus, resamples, dropShare, weakBelow, seed });
  if (values.json) {
    console.log(
      JSON.stringify({
        source: g.description,
        links: csr.m,
        directed: csr.directed,
        notes: g.notes,
        label: labels[node],
        ...x,
      }),
    );
    return 0;
  }
  const s = x.stability;
  const w = x.weakLeftOut;
  const c = x.communities;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log(headerLine(g));
  console.log(`explain ${labels[node]} (${x.id})`);
  console.log('  metric                score         rank  percentile');
  for (const l of x.scores)
    console.log(
      `  ${l.metric.padEnd(20)}  ${l.score.toPrecision(6).padEnd(12)}  ${String(l.rank).padStart(4)}  ${l.percentile.toFixed(1)}`,
    );
  console.log(
    c.bridged.length
      ? `  community ${c.own}; bridges ${c.bridged.map((b) => `${b.community} (${b.neighbours} neighbours)`).join(', ')}; ` +
          `on ${pct(c.pathShare)} of the shortest paths between them (${c.pairs} pairs${c.sampledSources ? ', sampled' : ''})`
      : `  community ${c.own}; no neighbour in another community`,
  );
  console.log(
    `  weak intelligence (grading weight below ${w.threshold}) left out: ${w.linksDropped} links dropped; ` +
      `${w.metric} rank ${w.rankWith} -> ${w.rankWithout}`,
  );
  console.log(
    `  rank stability (${s.metric}): rank ${s.rank}; interval ${s.interval[0]} to ${s.interval[1]} ` +
      `(5th to 95th percentile over ${s.resamples} resamples each dropping ${pct(s.dropShare)} of links, seed ${seed}); ` +
      `median ${s.median}, min ${s.min}, max ${s.max}${s.pivots ? `; betweenness sampled with ${s.pivots} pivots` : ''}`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'explain') return explainMain(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...COMMON,
      metric: { type: 'string', default: 'betweenness' },
      top: { type: 'string', default: '20' },
      k: { type: 'string' },
      threads: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
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
  if (metric !== 'communities' && metric !== 'cut' && !isMetricName(metric))
    throw new Error(`unknown metric ${JSON.stringify(metric)}\n${USAGE}`);
  const g = await load(positionals[0], values);
  const { csr, labels } = g;
  const header = headerLine(g);

  if (metric === 'communities') {
    const r = louvain(csr, { seed });
    if (values.json) {
      console.log(
        JSON.stringify({
          metric,
          notes: g.notes,
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
    if (values.json)
      console.log(JSON.stringify({ metric, notes: g.notes, articulationPoints: aps, bridges }));
    else
      console.log(
        `${header}\narticulation points (${aps.length}): ${aps.join(', ')}\nbridges (${bridges.length}): ${bridges.map((b) => b.join(' - ')).join('; ')}`,
      );
    return 0;
  }
  if (!isMetricName(metric)) throw new Error(`unknown metric ${JSON.stringify(metric)}\n${USAGE}`);
  const t0 = performance.now();
  const isBetweenness = metric.startsWith('betweenness');
  // Past the exact limit betweenness is sampled with a stated bound (as the app does), unless --k is given.
  const sampled =
    isBetweenness && k === null && csr.n > BETWEENNESS_EXACT_LIMIT
      ? await parallelSampledBetweenness(csr, {
          ...SAMPLED_RANKING_DEFAULTS,
          budgetMs: sampledBudgetMs(),
          weighted: metric === 'betweennessWeighted',
          seed,
          threads,
        })
      : null;
  const scores = sampled
    ? sampled.scores
    : isBetweenness
      ? await parallelBetweenness(csr, { weighted: metric === 'betweennessWeighted', k, seed, threads })
      : computeMetric(csr, metric, { k, seed });
  const seconds = (performance.now() - t0) / 1000;
  const ranked = rankScores(csr, scores);
  const bound =
    sampled?.bound ?? (k !== null && isBetweenness ? samplingErrorBound(csr.n, Math.min(k, csr.n)) : null);
  if (values.json) {
    console.log(
      JSON.stringify({
        metric,
        nodes: csr.n,
        links: csr.m,
        directed: csr.directed,
        notes: g.notes,
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`analyse: ${e.message}`);
    process.exit(1);
  },
);
