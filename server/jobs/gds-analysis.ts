// Analyses run inside Neo4j with Graph Data Science, for views the server should not load: on the Neo4j store,
// a view holding more links than the server's analysis bound (LINKCHART_MAX_ANALYSIS_LINKS), or the whole
// store from the metric's measured crossover (jobs/gds-thresholds.ts: PageRank from 50k links, Louvain from
// 200k, degree and core numbers from 10k, exact betweenness never by size), is projected in the database with
// exactly the view's filter (server/store/neo4j/gds.ts) and the metric runs there, with the same result shape,
// scale and ranking rule as the server's.
//
// GDS runs what it computes the way the server does: degree, weighted degree, PageRank, exact betweenness (hop
// counts), core numbers and Louvain communities, on the entity network or with phones folded into their users.
// Weighted paths (betweennessWeighted, closeness...), people joined through shared things, grading and recency
// weights and time windows stay in the server: the job then says why it cannot run.
import type { ViewOptions } from '../analysis/view.ts';
import { viewOptionsSchema } from '../analysis/view.ts';
import {
  gdsCommunities,
  gdsMetric,
  gdsVersion,
  GDS_METRICS,
  type GdsMetric,
  type GdsRow,
  type GdsTarget,
} from '../store/neo4j/gds.ts';
import { rankByScore } from '../analysis/registry.ts';
import type { JobRequest } from './job-types.ts';
import type { RemoteComputation } from './job-manager.ts';

/** Whether GDS can run this request over this view exactly as the server would, and if not, why not. */
export function gdsCanRun(request: JobRequest, view: ViewOptions): { ok: true } | { ok: false; why: string } {
  const o = viewOptionsSchema.parse(view);
  if (request.kind !== 'metric') return { ok: false, why: `a ${request.kind} runs only in the server` };
  const metric = request.metric;
  if (metric !== 'communities' && !(GDS_METRICS as readonly string[]).includes(metric))
    return { ok: false, why: `${metric} runs only in the server` };
  if (metric === 'betweenness' && request.k !== null)
    return { ok: false, why: 'sampled betweenness (k pivots) runs only in the server' };
  if (o.projection.personVia.length > 0)
    return { ok: false, why: 'people joined through shared things are projected only in the server' };
  if (o.grading !== 'ignore' || o.halfLifeDays !== undefined)
    return { ok: false, why: 'grading and recency weights are applied only in the server' };
  if (o.filter.from || o.filter.to)
    return { ok: false, why: 'a time window (calls counted inside it) is applied only in the server' };
  if (o.directed) return { ok: false, why: 'directed views run only in the server' };
  if (o.filter.minGrading && o.filter.operations)
    return {
      ok: false,
      why: 'a minimum grading within chosen operations (shared links graded by their reports) is applied only in the server',
    };
  return { ok: true };
}

/**
 * GDS's rows ranked by the server's rule (registry.ts rankByScore), ties going to the earlier node of the view:
 * the view's order is entity creation order, and ids are e1, e2 … in that order.
 */
export function rankGdsRows(
  rows: GdsRow[],
): Array<{ id: string; label: string; score: number; rank: number; type: string }> {
  const order = (id: string) => Number(id.replace(/^\D+/, '')) || 0;
  const inView = [...rows].sort((a, b) => order(a.id) - order(b.id));
  return rankByScore(
    inView.map((r) => r.id),
    inView.map((r) => r.value),
  ).map((r) => {
    const row = inView[r.index];
    return { id: r.id, label: row.label, score: r.score, rank: r.rank, type: row.type };
  });
}

/**
 * The request as a computation in the database. Fails with the analyst's words when the plugin is missing,
 * so the job says what to install instead of "procedure not found".
 */
export function gdsComputation(
  stores: GdsTarget,
  request: JobRequest,
  view: ViewOptions,
  why: string,
): RemoteComputation {
  const o = viewOptionsSchema.parse(view);
  const opts = { filter: o.filter, foldPhones: o.projection.foldPhones };
  return {
    async run(progress) {
      progress(0, 'checking Graph Data Science');
      const version = await gdsVersion(stores);
      if (!version)
        throw new Error(
          `${why}, and the Graph Data Science plugin is not installed in this Neo4j, so it cannot be analysed ` +
            'in the database either. Install the open GDS plugin (cypher/server/neo4j.sh does) or narrow the view',
        );
      if (request.kind !== 'metric') throw new Error(`gds: a ${request.kind} runs only in the server`);
      const notes = [
        `${why}: computed in Neo4j Graph Data Science ${version}`,
        ...(o.projection.foldPhones ? ['phones folded into their users (in the database)'] : []),
      ];
      progress(10, `${request.metric} in Graph Data Science`);
      if (request.metric === 'communities') {
        const c = await gdsCommunities(stores, opts);
        return {
          nodes: c.projection.nodes,
          links: c.projection.relationships,
          result: {
            metric: 'communities',
            modularity: c.modularity,
            count: c.count,
            nodes: c.rows.map((r) => ({ id: r.id, label: r.label, community: r.value })),
            engine: 'gds',
            view: { nodes: c.projection.nodes, links: c.projection.relationships, notes },
          },
        };
      }
      const r = await gdsMetric(stores, request.metric as GdsMetric, opts);
      return {
        nodes: r.projection.nodes,
        links: r.projection.relationships,
        result: {
          metric: request.metric,
          errorBound: null,
          engine: 'gds',
          scores: rankGdsRows(r.rows),
          view: { nodes: r.projection.nodes, links: r.projection.relationships, notes },
        },
      };
    },
  };
}
