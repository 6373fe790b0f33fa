// From how many links a whole-store analysis on Neo4j runs in Graph Data Science rather than in the server, per
// metric: the crossover bench (bench/suites/21-gds-crossover.ts, quiet machine, 2 cores) found GDS's end-to-end
// time over the server's (pull the view, build, run) at 10k / 50k / 200k links to be PageRank 1.86x / 0.56x /
// 0.34x, Louvain 4.07x / 2.96x / 0.82x and components 0.70x / 0.39x / 0.21x. Exact betweenness took 312 s in
// GDS against the server's 124 s on a 100k-node view, so it goes to GDS only past the server's load bound.
// Degree, weighted degree and core numbers are single linear passes like components, where reading the view
// out of Neo4j is the server's whole cost (by analogy with components, not measured on their own).
import type { GdsMetric } from '../store/neo4j/gds.ts';

/** The analyses the app can send to GDS: its metrics, and Louvain communities. */
export type GdsJobMetric = GdsMetric | 'communities';

export const GDS_JOB_METRICS: readonly GdsJobMetric[] = [
  'degree',
  'weightedDegree',
  'pagerank',
  'betweenness',
  'coreNumber',
  'communities',
];

/** Links from which each metric runs in GDS by default; null: never by size (only past the load bound). */
export const GDS_FROM_LINKS_DEFAULTS: Readonly<Record<GdsJobMetric, number | null>> = {
  pagerank: 50_000,
  communities: 200_000,
  degree: 10_000,
  weightedDegree: 10_000,
  coreNumber: 10_000,
  betweenness: null,
};

/** The environment variable of each metric's threshold (a whole number of links, or `never`). */
export const GDS_FROM_LINKS_VARIABLES: Readonly<Record<GdsJobMetric, string>> = {
  pagerank: 'LINKCHART_GDS_FROM_LINKS_PAGERANK',
  communities: 'LINKCHART_GDS_FROM_LINKS_LOUVAIN',
  degree: 'LINKCHART_GDS_FROM_LINKS_DEGREE',
  weightedDegree: 'LINKCHART_GDS_FROM_LINKS_WEIGHTED_DEGREE',
  coreNumber: 'LINKCHART_GDS_FROM_LINKS_CORE_NUMBER',
  betweenness: 'LINKCHART_GDS_FROM_LINKS_BETWEENNESS',
};

/** Each metric's threshold as configured: null is "never by size". */
export type GdsThresholds = Partial<Record<GdsJobMetric, number | null>>;

/**
 * The threshold in force for `metric`: its own setting, else the one setting for every metric
 * (LINKCHART_GDS_FROM_LINKS) when given, else the measured default. Infinity: never by size.
 */
export function gdsFromLinksFor(
  metric: string,
  limits: { gdsFromLinks?: number | null; gdsFromLinksByMetric?: GdsThresholds },
): number {
  if (!(GDS_JOB_METRICS as readonly string[]).includes(metric)) return Infinity;
  const m = metric as GdsJobMetric;
  const own = limits.gdsFromLinksByMetric?.[m];
  const v =
    own !== undefined
      ? own
      : limits.gdsFromLinks !== undefined && limits.gdsFromLinks !== null
        ? limits.gdsFromLinks
        : GDS_FROM_LINKS_DEFAULTS[m];
  return v === null ? Infinity : v;
}

/**
 * The per-metric settings read from the environment; a bad value throws naming its variable (config.ts turns
 * it into the start-up error).
 */
export function readGdsThresholds(env: NodeJS.ProcessEnv): GdsThresholds {
  const out: GdsThresholds = {};
  for (const m of GDS_JOB_METRICS) {
    const name = GDS_FROM_LINKS_VARIABLES[m];
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    if (raw.toLowerCase() === 'never') {
      out[m] = null;
      continue;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000_000)
      throw new RangeError(
        `${name}=${JSON.stringify(raw)} is not a whole number of links from 1 to 1000000000, nor "never"`,
      );
    out[m] = n;
  }
  return out;
}
