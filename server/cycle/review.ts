// Operational review: the network in two windows (before and after an action, or any two), compared.
// Who disappeared and who appeared, which links formed and ended, how the largest component, pairwise
// connectivity and communities changed, who rose in betweenness (took over the brokerage), and what
// removing the targets from the "before" graph predicted beside what was observed. Pure.
//
// Presence in a window means having at least one link in it; every link counts as undirected and
// parallel links collapse (see network.ts). Betweenness is normalised by (n-1)(n-2)/2 so windows of
// different sizes compare.
import type { Entity, Link, Subgraph } from '../domain/model.ts';
import {
  betweenness,
  buildSimpleGraph,
  communities,
  componentSummary,
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
  /** Labels of the two windows, e.g. '2024-01-01..2024-06-30'. */
  beforeLabel?: string;
  afterLabel?: string;
}

export const DEFAULT_REVIEW_OPTIONS = { riserTypes: ['Person'], topRisers: 10, listLimit: 200, seed: 42 };

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
  /** What removing the targets from the "before" graph predicted, beside what was observed. */
  prediction: {
    removed: string[];
    predicted: { lccShare: MetricChange; pairwiseConnectivity: MetricChange; components: MetricChange };
    observed: { lccShare: MetricChange; pairwiseConnectivity: MetricChange; components: MetricChange };
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
  };
}

function rankOf(ids: string[], scores: Map<string, number>): Map<string, number> {
  const sorted = [...ids].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || a.localeCompare(b));
  return new Map(sorted.map((id, i) => [id, i + 1] as const));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const signedPts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} points`;

export function operationalReview(before: Subgraph, after: Subgraph, opts: ReviewOptions = {}): ReviewResult {
  const o = { ...DEFAULT_REVIEW_OPTIONS, ...opts };
  const riserTypes = new Set(o.riserTypes);
  const targets = [...new Set(o.targets ?? [])];
  const entities = new Map<string, Entity>();
  for (const n of before.nodes) entities.set(n.id, n);
  for (const n of after.nodes) entities.set(n.id, n);

  const gb = buildSimpleGraph(before);
  const ga = buildSimpleGraph(after);
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
  const bcB = betweenness(gb);
  const bcA = betweenness(ga);
  const scoreB = new Map(gb.ids.map((id, i) => [id, bcB[i]] as const));
  const scoreA = new Map(ga.ids.map((id, i) => [id, bcA[i]] as const));
  const targetSet = new Set(targets);
  const targetNeighbours = new Set<string>();
  for (const t of targets) {
    const i = gb.index.get(t);
    if (i !== undefined) for (const w of gb.adj[i]) targetNeighbours.add(gb.ids[w]);
  }
  const rankedB = gb.ids.filter((id) => riserTypes.has(entities.get(id)?.type ?? ''));
  const rankedA = ga.ids.filter((id) => riserTypes.has(entities.get(id)?.type ?? ''));
  const rankB = rankOf(rankedB, scoreB);
  const rankA = rankOf(rankedA, scoreA);
  const risers: Riser[] = rankedA
    .filter((id) => inBefore.has(id) && !targetSet.has(id))
    .map((id) => {
      const b = scoreB.get(id) ?? 0;
      const a = scoreA.get(id) ?? 0;
      return {
        ...brief(entities.get(id), id),
        before: b,
        after: a,
        rise: a - b,
        rankBefore: rankB.get(id) ?? 0,
        rankAfter: rankA.get(id) ?? 0,
        targetNeighbour: targetNeighbours.has(id),
      };
    })
    .filter((r) => r.rise > 0)
    .sort((x, y) => y.rise - x.rise || x.id.localeCompare(y.id))
    .slice(0, o.topRisers);

  const observed = {
    lccShare: change(sb.lccShare, sa.lccShare),
    pairwiseConnectivity: change(sb.pairwiseConnectivity, sa.pairwiseConnectivity),
    communities: change(sb.communities, sa.communities),
  };

  let prediction: ReviewResult['prediction'] = null;
  if (targets.length > 0) {
    const gp = buildSimpleGraph(before, { exclude: targetSet });
    const sp = componentSummary(gp);
    prediction = {
      removed: targets.filter((t) => inBefore.has(t)),
      predicted: {
        lccShare: change(sb.lccShare, sp.lccShare),
        pairwiseConnectivity: change(sb.pairwiseConnectivity, sp.pairwiseConnectivity),
        components: change(sb.components, sp.components),
      },
      observed: {
        lccShare: observed.lccShare,
        pairwiseConnectivity: observed.pairwiseConnectivity,
        components: change(sb.components, sa.components),
      },
    };
  }

  const findings: string[] = [];
  findings.push(
    `${disappeared.length} entities left the network and ${appeared.length} appeared; ${formed.length} links formed and ${ended.length} ended.`,
  );
  if (prediction) {
    findings.push(
      `Removing ${prediction.removed.length} target${prediction.removed.length === 1 ? '' : 's'} was predicted to take the largest component from ${pct(sb.lccShare)} to ${pct(prediction.predicted.lccShare.after)} of the network (${signedPts(prediction.predicted.lccShare.change)}); observed: ${pct(sa.lccShare)} (${signedPts(observed.lccShare.change)}).`,
    );
  } else {
    findings.push(
      `The largest component went from ${pct(sb.lccShare)} to ${pct(sa.lccShare)} of the network (${signedPts(observed.lccShare.change)}).`,
    );
  }
  findings.push(
    `Pairwise connectivity went from ${pct(sb.pairwiseConnectivity)} to ${pct(sa.pairwiseConnectivity)}; communities from ${sb.communities} to ${sa.communities}.`,
  );
  if (risers.length > 0) {
    const top = risers
      .slice(0, 3)
      .map((r) => `${r.label} (+${r.rise.toFixed(3)}${r.targetNeighbour ? ', linked to a target' : ''})`);
    findings.push(`Biggest risers in betweenness: ${top.join('; ')}.`);
  }
  const regrouped = prediction && observed.lccShare.change > prediction.predicted.lccShare.change + 0.05;
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
  const parts = s.split('..');
  if (parts.length !== 2) {
    throw new RangeError(`window ${JSON.stringify(s)} is not FROM..TO, e.g. 2024-01-01..2024-06-30`);
  }
  const [from, to] = [parts[0].trim(), parts[1].trim()];
  for (const d of [from, to]) {
    if (d && (!/^\d{4}-\d{2}-\d{2}/.test(d) || Number.isNaN(Date.parse(d)))) {
      throw new RangeError(
        `window ${JSON.stringify(s)}: ${JSON.stringify(d)} is not an ISO date such as 2024-01-01`,
      );
    }
  }
  if (from && to && Date.parse(from) > Date.parse(to)) {
    throw new RangeError(`window ${JSON.stringify(s)}: starts after it ends`);
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
