// `npm run disrupt -- <source> --compare [--k 5] [--plans topk:betweenness,sequential:betweenness,keyPlayer]
//  [--own a,b] [--must-keep a,b] [--must-remove a,b] [--restarts 10] [--runs 100] [--p-recover 0.5]
//  [--resamples 100] [--drop 0.1] [--add 0.1] [--seed 1] [--json]`
// The disruption lab: strategies compared side by side for one k, each plan's recovery simulated and
// every plan scored on resampled networks (server/jobs/lab-request.ts). Human output is a table per plan;
// --json prints the whole result (every curve, the key-player search, recovery and robustness).
import { parseArgs } from 'node:util';
import { METRIC_NAMES, isMetricName } from '../analysis/registry.ts';
import { RECOVERY_DEFAULTS } from '../analysis/recovery.ts';
import { ROBUSTNESS_DEFAULTS } from '../analysis/robustness.ts';
import { runLab, type LabRequest, type LabResult } from '../jobs/lab-request.ts';
import { VIEW_FLAGS, VIEW_FLAGS_USAGE, loadGraphSource, viewFromFlags } from '../jobs/load-source.ts';

export const LAB_USAGE = `usage: npm run disrupt -- <file|store> --compare [--k 5] [--plans topk:METRIC,sequential:METRIC,keyPlayer]
  [--own a,b,...] [--must-keep a,b] [--must-remove a,b] [--restarts 10] [--runs 100] [--p-recover 0.5]
  [--resamples 100] [--drop 0.1] [--add 0.1] [--seed 1] [--json] [--directed]
plans default: topk:betweenness,sequential:betweenness,keyPlayer; --own adds the analyst's own set
node names: ids or labels; metrics: ${METRIC_NAMES.join(', ')}
${VIEW_FLAGS_USAGE}`;

function number(flag: string, raw: string, check: (x: number) => boolean, what: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !check(x))
    throw new Error(`--${flag} must be ${what}, got ${JSON.stringify(raw)}`);
  return x;
}
const whole = (lo: number, hi: number) => (x: number) => Number.isInteger(x) && x >= lo && x <= hi;
const share = (x: number) => x >= 0 && x <= 0.9;

export function parsePlans(raw: string): LabRequest['plans'] {
  return raw.split(',').map((p) => {
    const [kind, metric = 'betweenness'] = p.trim().split(':');
    if (kind === 'keyPlayer') return { kind };
    if (kind !== 'topk' && kind !== 'sequential')
      throw new Error(`--plans: ${JSON.stringify(p)} is not topk:METRIC, sequential:METRIC or keyPlayer`);
    if (!isMetricName(metric)) throw new Error(`--plans: unknown metric ${JSON.stringify(metric)}`);
    return { kind, metric };
  });
}

export function formatLab(r: LabResult, description: string): string {
  const lines: string[] = [];
  const f = (x: number) => x.toFixed(3);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  lines.push(`${description}: ${r.nodes} nodes, ${r.links} links; k = ${r.k}; ${r.eligible} may be removed`);
  lines.push(`fragmentation: ${r.fragmentationDefinition}`);
  for (const p of r.plans) {
    lines.push('', `== ${p.name}`);
    if (p.keyPlayer)
      lines.push(
        `   search: ${p.keyPlayer.method}; ${p.keyPlayer.optimal ? 'proved optimal' : `best of ${p.keyPlayer.restarts} restarts (${p.keyPlayer.restartsAtBest} reached it)`}; ${p.keyPlayer.evaluations} evaluations${p.keyPlayer.stoppedEarly ? '; stopped at the time budget' : ''}`,
      );
    lines.push('step  LCC share  fragments  pairwise  fragmentation  efficiency  removed');
    for (const c of p.curve)
      lines.push(
        `${String(c.step).padStart(4)}  ${f(c.lccShare).padStart(9)}  ${String(c.components).padStart(9)}  ${f(c.pairwiseConnectivity).padStart(8)}  ${f(c.fragmentation).padStart(13)}  ${f(c.efficiency).padStart(10)}  ${c.removed ? c.removed.label : '-'}`,
      );
    const rec = p.recovery;
    if (rec) {
      const d = rec.damageSurviving;
      lines.push(
        `   recovery (${rec.parameters.runs} runs, pRecover ${rec.parameters.pRecover}): pairwise connectivity ${f(rec.pairwiseConnectivity.afterRemoval)} -> ${f(rec.pairwiseConnectivity.recovered.point)} [${f(rec.pairwiseConnectivity.recovered.low)}, ${f(rec.pairwiseConnectivity.recovered.high)}]`,
      );
      lines.push(
        d
          ? `   damage surviving recovery: ${pct(d.point)} [${pct(d.low)}, ${pct(d.high)}] (median, 5th-95th percentile)`
          : '   no damage to recover from',
      );
      if (rec.successors.length)
        lines.push(
          `   likely successors: ${rec.successors.map((s) => `${s.label} (${pct(s.share)} of runs, +${s.rise.toFixed(3)})`).join('; ')}`,
        );
    }
  }
  if (r.robustness) {
    const rb = r.robustness;
    lines.push(
      '',
      `robustness: ${rb.resamples} resampled networks (drop ${pct(rb.dropShare)} of links, add ${pct(rb.addShare)})`,
    );
    lines.push('plan                         best in   fragmentation median [5%, 95%]');
    for (const p of rb.plans)
      lines.push(
        `${p.name.padEnd(28)} ${pct(p.bestShare).padStart(7)}   ${f(p.score.point)} [${f(p.score.low)}, ${f(p.score.high)}]`,
      );
  }
  return lines.join('\n');
}

export async function labMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      compare: { type: 'boolean' },
      k: { type: 'string', default: '5' },
      plans: { type: 'string', default: 'topk:betweenness,sequential:betweenness,keyPlayer' },
      own: { type: 'string' },
      'must-keep': { type: 'string' },
      'must-remove': { type: 'string' },
      restarts: { type: 'string', default: '10' },
      runs: { type: 'string', default: String(RECOVERY_DEFAULTS.runs) },
      'p-recover': { type: 'string', default: String(RECOVERY_DEFAULTS.pRecover) },
      resamples: { type: 'string', default: String(ROBUSTNESS_DEFAULTS.resamples) },
      drop: { type: 'string', default: String(ROBUSTNESS_DEFAULTS.dropShare) },
      add: { type: 'string', default: String(ROBUSTNESS_DEFAULTS.addShare) },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      directed: { type: 'boolean' },
      help: { type: 'boolean', default: false },
      ...VIEW_FLAGS,
    },
  });
  if (values.help || positionals.length !== 1) {
    (values.help ? console.log : console.error)(LAB_USAGE);
    return values.help ? 0 : 2;
  }
  const plans = parsePlans(values.plans);
  const { csr, labels, description } = await loadGraphSource(positionals[0], {
    directed: values.directed,
    view: viewFromFlags(values),
  });
  const ids = (flag: string, raw: string | undefined): string[] =>
    (raw ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((t) => {
        if (csr.ids.includes(t)) return t;
        const i = labels.indexOf(t);
        if (i < 0) throw new Error(`--${flag}: no node ${JSON.stringify(t)} in ${description}`);
        return csr.ids[i];
      });
  if (values.own) plans.push({ kind: 'own', targets: ids('own', values.own) });
  const req: LabRequest = {
    k: number('k', values.k, whole(1, 50), 'a whole number from 1 to 50'),
    plans,
    mustKeep: ids('must-keep', values['must-keep']),
    mustRemove: ids('must-remove', values['must-remove']),
    restarts: number('restarts', values.restarts, whole(1, 50), 'from 1 to 50'),
    recoveryRuns: number('runs', values.runs, whole(0, 1000), 'from 0 to 1000'),
    pRecover: number('p-recover', values['p-recover'], (x) => x >= 0 && x <= 1, 'a probability from 0 to 1'),
    resamples: number('resamples', values.resamples, whole(0, 1000), 'from 0 to 1000'),
    dropShare: number('drop', values.drop, share, 'a share from 0 to 0.9'),
    addShare: number('add', values.add, share, 'a share from 0 to 0.9'),
    seed: number('seed', values.seed, whole(0, 2 ** 31), 'a whole number from 0'),
  };
  const r = runLab(csr, labels, req, () => {});
  if (values.json) console.log(JSON.stringify({ source: description, ...r }));
  else console.log(formatLab(r, description));
  return 0;
}
