// Operational review: the network in two windows (before and after an action, or any two), compared.
// Who disappeared and who appeared, which links formed and ended, how the largest component, pairwise
// connectivity and communities changed, who rose in betweenness (took over the brokerage), and what
// removing the targets from the "before" graph predicted beside what was observed. Pure.
//
// Presence in a window means having at least one link in it; every link counts as undirected and
// parallel links collapse (see network.ts). Betweenness is normalised by (n-1)(n-2)/2 so windows of
// different sizes compare. The two windows are periods of the windowed analysis (server/analysis/
// windows.ts): parsed, filtered (service.ts) and compared (who rose, ranks in each) by the same code as the
// "Rise and fall" series.
import { disrupt } from '../analysis/disruption.ts';
import { compareWindows, parsePeriod, type ScoredWindow } from '../analysis/windows.ts';
import { connectedComponents } from '../analysis/components.ts';
import type { Entity, Link, Subgraph } from '../domain/model.ts';
import {
  betweenness,
  buildSimpleGraph,
  communities,
  componentSummary,
  toCsr,
  betweennessPivots,
  type ComponentSummary,
  type SimpleGraph,
} from './network.ts';

export interface ReviewOptions {
  /** Entities removed by the action: the prediction removes them from the "before" graph. */
  targets?: string[];
  /** Entity types ranked as risers (who took over). Default: people. */
  riserTypes?: string[];
  /** How many risers to return. */
  topRisers?: number;
  /** Longest list of appeared / disappeared / links formed / ended returned (totals are always exact). */
  listLimit?: number;
  /** Louvain seed, so a review repeats exactly. */
  seed?: number;
  /** Fold phones into the people who use them before measuring (default true; see network.ts). */
  foldPhones?: boolean;
  /** Labels of the two windows, e.g. '2024-01-01..2024-06-30'. */
  beforeLabel?: string;
  afterLabel?: string;
}

export const DEFAULT_REVIEW_OPTIONS = {
  riserTypes: ['Person'],
  topRisers: 10,
  listLimit: 200,
  seed: 42,
  foldPhones: true,
};

export interface EntityBrief {
  id: string;
  label: string;
  type: string;
}
export interface LinkBrief {
  id: string;
  type: string;
  from: EntityBrief;
  to: EntityBrief;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface WindowSummary extends ComponentSummary {
  label: string | null;
  links: number;
  communities: number;
  dataVersion: number;
  /** Sources betweenness was sampled from in this window; null when exact. */
  betweennessPivots: number | null;
}

export interface Riser extends EntityBrief {
  before: number;
  after: number;
  rise: number;
  /** 1-based rank by betweenness among riserTypes in each window. */
  rankBefore: number;
  rankAfter: number;
  /** Linked to one of the targets in the "before" window: a likely successor. */
  targetNeighbour: boolean;
}

export interface MetricChange {
  before: number;
  after: number;
  change: number;
}

export interface ReviewResult {
  before: WindowSummary;
  after: WindowSummary;
  targets: (EntityBrief & { presentBefore: boolean; presentAfter: boolean })[];
  disappeared: { total: number; items: EntityBrief[] };
  appeared: { total: number; items: EntityBrief[] };
  linksFormed: { total: number; items: LinkBrief[] };
  linksEnded: { total: number; items: LinkBrief[] };
  risers: Riser[];
  /**
   * What the disruption lab predicted for removing the targets from the "before" graph, beside what
   * was observed, in the lab's terms: lccShare is the largest component's size relative to the
   * "before" largest component; pairwise connectivity is connected pairs over the "before" graph's
   * n(n-1)/2 pairs.
   */
  prediction: {
    removed: string[];
    /** Targets that had no link in the "before" window (nothing to remove). */
    notInView: string[];
    predicted: { lccShare: MetricChange; pairwiseConnectivity: MetricChange; components: MetricChange };
    observed: { lccShare: MetricChange; pairwiseConnectivity: MetricChange; components: MetricChange };
    /** The lab's predicted inheritors of the targets' brokerage (rise in raw betweenness). */
    inheritors: (EntityBrief & { rise: number })[];
  } | null;
  observed: { lccShare: MetricChange; pairwiseConnectivity: MetricChange; communities: MetricChange };
  /** Plain sentences for the briefing and the CLI. */
  findings: string[];
}

function brief(e: Entity | undefined, id: string): EntityBrief {
  return e ? { id: e.id, label: e.label, type: e.type } : { id, label: id, type: 'unknown' };
}

function change(before: number, after: number): MetricChange {
  return { before, after, change: after - before };
}

function summarise(sub: Subgraph, g: SimpleGraph, label: string | undefined, seed: number): WindowSummary {
  return {
    label: label ?? null,
    ...componentSummary(g),
    links: g.edgeCount,
    communities: communities(g, seed).count,
    dataVersion: sub.dataVersion,
    betweennessPivots: betweennessPivots(g.ids.length),
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const signedPts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} points`;

export function operationalReview(before: Subgraph, after: Subgraph, opts: ReviewOptions = {}): ReviewResult {
  const o = { ...DEFAULT_REVIEW_OPTIONS, ...definedOnly(opts) };
  const riserTypes = new Set(o.riserTypes);
  const targets = [...new Set(o.targets ?? [])];
  const entities = new Map<string, Entity>();
  for (const n of before.nodes) entities.set(n.id, n);
  for (const n of after.nodes) entities.set(n.id, n);

  const gb = buildSimpleGraph(before, { foldPhones: o.foldPhones });
  const ga = buildSimpleGraph(after, { foldPhones: o.foldPhones });
  const sb = summarise(before, gb, o.beforeLabel, o.seed);
  const sa = summarise(after, ga, o.afterLabel, o.seed);

  const inBefore = new Set(gb.ids);
  const inAfter = new Set(ga.ids);
  const byLabel = (a: EntityBrief, b: EntityBrief): number =>
    a.label.localeCompare(b.label) || a.id.localeCompare(b.id);
  const disappeared = gb.ids
    .filter((id) => !inAfter.has(id))
    .map((id) => brief(entities.get(id), id))
    .sort(byLabel);
  const appeared = ga.ids
    .filter((id) => !inBefore.has(id))
    .map((id) => brief(entities.get(id), id))
    .sort(byLabel);

  const linkBrief = (l: Link): LinkBrief => ({
    id: l.id,
    type: l.type,
    from: brief(entities.get(l.from), l.from),
    to: brief(entities.get(l.to), l.to),
    firstSeen: l.firstSeen,
    lastSeen: l.lastSeen,
  });
  const beforeLinkIds = new Set(before.links.map((l) => l.id));
  const afterLinkIds = new Set(after.links.map((l) => l.id));
  const byDate = (a: LinkBrief, b: LinkBrief): number =>
    (a.firstSeen ?? '').localeCompare(b.firstSeen ?? '') || a.id.localeCompare(b.id);
  const formed = after.links
    .filter((l) => !beforeLinkIds.has(l.id))
    .map(linkBrief)
    .sort(byDate);
  const ended = before.links
    .filter((l) => !afterLinkIds.has(l.id))
    .map(linkBrief)
    .sort(byDate);

  // Who took over: betweenness rise among those present in both windows (targets excluded).
  const targetSet = new Set(targets);
  const targetNeighbours = new Set<string>();
  for (const t of targets) {
    const i = gb.index.get(t);
    if (i !== undefined) for (const w of gb.adj[i]) targetNeighbours.add(gb.ids[w]);
  }
  const scored = (g: SimpleGraph, s: WindowSummary): ScoredWindow => ({
    window: { from: '', to: '', label: s.label ?? '' },
    ids: g.ids,
    labels: g.ids.map((id) => entities.get(id)?.label ?? id),
    types: g.ids.map((id) => entities.get(id)?.type ?? ''),
    scores: betweenness(g),
    nodes: s.nodes,
    links: s.links,
  });
  const risers: Riser[] = compareWindows(scored(gb, sb), scored(ga, sa), {
    among: riserTypes,
    exclude: targetSet,
  })
    .filter((c) => c.rise > 0)
    .slice(0, o.topRisers)
    .map((c) => ({
      ...brief(entities.get(c.id), c.id),
      before: c.before,
      after: c.after,
      rise: c.rise,
      rankBefore: c.rankBefore,
      rankAfter: c.rankAfter,
      targetNeighbour: targetNeighbours.has(c.id),
    }));

  const observed = {
    lccShare: change(sb.lccShare, sa.lccShare),
    pairwiseConnectivity: change(sb.pairwiseConnectivity, sa.pairwiseConnectivity),
    communities: change(sb.communities, sa.communities),
  };

  let prediction: ReviewResult['prediction'] = null;
  if (targets.length > 0) {
    const lab = labPrediction(gb, targets, o.topRisers, o.seed);
    const n0 = gb.ids.length;
    const pairs0 = (n0 * (n0 - 1)) / 2;
    prediction = {
      removed: lab.removed,
      notInView: lab.notInView,
      predicted: lab.predicted,
      observed: {
        lccShare: change(lab.predicted.lccShare.before, sb.lccSize > 0 ? sa.lccSize / sb.lccSize : 0),
        pairwiseConnectivity: change(sb.pairwiseConnectivity, pairs0 > 0 ? sa.connectedPairs / pairs0 : 0),
        components: change(sb.components, sa.components),
      },
      inheritors: lab.inheritors.map((x) => ({ ...brief(entities.get(x.id), x.id), rise: x.rise })),
    };
  }

  const findings: string[] = [];
  findings.push(
    `${plural(disappeared.length, 'entity', 'entities')} left the network and ${appeared.length} appeared; ${plural(formed.length, 'link')} formed and ${ended.length} ended.`,
  );
  if (prediction) {
    findings.push(
      `The disruption lab predicted that removing ${prediction.removed.length} target${prediction.removed.length === 1 ? '' : 's'} would shrink the largest component to ${pct(prediction.predicted.lccShare.after)} of its size before (${signedPts(prediction.predicted.lccShare.change)}); observed: ${pct(prediction.observed.lccShare.after)} (${signedPts(prediction.observed.lccShare.change)}).`,
    );
  } else {
    findings.push(
      `The largest component went from ${pct(sb.lccShare)} to ${pct(sa.lccShare)} of the network (${signedPts(observed.lccShare.change)}).`,
    );
  }
  findings.push(
    `Within each window, pairwise connectivity went from ${pct(sb.pairwiseConnectivity)} to ${pct(sa.pairwiseConnectivity)}; communities from ${sb.communities} to ${sa.communities}.`,
  );
  if (risers.length > 0) {
    const top = risers
      .slice(0, 3)
      .map((r) => `${r.label} (+${r.rise.toFixed(3)}${r.targetNeighbour ? ', linked to a target' : ''})`);
    findings.push(`Biggest risers in betweenness: ${top.join('; ')}.`);
  }
  const regrouped =
    prediction && prediction.observed.lccShare.after > prediction.predicted.lccShare.after + 0.05;
  if (regrouped) {
    findings.push(
      'The network held together better than predicted: it re-formed around others rather than breaking up.',
    );
  }

  return {
    before: sb,
    after: sa,
    targets: targets.map((t) => ({
      ...brief(entities.get(t), t),
      presentBefore: inBefore.has(t),
      presentAfter: inAfter.has(t),
    })),
    disappeared: { total: disappeared.length, items: disappeared.slice(0, o.listLimit) },
    appeared: { total: appeared.length, items: appeared.slice(0, o.listLimit) },
    linksFormed: { total: formed.length, items: formed.slice(0, o.listLimit) },
    linksEnded: { total: ended.length, items: ended.slice(0, o.listLimit) },
    risers,
    prediction,
    observed,
    findings,
  };
}

/** "2024-01-01..2024-06-30" -> { from, to }; either side may be empty for an open end. */
export function parseWindow(s: string): { from?: string; to?: string } {
  return parsePeriod(s);
}

export interface LabPrediction {
  removed: string[];
  notInView: string[];
  predicted: { lccShare: MetricChange; pairwiseConnectivity: MetricChange; components: MetricChange };
  inheritors: { id: string; rise: number }[];
}

/** The disruption lab (set strategy) on the structure of `g`: what removing `targets` would do. */
export function labPrediction(g: SimpleGraph, targets: string[], inheritors = 10, seed = 42): LabPrediction {
  const present = targets.filter((t) => g.index.has(t));
  const s = componentSummary(g);
  const none = {
    lccShare: change(s.lccSize > 0 ? 1 : 0, s.lccSize > 0 ? 1 : 0),
    pairwiseConnectivity: change(s.pairwiseConnectivity, s.pairwiseConnectivity),
    components: change(s.components, s.components),
  };
  const base = { removed: present, notInView: targets.filter((t) => !g.index.has(t)) };
  if (present.length === 0) return { ...base, predicted: none, inheritors: [] };
  const csr = toCsr(g);
  if (betweennessPivots(g.ids.length) !== null) {
    // Large window: the lab's inheritor search is exact betweenness twice over, too slow for a request.
    // The same measures, in the lab's own terms, straight from the components.
    const before = connectedComponents(csr);
    const removed = new Uint8Array(csr.n);
    for (const t of present) removed[g.index.get(t)!] = 1;
    const after = connectedComponents(csr, removed);
    const lcc0 = Math.max(0, ...before.sizes);
    const pairs = (sizes: Int32Array) => Array.from(sizes).reduce((a, x) => a + (x * (x - 1)) / 2, 0);
    const all = (csr.n * (csr.n - 1)) / 2;
    return {
      ...base,
      predicted: {
        lccShare: change(lcc0 > 0 ? 1 : 0, lcc0 > 0 ? Math.max(0, ...after.sizes) / lcc0 : 0),
        pairwiseConnectivity: change(all ? pairs(before.sizes) / all : 0, all ? pairs(after.sizes) / all : 0),
        components: change(before.count, after.count),
      },
      inheritors: [],
    };
  }
  const lab = disrupt(csr, {
    strategy: 'set',
    targets: present.map((t) => g.index.get(t)!),
    inheritors,
    // Efficiency is not compared here; a small sample keeps the lab cheap on large windows.
    efficiencyExactLimit: 500,
    efficiencySamples: 50,
    seed,
  });
  const last = lab.steps[lab.steps.length - 1];
  return {
    ...base,
    predicted: {
      lccShare: change(lab.baseline.lccShare, last.lccShare),
      pairwiseConnectivity: change(lab.baseline.pairwiseConnectivity, last.pairwiseConnectivity),
      components: change(lab.baseline.components, last.components),
    },
    inheritors: lab.inheritors.map((x) => ({ id: x.id, rise: x.rise })),
  };
}

/** Options with the keys set to undefined dropped, so they do not override the defaults. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
