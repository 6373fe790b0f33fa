// A view: the store's graph as an analysis sees it. Built from a Subgraph (the store has already applied
// the ViewFilter; it is applied again here so a view can be built from any subgraph), then optionally
// projected and weighted, then compacted into a CSR.
//
// Projections
// - foldPhones: a phone becomes the person who USES (or OWNS) it: its CALLED links become links of that
//   person. A phone with several users goes to the one with the strongest USES/OWNS link (the first on a
//   tie); a phone with no user stays a node.
// - personVia: people who share an Event, Vehicle or Location (any link to it) are linked directly, one
//   unit of strength per shared thing; the shared things leave the view. A thing linked to more than
//   `maxSharers` people (a motorway services, a busy pub) is skipped rather than creating a clique.
// Weighting (multiplied into each link's strength, which stays a strength)
// - grading 'weight': x gradingWeight(link.grading) (server/domain/grading.ts: 1A = 1 ... 3E = 0.03;
//   ungraded 0.5), so weak intelligence counts for less.
// - halfLifeDays h: x 0.5 ^ (age / h), age = asOf - lastSeen (or firstSeen); undated links keep full weight.
// Path metrics then read each link's distance as 1 / strength (see csr.ts).
import type { EntityType, Subgraph } from '../domain/model.ts';
import { toShared, type CSR } from './csr.ts';
import { viewOptionsSchema, type ParsedViewOptions, type View, type ViewOptions } from './view-options.ts';
import { ViewBuilder } from './view-builder.ts';
import { packStrings, unpackStrings, type PackedStrings } from './packed-strings.ts';

export { viewOptionsSchema, type ParsedViewOptions, type View, type ViewOptions } from './view-options.ts';

/**
 * A view as it crosses between threads: the graph's arrays on shared memory, and its ids, labels and types
 * packed (one UTF-8 buffer each, shared). Built where the view is built (a read worker), held as is by the
 * request thread (which reads only sizes, and an id or a page when asked) and unpacked in the job worker.
 * Sending the string arrays instead made the request thread rebuild 3 x 139k strings per whole-store view.
 */
export interface PackedView {
  n: number;
  m: number;
  /** The CSR's arrays, shared; `ids` travel packed beside them. */
  graph: Omit<CSR, 'ids'>;
  ids: PackedStrings;
  labels: PackedStrings;
  types: PackedStrings;
  dataVersion: number;
  options: ParsedViewOptions;
  notes: string[];
}

/** The view packed for other threads (its arrays copied onto shared memory unless they are there). */
export function packView(v: View): PackedView {
  const { ids, ...graph } = toShared(v.csr);
  return {
    n: v.csr.n,
    m: v.csr.m,
    graph,
    ids: packStrings(ids, true),
    labels: packStrings(v.labels, true),
    types: packStrings(v.types, true),
    dataVersion: v.dataVersion,
    options: v.options,
    notes: v.notes,
  };
}

/** The view again, with its strings decoded (in the thread that runs the analysis). */
export function unpackView(p: PackedView): View {
  return {
    csr: { ...p.graph, ids: unpackStrings(p.ids) },
    labels: unpackStrings(p.labels),
    types: unpackStrings(p.types) as EntityType[],
    dataVersion: p.dataVersion,
    options: p.options,
    notes: p.notes,
  };
}

/**
 * `shared`: allocate the view's arrays on SharedArrayBuffer, for a view built on a worker thread and handed
 * to the request thread and the analysis workers without a copy. The subgraph goes through the same
 * ViewBuilder a store streams its rows into (view-builder.ts).
 */
export function buildView(sg: Subgraph, input: ViewOptions = {}, build: { shared?: boolean } = {}): View {
  const b = new ViewBuilder(viewOptionsSchema.parse(input));
  for (const e of sg.nodes) b.addEntity(e.id, e.id, e.type, e.label);
  for (const l of sg.links)
    b.addLink(l.from, l.to, l.type, l.directed, l.weight, l.firstSeen, l.lastSeen, l.grading);
  return b.finish(sg.dataVersion, build.shared ?? false);
}

/** The subgraph cut to the given entities and the links between them (a chart's view). */
export function restrictToEntities(sub: Subgraph, ids: Iterable<string>): Subgraph {
  const keep = new Set(ids);
  return {
    ...sub,
    nodes: sub.nodes.filter((e) => keep.has(e.id)),
    links: sub.links.filter((l) => keep.has(l.from) && keep.has(l.to)),
  };
}

/** A small LRU of built views (plain or packed) keyed by (data version, options). */
export class ViewCache<V = View> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity = 8) {}

  static key(dataVersion: number, options: ViewOptions): string {
    return `${dataVersion}:${JSON.stringify(viewOptionsSchema.parse(options))}`;
  }

  /**
   * The view cached under `key`: ViewCache.key, plus anything else the caller's view depends on (a chart's
   * entities, say).
   */
  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  /** Drops every view (the store's data was replaced: its data versions name other data now). */
  clear(): void {
    this.entries.clear();
  }

  set(key: string, view: V): void {
    this.entries.delete(key);
    this.entries.set(key, view);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  async getOrBuild(
    this: ViewCache<View>,
    dataVersion: number,
    options: ViewOptions,
    load: () => Promise<Subgraph>,
  ): Promise<View> {
    const key = ViewCache.key(dataVersion, options);
    const hit = this.get(key);
    if (hit) return hit;
    const view = buildView(await load(), options);
    this.set(key, view);
    return view;
  }
}
