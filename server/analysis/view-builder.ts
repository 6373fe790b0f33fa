// A view built row by row: the store streams its entities and links in (in any order: links usually come
// first), each row's few fields go into growable typed arrays with entity keys interned to ints, and
// `finish` applies the filter, projections and weighting (see view.ts for what they mean) and builds the
// CSR. A million-node view is never held as Entity or Link objects; what stays is about 30 bytes a link
// and an id, a label and a type per entity.
//
// buildView (view.ts) feeds a whole Subgraph through this builder, so a streamed view and a view built from
// a subgraph are the same view by construction.
import type { EntityType, Grading, LinkType } from '../domain/model.ts';
import { ENTITY_TYPES, LINK_TYPES } from '../domain/model.ts';
import { gradingWeight, passesMinGrading } from '../domain/grading.ts';
import { buildCSR } from './csr.ts';
import type { ParsedViewOptions, View } from './view-options.ts';

const DAY = 86_400_000;
const ENTITY_CODE = new Map<string, number>(ENTITY_TYPES.map((t, i) => [t, i]));
const LINK_CODE = new Map<string, number>(LINK_TYPES.map((t, i) => [t, i]));
const PERSON = ENTITY_CODE.get('Person')!;
const PHONE = ENTITY_CODE.get('Phone')!;
const USES = LINK_CODE.get('USES')!;
const OWNS = LINK_CODE.get('OWNS')!;

type Typed = Int32Array | Float64Array | Uint8Array;

/** A typed array that doubles when full. */
class Growable<T extends Typed> {
  a: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.a = make(1024);
  }
  push(x: number): void {
    if (this.length === this.a.length) this.grow(this.length * 2);
    this.a[this.length++] = x;
  }
  /** Index i, growing (zero-filled) up to it. */
  set(i: number, x: number): void {
    if (i >= this.a.length) this.grow(Math.max(i + 1, this.a.length * 2));
    if (i >= this.length) this.length = i + 1;
    this.a[i] = x;
  }
  get(i: number): number {
    return i < this.length ? this.a[i] : 0;
  }
  private grow(size: number): void {
    const b = this.make(size);
    b.set(this.a.subarray(0, this.length) as never);
    this.a = b;
  }
}
const int32 = () => new Growable((n) => new Int32Array(n));
const float64 = () => new Growable((n) => new Float64Array(n));
const uint8 = () => new Growable((n) => new Uint8Array(n));

/** Entity key as a store knows it: the row number (SQLite, Neo4j's numbered ids) or the public id. */
export type EntityKey = number | string;

export class ViewBuilder {
  private readonly slotOf = new Map<EntityKey, number>();
  private slots = 0;
  // Per slot (an interned entity key).
  private readonly isEntity = uint8();
  private readonly typeCode = uint8();
  private readonly ids: string[] = [];
  private readonly labels: string[] = [];
  /** Slots of entities in the order they arrived (the view's node order). */
  private readonly entityOrder = int32();
  // Per link.
  private readonly from = int32();
  private readonly to = int32();
  private readonly linkType = uint8();
  private readonly directed = uint8();
  private readonly weight = float64();
  private readonly quality = float64();
  private readonly start = float64();
  private readonly end = float64();
  private readonly needTimes: boolean;
  private readonly types: Set<string> | null;
  private readonly linkTypes: Set<string> | null;
  private readonly only: Set<string> | null;

  constructor(
    readonly options: ParsedViewOptions,
    restrict: { only?: readonly string[] | null } = {},
  ) {
    const f = options.filter;
    this.types = f.entityTypes ? new Set(f.entityTypes) : null;
    this.linkTypes = f.linkTypes ? new Set(f.linkTypes) : null;
    this.only = restrict.only ? new Set(restrict.only) : null;
    this.needTimes = Boolean(f.from || f.to || options.halfLifeDays);
  }

  get linkCount(): number {
    return this.from.length;
  }

  private slot(key: EntityKey): number {
    let s = this.slotOf.get(key);
    if (s === undefined) {
      s = this.slots++;
      this.slotOf.set(key, s);
    }
    return s;
  }

  /** Every entity key a link has named so far, kept or not (to fetch only the ends of the links read). */
  linkEnds(): EntityKey[] {
    return [...this.slotOf.keys()];
  }

  /** An entity of the view (one outside the filter's types, or outside `only`, is left out here). */
  addEntity(key: EntityKey, id: string, type: EntityType, label: string): void {
    if (this.types && !this.types.has(type)) return;
    if (this.only && !this.only.has(id)) return;
    const s = this.slot(key);
    if (!this.isEntity.get(s)) {
      this.isEntity.set(s, 1);
      this.entityOrder.push(s);
    }
    this.typeCode.set(s, ENTITY_CODE.get(type)!);
    this.ids[s] = id;
    this.labels[s] = label;
  }

  /**
   * A link; returns its index (for setCounts), or -1 when the filter's link types or grading leave it out.
   * The time window is applied in `finish`, after any counts in the window have replaced its dates.
   */
  addLink(
    from: EntityKey,
    to: EntityKey,
    type: LinkType,
    directed: boolean,
    weight: number,
    firstSeen: string | null,
    lastSeen: string | null,
    grading: Grading | null,
  ): number {
    // Its ends are named even when the link is left out: a store fetches the ends of every link it read.
    const u = this.slot(from);
    const v = this.slot(to);
    if (this.linkTypes && !this.linkTypes.has(type)) return -1;
    if (!passesMinGrading(grading, this.options.filter.minGrading)) return -1;
    const i = this.from.length;
    this.from.push(u);
    this.to.push(v);
    this.linkType.push(LINK_CODE.get(type)!);
    this.directed.push(directed ? 1 : 0);
    this.weight.push(weight);
    this.quality.push(gradingWeight(grading));
    if (this.needTimes) this.setDates(i, firstSeen, lastSeen);
    return i;
  }

  /** A link's weight and dates from the calls or reads in the view's window (see countInWindow). */
  setCounts(i: number, weight: number, firstSeen: string | null, lastSeen: string | null): void {
    this.weight.a[i] = weight;
    if (this.needTimes) this.setDates(i, firstSeen, lastSeen);
  }

  /**
   * A link's grading as a scope reads it (a link shared with an operation outside the scope is graded by its
   * in-scope reports alone): its quality weight only, as the store has applied the minimum grading already.
   */
  setGrading(i: number, grading: Grading | null): void {
    this.quality.a[i] = gradingWeight(grading);
  }

  private setDates(i: number, firstSeen: string | null, lastSeen: string | null): void {
    // As view.ts reads a link's span: either date stands for the other when missing; NaN both when undated.
    const undated = !firstSeen && !lastSeen;
    this.start.set(i, undated ? NaN : Date.parse(firstSeen ?? lastSeen!));
    this.end.set(i, undated ? NaN : Date.parse(lastSeen ?? firstSeen!));
  }

  /** The view: filter, projections, weighting, then the CSR (on shared memory when `shared`). */
  finish(dataVersion: number, shared = false): View {
    const o = this.options;
    const f = o.filter;
    const notes: string[] = [];
    const L = this.from.length;
    const S = this.slots;
    const isEntity = this.isEntity.a;
    const typeCode = this.typeCode.a;
    const from = this.from.a;
    const to = this.to.a;
    const linkType = this.linkType.a;
    const weight = this.weight.a;
    const quality = this.quality.a;
    const start = this.start.a;
    const end = this.end.a;
    const ent = (s: number) => s < this.isEntity.length && isEntity[s] === 1;

    // Links between entities of the view, in the window.
    const keep = new Uint8Array(L);
    const fromMs = f.from ? Date.parse(f.from) : NaN;
    // A date alone as the end of the window covers its whole day, as the stores read it.
    const toMs = f.to ? Date.parse(f.to) + (/^\d{4}-\d{2}-\d{2}$/.test(f.to) ? DAY - 1 : 0) : NaN;
    for (let i = 0; i < L; i++) {
      if (!ent(from[i]) || !ent(to[i])) continue;
      if (f.from && end[i] < fromMs) continue;
      if (f.to && start[i] > toMs) continue;
      keep[i] = 1;
    }

    let asOf = o.asOf ? Date.parse(o.asOf) : NaN;
    if (o.halfLifeDays && Number.isNaN(asOf)) {
      asOf = 0;
      for (let i = 0; i < L; i++) if (keep[i] && end[i] > asOf) asOf = end[i];
    }
    const strength = (i: number): number => {
      let w = weight[i];
      if (o.grading === 'weight') w *= quality[i];
      if (o.halfLifeDays) {
        const t = end[i];
        if (!Number.isNaN(t)) w *= 0.5 ** (Math.max(0, asOf - t) / DAY / o.halfLifeDays);
      }
      return w;
    };

    // Where each slot ends up: itself, or the person a phone folds into.
    const target = new Int32Array(S).fill(-1);
    if (o.projection.foldPhones) {
      const bestW = new Float64Array(S);
      let folded = 0;
      for (let i = 0; i < L; i++) {
        const t = linkType[i];
        if (!keep[i] || (t !== USES && t !== OWNS) || typeCode[to[i]] !== PHONE) continue;
        const phone = to[i];
        if (target[phone] < 0) folded++;
        if (target[phone] < 0 || weight[i] > bestW[phone]) {
          target[phone] = from[i];
          bestW[phone] = weight[i];
        }
      }
      notes.push(`${folded} phones folded into their users`);
      for (let i = 0; i < L; i++) {
        const t = linkType[i];
        if (keep[i] && (t === USES || t === OWNS) && target[to[i]] === from[i]) keep[i] = 0;
      }
    }
    const at = (s: number) => (target[s] >= 0 ? target[s] : s);

    // People who share a thing: the links that say so leave the direct edges and become cliques.
    const via = new Set<number>(o.projection.personVia.map((t) => ENTITY_CODE.get(t)!));
    const sharers = new Map<number, Map<number, number>>();
    const removed = new Uint8Array(S);
    if (via.size > 0) {
      for (let i = 0; i < L; i++) {
        if (!keep[i]) continue;
        const a = at(from[i]);
        const b = at(to[i]);
        const ta = typeCode[a];
        const tb = typeCode[b];
        if ((via.has(ta) || via.has(tb)) && (ta === PERSON || tb === PERSON)) {
          const thing = via.has(tb) ? b : a;
          const person = thing === b ? a : b;
          if (typeCode[person] === PERSON) {
            let people = sharers.get(thing);
            if (!people) sharers.set(thing, (people = new Map()));
            // First report of a person sets their place in the clique; the last sets its grading.
            people.set(person, quality[i]);
            keep[i] = 2;
          }
        }
      }
      for (const thing of sharers.keys()) removed[thing] = 1;
      const order = this.entityOrder.a;
      for (let k = 0; k < this.entityOrder.length; k++)
        if (via.has(typeCode[order[k]])) removed[order[k]] = 1;
    }

    // Nodes: entities in arrival order, less folded phones and projected things.
    const index = new Int32Array(S).fill(-1);
    const ids: string[] = [];
    const labels: string[] = [];
    const typesOut: EntityType[] = [];
    const order = this.entityOrder.a;
    for (let k = 0; k < this.entityOrder.length; k++) {
      const s = order[k];
      if (target[s] >= 0 || removed[s]) continue;
      index[s] = ids.length;
      ids.push(this.ids[s]);
      labels.push(this.labels[s]);
      typesOut.push(ENTITY_TYPES[typeCode[s]]);
    }

    const us = int32();
    const vs = int32();
    const ws = float64();
    const qs = float64();
    const edge = (a: number, b: number, w: number, q: number, dir: boolean) => {
      const u = index[a];
      const v = index[b];
      if (u < 0 || v < 0 || !(w > 0)) return;
      us.push(u);
      vs.push(v);
      ws.push(w);
      qs.push(q);
      if (o.directed && !dir) {
        us.push(v);
        vs.push(u);
        ws.push(w);
        qs.push(q);
      }
    };
    const directed = this.directed.a;
    for (let i = 0; i < L; i++)
      if (keep[i] === 1) edge(at(from[i]), at(to[i]), strength(i), quality[i], directed[i] === 1);
    if (via.size > 0) {
      let skipped = 0;
      for (const people of sharers.values()) {
        if (people.size > o.projection.maxSharers) {
          skipped++;
          continue;
        }
        const ps = [...people.keys()];
        const pq = [...people.values()];
        for (let i = 0; i < ps.length; i++)
          for (let j = i + 1; j < ps.length; j++) edge(ps[i], ps[j], 1, Math.min(pq[i], pq[j]), false);
      }
      const names = o.projection.personVia.filter((t, i, all) => all.indexOf(t) === i);
      notes.push(`${sharers.size} shared ${names.join('/')} entities projected onto people`);
      if (skipped)
        notes.push(`${skipped} shared entities with more than ${o.projection.maxSharers} people skipped`);
    }
    const n = us.length;
    const csr = buildCSR(ids, us.a.subarray(0, n), vs.a.subarray(0, n), ws.a.subarray(0, n), o.directed, {
      quality: qs.a.subarray(0, n),
      shared,
    });
    return { csr, labels, types: typesOut, dataVersion, options: o, notes };
  }
}
