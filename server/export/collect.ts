// Gathers what an export writes: the entities and links of a view, a saved chart or a list of entities,
// each with its grading, handling code (C items carry their conditions), report refs and chart position,
// and the analysis record that lets the same picture be reproduced and reviewed later.
import type { Entity, Grading, Link, Report, ViewFilter } from '../domain/model.ts';
import { bestGrading, formatGrading } from '../domain/grading.ts';
import type { ReadScope } from '../domain/operations.ts';
import type { GraphStore } from '../store/graph-store.ts';
import type { Stores } from '../store/stores.ts';
import type { WorkspaceStore } from '../store/workspace-store.ts';
import { chartStateSchema } from '../api-types/graph.ts';
import type { AnalysisRecord, ExportRequest } from '../api-types/exports.ts';
import { exportRequestSchema } from '../api-types/exports.ts';
import { SOFTWARE_NAME, SOFTWARE_VERSION } from '../config.ts';
import { accuracyRecord, describeSampledBound, isBoundLike } from '../analysis/bound-words.ts';
import { ApiError } from '../routes/errors.ts';
import { judgeDisclosure, type CarriedItem, type Disclosure } from '../security/handling.ts';

export interface Marking {
  /** Best grading of the reports behind it, e.g. '2B', or 'ungraded'. */
  grade: string;
  handling: 'P' | 'C' | null;
  conditions: string | null;
  reports: string[];
}
export interface ExportNode extends Entity, Marking {
  x: number | null;
  y: number | null;
  score: number | null;
}
export interface ExportLink extends Link, Marking {}

export interface ExportData {
  /** Every handling-C report the export rests on (for the confirmation the security layer asks for). */
  conditionalReports: Array<Pick<Report, 'ref' | 'handling' | 'conditions'>>;
  /**
   * The disclosure check's answer over everything the file carries (server/security/handling.ts): the
   * route gates on it (authoriseDisclosure) and the record's handling note is its statement.
   */
  disclosure: Disclosure;
  nodes: ExportNode[];
  links: ExportLink[];
  record: AnalysisRecord;
  metric: string | null;
}

function marking(reports: Report[], own: Grading | null = null): Marking {
  let g: Grading | null = own;
  for (const r of reports) g = bestGrading(g, { source: r.source, intel: r.intel });
  const conditional = reports.filter((r) => r.handling === 'C');
  return {
    grade: formatGrading(g),
    handling: reports.length === 0 ? null : conditional.length ? 'C' : 'P',
    conditions: conditional.length
      ? [...new Set(conditional.map((r) => `${r.ref}: ${r.conditions ?? ''}`))].join('; ')
      : null,
    reports: reports.map((r) => r.ref),
  };
}

/**
 * The parameters of the ranking behind the export, with a sampled ranking's accuracy worded here from its
 * bound (analysis/bound-words.ts, the words the Ranks panel shows), whatever words the request carried.
 */
export function withAccuracyWords(parameters: Record<string, unknown>): Record<string, unknown> {
  const bound = parameters.errorBound;
  if (!isBoundLike(bound)) return parameters;
  const words = describeSampledBound(bound);
  return { ...parameters, accuracy: words.headline, accuracyExplained: words.detail };
}

/**
 * A briefing's analysis record (name-value pairs from the web app) with its accuracy lines worded here
 * from the ranking's bound (`Parameters.errorBound`), so the PDF says what the Ranks panel says.
 */
export function withAccuracyRecord(record: Record<string, unknown>): Record<string, unknown> {
  const params = record['Parameters'];
  const bound =
    typeof params === 'object' && params !== null
      ? (params as Record<string, unknown>).errorBound
      : undefined;
  if (!isBoundLike(bound)) return record;
  return { ...record, ...accuracyRecord(bound) };
}

export interface CollectOptions {
  actor: string;
  /**
   * What the export may read (need-to-know: the request's scope, routes/context.ts). Absent: 'all', for
   * the system's own exports (CLI, tests of the writers), never a user's request.
   */
  scope?: ReadScope;
  /** The markings of the operations in scope (`OP <REF> · <name> · OPEN|CLOSED`), for the record. */
  operations?: string[];
  /** Most links an export may hold. */
  maxLinks: number;
}

/** The aggregates an export reads: the graph, and the workspace for a saved chart. */
export type ExportStores = Pick<Stores, 'graph' | 'workspace' | 'readerPath'>;

export interface ExportSource {
  filter: ViewFilter;
  positions: Record<string, { x: number; y: number }>;
  /** The entities asked for (a chart's or a list), or null for the whole view. */
  ids: string[] | null;
  source: AnalysisRecord['source'];
}

/** What the request names: a view, a saved chart (its nodes, positions and filter) or a list of entities. */
export async function resolveSource(workspace: WorkspaceStore, req: ExportRequest): Promise<ExportSource> {
  let filter: ViewFilter = req.view ?? {};
  let positions: Record<string, { x: number; y: number }> = req.positions ?? {};
  let ids: string[] | null = req.entityIds ?? null;
  let source: AnalysisRecord['source'] = { kind: 'view', filter };
  if (req.chartId) {
    const chart = await workspace.getChart(req.chartId);
    if (!chart) throw new ApiError(404, 'not_found', `no chart with id ${JSON.stringify(req.chartId)}`);
    const state = chartStateSchema.safeParse(chart.state);
    if (state.success) {
      positions = state.data.positions ?? {};
      if (!req.view && state.data.filter) filter = state.data.filter;
      ids = state.data.nodes ?? (Object.keys(positions).length ? Object.keys(positions) : ids);
    }
    source = { kind: 'chart', chartId: chart.id, chartName: chart.name, filter };
  } else if (ids) {
    source = { kind: 'entities', filter };
  }
  return { filter, positions, ids, source };
}

/** The entities and the links among them, within the server's cap on links. */
async function gatherGraph(
  graph: GraphStore,
  { filter, ids }: ExportSource,
  maxLinks: number,
): Promise<{ entities: Entity[]; links: Link[] }> {
  let entities: Entity[];
  let links: Link[];
  const narrow = 'narrow it with entity or link types, a time window, a minimum grading, or export a chart';
  if (ids) {
    const unique = [...new Set(ids)];
    entities = await graph.getEntities(unique);
    const keep = new Set(entities.map((e) => e.id));
    const sub = unique.length
      ? await graph.neighbourhood([...keep], { hops: 1, filter, limit: Math.max(keep.size * 50, 10_000) })
      : { links: [] as Link[] };
    const seen = new Set<string>();
    links = sub.links.filter(
      (l) => keep.has(l.from) && keep.has(l.to) && !seen.has(l.id) && (seen.add(l.id), true),
    );
  } else {
    const sub = await graph.subgraph(filter, { limit: maxLinks });
    if (sub.truncated) {
      throw new ApiError(
        400,
        'limit',
        `this export holds more than ${maxLinks} links (the server's cap); ${narrow}`,
      );
    }
    entities = sub.nodes;
    links = sub.links;
  }
  if (links.length > maxLinks) {
    throw new ApiError(
      400,
      'limit',
      `this export holds ${links.length} links, above the server's cap of ${maxLinks}; ${narrow}`,
    );
  }
  return { entities, links };
}

export async function collectExport(
  stores: ExportStores,
  raw: ExportRequest,
  opts: CollectOptions,
): Promise<ExportData> {
  const req = exportRequestSchema.parse(raw);
  return collectFrom(
    stores.graph.scoped(opts.scope ?? stores.graph.readScope ?? 'all'),
    req,
    await resolveSource(stores.workspace, req),
    opts,
  );
}

/** What an export carries from a resolved source (all graph reads: a read-only connection will do). */
export async function collectFrom(
  graph: GraphStore,
  req: ExportRequest,
  from: ExportSource,
  opts: CollectOptions,
): Promise<ExportData> {
  const { positions, source } = from;
  const { entities, links } = await gatherGraph(graph, from, opts.maxLinks);

  const values = req.analysis?.values ?? {};
  // What the file carries, with the reports behind each item, for the one disclosure check.
  const carried = { entities: [] as CarriedItem[], links: [] as CarriedItem[] };
  const item = (id: string, reports: Report[]): CarriedItem => ({
    id,
    reports: reports.map((r) => ({ id: r.id, ref: r.ref, handling: r.handling, conditions: r.conditions })),
  });
  const nodes: ExportNode[] = [];
  for (const e of entities) {
    const d = await graph.getEntity(e.id);
    carried.entities.push(item(e.id, d?.reports ?? []));
    const p = positions[e.id];
    nodes.push({
      ...e,
      ...marking(d?.reports ?? []),
      x: p ? p.x : null,
      y: p ? p.y : null,
      score: values[e.id] ?? null,
    });
  }
  const outLinks: ExportLink[] = [];
  for (const l of links) {
    const d = await graph.getLink(l.id);
    carried.links.push(item(l.id, d?.reports ?? []));
    outLinks.push({ ...l, ...marking(d?.reports ?? [], l.grading) });
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  outLinks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const disclosure = judgeDisclosure({ ...carried, reports: [] }, 'export');
  const record: AnalysisRecord = {
    software: { name: SOFTWARE_NAME, version: SOFTWARE_VERSION },
    exportedAt: new Date().toISOString(),
    exportedBy: opts.actor,
    dataVersion: await graph.dataVersion(),
    source,
    analysis: {
      metric: req.analysis?.metric ?? null,
      parameters: withAccuracyWords(req.analysis?.parameters ?? {}),
      seeds: req.analysis?.seeds ?? [],
    },
    counts: { nodes: nodes.length, links: outLinks.length },
    operations: opts.operations ?? [],
    handling: {
      conditional: disclosure.conditionalItems,
      // The disclosure check's sentence; each C item carries its own conditions in the file.
      note: disclosure.statement,
    },
  };
  return {
    conditionalReports: disclosure.conditions.map((c) => ({
      ref: c.ref,
      handling: 'C' as const,
      conditions: c.conditions,
    })),
    disclosure,
    nodes,
    links: outLinks,
    record,
    metric: req.analysis?.metric ?? null,
  };
}
