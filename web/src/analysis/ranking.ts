// A ranking as the server computed it, and the one way it is turned into ranked rows: every screen and
// export that shows a rank (Ranks, Explain, the briefing's table, the disruption lab's targets) calls
// `rankedRows`, so the same entity has the same rank and value everywhere.
import type { EntityType } from '@domain/model.ts';
import type { AnalysisSpec, RunFacts } from './spec.ts';

export interface ScoredEntity {
  id: string;
  label: string;
  type: EntityType | null;
  score: number;
}

/** The server's statement of a sampled ranking's accuracy (server/analysis/betweenness-sampled.ts). */
export interface ErrorBound {
  epsilon: number;
  delta: number;
  samples: number;
  /** A top-k ranking (sampled betweenness past the exact limit): k, and how many of the k are certain. */
  topK?: number | null;
  topKCertain?: number | null;
  /** Why sampling stopped; 'timeBudget' when its time ran out first. */
  stoppedBy?: string;
}

/**
 * One line for an analyst, e.g. "approximate: ±0.001 with 99% confidence", and for a top-k ranking how many
 * of the k are certain to be in it (the bound a time-limited run reached, not the one it aimed at).
 */
export function describeBound(b: ErrorBound): string {
  const pct = `${+(100 * (1 - b.delta)).toPrecision(4)}%`;
  const top =
    b.topK !== undefined && b.topK !== null && b.topKCertain !== undefined && b.topKCertain !== null
      ? `; ${b.topKCertain} of the top ${b.topK} certain to be in it`
      : '';
  const budget = b.stoppedBy === 'timeBudget' ? ' (stopped at its time budget)' : '';
  return `approximate: ±${b.epsilon.toPrecision(2)} with ${pct} confidence${top}${budget}`;
}

export interface RankingRun {
  spec: AnalysisSpec;
  /** The server's metric name (e.g. betweennessWeighted). */
  metric: string;
  /** Every entity the network held, in the server's order (best first). */
  scores: ScoredEntity[];
  facts: RunFacts;
  /** The view filter it ran with, as JSON, to tell when the filters have changed since. */
  filterKey: string;
  /** The chart's graph version when it ran (a chart ranking goes stale when the chart changes). */
  graphVersion: number;
  /** For a chart ranking: how many entities were on the chart. */
  chartEntities: number | null;
  notes: string[];
  /** Sampled betweenness: every score within ±epsilon with probability 1 - delta; null when exact. */
  errorBound: ErrorBound | null;
  at: string;
}

export interface RankedRow extends ScoredEntity {
  /** Rank among the shown types; equal scores (within 1e-9, as the server ranks) share the better rank. */
  rank: number;
}

const cache = new WeakMap<RankingRun, Map<string, RankedRow[]>>();

/** The run's entities of the given types (default: the spec's), ranked among themselves, best first. */
export function rankedRows(run: RankingRun, types: readonly EntityType[] = run.spec.types): RankedRow[] {
  const key = types.join(',');
  const byTypes = cache.get(run) ?? new Map<string, RankedRow[]>();
  cache.set(run, byTypes);
  const hit = byTypes.get(key);
  if (hit) return hit;
  const keep = types.length ? new Set<string>(types) : null;
  const shown = run.scores.filter((s) => !keep || (s.type !== null && keep.has(s.type)));
  const sorted = [...shown].sort((a, b) => (Math.abs(b.score - a.score) <= 1e-9 ? 0 : b.score - a.score));
  const rows: RankedRow[] = [];
  sorted.forEach((s, i) => {
    const prev = rows[i - 1];
    const tied = prev && Math.abs(prev.score - s.score) <= 1e-9;
    rows.push({ ...s, rank: tied ? prev.rank : i + 1 });
  });
  byTypes.set(key, rows);
  return rows;
}

/** An entity's row in the run's ranking, or null when it was not ranked (not in the network or not shown). */
export function rowOf(run: RankingRun, id: string): RankedRow | null {
  return rankedRows(run).find((r) => r.id === id) ?? null;
}

/** The run's scores by id, for sizing the nodes on the chart. */
export function scoresById(run: RankingRun, keep?: (id: string) => boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of run.scores) if (!keep || keep(s.id)) out[s.id] = s.score;
  return out;
}

/** What made the scores stale, in words; empty when they still hold. */
export function staleReasons(
  run: RankingRun,
  now: { graphVersion: number; filterKey: string; dataVersion: number | null },
): string[] {
  const out: string[] = [];
  if (run.spec.scope === 'chart' && now.graphVersion !== run.graphVersion)
    out.push('the chart has changed since');
  if (now.filterKey !== run.filterKey) out.push('the filters have changed since');
  if (now.dataVersion !== null && run.facts.dataVersion !== null && now.dataVersion !== run.facts.dataVersion)
    out.push('the store has changed since');
  return out;
}

/** A value as every screen prints it: whole numbers as they are, small fractions to 4 places. */
export function formatScore(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 10 ? v.toFixed(4) : v.toFixed(1);
}
