// Whole-graph metrics inside Neo4j with Graph Data Science, for views too large to pull into the server:
// the view is projected (cypher/queries/gds-project.cypher: undirected, links between two entities summed
// into one relationship, as the server's CSR does), the algorithm streams its scores, and the projection is
// dropped. Scores are returned by entity id, on the same scale as the server's analysis:
// - PageRank: GDS leaves dangling rank undistributed and does not normalise; with a uniform teleport both
//   variants solve the same linear system up to a constant factor, so L1-normalising GDS's scores gives
//   networkx's (and server/analysis/pagerank.ts's) values.
// - Betweenness: on an undirected graph GDS counts each unordered pair once, as networkx does; `normalized`
//   divides by the number of pairs (n-1)(n-2)/2, as networkx does.
// - Louvain: labels differ between implementations; compare partitions by their modularity.
import { randomUUID } from 'node:crypto';
import type { ViewFilter } from '../../domain/model.ts';
import { checkFilter, filtersLinks } from '../shared/view-filter.ts';
import type { Tx } from './executor.ts';
import { filterParams } from './query-params.ts';
import type { Neo4jStores } from './stores.ts';

/** What GDS needs of the stores: the schema applied, and the executor to run its queries on. */
export type GdsTarget = Pick<Neo4jStores, 'init' | 'exec'>;

export interface GdsViewOptions {
  filter?: ViewFilter;
  /** Phones folded into their users, as the server's view folds them (cypher/queries/gds-project-folded.cypher). */
  foldPhones?: boolean;
  /** Use link strengths (PageRank, Louvain). Default true. */
  weighted?: boolean;
}

export interface GdsPageRankOptions extends GdsViewOptions {
  alpha?: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface GdsBetweennessOptions extends GdsViewOptions {
  /** Divide by the number of pairs, like networkx. Default true. */
  normalized?: boolean;
}

export interface GdsProjection {
  nodes: number;
  relationships: number;
}

async function withProjection<T>(
  stores: GdsTarget,
  opts: GdsViewOptions,
  run: (tx: Tx, name: string, p: GdsProjection) => Promise<T>,
): Promise<T> {
  const filter = checkFilter(opts.filter);
  const name = `linkchart-${randomUUID()}`;
  await stores.init();
  try {
    return await stores.exec.read(async (tx) => {
      // A retried transaction must not find its own projection from the failed attempt.
      await tx.run('gds-drop', { name });
      const r = (await tx.one(opts.foldPhones ? 'gds-project-folded' : 'gds-project', {
        name,
        ...filterParams(filter),
        types: filter.entityTypes ?? null,
        // A view naming operations is projected from their facts alone (need-to-know).
        ops: filter.operations ?? null,
        // As the store's subgraph(): every entity of the types, unless the filter restricts links.
        allNodes: !filtersLinks(filter),
      }))!;
      // An undirected projection counts each pair in both directions; the server counts it once.
      return run(tx, name, { nodes: r.nodes as number, relationships: (r.rels as number) / 2 });
    });
  } finally {
    await stores.exec.read((tx) => tx.run('gds-drop', { name })).catch(() => undefined);
  }
}

export async function gdsPageRank(
  stores: GdsTarget,
  opts: GdsPageRankOptions = {},
): Promise<Map<string, number>> {
  return withProjection(stores, opts, async (tx, name, p) => {
    if (p.nodes === 0) return new Map();
    const rows = await tx.run('gds-pagerank', {
      name,
      alpha: opts.alpha ?? 0.85,
      maxIterations: opts.maxIterations ?? 1000,
      tolerance: opts.tolerance ?? 1e-10,
      weight: opts.weighted === false ? null : 'weight',
    });
    const sum = rows.reduce((s, r) => s + (r.score as number), 0);
    return new Map(rows.map((r) => [r.id as string, (r.score as number) / sum]));
  });
}

export async function gdsBetweenness(
  stores: GdsTarget,
  opts: GdsBetweennessOptions = {},
): Promise<Map<string, number>> {
  return withProjection(stores, opts, async (tx, name, p) => {
    const n = p.nodes;
    const rows = await tx.run('gds-betweenness', { name });
    const scale = opts.normalized === false || n < 3 ? 1 : 2 / ((n - 1) * (n - 2));
    return new Map(rows.map((r) => [r.id as string, (r.score as number) * scale]));
  });
}

export async function gdsLouvain(stores: GdsTarget, opts: GdsViewOptions = {}): Promise<Map<string, number>> {
  return withProjection(stores, opts, async (tx, name, p) => {
    if (p.nodes === 0) return new Map();
    const rows = await tx.run('gds-louvain', { name, weight: opts.weighted === false ? null : 'weight' });
    return new Map(rows.map((r) => [r.id as string, r.community as number]));
  });
}

export async function gdsComponents(
  stores: GdsTarget,
  opts: GdsViewOptions = {},
): Promise<Map<string, number>> {
  return withProjection(stores, opts, async (tx, name, p) => {
    if (p.nodes === 0) return new Map();
    const rows = await tx.run('gds-wcc', { name });
    return new Map(rows.map((r) => [r.id as string, r.component as number]));
  });
}

/** One entity's row of a GDS answer: its score (or community) with what the ranking shows of it. */
export interface GdsRow {
  id: string;
  label: string;
  type: string;
  value: number;
}

/** Metrics GDS computes as the server does (same definition and scale) over a projected view. */
export const GDS_METRICS = ['degree', 'weightedDegree', 'pagerank', 'betweenness', 'coreNumber'] as const;
export type GdsMetric = (typeof GDS_METRICS)[number];

/**
 * One metric over the view, in the database: the projection, the algorithm, the rows streamed back, the
 * projection dropped. Scores are on the server's scale (PageRank L1-normalised, betweenness normalised as
 * networkx does).
 */
export async function gdsMetric(
  stores: GdsTarget,
  metric: GdsMetric,
  opts: GdsViewOptions = {},
): Promise<{ projection: GdsProjection; rows: GdsRow[] }> {
  return withProjection(stores, opts, async (tx, name, p) => {
    if (p.nodes === 0) return { projection: p, rows: [] };
    const rows =
      metric === 'pagerank'
        ? await tx.run('gds-pagerank', {
            name,
            alpha: 0.85,
            maxIterations: 1000,
            tolerance: 1e-10,
            weight: opts.weighted === false ? null : 'weight',
          })
        : metric === 'betweenness'
          ? await tx.run('gds-betweenness', { name })
          : metric === 'coreNumber'
            ? await tx.run('gds-kcore', { name })
            : await tx.run('gds-degree', { name, weight: metric === 'weightedDegree' ? 'weight' : null });
    const n = p.nodes;
    let scale = 1;
    if (metric === 'pagerank') scale = 1 / rows.reduce((s, r) => s + (r.score as number), 0);
    if (metric === 'betweenness') scale = n < 3 ? 1 : 2 / ((n - 1) * (n - 2));
    return {
      projection: p,
      rows: rows.map((r) => ({
        id: r.id as string,
        label: r.label as string,
        type: r.type as string,
        value: (r.score as number) * scale,
      })),
    };
  });
}

/** Louvain in the database: each entity's community and the partition's modularity. */
export async function gdsCommunities(
  stores: GdsTarget,
  opts: GdsViewOptions = {},
): Promise<{ projection: GdsProjection; modularity: number; count: number; rows: GdsRow[] }> {
  return withProjection(stores, opts, async (tx, name, p) => {
    if (p.nodes === 0) return { projection: p, modularity: 0, count: 0, rows: [] };
    const m = (await tx.one('gds-louvain-mutate', {
      name,
      weight: opts.weighted === false ? null : 'weight',
    }))!;
    const rows = await tx.run('gds-communities', { name });
    return {
      projection: p,
      modularity: m.modularity as number,
      count: Number(m.communityCount),
      rows: rows.map((r) => ({
        id: r.id as string,
        label: r.label as string,
        type: r.type as string,
        value: Number(r.community),
      })),
    };
  });
}

/** The GDS version the server runs, or null when the plugin is missing. */
export async function gdsVersion(stores: GdsTarget): Promise<string | null> {
  try {
    return ((await stores.exec.read((tx) => tx.one('gds-version')))?.version as string) ?? null;
  } catch {
    return null;
  }
}
