// The priority matrix: harm (RFG) beside network position (betweenness, broker role, community), so
// the analyst sees who is both dangerous and structurally important, and why each person sits where
// they do. Pure.
//
// A person is "high harm" when their RFG score is above 0 and at or above the `harmPercentile`
// (default 75th) among the people scored; "central" when their betweenness is above 0 and at or above
// the `centralPercentile` (default 75th), or when they broker between communities. Percentiles are
// mid-rank: (people below + half of those equal) / people * 100, so a crowd of zeros never reaches
// the top quartile. A broker (neighbours in two or more communities) also counts as central once their
// betweenness reaches the `brokerPercentile` (default 50th), so a bystander with one link into another
// group is not called central.
import { ordinal } from '../domain/ordinal.ts';
import type { Subgraph } from '../domain/model.ts';
import { betweenness, brokers, buildSimpleGraph, communities } from './network.ts';
import type { RfgScore } from './rfg.ts';
import { definedOnly } from './review.ts';

export const QUADRANTS = [
  'high harm, central',
  'high harm, peripheral',
  'low harm, central',
  'low harm, peripheral',
] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export interface NetworkPosition {
  /** Normalised betweenness in [0, 1]. */
  betweenness: number;
  community: number | null;
  /** Communities this person's neighbours belong to, when they broker between two or more. */
  brokerOf: number[] | null;
}

export interface PriorityOptions {
  harmPercentile?: number;
  centralPercentile?: number;
  brokerPercentile?: number;
}
export const DEFAULT_PRIORITY_OPTIONS: Required<PriorityOptions> = {
  harmPercentile: 75,
  centralPercentile: 75,
  brokerPercentile: 50,
};

export interface PriorityRow {
  entityId: string;
  label: string;
  quadrant: Quadrant;
  rfg: number;
  rfgPercentile: number;
  frequency: number;
  lastEventDate: string | null;
  gravestEvent: string | null;
  betweenness: number;
  betweennessPercentile: number;
  community: number | null;
  broker: boolean;
  why: string;
}

export interface PriorityMatrix {
  options: Required<PriorityOptions>;
  people: number;
  counts: Record<Quadrant, number>;
  /** Quadrant order, then RFG, then betweenness. */
  rows: PriorityRow[];
}

/** Mid-rank percentile of each value among `values`. */
export function midRankPercentiles(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = values.length;
  const lower = (x: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (sorted[m] < x) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const upper = (x: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (sorted[m] <= x) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  return values.map((x) => {
    const below = lower(x);
    const equal = upper(x) - below;
    return n === 0 ? 0 : ((below + equal / 2) / n) * 100;
  });
}

/** Betweenness, community and broker role for every node of the subgraph (links undirected). */
export function networkPositions(
  sub: Pick<Subgraph, 'nodes' | 'links'>,
  seed = 42,
  foldPhones = false,
): Map<string, NetworkPosition> {
  const g = buildSimpleGraph(sub, { foldPhones });
  const bc = betweenness(g);
  const { labels } = communities(g, seed);
  const br = brokers(g, labels, bc);
  const out = new Map<string, NetworkPosition>();
  g.ids.forEach((id, i) => {
    out.set(id, { betweenness: bc[i], community: labels[i], brokerOf: br.get(i) ?? null });
  });
  return out;
}

const fmt = (x: number, d = 1): string => (Number.isInteger(x) ? String(x) : x.toFixed(d));
export function priorityMatrix(
  rfg: RfgScore[],
  positions: ReadonlyMap<string, NetworkPosition>,
  opts: PriorityOptions = {},
): PriorityMatrix {
  const o = { ...DEFAULT_PRIORITY_OPTIONS, ...definedOnly(opts) };
  const harmP = midRankPercentiles(rfg.map((r) => r.score));
  const bcs = rfg.map((r) => positions.get(r.entityId)?.betweenness ?? 0);
  const bcP = midRankPercentiles(bcs);
  const counts = Object.fromEntries(QUADRANTS.map((q) => [q, 0])) as Record<Quadrant, number>;
  const rows: PriorityRow[] = rfg.map((r, i) => {
    const pos = positions.get(r.entityId);
    const broker = !!pos?.brokerOf && pos.brokerOf.length >= 2;
    const highHarm = r.score > 0 && harmP[i] >= o.harmPercentile;
    const central = bcs[i] > 0 && (bcP[i] >= o.centralPercentile || (broker && bcP[i] >= o.brokerPercentile));
    const quadrant: Quadrant = `${highHarm ? 'high' : 'low'} harm, ${central ? 'central' : 'peripheral'}`;
    counts[quadrant]++;
    const gravest = r.events.reduce<(typeof r.events)[number] | null>(
      (best, e) => (best === null || e.gravity > best.gravity ? e : best),
      null,
    );

    const harmWhy =
      r.frequency === 0
        ? 'no events linked in this view'
        : `RFG ${fmt(r.score, 2)} (${ordinal(harmP[i])} percentile) from ${r.frequency} event${r.frequency === 1 ? '' : 's'}` +
          `${r.lastEventDate ? `, latest ${r.lastEventDate.slice(0, 10)}` : ''}` +
          `${gravest ? `, gravest ${gravest.category ?? gravest.label} (gravity ${fmt(gravest.gravity)})` : ''}`;
    const harmVerdict = highHarm
      ? `high harm: ${harmWhy}`
      : r.score > 0
        ? `low harm: ${harmWhy}, below the ${ordinal(o.harmPercentile)} percentile`
        : `low harm: ${harmWhy}`;
    let posWhy: string;
    if (!pos) posWhy = 'peripheral: not connected in this view';
    else if (central) {
      const parts = [`betweenness ${bcs[i].toFixed(3)} (${ordinal(bcP[i])} percentile)`];
      if (broker) parts.push(`brokers between communities ${pos.brokerOf!.join(', ')}`);
      posWhy = `central: ${parts.join(', ')}`;
    } else {
      posWhy =
        bcs[i] > 0
          ? `peripheral: betweenness ${bcs[i].toFixed(3)} (${ordinal(bcP[i])} percentile), below the ${ordinal(o.centralPercentile)}, ` +
            (broker
              ? `touching communities ${pos!.brokerOf!.join(', ')} but below the ${ordinal(o.brokerPercentile)} percentile a broker needs`
              : 'and no brokerage between communities')
          : `peripheral: on no shortest path between others`;
    }
    if (pos?.community !== null && pos?.community !== undefined) posWhy += `; community ${pos.community}`;
    return {
      entityId: r.entityId,
      label: r.label,
      quadrant,
      rfg: r.score,
      rfgPercentile: harmP[i],
      frequency: r.frequency,
      lastEventDate: r.lastEventDate,
      gravestEvent: gravest ? (gravest.category ?? gravest.label) : null,
      betweenness: bcs[i],
      betweennessPercentile: bcP[i],
      community: pos?.community ?? null,
      broker,
      why: `${r.label} is ${quadrant}: ${harmVerdict}; ${posWhy}.`,
    };
  });
  const qi = (q: Quadrant): number => QUADRANTS.indexOf(q);
  rows.sort(
    (a, b) =>
      qi(a.quadrant) - qi(b.quadrant) ||
      b.rfg - a.rfg ||
      b.betweenness - a.betweenness ||
      a.entityId.localeCompare(b.entityId),
  );
  return { options: o, people: rfg.length, counts, rows };
}
