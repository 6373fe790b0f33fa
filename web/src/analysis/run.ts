// Every analysis the workbench shows runs here, on the server's engine through the job API (progress over
// server-sent events, cancel), whether it is over the chart's entities or the whole view: the page never
// computes a score itself, so a score on the chart and the same score on the server are one number.
import { api } from '../api/client.ts';
import { runJobOver, type JobHandle, type JobRequest, type JobTarget } from '../api/analysis.ts';
import { chart } from '../graph/controller.ts';
import { appStore, showError, type AppState } from '../state/app.ts';
import { setCommunities, setMetric } from '../state/appearance.ts';
import { describeFilters, toViewFilter } from '../state/filters.ts';
import type { EntityType } from '@domain/model.ts';
import { type ErrorBound, type RankingRun, scoresById } from './ranking.ts';
import { type AnalysisSpec, measureLabel, metricName, viewOptions } from './spec.ts';

const set = appStore.set;
let current: JobHandle<unknown> | null = null;

/** Cancels the analysis running now, if any (the progress toast's Cancel button). */
export async function cancelAnalysis(): Promise<boolean> {
  const j = current;
  current = null;
  if (!j) return false;
  set((s) => ({ ...s, job: null, notice: 'Cancelled' }));
  await j.cancel().catch(() => undefined);
  return true;
}

/** The job target for a spec: its view options, and for a chart ranking the entities on the chart. */
export function targetOf(spec: AnalysisSpec, s: AppState = appStore.get()): JobTarget {
  const filter = toViewFilter(s.filters);
  return {
    view: viewOptions(spec, filter),
    ...(spec.scope === 'chart' ? { entityIds: chart.visibleNodeIds() } : {}),
  };
}

/**
 * Runs one job with the page's progress toast and cancel button. Resolves with the result, or undefined
 * when it was cancelled or failed (the failure is shown in the page).
 */
export async function tracked<T>(label: string, req: JobRequest, target: JobTarget): Promise<T | undefined> {
  if (target.entityIds && !target.entityIds.length) {
    set((s) => ({ ...s, notice: 'The chart is empty: put entities on it, or rank the whole view' }));
    return undefined;
  }
  set((s) => ({ ...s, job: { id: 'starting', label, progress: 0, message: '' }, error: null }));
  let h: JobHandle<T> | null = null;
  try {
    h = await runJobOver<T>(req, target, (p) =>
      set((s) => (s.job ? { ...s, job: { ...s.job, progress: p.progress, message: p.message ?? '' } } : s)),
    );
    current = h as JobHandle<unknown>;
    const id = h.id;
    set((s) => (s.job ? { ...s, job: { ...s.job, id } } : s));
    const r = await h.result;
    if (current !== (h as JobHandle<unknown>)) return undefined;
    set((s) => ({ ...s, job: null }));
    return r;
  } catch (e) {
    if (e instanceof Error && e.message === 'cancelled')
      set((s) => ({ ...s, job: null, notice: 'Cancelled' }));
    else if (!h || current === (h as JobHandle<unknown>)) set((s) => showError(s, e));
    return undefined;
  } finally {
    if (h && current === (h as JobHandle<unknown>)) current = null;
  }
}

interface MetricResult {
  metric: string;
  errorBound: ErrorBound | null;
  scores: Array<{ id: string; label: string; score: number; type: EntityType | null }>;
  view?: { nodes: number; links: number; notes: string[] };
}

/**
 * Ranks by the spec on the server and makes it the ranking every screen shows: the Ranks list, node sizes,
 * Explain, the disruption lab's targets, the briefing and the data exports.
 */
export async function runRanking(spec: AnalysisSpec): Promise<RankingRun | undefined> {
  const s = appStore.get();
  const target = targetOf(spec, s);
  const metric = metricName(spec);
  const where = spec.scope === 'chart' ? 'the chart' : 'the whole view';
  const how = spec.weighted && metric !== spec.measure ? ' (by link strength)' : '';
  const r = await tracked<MetricResult>(
    `Ranking by ${measureLabel(metric).toLowerCase()}${how} over ${where}`,
    { kind: 'metric', metric },
    target,
  );
  if (!r) return undefined;
  const health = await api.health().catch(() => null);
  const run: RankingRun = {
    spec,
    metric,
    scores: r.scores.map((x) => ({ id: x.id, label: x.label, type: x.type ?? null, score: x.score })),
    facts: {
      nodes: r.view?.nodes ?? r.scores.length,
      links: r.view?.links ?? 0,
      filters: describeFilters(s.filters),
      dataVersion: health && 'store' in health ? health.store.dataVersion : null,
    },
    filterKey: JSON.stringify(target.view.filter),
    graphVersion: appStore.get().graphVersion,
    chartEntities: target.entityIds?.length ?? null,
    notes: r.view?.notes ?? [],
    errorBound: r.errorBound,
    at: new Date().toISOString(),
  };
  showRanking(run);
  return run;
}

/**
 * The top k entities by a measure over the spec's network, among the spec's entity types (people first):
 * the disruption lab's "top k" targets when no ranking of that measure and scope is on screen.
 */
export async function topTargets(
  spec: AnalysisSpec,
  metric: string,
  k: number,
): Promise<string[] | undefined> {
  const r = await tracked<MetricResult>(
    `Finding the top ${k} by ${measureLabel(metric).toLowerCase()}`,
    { kind: 'metric', metric },
    targetOf(spec),
  );
  if (!r) return undefined;
  const keep = spec.types.length ? new Set<string>(spec.types) : null;
  // The server's order is best first, ties by position: the same order rankedRows keeps.
  return r.scores
    .filter((x) => !keep || (x.type !== null && keep.has(x.type)))
    .slice(0, k)
    .map((x) => x.id);
}

/** Makes a run the current ranking and sizes the chart's nodes by it. */
export function showRanking(run: RankingRun): void {
  set((s) => ({
    ...s,
    ranking: run,
    appearance: setMetric(
      s.appearance,
      run.metric,
      scoresById(run, (id) => chart.graph.hasNode(id)),
    ),
  }));
}

/** Changes the types a ranking is shown among (no recomputation: the network's scores do not change). */
export function rankAmong(types: EntityType[]): void {
  set((s) => (s.ranking ? { ...s, ranking: { ...s.ranking, spec: { ...s.ranking.spec, types } } } : s));
}

/**
 * On the person network a phone is folded into its user, so the communities name no phone: each phone on the
 * chart takes its user's community, chosen as the fold chooses (the strongest USES or OWNS link to a person,
 * the first on a tie; server/analysis/view.ts), so the chart colours the phones with the people they stand for.
 */
function adoptUsersCommunities(c: Record<string, number>): void {
  const g = chart.graph;
  g.forEachNode((phone, a) => {
    if (a.etype !== 'Phone' || c[phone] !== undefined) return;
    let best: { community: number; weight: number } | null = null;
    g.forEachEdge(phone, (_e, e, src, tgt) => {
      if (e.ltype !== 'USES' && e.ltype !== 'OWNS') return;
      const user = src === phone ? tgt : src;
      const community = c[user];
      if (community === undefined || g.getNodeAttribute(user, 'etype') !== 'Person') return;
      const weight = typeof e.weight === 'number' ? e.weight : 1;
      if (!best || weight > best.weight) best = { community, weight };
    });
    if (best) c[phone] = (best as { community: number }).community;
  });
}

/** Louvain communities (seeded, repeatable) over the spec's network, coloured on the chart. */
export async function runCommunitiesFor(spec: AnalysisSpec): Promise<void> {
  const r = await tracked<{ count: number; nodes: Array<{ id: string; community: number }> }>(
    'Finding communities',
    { kind: 'metric', metric: 'communities', seed: 1 },
    targetOf(spec),
  );
  if (!r) return;
  const c: Record<string, number> = {};
  for (const n of r.nodes) c[n.id] = n.community;
  if (spec.foldPhones) adoptUsersCommunities(c);
  set((s) => ({
    ...s,
    appearance: setCommunities(s.appearance, c),
    notice: `${r.count} communities found (Louvain, seed 1)`,
  }));
}

export interface Explanation {
  label: string;
  nodes: number;
  scores: Array<{ metric: string; score: number; rank: number; percentile: number }>;
  stability: { rank: number; interval: [number, number]; resamples: number; dropShare: number };
  weakLeftOut: { rankWith: number; rankWithout: number; linksDropped: number };
  communities: { own: number; bridged: Array<{ community: number; neighbours: number }>; pathShare: number };
}

/** Why an entity ranks where it does, over the same network and measure as the ranking. */
export async function explainIn(run: RankingRun, node: string): Promise<Explanation | undefined> {
  return tracked<Explanation>(
    'Explaining the rank',
    { kind: 'explain', node, focus: run.metric },
    // A chart ranking is explained over the same entities it ran over (those on the chart then).
    run.spec.scope === 'chart'
      ? { ...targetOf(run.spec), entityIds: run.scores.map((x) => x.id) }
      : targetOf(run.spec),
  );
}
