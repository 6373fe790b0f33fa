// `npm run disrupt -- <source> --strategy sequential|block|greedy|keyplayer|set [--metric NAME] [--steps K]
//  [--targets a,b,...] [--json] [--directed]`
// Simulates removing nodes and prints, per step: removed node(s), largest-component share, components,
// pairwise connectivity and efficiency; then who inherits the removed nodes' brokerage.
import { parseArgs } from 'node:util';
import { DISRUPTION_STRATEGIES, disrupt, type DisruptionStrategy } from '../analysis/disruption.ts';
import { METRIC_NAMES, isMetricName } from '../analysis/registry.ts';
import { VIEW_FLAGS, VIEW_FLAGS_USAGE, loadGraphSource, viewFromFlags } from '../jobs/load-source.ts';
import { FILE_FLAGS, FILE_FLAGS_USAGE, fileOptionsFromFlags } from './file-flags.ts';
import { labMain } from './disrupt-lab.ts';

const USAGE = `usage: npm run disrupt -- <file|store> --strategy ${DISRUPTION_STRATEGIES.join('|')} [--metric NAME] [--steps K] [--targets a,b] [--json] [--directed]
       npm run disrupt -- <file|store> --compare ...   strategies compared, recovery, robustness (--compare --help)
metrics: ${METRIC_NAMES.join(', ')}
${VIEW_FLAGS_USAGE}
${FILE_FLAGS_USAGE}`;

async function main(): Promise<number> {
  if (process.argv.includes('--compare')) return labMain(process.argv.slice(2));
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      strategy: { type: 'string', default: 'sequential' },
      metric: { type: 'string', default: 'betweenness' },
      steps: { type: 'string', default: '5' },
      targets: { type: 'string' },
      json: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      directed: { type: 'boolean' },
      help: { type: 'boolean', default: false },
      ...VIEW_FLAGS,
      ...FILE_FLAGS,
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const strategy = values.strategy as DisruptionStrategy;
  if (!DISRUPTION_STRATEGIES.includes(strategy))
    throw new Error(`unknown strategy ${JSON.stringify(values.strategy)}\n${USAGE}`);
  if (!isMetricName(values.metric!))
    throw new Error(`unknown metric ${JSON.stringify(values.metric)}\n${USAGE}`);
  const steps = Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`--steps must be a positive integer, got ${values.steps}`);
  const { directed, ...file } = fileOptionsFromFlags(values);
  const { csr, labels, description, notes } = await loadGraphSource(positionals[0], {
    directed,
    view: viewFromFlags(values),
    file,
  });
  for (const n of notes) console.error(`note: ${n}`);
  let targets: number[] | undefined;
  if (strategy === 'set') {
    if (!values.targets) throw new Error('--strategy set needs --targets a,b,... (node ids or labels)');
    targets = values.targets.split(',').map((raw) => {
      const t = raw.trim();
      let i = csr.ids.indexOf(t);
      if (i < 0) i = labels.indexOf(t);
      if (i < 0) throw new Error(`--targets: no node ${JSON.stringify(t)} in ${description}`);
      return i;
    });
  }
  const r = disrupt(csr, { strategy, metric: values.metric, steps, targets, seed: Number(values.seed) });
  const label = (id: string) => labels[csr.ids.indexOf(id)] ?? id;
  if (values.json) {
    console.log(JSON.stringify({ ...r, source: description, nodes: csr.n, links: csr.m }));
    return 0;
  }
  console.log(`${description}: ${csr.n} nodes, ${csr.m} links`);
  console.log(
    `strategy ${r.strategy}${strategy === 'block' || strategy === 'sequential' ? ` by ${r.metric}` : ''}; ties: ${r.tieRule}`,
  );
  const f = (x: number) => x.toFixed(4);
  console.log('step  LCC share  components  pairwise conn.  efficiency  removed');
  console.log(
    `   0  ${f(r.baseline.lccShare)}     ${String(r.baseline.components).padStart(10)}  ${f(r.baseline.pairwiseConnectivity)}          ${f(r.baseline.efficiency)}      -`,
  );
  for (const s of r.steps) {
    console.log(
      `${String(s.step).padStart(4)}  ${f(s.lccShare)}     ${String(s.components).padStart(10)}  ${f(s.pairwiseConnectivity)}          ${f(s.efficiency)}      ${s.removed.map(label).join(', ')}`,
    );
  }
  if (r.steps.some((s) => s.efficiencySampled))
    console.log('(efficiency estimated from sampled sources: large network)');
  console.log('inherits brokerage (rise in shortest paths carried):');
  for (const x of r.inheritors)
    console.log(`  ${label(x.id)}: ${x.before.toFixed(1)} -> ${x.after.toFixed(1)} (+${x.rise.toFixed(1)})`);
  if (r.inheritors.length === 0) console.log('  nobody');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`disrupt: ${e.message}`);
    process.exit(1);
  },
);
