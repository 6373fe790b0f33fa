// What the exports carry of the current ranking: the briefing's top table (the Ranks tab's own rows), the
// analysis record stating what was actually computed, and the scores a data export writes. All three read
// the one ranking, so the PDF, the CSV and the screen show the same value for the same entity.
import { accuracyRecord } from '../../../server/analysis/bound-words.ts';
import { describeBound, formatScore, rankedRows, type ErrorBound, type RankingRun } from './ranking.ts';
import { describeSpec, measureLabel, networkInWords, typesInWords } from './spec.ts';

const TOP = 10;

export function briefingTop(run: RankingRun | null): {
  title: string | null;
  rows: Array<{ id: string; rank: number; label: string; type: string; value: number }>;
} {
  if (!run) return { title: null, rows: [] };
  const scope = run.spec.scope === 'chart' ? 'on the chart' : 'whole view';
  return {
    title: `${measureLabel(run.metric)} (${typesInWords(run.spec.types)}, ${scope})`,
    rows: rankedRows(run)
      .slice(0, TOP)
      .map((r) => ({ id: r.id, rank: r.rank, label: r.label, type: r.type ?? '', value: r.score })),
  };
}

/** The analysis record's lines about the ranking, in words and as parameters. */
export function analysisRecord(run: RankingRun | null, communities: boolean): Record<string, unknown> {
  if (!run)
    return {
      Measure: 'none run',
      Communities: communities ? 'Louvain, seed 1, over the chart' : 'not computed',
    };
  return {
    Measure: `${measureLabel(run.metric)} (${run.metric})`,
    // The server words these again from Parameters.errorBound for the PDF (routes/briefing.ts).
    ...accuracyRecord(run.errorBound),
    'Computed over': describeSpec(run.spec, run.facts),
    Network: networkInWords(run.spec),
    'Ranked among': typesInWords(run.spec.types),
    Parameters: parameters(run),
    'Computed at': `${run.at} (data version ${run.facts.dataVersion ?? 'unknown'})`,
    'Top table': `the ${TOP} best of ${rankedRows(run).length} ranked; values to 4 places (${formatScore(rankedRows(run)[0]?.score ?? 0)} for #1)`,
    Communities: communities
      ? `Louvain, seed 1, over the chart's entities in the ${networkInWords(run.spec)}`
      : 'not computed',
  };
}

function parameters(run: RankingRun): Record<string, unknown> {
  return {
    metric: run.metric,
    scope:
      run.spec.scope === 'chart'
        ? `the ${run.chartEntities ?? '?'} entities on the chart`
        : 'the whole filtered view',
    foldPhones: run.spec.foldPhones,
    personVia: run.spec.personVia,
    grading: run.spec.grading,
    weighted: run.spec.weighted,
    directed: false,
    rankedAmong: run.spec.types,
    entities: run.facts.nodes,
    links: run.facts.links,
    exact: run.errorBound === null,
    ...(run.errorBound
      ? {
          errorBound: boundParameters(run.errorBound),
          accuracy: describeBound(run.errorBound),
        }
      : {}),
  };
}

/** The bound's figures an export carries (the server words them again from these: export/collect.ts). */
function boundParameters(b: ErrorBound): Record<string, unknown> {
  const out: Record<string, unknown> = { epsilon: b.epsilon, delta: b.delta, samples: b.samples };
  for (const k of ['pivots', 'stoppedBy', 'topK', 'topKCertain', 'topKRelative'] as const)
    if (b[k] !== undefined && b[k] !== null) out[k] = b[k];
  return out;
}

/** The ranking's scores for the exported entities, with the parameters that made them. */
export function exportedScores(
  run: RankingRun | null,
  ids: ReadonlySet<string>,
): { metric: string; values: Record<string, number>; parameters: Record<string, unknown> } | null {
  if (!run) return null;
  const values: Record<string, number> = {};
  for (const s of run.scores) if (ids.has(s.id)) values[s.id] = s.score;
  return {
    metric: run.metric,
    values,
    parameters: { ...parameters(run), description: describeSpec(run.spec, run.facts) },
  };
}
