// User actions: the verbs the top bar, panels and keyboard share. Each talks to the API, updates the chart
// through the controller and the state through pure producers, and reports failures in the page.
import type { EntityType, LinkType, Subgraph } from '@domain/model.ts';
import { api } from './api/client.ts';
import type { JobRequest } from './api/analysis.ts';
import { appStore, showError, showNotice, type AppState, type DisruptionStep } from './state/app.ts';
import { toViewFilter } from './state/filters.ts';
import { inverse, redo as redoH, renameIds, replaceEntry, undo as undoH } from './state/history.ts';
import { putBackInStore, takeOutOfStore } from './drawn-undo.ts';
import { EMPTY_SELECTION } from './state/selection.ts';
import { chart } from './graph/controller.ts';
import { components, simpleCopy } from './graph/local-analysis.ts';
import { startFromCentralPeople } from './analysis/central.ts';
import { rankedRows } from './analysis/ranking.ts';
import { cancelAnalysis, runCommunitiesFor, targetOf, topTargets, tracked } from './analysis/run.ts';
import { describeSpec, PEOPLE_FIRST, typesInWords, type AnalysisSpec } from './analysis/spec.ts';
import { circularLayout, groupedLayout } from './graph/layouts.ts';
import { applyMapLayout } from './map/apply.ts';

/** Above this many nodes a fresh chart is laid out in the worker instead of before the first frame. */
export const LARGE_CHART = 1500;

/** Expansions bigger than this ask first. */
export const EXPANSION_WARNING = 200;

const set = appStore.set;

export function fail(e: unknown): void {
  console.error(e);
  set((s) => showError(s, e));
}

export function notify(msg: string): void {
  set((s) => showNotice(s, msg));
}

async function guarded<T>(label: string, fn: () => Promise<T>): Promise<T | undefined> {
  set((s) => ({ ...s, job: { id: null, label, progress: -1, message: '' }, error: null }));
  try {
    return await fn();
  } catch (e) {
    fail(e);
    return undefined;
  } finally {
    set((s) => (s.job && s.job.id === null ? { ...s, job: null } : s));
  }
}

/** Adds a subgraph, asking first when it would add many nodes. Returns the new node ids. */
export function addWithWarning(
  sub: Pick<Subgraph, 'nodes' | 'links'>,
  label: string,
  warn = true,
): string[] | null {
  const fresh = sub.nodes.filter((n) => !chart.graph.hasNode(n.id)).length;
  if (
    warn &&
    fresh > EXPANSION_WARNING &&
    !window.confirm(`This adds ${fresh} entities to the chart. Continue?`)
  )
    return null;
  const hadNodes = chart.graph.order > 0;
  const r = chart.addSubgraph(sub, label);
  if (!hadNodes && r.nodes.length > 1) {
    // Small charts are laid out at once; large ones draw immediately and settle in the layout worker.
    if (chart.graph.order <= LARGE_CHART) chart.quickLayout(150);
    else chart.startLayout({ stopAfterMs: 8000 });
  } else if (hadNodes) chart.reveal(r.nodes);
  if (r.nodes.length) notify(`${label}: ${r.nodes.length} entities, ${r.edges.length} links added`);
  else notify(`${label}: nothing new`);
  return r.nodes;
}

export async function addEntity(id: string): Promise<void> {
  await guarded('Adding', async () => {
    if (!chart.graph.hasNode(id)) {
      const e = await api.entity(id);
      const onChart = chart.graph.nodes();
      // Bring along the links to entities already on the chart.
      let links: Subgraph['links'] = [];
      if (onChart.length) {
        const nb = await api.neighbourhood({ seeds: [id], hops: 1, limit: 2000 });
        links = nb.links.filter((l) => chart.graph.hasNode(l.from === id ? l.to : l.from));
      }
      chart.addSubgraph({ nodes: [e], links }, `add ${e.label}`);
    }
    set((s) => ({ ...s, selection: { nodes: [id], edge: null }, rightTab: 'details' }));
    setTimeout(() => chart.focus(id), 50);
  });
}

export interface ExpandOptions {
  linkTypes?: LinkType[];
  entityTypes?: EntityType[];
  hops?: number;
}

export async function expand(ids: string[], opts: ExpandOptions = {}): Promise<void> {
  if (!ids.length) return notify('Select one or more entities to expand');
  await guarded('Expanding', async () => {
    const f = toViewFilter(appStore.get().filters);
    const filter = opts.linkTypes ? { ...f, linkTypes: opts.linkTypes } : f;
    delete filter.from;
    delete filter.to;
    const sub = await api.neighbourhood({
      seeds: ids,
      hops: opts.hops ?? 1,
      filter,
      entityTypes: opts.entityTypes,
      limit: 5000,
    });
    const added = addWithWarning(
      sub,
      opts.hops && opts.hops > 1 ? `ego network (${opts.hops} hops)` : 'expand',
    );
    if (sub.truncated) notify('The expansion was cut at the server limit; narrow it by link or entity type');
    return added;
  });
}

export async function loadDemo(): Promise<void> {
  await guarded('Loading the demo network', async () => {
    const h = await api.health();
    // Counts come only to a signed-in user; the demo is loaded into an empty store.
    if ('counts' in h && !h.counts.entities) await api.loadDemo();
    await startFromCentral();
  });
}

/**
 * The empty state's "most central people": the person network of the whole view ranked on the server, its
 * top people brought onto the chart (analysis/central.ts).
 */
export async function startFromCentral(n = 8): Promise<void> {
  await guarded('Finding the most central people', () => startFromCentralPeople(n));
}

/** Loads the whole view (the store filtered by the chart's filters), as far as the server's limit allows. */
export async function loadView(): Promise<void> {
  await guarded('Loading the view', async () => {
    performance.mark('linkchart:view-request');
    const sub = await api.view(toViewFilter(appStore.get().filters));
    addWithWarning(sub, 'whole view', chart.graph.order > 0);
    if (sub.truncated) notify('The view was cut at the server limit; narrow it with filters');
  });
}

export function removeSelected(): void {
  const s = appStore.get().selection;
  if (s.edge) chart.removeEdges([s.edge]);
  if (s.nodes.length) chart.removeNodes(s.nodes);
  set((st) => ({ ...st, selection: EMPTY_SELECTION }));
}

export function hideSelected(): void {
  const s = appStore.get();
  if (!s.selection.nodes.length) return notify('Select entities to hide');
  set((st) => ({
    ...st,
    hidden: [...new Set([...st.hidden, ...st.selection.nodes])],
    selection: EMPTY_SELECTION,
  }));
}
export function unhideAll(): void {
  set((s) => ({ ...s, hidden: [] }));
}

/** Set while an undo or redo waits on the store, so a second ctrl-z does not take the same step again. */
let undoing = false;

/**
 * Undoes the last chart edit. A drawn entity or link comes out of the store too, or stays there with the
 * reason said (drawing.ts takeOutOfStore); the chart changes only once the store has answered.
 */
export async function undo(): Promise<void> {
  if (undoing) return notify('Still undoing the last step in the store');
  const entry = appStore.get().history.past.at(-1);
  if (!entry) return notify('Nothing to undo');
  let step = entry;
  let said = '';
  if (entry.kind === 'add' && entry.store?.status === 'in-store') {
    undoing = true;
    try {
      const label =
        entry.store.kind === 'entity'
          ? String(entry.nodes[0]?.attributes.label ?? entry.store.id)
          : String(entry.edges[0]?.attributes.ltype ?? 'drawn').toLowerCase();
      const r = await takeOutOfStore(entry.store, label);
      step = { ...entry, store: { ...entry.store, status: r.status, why: r.message } };
      said = r.message;
    } catch (e) {
      return fail(e);
    } finally {
      undoing = false;
    }
    // Other edits may have landed while the store answered: undo only if this is still the last step.
    if (appStore.get().history.past.at(-1) !== entry)
      return notify('The chart changed meanwhile; undo again');
    set((s) => ({ ...s, history: replaceEntry(s.history, entry, step) }));
  }
  const { history, entry: done } = undoH(appStore.get().history);
  if (!done) return;
  chart.applyEntry(inverse(done));
  set((s) => ({ ...s, history, notice: said ? `Undid ${done.label}: ${said}` : `Undid ${done.label}` }));
}

/** Redoes the last undone edit; a drawing undo deleted from the store is written to the store again. */
export async function redo(): Promise<void> {
  if (undoing) return notify('Still undoing the last step in the store');
  const entry = appStore.get().history.future[0];
  if (!entry) return notify('Nothing to redo');
  let said = '';
  if (entry.kind === 'add' && entry.store?.status === 'deleted') {
    undoing = true;
    try {
      const rec = await putBackInStore(entry.store, entry.edges[0]);
      if (appStore.get().history.future[0] !== entry)
        return notify('The chart changed meanwhile; redo again');
      // The store gave it a new id: every step that names the old one follows it.
      const renamed = renameIds(appStore.get().history, { [entry.store.id]: rec.id });
      const head = renamed.future[0];
      if (head.kind !== 'add') return;
      set((s) => ({
        ...s,
        history: replaceEntry(renamed, head, { ...head, store: { ...rec, why: undefined } }),
      }));
      said = `${rec.kind === 'entity' ? 'written to' : 'linked in'} the store again`;
    } catch (e) {
      return fail(e);
    } finally {
      undoing = false;
    }
  }
  const { history, entry: done } = redoH(appStore.get().history);
  if (!done) return;
  chart.applyEntry(done);
  set((s) => ({ ...s, history, notice: said ? `Redid ${done.label}: ${said}` : `Redid ${done.label}` }));
}

export async function shortestPath(): Promise<void> {
  const sel = appStore.get().selection.nodes;
  if (sel.length !== 2) return notify('Select exactly two entities (shift-click) to find the shortest path');
  await guarded('Finding paths', async () => {
    const r = await api.paths(sel[0], sel[1]);
    if (!r.paths.length) return notify('No path within 6 links between them');
    chart.addSubgraph(r.subgraph, 'shortest path');
    const nodes = new Set<string>();
    const edges = new Set<string>();
    for (const p of r.paths) {
      p.nodes.forEach((n) => nodes.add(n));
      p.links.forEach((l) => edges.add(l));
    }
    chart.showPath([...nodes], [...edges]);
    notify(`${r.paths.length} shortest path(s) of ${r.paths[0].links.length} links`);
  });
}

// ---------------------------------------------------------------------------------------------
// Analysis

/** Cancels the running analysis (every analysis runs through analysis/run.ts). */
export async function cancelJob(): Promise<void> {
  if (!(await cancelAnalysis())) set((s) => ({ ...s, job: null }));
}

function chartCopy(): ReturnType<typeof simpleCopy> {
  return simpleCopy(chart.graph, (n) => chart.isNodeVisible(n));
}

/** The network the current ranking ran over (people first when there is none yet). */
function currentSpec(scope: 'chart' | 'view'): AnalysisSpec {
  return { ...(appStore.get().ranking?.spec ?? PEOPLE_FIRST), scope };
}

async function serverJob<T>(
  label: string,
  req: JobRequest,
  done: (r: T) => void,
  scope: 'chart' | 'view' = 'view',
): Promise<void> {
  const r = await tracked<T>(label, req, targetOf(currentSpec(scope)));
  if (r !== undefined) done(r);
}

/** Communities over the chart's entities, in the current ranking's network (people first by default). */
export function runCommunities(): void {
  void runCommunitiesFor(currentSpec('chart'));
}

/** The disruption lab over the chart's entities, on the server's engine like every other analysis. */
export function runDisruption(opts: {
  strategy: 'selected' | 'topk' | 'sequential';
  metric: string;
  k: number;
}): void {
  void runServerDisruption(opts, 'chart');
}

interface ServerDisruption {
  baseline: { lccShare: number; components: number };
  steps: Array<{ step: number; removed: string[]; lccShare: number; components: number }>;
}

/** The disruption lab over the whole view on the server; the fragments are then shown on the chart. */
export async function runServerDisruption(
  opts: {
    strategy: 'selected' | 'topk' | 'sequential';
    metric: string;
    k: number;
  },
  scope: 'chart' | 'view' = 'view',
): Promise<void> {
  // Top k by the current ranking's measure takes the ranking's own top k (of the types it ranks, people
  // first), over the same network: the targets are the rows the Ranks tab shows.
  const ranking = appStore.get().ranking;
  const fromRanking =
    opts.strategy === 'topk' && ranking && ranking.metric === opts.metric && ranking.spec.scope === scope
      ? rankedRows(ranking)
          .slice(0, opts.k)
          .map((r) => r.id)
      : null;
  // Otherwise the top k of the same network and types, ranked now, removed one per step.
  const ranked =
    !fromRanking && opts.strategy === 'topk'
      ? await topTargets(currentSpec(scope), opts.metric, opts.k)
      : null;
  if (ranked === undefined) return;
  const chosen = fromRanking ?? ranked;
  const sel = chosen ?? appStore.get().selection.nodes;
  if (opts.strategy === 'selected' && !sel.length) return notify('Select the entities to remove first');
  const strategy = opts.strategy === 'selected' || chosen ? 'set' : 'sequential';
  await serverJob<ServerDisruption>(
    'Simulating the disruption',
    {
      kind: 'disruption',
      strategy,
      metric: opts.metric,
      steps: strategy === 'set' ? sel.length : opts.k,
      ...(strategy === 'set' ? { targets: sel } : {}),
    },
    (r) => {
      const removed: string[] = [];
      const steps: DisruptionStep[] = [
        { removed: null, lccShare: r.baseline.lccShare, components: r.baseline.components },
      ];
      for (const st of r.steps) {
        removed.push(...st.removed);
        steps.push({
          removed: st.removed.join(', ') || null,
          lccShare: st.lccShare,
          components: st.components,
        });
      }
      const g = chartCopy();
      const fragments = components(g, new Set(removed));
      set((s) => ({ ...s, disruption: { steps, fragments, removed } }));
      if (fromRanking && ranking)
        notify(
          `Removed the ranking's top ${fromRanking.length}: ${describeSpec(ranking.spec, ranking.facts)}`,
        );
      else if (ranked)
        notify(
          `Removed the top ${ranked.length} by ${opts.metric} among ${typesInWords(currentSpec(scope).types)}`,
        );
    },
    scope,
  );
}

export interface ServerExplanation {
  label: string;
  nodes: number;
  stability: { rank: number; interval: [number, number]; resamples: number; dropShare: number };
  weakLeftOut: { rankWith: number; rankWithout: number; linksDropped: number };
  communities: { own: number; bridged: Array<{ community: number; neighbours: number }>; pathShare: number };
}

export async function explainOnServer(
  node: string,
  metric: string,
  done: (r: ServerExplanation) => void,
): Promise<void> {
  await serverJob<ServerExplanation>('Explaining the rank', { kind: 'explain', node, focus: metric }, done);
}

export function clearDisruption(): void {
  set((s) => ({ ...s, disruption: null }));
}

// ---------------------------------------------------------------------------------------------
// Layouts

export function applyLayout(kind: 'circular' | 'grouped' | 'map'): void {
  chart.stopLayout();
  if (kind === 'circular') chart.moveTo(circularLayout(chart.graph), 'circular layout');
  else if (kind === 'grouped') {
    const c = appStore.get().appearance.communities;
    if (!c) {
      // Communities come from the server's engine; the layout follows once they are in.
      void runCommunitiesFor(currentSpec('chart')).then(() => {
        const found = appStore.get().appearance.communities;
        if (found) chart.moveTo(groupedLayout(chart.graph, found), 'grouped layout');
      });
      return;
    }
    chart.moveTo(groupedLayout(chart.graph, c), 'grouped layout');
  } else return void applyMapLayout();
  set((s) => ({ ...s, mapMode: false }));
}

export function selectAllOfType(type: EntityType): void {
  const ids = chart.graph.filterNodes((_n, a) => a.etype === type);
  set((s) => ({ ...s, selection: { nodes: ids, edge: null } }));
}

export type { AppState };
