// The cycle over a store: loads the views the pure functions need and runs them. Used by the API
// routes, the review CLI and the PDF briefing, so all three say the same thing.
import type { Subgraph, ViewFilter } from '../domain/model.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { StoreError } from '../store/common.ts';
import { loadGravityScale } from './gravity-scale.ts';
import { type PriorityMatrix, type PriorityOptions } from './priority-matrix.ts';
import { definedOnly, labPrediction, type ReviewOptions, type ReviewResult } from './review.ts';
import { buildSimpleGraph } from './network.ts';
import { type GravityScale, type RecencyModel, type RfgResult } from './rfg.ts';
import { runCycle } from './off-thread.ts';
import type { PredictedEffect } from '../domain/target.ts';
import { periodLabel, windowFilter } from '../analysis/windows.ts';

/** Views larger than this are refused rather than silently cut short. */
export const DEFAULT_VIEW_LIMIT = 200_000;

export async function loadView(
  store: GraphStore,
  filter: ViewFilter,
  limit = DEFAULT_VIEW_LIMIT,
): Promise<Subgraph> {
  const sub = await store.subgraph(filter, { limit });
  if (sub.truncated) {
    throw new StoreError(
      'invalid',
      `the view has more than ${limit} nodes; narrow it with a time window, entity or link types or a minimum grading`,
      ['view'],
    );
  }
  return sub;
}

export interface PrioritiesRequest extends PriorityOptions {
  view?: ViewFilter;
  asOf?: string;
  recency?: RecencyModel;
  lookbackDays?: number;
  /** Rows returned (the counts cover everyone). */
  limit?: number;
  seed?: number;
}

export interface PrioritiesResult extends PriorityMatrix {
  dataVersion: number;
  asOf: string | null;
  recency: RecencyModel;
  gravityScale: GravityScale;
}

export async function computePriorities(
  store: GraphStore,
  req: PrioritiesRequest = {},
  scale: GravityScale = loadGravityScale(),
): Promise<PrioritiesResult> {
  const sub = await loadView(store, req.view ?? {});
  const { rfg, matrix } = (await runCycle({
    kind: 'priorities',
    sub,
    rfg: definedOnly({
      asOf: req.asOf,
      recency: req.recency,
      lookbackDays: req.lookbackDays,
      gravityScale: scale,
    }),
    matrix: definedOnly({
      harmPercentile: req.harmPercentile,
      centralPercentile: req.centralPercentile,
      brokerPercentile: req.brokerPercentile,
    }),
    seed: req.seed,
  })) as { rfg: RfgResult; matrix: PriorityMatrix };
  return {
    ...matrix,
    rows: matrix.rows.slice(0, req.limit ?? 500),
    dataVersion: sub.dataVersion,
    asOf: rfg.asOf,
    recency: rfg.recency,
    gravityScale: scale,
  };
}

export interface Window {
  from?: string;
  to?: string;
}

export interface ReviewRequest extends Omit<ReviewOptions, 'beforeLabel' | 'afterLabel'> {
  before: Window;
  after: Window;
  /** Entity / link types and grading applied to both windows (its own from/to are ignored). */
  view?: ViewFilter;
}

export const windowLabel = periodLabel;

export async function computeReview(store: GraphStore, req: ReviewRequest): Promise<ReviewResult> {
  // The two periods' views, filtered as every window of the windowed analysis is.
  const before = await loadView(store, windowFilter(req.view, req.before));
  const after = await loadView(store, windowFilter(req.view, req.after));
  const { before: _b, after: _a, view: _v, ...options } = req;
  return (await runCycle({
    kind: 'review',
    before,
    after,
    options: {
      ...definedOnly(options),
      beforeLabel: windowLabel(req.before),
      afterLabel: windowLabel(req.after),
    },
  })) as ReviewResult;
}

/**
 * The disruption lab's prediction for removing `ids` from a view, as recorded on a target: the same
 * numbers operationalReview later sets beside what was observed.
 */
export async function predictRemoval(
  store: GraphStore,
  ids: string[],
  view: ViewFilter = {},
): Promise<PredictedEffect> {
  const sub = await loadView(store, view);
  const p = labPrediction(buildSimpleGraph(sub, { foldPhones: true }), ids, 1);
  return {
    lccShareBefore: p.predicted.lccShare.before,
    lccShareAfter: p.predicted.lccShare.after,
    pairwiseConnectivityBefore: p.predicted.pairwiseConnectivity.before,
    pairwiseConnectivityAfter: p.predicted.pairwiseConnectivity.after,
    componentsBefore: p.predicted.components.before,
    componentsAfter: p.predicted.components.after,
  };
}
