// How the chart looks: what sizes nodes and what colours them. Metric values live here (keyed by node id)
// so that sizing and the rankings table read the same numbers.
export type ColourBy = 'type' | 'community';

export interface AppearanceState {
  /** Name of a metric in `metrics`, or null for uniform size. */
  sizeBy: string | null;
  colourBy: ColourBy;
  showLabels: boolean;
  /** Metric name -> node id -> value. */
  metrics: Record<string, Record<string, number>>;
  /** Node id -> community number (from the last community run). */
  communities: Record<string, number> | null;
}

export const DEFAULT_APPEARANCE: AppearanceState = {
  sizeBy: null,
  colourBy: 'type',
  showLabels: true,
  metrics: {},
  communities: null,
};

export function setMetric(a: AppearanceState, name: string, values: Record<string, number>): AppearanceState {
  return { ...a, metrics: { ...a.metrics, [name]: values }, sizeBy: name };
}

export function setCommunities(a: AppearanceState, c: Record<string, number>): AppearanceState {
  return { ...a, communities: c, colourBy: 'community' };
}

export function setSizeBy(a: AppearanceState, name: string | null): AppearanceState {
  return { ...a, sizeBy: name };
}
export function setColourBy(a: AppearanceState, c: ColourBy): AppearanceState {
  return { ...a, colourBy: c };
}

export interface RankRow {
  id: string;
  value: number;
  rank: number;
}

/** Rows of a metric sorted by value (descending by default), with 1-based ranks (ties share a rank). */
export function rankRows(values: Record<string, number>, descending = true): RankRow[] {
  const rows = Object.entries(values)
    .filter(([, v]) => Number.isFinite(v))
    .map(([id, value]) => ({ id, value, rank: 0 }));
  rows.sort((a, b) => (descending ? b.value - a.value : a.value - b.value) || a.id.localeCompare(b.id));
  const byDesc = [...rows].sort((a, b) => b.value - a.value);
  const rankOf = new Map<number, number>();
  byDesc.forEach((r, i) => {
    if (!rankOf.has(r.value)) rankOf.set(r.value, i + 1);
  });
  for (const r of rows) r.rank = rankOf.get(r.value)!;
  return rows;
}

/**
 * A metric's value as the Ranks table shows it: counts (degree, component sizes) as whole numbers, small
 * fractions (betweenness, PageRank) to four places, larger values to one.
 */
export function formatMetric(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 10 ? v.toFixed(4) : v.toFixed(1);
}

/** Community id -> member ids, largest first. */
export function communityGroups(c: Record<string, number>): Array<{ community: number; members: string[] }> {
  const m = new Map<number, string[]>();
  for (const [id, k] of Object.entries(c)) {
    const l = m.get(k) ?? [];
    l.push(id);
    m.set(k, l);
  }
  return [...m.entries()]
    .map(([community, members]) => ({ community, members }))
    .sort((a, b) => b.members.length - a.members.length || a.community - b.community);
}
