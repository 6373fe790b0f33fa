// What a ranking is computed over, in one object: which entities (the chart's, or the whole filtered view),
// the person network (phones folded into their users, people joined through shared things), weighted or
// not, grading, and the measure. Every score the app shows carries the spec it came from, and every screen
// says it in words with `describeSpec`, so a number is never shown without what made it.
import type { EntityType, ViewFilter } from '@domain/model.ts';

export const MEASURES = [
  { id: 'degree', label: 'Degree', weighted: 'weightedDegree' },
  { id: 'betweenness', label: 'Betweenness', weighted: 'betweennessWeighted' },
  { id: 'closeness', label: 'Closeness', weighted: 'closenessWeighted' },
  { id: 'harmonic', label: 'Harmonic closeness', weighted: 'harmonicWeighted' },
  { id: 'eigenvector', label: 'Eigenvector', weighted: 'eigenvectorWeighted' },
  // PageRank always follows link strengths (as networkx's does); k-core counts links once.
  { id: 'pagerank', label: 'PageRank', weighted: 'pagerank' },
  { id: 'coreNumber', label: 'k-core', weighted: 'coreNumber' },
] as const;
export type Measure = (typeof MEASURES)[number]['id'];

export type SharedThing = 'Vehicle' | 'Location' | 'Event';

export interface AnalysisSpec {
  /** 'chart': the entities on the chart and the links between them; 'view': the whole filtered store. */
  scope: 'chart' | 'view';
  measure: Measure;
  /** Link strengths (call counts, shared items) shorten paths and add to degree. */
  weighted: boolean;
  /** Phones folded into the people who use them. */
  foldPhones: boolean;
  /** People who share one of these are linked directly, one unit of strength per shared thing. */
  personVia: SharedThing[];
  /** Weak intelligence counts for less (1A = 1 ... 3E = 0.03). */
  grading: 'ignore' | 'weight';
  /** Entity types ranked and shown; empty: all. Ranks count among these only. */
  types: EntityType[];
}

/** "Who matters" is asked of people: the person network, ranked among people. */
export const PEOPLE_FIRST: AnalysisSpec = {
  scope: 'view',
  measure: 'betweenness',
  weighted: false,
  foldPhones: true,
  personVia: [],
  grading: 'ignore',
  types: ['Person'],
};

/** The server's metric name for a spec. */
export function metricName(s: Pick<AnalysisSpec, 'measure' | 'weighted'>): string {
  const m = MEASURES.find((x) => x.id === s.measure)!;
  return s.weighted ? m.weighted : m.id;
}

export function measureLabel(m: string): string {
  const base = MEASURES.find((x) => x.id === m || x.weighted === m);
  return base ? base.label : m;
}

/** The view options the server's engine takes (server/analysis/view.ts viewOptionsSchema). */
export function viewOptions(s: AnalysisSpec, filter: ViewFilter) {
  return {
    filter,
    projection: { foldPhones: s.foldPhones, personVia: s.personVia, maxSharers: 200 },
    grading: s.grading,
    directed: false,
  };
}

const plural = (t: string) =>
  t === 'Person' ? 'people' : t.endsWith('y') ? `${t.slice(0, -1)}ies` : `${t}s`;

export function typesInWords(types: readonly EntityType[]): string {
  if (!types.length) return 'all entity types';
  return types.map((t) => plural(t).toLowerCase()).join(', ');
}

/** The network a spec analyses, in an analyst's words. */
export function networkInWords(s: AnalysisSpec): string {
  const parts: string[] = [];
  if (s.foldPhones || s.personVia.length) {
    const via = [
      ...(s.foldPhones ? ['phones folded into the people who use them'] : []),
      ...(s.personVia.length
        ? [`people joined through shared ${s.personVia.map((t) => plural(t).toLowerCase()).join(' or ')}`]
        : []),
    ];
    parts.push(`person network (${via.join('; ')})`);
  } else parts.push('entity network (phones as entities)');
  parts.push('undirected');
  parts.push(
    s.weighted || s.measure === 'pagerank'
      ? 'weighted by link strength (calls, shared items)'
      : 'unweighted (each link counts once)',
  );
  parts.push(s.grading === 'weight' ? 'weak intelligence down-weighted by grading' : 'grading not applied');
  return parts.join(', ');
}

export interface RunFacts {
  /** Entities and links in the analysed network (after folding). */
  nodes: number;
  links: number;
  /** Filters in words. */
  filters: string;
  dataVersion: number | null;
}

/** One sentence naming the measure, the entities, the network and the filters. */
export function describeSpec(s: AnalysisSpec, facts?: RunFacts): string {
  const over =
    s.scope === 'chart'
      ? `the entities on the chart and the links between them`
      : `the whole filtered view on the server`;
  const folded = s.foldPhones || s.personVia.length ? ' after folding' : '';
  const size = facts ? ` (${facts.nodes} entities, ${facts.links} links${folded})` : '';
  const filters = facts?.filters ? `; filters: ${facts.filters}` : '';
  return (
    `${measureLabel(metricName(s))} over ${over}${size}; ${networkInWords(s)}; ` +
    `ranked among ${typesInWords(s.types)}${filters}.`
  );
}

/** Why two rankings disagree, named by what differs between their specs; empty when they are the same. */
export function whyDiffer(a: AnalysisSpec, b: AnalysisSpec): string[] {
  const out: string[] = [];
  if (a.scope !== b.scope)
    out.push(
      'one ranks only the entities on the chart, the other the whole view (paths run through more people)',
    );
  if (a.measure !== b.measure) out.push('they use different measures');
  if (a.weighted !== b.weighted) out.push('one follows link strengths, the other counts each link once');
  if (a.foldPhones !== b.foldPhones)
    out.push('one folds phones into their users, the other keeps phones as entities');
  if (a.personVia.join() !== b.personVia.join()) out.push('they join people through different shared things');
  if (a.grading !== b.grading) out.push('one down-weights weak intelligence, the other does not');
  if (a.types.join() !== b.types.join()) out.push('they rank among different entity types');
  return out;
}

export function sameSpec(a: AnalysisSpec, b: AnalysisSpec): boolean {
  return whyDiffer(a, b).length === 0;
}
