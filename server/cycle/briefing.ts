// The operational review as a briefing section: plain data (headings, sentences, tables) that the PDF
// briefing (server/export) lays out (pure), and the review run for a briefing together with what it rests
// on, for the disclosure check (server/security/handling.ts assessDisclosure).
import type { Subgraph } from '../domain/model.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { DEFAULT_REVIEW_OPTIONS, type ReviewResult } from './review.ts';
import { computeReview, type ReviewRequest } from './service.ts';

export interface BriefingTable {
  title: string;
  columns: string[];
  rows: string[][];
}
export interface BriefingSection {
  title: string;
  paragraphs: string[];
  tables: BriefingTable[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** What the review computed, in words, from the request that made it (the section's analysis record). */
export function reviewComputedAs(req: ReviewRequest): string {
  const o = { ...DEFAULT_REVIEW_OPTIONS, ...definedOnly(req) };
  const filter = req.view ?? {};
  const types = filter.entityTypes?.length ? filter.entityTypes.join(', ') : 'all entity types';
  const links = filter.linkTypes?.length ? filter.linkTypes.join(', ') : 'all link types';
  const grading = filter.minGrading
    ? `, links graded ${filter.minGrading.source}${filter.minGrading.intel} or better`
    : '';
  return (
    `Computed over each window of the store (${types}; ${links}${grading}) as ` +
    `${o.foldPhones ? 'a person network, phones folded into the people who use them' : 'an entity network, phones kept'}, ` +
    `undirected and unweighted; risers ranked by betweenness (normalised) among ${o.riserTypes.join(', ')}; ` +
    `communities by Louvain, seed ${o.seed}` +
    (req.targets?.length
      ? `; the lab's prediction removes the ${req.targets.length} targets from the "before" network.`
      : '.')
  );
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function reviewBriefingSection(
  r: ReviewResult,
  opts: { maxRows?: number; computedAs?: string } = {},
): BriefingSection {
  const max = opts.maxRows ?? 10;
  const windows = `${r.before.label ?? 'before'} compared with ${r.after.label ?? 'after'}`;
  const p = r.prediction;
  // With targets, the lab's terms lead: both measured against the "before" network, so the predicted
  // and observed columns compare. The window's own shares follow.
  const lab: string[][] = p
    ? [
        [
          'Largest component (vs before)',
          pct(p.predicted.lccShare.before),
          pct(p.predicted.lccShare.after),
          pct(p.observed.lccShare.after),
        ],
        [
          'Pairwise connectivity (vs before)',
          pct(p.predicted.pairwiseConnectivity.before),
          pct(p.predicted.pairwiseConnectivity.after),
          pct(p.observed.pairwiseConnectivity.after),
        ],
      ]
    : [];
  const dash = p ? ['-'] : [];
  const measures: BriefingTable = {
    title: 'Network before and after',
    columns: ['Measure', 'Before', ...(p ? ['Predicted (lab)'] : []), 'Observed'],
    rows: [
      ...lab,
      [
        'Entities',
        String(r.before.nodes),
        ...(p ? [String(r.before.nodes - p.removed.length)] : []),
        String(r.after.nodes),
      ],
      ['Largest component share of the window', pct(r.before.lccShare), ...dash, pct(r.after.lccShare)],
      [
        'Pairwise connectivity within the window',
        pct(r.before.pairwiseConnectivity),
        ...dash,
        pct(r.after.pairwiseConnectivity),
      ],
      [
        'Components',
        String(r.before.components),
        ...(p ? [String(p.predicted.components.after)] : []),
        String(r.after.components),
      ],
      ['Communities', String(r.before.communities), ...dash, String(r.after.communities)],
    ],
  };
  const risers: BriefingTable = {
    title: 'Who took over the brokerage (rise in betweenness)',
    columns: ['Entity', 'Before', 'After', 'Rise', 'Linked to a target'],
    rows: r.risers
      .slice(0, max)
      .map((x) => [
        x.label,
        x.before.toFixed(3),
        x.after.toFixed(3),
        `+${x.rise.toFixed(3)}`,
        x.targetNeighbour ? 'yes' : 'no',
      ]),
  };
  const people: BriefingTable = {
    title: 'Who left and who appeared',
    columns: ['Left the network', 'Appeared'],
    rows: Array.from(
      { length: Math.min(max, Math.max(r.disappeared.items.length, r.appeared.items.length)) },
      (_, i) => [r.disappeared.items[i]?.label ?? '', r.appeared.items[i]?.label ?? ''],
    ),
  };
  return {
    title: 'Operational review',
    paragraphs: [windows + '.', ...r.findings, ...(opts.computedAs ? [opts.computedAs] : [])],
    tables: [measures, risers, people],
  };
}

/** What a review section rests on: the entities and links of both windows, and the targets it names. */
export interface ReviewBasis {
  entityIds: string[];
  linkIds: string[];
}

/**
 * The operational review as a briefing section, with what it rests on. Every figure, ranking and name in
 * the section is computed over both windows' views (betweenness, components and communities are whole
 * network measures: a C-coded link anywhere in a window can put a name among the risers), so the section
 * carries every entity and link the review read, not only the ones it prints. The views are captured as
 * computeReview reads them, so the check sees exactly what the review used.
 */
export async function reviewForBriefing(
  graph: GraphStore,
  req: ReviewRequest,
  opts: { maxRows?: number } = {},
): Promise<{ section: BriefingSection; result: ReviewResult; basis: ReviewBasis }> {
  const views: Subgraph[] = [];
  const recording = new Proxy(graph, {
    get(target, prop) {
      if (prop === 'subgraph')
        return async (...args: Parameters<GraphStore['subgraph']>) => {
          const sub = await target.subgraph(...args);
          views.push(sub);
          return sub;
        };
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const result = await computeReview(recording, req);
  const entityIds = new Set<string>(req.targets ?? []);
  const linkIds = new Set<string>();
  for (const v of views) {
    for (const n of v.nodes) entityIds.add(n.id);
    for (const l of v.links) linkIds.add(l.id);
  }
  return {
    section: reviewBriefingSection(result, { ...opts, computedAs: reviewComputedAs(req) }),
    result,
    basis: { entityIds: [...entityIds], linkIds: [...linkIds] },
  };
}
