// The disruption lab as one request: strategies compared (strategies.ts), each plan's recovery simulated
// (recovery.ts) and every plan scored on resampled networks (robustness.ts). Used by the job worker and by
// `npm run disrupt -- --compare`. Results name every node by id AND label.
import type { CSR } from '../analysis/csr.ts';
import { connectedComponents } from '../analysis/components.ts';
import { betweenness as reviewBetweenness } from '../cycle/network.ts';
import { simulateRecovery, type RecoveryResult, type Successor } from '../analysis/recovery.ts';
import { planRobustness, type RobustnessResult } from '../analysis/robustness.ts';
import {
  LabError,
  comparePlans,
  type CurvePoint,
  type KeyPlayerSummary,
  type PlanSpec,
} from '../analysis/strategies.ts';
import type { MetricName } from '../analysis/registry.ts';

export interface Named {
  id: string;
  label: string;
}

/** What the lab is asked (the job schema's output, see job-types.ts labJobSchema). */
export interface LabRequest {
  k: number;
  plans: Array<
    | { kind: 'topk'; metric: MetricName }
    | { kind: 'sequential'; metric: MetricName }
    | { kind: 'keyPlayer' }
    | { kind: 'own'; targets: string[] }
  >;
  eligible?: string[];
  mustKeep: string[];
  mustRemove: string[];
  restarts: number;
  recoveryRuns: number;
  pRecover: number;
  resamples: number;
  dropShare: number;
  addShare: number;
  seed: number;
}

export interface NamedCurvePoint extends Omit<CurvePoint, 'removed'> {
  removed: Named | null;
}
export const SUCCESSOR_MEASURE =
  'rise in betweenness normalised by (n-1)(n-2)/2, as the operational review ranks its risers (server/cycle/network.ts)';

export interface NamedRecovery extends Omit<RecoveryResult, 'removed' | 'successors'> {
  successors: Array<Omit<Successor, 'index'> & Named>;
}
export interface LabPlanResult {
  name: string;
  kind: PlanSpec['kind'];
  metric: MetricName | null;
  removed: Named[];
  curve: NamedCurvePoint[];
  keyPlayer: KeyPlayerSummary | null;
  /**
   * Fragment of each node left outside the largest fragment after the whole set is removed, numbered by
   * size (1 = the second largest ...); nodes in the largest fragment and removed nodes are not listed.
   */
  fragments: Record<string, number>;
  fragmentCount: number;
  recovery: NamedRecovery | null;
}
export interface LabResult {
  k: number;
  nodes: number;
  links: number;
  /** Nodes with no link: counted in the lab's pairs, left out by the Cycle page. */
  isolated: number;
  eligible: number;
  mustKeep: Named[];
  mustRemove: Named[];
  tieRule: string;
  fragmentationDefinition: string;
  plans: LabPlanResult[];
  robustness: RobustnessResult | null;
}

function fragmentsAfter(g: CSR, removed: number[]): { fragments: Record<string, number>; count: number } {
  const mask = new Uint8Array(g.n);
  for (const v of removed) mask[v] = 1;
  const c = connectedComponents(g, mask);
  const bySize = Array.from({ length: c.count }, (_, i) => i).sort(
    (a, b) => c.sizes[b] - c.sizes[a] || a - b,
  );
  const rank = new Int32Array(c.count);
  bySize.forEach((comp, r) => (rank[comp] = r));
  const fragments: Record<string, number> = {};
  for (let v = 0; v < g.n; v++)
    if (!mask[v] && rank[c.labels[v]] > 0) fragments[g.ids[v]] = rank[c.labels[v]];
  return { fragments, count: c.count };
}

export function runLab(
  g: CSR,
  labels: readonly string[],
  req: LabRequest,
  progress: (percent: number, phase: string) => void,
): LabResult {
  const index = new Map(g.ids.map((id, i) => [id, i] as const));
  const named = (v: number): Named => ({ id: g.ids[v], label: labels[v] ?? g.ids[v] });
  const lookup = (what: string, ids: string[], optional = false): number[] =>
    ids.flatMap((id) => {
      const i = index.get(id);
      if (i === undefined) {
        if (optional) return [];
        throw new LabError(`${what} ${JSON.stringify(id)} is not in this view`);
      }
      return [i];
    });
  let eligible: Uint8Array | null = null;
  if (req.eligible) {
    eligible = new Uint8Array(g.n);
    // Eligible ids outside the view are simply not there to remove (the chart may hold more than the view).
    for (const v of lookup('eligible node', req.eligible, true)) eligible[v] = 1;
  }
  const plans: PlanSpec[] = req.plans.map((p) =>
    p.kind === 'own' ? { kind: 'own', targets: lookup('own-set target', p.targets) } : p,
  );
  const recoveryShare = req.recoveryRuns > 0 ? 45 : 0;
  const robustShare = req.resamples > 0 ? 15 : 0;
  const compareShare = 100 - recoveryShare - robustShare;
  const cmp = comparePlans(g, {
    k: req.k,
    plans,
    eligible,
    // Keeping someone who is not in the view changes nothing; removing or targeting them cannot be done.
    mustKeep: lookup('must-keep node', req.mustKeep, true),
    mustRemove: lookup('must-remove node', req.mustRemove),
    seed: req.seed,
    restarts: req.restarts,
    onProgress: (done, total, phase) => progress(Math.floor((compareShare * done) / total), phase),
  });
  const out: LabPlanResult[] = cmp.plans.map((p, i) => {
    let recovery: NamedRecovery | null = null;
    if (req.recoveryRuns > 0) {
      const r = simulateRecovery(g, p.removed, {
        runs: req.recoveryRuns,
        seed: req.seed,
        pRecover: req.pRecover,
        eligible,
        // The operational review's measure for who took over (risers), so prediction and review compare.
        brokerage: reviewBetweenness,
        brokerageName: SUCCESSOR_MEASURE,
        onProgress: (done, total) =>
          progress(
            compareShare + Math.floor((recoveryShare * (i + done / total)) / cmp.plans.length),
            `recovery after ${p.name}`,
          ),
      });
      const { removed: _removed, successors, ...rest } = r;
      void _removed;
      recovery = {
        ...rest,
        successors: successors.map(({ index: v, ...s }) => ({ ...named(v), ...s })),
      };
    }
    const f = fragmentsAfter(g, p.removed);
    return {
      name: p.name,
      kind: p.spec.kind,
      metric: p.spec.kind === 'topk' || p.spec.kind === 'sequential' ? p.spec.metric : null,
      removed: p.removed.map(named),
      curve: p.curve.map((c) => ({ ...c, removed: c.removed === null ? null : named(c.removed) })),
      keyPlayer: p.keyPlayer,
      fragments: f.fragments,
      fragmentCount: f.count,
      recovery,
    };
  });
  const robustness =
    req.resamples > 0
      ? planRobustness(g, cmp.plans, {
          resamples: req.resamples,
          dropShare: req.dropShare,
          addShare: req.addShare,
          seed: req.seed,
          onProgress: (done, total) =>
            progress(
              compareShare + recoveryShare + Math.floor((robustShare * done) / total),
              'resampled networks',
            ),
        })
      : null;
  let isolated = 0;
  for (let v = 0; v < g.n; v++)
    if (g.offsets[v + 1] === g.offsets[v] && g.inOffsets[v + 1] === g.inOffsets[v]) isolated++;
  return {
    k: cmp.k,
    nodes: cmp.nodes,
    links: cmp.links,
    isolated,
    eligible: cmp.eligible,
    mustKeep: cmp.mustKeep.map(named),
    mustRemove: cmp.mustRemove.map(named),
    tieRule: cmp.tieRule,
    fragmentationDefinition: cmp.fragmentationDefinition,
    plans: out,
    robustness,
  };
}

/** An id a lab request names that the view does not hold, and where in the request it is. */
export interface MissingLabId {
  what: string;
  id: string;
  /** Where in the job request (e.g. ['plans', 0, 'targets', 2]). */
  path: Array<string | number>;
}

/**
 * The first id the lab must find in the view and cannot: an own-set target or a must-remove node (eligible
 * and must-keep ids outside the view are simply left out). Checked when the job is asked for, so the
 * analyst hears at once which id is wrong instead of seeing the job fail later.
 */
export function labIdNotInView(
  req: Pick<LabRequest, 'plans' | 'mustRemove'>,
  inView: (id: string) => boolean,
): MissingLabId | null {
  for (const [i, p] of req.plans.entries()) {
    if (p.kind !== 'own') continue;
    for (const [j, id] of p.targets.entries())
      if (!inView(id)) return { what: 'own-set target', id, path: ['plans', i, 'targets', j] };
  }
  for (const [j, id] of req.mustRemove.entries())
    if (!inView(id)) return { what: 'must-remove node', id, path: ['mustRemove', j] };
  return null;
}
