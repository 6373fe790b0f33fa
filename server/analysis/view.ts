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
import { z } from 'zod';
import type { Entity, EntityType, Link, Subgraph } from '../domain/model.ts';
import { viewFilterSchema } from '../domain/model.ts';
import { gradingWeight, passesMinGrading } from '../domain/grading.ts';
import { buildCSR, toShared, type CSR } from './csr.ts';
import { packStrings, unpackStrings, type PackedStrings } from './packed-strings.ts';

export const viewOptionsSchema = z.object({
  filter: viewFilterSchema.default({}),
  projection: z
    .object({
      foldPhones: z.boolean().default(false),
      personVia: z.array(z.enum(['Event', 'Vehicle', 'Location'])).default([]),
      maxSharers: z.number().int().min(2).max(10_000).default(200),
    })
    .default({ foldPhones: false, personVia: [], maxSharers: 200 }),
  grading: z.enum(['ignore', 'weight']).default('ignore'),
  halfLifeDays: z.number().positive().max(36_500).optional(),
  /** The date recency is measured from; default: the latest date in the view. */
  asOf: z.string().optional(),
  /** Keep link direction (CALLED, TRANSFERRED...). Default false: analysts mostly ask "connected at all". */
  directed: z.boolean().default(false),
});
export type ViewOptions = z.input<typeof viewOptionsSchema>;
type ParsedViewOptions = z.output<typeof viewOptionsSchema>;

export interface View {
  csr: CSR;
  labels: string[];
  types: EntityType[];
  dataVersion: number;
  options: ParsedViewOptions;
  /** Nodes folded or projected away, by reason. */
  notes: string[];
}

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

const DAY = 86_400_000;

function linkInWindow(l: Link, from?: string, to?: string): boolean {
  if (!l.firstSeen && !l.lastSeen) return true;
  const start = Date.parse(l.firstSeen ?? l.lastSeen!);
  const end = Date.parse(l.lastSeen ?? l.firstSeen!);
  if (from && end < Date.parse(from)) return false;
  // A date alone as the end of the window covers its whole day, as the stores read it.
  if (to && start > Date.parse(to) + (/^\d{4}-\d{2}-\d{2}$/.test(to) ? DAY - 1 : 0)) return false;
  return true;
}

/**
 * `shared`: allocate the view's arrays on SharedArrayBuffer, for a view built on a worker thread and handed
 * to the request thread and the analysis workers without a copy.
 */
export function buildView(sg: Subgraph, input: ViewOptions = {}, build: { shared?: boolean } = {}): View {
  const o = viewOptionsSchema.parse(input);
  const f = o.filter;
  const notes: string[] = [];
  const types = f.entityTypes ? new Set(f.entityTypes) : null;
  const linkTypes = f.linkTypes ? new Set(f.linkTypes) : null;
  const entities = new Map<string, Entity>();
  for (const e of sg.nodes) if (!types || types.has(e.type)) entities.set(e.id, e);
  let links = sg.links.filter(
    (l) =>
      entities.has(l.from) &&
      entities.has(l.to) &&
      (!linkTypes || linkTypes.has(l.type)) &&
      linkInWindow(l, f.from, f.to) &&
      passesMinGrading(l.grading, f.minGrading),
  );

  // Strength of each link after weighting.
  let asOf = o.asOf ? Date.parse(o.asOf) : NaN;
  if (o.halfLifeDays && Number.isNaN(asOf)) {
    asOf = 0;
    for (const l of links) {
      const t = Date.parse(l.lastSeen ?? l.firstSeen ?? '');
      if (t > asOf) asOf = t;
    }
  }
  const strength = (l: Link): number => {
    let w = l.weight;
    if (o.grading === 'weight') w *= gradingWeight(l.grading);
    if (o.halfLifeDays) {
      const t = Date.parse(l.lastSeen ?? l.firstSeen ?? '');
      if (!Number.isNaN(t)) w *= 0.5 ** (Math.max(0, asOf - t) / DAY / o.halfLifeDays);
    }
    return w;
  };

  // Where each entity ends up (itself, or the person a phone folds into).
  const target = new Map<string, string>();
  if (o.projection.foldPhones) {
    const best = new Map<string, { person: string; w: number }>();
    for (const l of links) {
      if ((l.type === 'USES' || l.type === 'OWNS') && entities.get(l.to)?.type === 'Phone') {
        const cur = best.get(l.to);
        if (!cur || l.weight > cur.w) best.set(l.to, { person: l.from, w: l.weight });
      }
    }
    for (const [phone, { person }] of best) target.set(phone, person);
    notes.push(`${best.size} phones folded into their users`);
    links = links.filter((l) => !((l.type === 'USES' || l.type === 'OWNS') && target.get(l.to) === l.from));
  }
  const at = (id: string) => target.get(id) ?? id;

  interface E {
    u: string;
    v: string;
    w: number;
    q: number;
    directed: boolean;
  }
  const edges: E[] = [];
  const via = new Set<EntityType>(o.projection.personVia);
  const sharers = new Map<string, Array<{ person: string; q: number }>>();
  for (const l of links) {
    const a = at(l.from);
    const b = at(l.to);
    const ta = entities.get(a)?.type;
    const tb = entities.get(b)?.type;
    if (via.size > 0 && ta && tb && (via.has(ta) || via.has(tb)) && (ta === 'Person' || tb === 'Person')) {
      const thing = via.has(tb!) ? b : a;
      const person = thing === b ? a : b;
      if (entities.get(person)?.type === 'Person') {
        const list = sharers.get(thing) ?? [];
        list.push({ person, q: gradingWeight(l.grading) });
        sharers.set(thing, list);
        continue;
      }
    }
    edges.push({ u: a, v: b, w: strength(l), q: gradingWeight(l.grading), directed: l.directed });
  }
  const removed = new Set<string>();
  if (via.size > 0) {
    let skipped = 0;
    for (const [thing, list] of sharers) {
      removed.add(thing);
      const people = [...new Map(list.map((x) => [x.person, x])).values()];
      if (people.length > o.projection.maxSharers) {
        skipped++;
        continue;
      }
      for (let i = 0; i < people.length; i++) {
        for (let j = i + 1; j < people.length; j++) {
          edges.push({
            u: people[i].person,
            v: people[j].person,
            w: 1,
            q: Math.min(people[i].q, people[j].q),
            directed: false,
          });
        }
      }
    }
    for (const e of entities.values()) if (via.has(e.type)) removed.add(e.id);
    notes.push(`${sharers.size} shared ${[...via].join('/')} entities projected onto people`);
    if (skipped)
      notes.push(`${skipped} shared entities with more than ${o.projection.maxSharers} people skipped`);
  }

  const ids: string[] = [];
  const labels: string[] = [];
  const typesOut: EntityType[] = [];
  const index = new Map<string, number>();
  for (const e of entities.values()) {
    if (target.has(e.id) || removed.has(e.id)) continue;
    index.set(e.id, ids.length);
    ids.push(e.id);
    labels.push(e.label);
    typesOut.push(e.type);
  }
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  const qs: number[] = [];
  for (const e of edges) {
    const u = index.get(e.u);
    const v = index.get(e.v);
    if (u === undefined || v === undefined || !(e.w > 0)) continue;
    us.push(u);
    vs.push(v);
    ws.push(e.w);
    qs.push(e.q);
    if (o.directed && !e.directed) {
      us.push(v);
      vs.push(u);
      ws.push(e.w);
      qs.push(e.q);
    }
  }
  const csr = buildCSR(ids, us, vs, ws, o.directed, { quality: qs, shared: build.shared ?? false });
  return { csr, labels, types: typesOut, dataVersion: sg.dataVersion, options: o, notes };
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
