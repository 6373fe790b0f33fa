// Recency-frequency-gravity (RFG): how much harm a person has been doing lately, from the Events they
// are linked to by INVOLVED_IN. Pure: the gravity scale comes in as an option (gravity-scale.ts loads it).
//
//   score(p) = sum over events e of p:  gravity(e) * recency(e)
//   recency(e) = 2^(-ageDays(e) / halfLifeDays)          (exponential, the default; halfLifeDays = 180)
//              = weight of the first band with ageDays <= maxAgeDays, else `older`   (banded)
//   frequency(p) = number of events counted
//   gravity(e) = e.properties.gravity when it is a positive number, else scale.categories[category],
//                else scale.default   (server/cycle/gravity-scale.json: 1-10, 10 gravest, default 2;
//                LINKCHART_GRAVITY_SCALE=path replaces it; category = the event's category / offence / kind)
//
// ageDays = asOf - event date, in days. Events after `asOf` have not happened yet at that date and are
// left out, as are events older than `lookbackDays` when it is set. An undated event counts with
// recency `undatedRecency` (default 0.5: as if one half-life old) so that it still counts but never
// outranks a dated recent one.
import type { Entity, Link, Subgraph } from '../domain/model.ts';

export interface GravityScale {
  description?: string;
  /** Gravity of an event whose category is missing or not in the table. */
  default: number;
  /** Category (normalised: lower case, spaces and hyphens as underscores) -> gravity. */
  categories: Record<string, number>;
}

export type RecencyModel =
  | { mode: 'exponential'; halfLifeDays: number }
  | { mode: 'banded'; bands: { maxAgeDays: number; weight: number }[]; older: number };

export interface RfgOptions {
  /** The date ages are measured from (ISO). Default: the date of the latest dated event in the input. */
  asOf?: string;
  recency?: RecencyModel;
  /** Ignore events older than this many days. Default: no limit. */
  lookbackDays?: number;
  gravityScale?: GravityScale;
  /** Recency given to an event with no date. */
  undatedRecency?: number;
  /** Entity types scored. Default: people only. */
  entityTypes?: string[];
}

export const DEFAULT_HALF_LIFE_DAYS = 180;
export const DEFAULT_RECENCY: RecencyModel = { mode: 'exponential', halfLifeDays: DEFAULT_HALF_LIFE_DAYS };
/** A common police banding: last 3 months full weight, tapering to a year, then a tenth. */
export const DEFAULT_BANDS: RecencyModel = {
  mode: 'banded',
  bands: [
    { maxAgeDays: 90, weight: 1 },
    { maxAgeDays: 180, weight: 0.75 },
    { maxAgeDays: 365, weight: 0.5 },
    { maxAgeDays: 730, weight: 0.25 },
  ],
  older: 0.1,
};
export const DEFAULT_UNDATED_RECENCY = 0.5;
/** Used only when no scale is given (gravity-scale.ts supplies the documented table). */
export const FLAT_GRAVITY_SCALE: GravityScale = { default: 1, categories: {} };

export interface RfgEventContribution {
  eventId: string;
  label: string;
  date: string | null;
  ageDays: number | null;
  category: string | null;
  gravity: number;
  gravitySource: 'event' | 'category' | 'default';
  recency: number;
  /** gravity * recency */
  contribution: number;
}

export interface RfgScore {
  entityId: string;
  label: string;
  type: string;
  score: number;
  frequency: number;
  /** Recency of the most recent counted event (0 when none). */
  recency: number;
  /** Sum of the counted events' gravity, undiscounted. */
  gravity: number;
  maxGravity: number;
  lastEventDate: string | null;
  /** Biggest contribution first. */
  events: RfgEventContribution[];
}

export interface RfgResult {
  asOf: string | null;
  recency: RecencyModel;
  scores: RfgScore[];
}

const DAY_MS = 86_400_000;

export function normaliseCategory(c: string): string {
  return c
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** An event's date: its own `date` / `occurredAt` property, else the INVOLVED_IN link's first or last seen. */
export function eventDate(event: Entity, link?: Link): string | null {
  const own = str(event.properties['date']) ?? str(event.properties['occurredAt']);
  if (own && !Number.isNaN(Date.parse(own))) return own;
  return link?.firstSeen ?? link?.lastSeen ?? null;
}

export function eventCategory(event: Entity): string | null {
  const c =
    str(event.properties['category']) ?? str(event.properties['offence']) ?? str(event.properties['kind']);
  return c ? normaliseCategory(c) : null;
}

export function eventGravity(
  event: Entity,
  scale: GravityScale,
): { gravity: number; source: RfgEventContribution['gravitySource'] } {
  const own = event.properties['gravity'];
  if (typeof own === 'number' && Number.isFinite(own) && own > 0) return { gravity: own, source: 'event' };
  const cat = eventCategory(event);
  if (cat !== null && Object.hasOwn(scale.categories, cat)) {
    return { gravity: scale.categories[cat], source: 'category' };
  }
  return { gravity: scale.default, source: 'default' };
}

export function recencyWeight(ageDays: number, model: RecencyModel): number {
  if (model.mode === 'exponential') return Math.pow(2, -ageDays / model.halfLifeDays);
  for (const b of model.bands) if (ageDays <= b.maxAgeDays) return b.weight;
  return model.older;
}

/** RFG for every person (or `entityTypes`) in the subgraph, highest score first; ties by label then id. */
export function rfgScores(sub: Pick<Subgraph, 'nodes' | 'links'>, opts: RfgOptions = {}): RfgResult {
  const model = opts.recency ?? DEFAULT_RECENCY;
  const scale = opts.gravityScale ?? FLAT_GRAVITY_SCALE;
  const undated = opts.undatedRecency ?? DEFAULT_UNDATED_RECENCY;
  const types = new Set(opts.entityTypes ?? ['Person']);
  const byId = new Map(sub.nodes.map((n) => [n.id, n] as const));

  // person -> event -> the link joining them (first one wins; the event counts once however many links)
  const involvement = new Map<string, Map<string, Link>>();
  for (const l of sub.links) {
    if (l.type !== 'INVOLVED_IN') continue;
    const a = byId.get(l.from);
    const b = byId.get(l.to);
    if (!a || !b) continue;
    const [who, ev] = b.type === 'Event' ? [a, b] : a.type === 'Event' ? [b, a] : [null, null];
    if (!who || !ev || !types.has(who.type)) continue;
    let m = involvement.get(who.id);
    if (!m) involvement.set(who.id, (m = new Map()));
    if (!m.has(ev.id)) m.set(ev.id, l);
  }

  let asOfMs: number | null = opts.asOf ? Date.parse(opts.asOf) : null;
  if (opts.asOf && Number.isNaN(asOfMs))
    throw new RangeError(`asOf ${JSON.stringify(opts.asOf)} is not a date`);
  if (asOfMs === null) {
    for (const m of involvement.values()) {
      for (const [evId, l] of m) {
        const d = eventDate(byId.get(evId)!, l);
        const t = d ? Date.parse(d) : NaN;
        if (!Number.isNaN(t) && (asOfMs === null || t > asOfMs)) asOfMs = t;
      }
    }
  }

  const scores: RfgScore[] = [];
  for (const node of sub.nodes) {
    if (!types.has(node.type)) continue;
    const events: RfgEventContribution[] = [];
    for (const [evId, l] of involvement.get(node.id) ?? []) {
      const ev = byId.get(evId)!;
      const date = eventDate(ev, l);
      const t = date ? Date.parse(date) : NaN;
      let ageDays: number | null = null;
      let rec = undated;
      if (!Number.isNaN(t) && asOfMs !== null) {
        ageDays = (asOfMs - t) / DAY_MS;
        if (ageDays < 0) continue;
        if (opts.lookbackDays !== undefined && ageDays > opts.lookbackDays) continue;
        rec = recencyWeight(ageDays, model);
      }
      const g = eventGravity(ev, scale);
      events.push({
        eventId: ev.id,
        label: ev.label,
        date,
        ageDays,
        category: eventCategory(ev),
        gravity: g.gravity,
        gravitySource: g.source,
        recency: rec,
        contribution: g.gravity * rec,
      });
    }
    events.sort((a, b) => b.contribution - a.contribution || a.eventId.localeCompare(b.eventId));
    let lastT = -Infinity;
    let lastDate: string | null = null;
    let lastRecency = 0;
    for (const e of events) {
      const t = e.date ? Date.parse(e.date) : NaN;
      if (!Number.isNaN(t) && t > lastT) {
        lastT = t;
        lastDate = e.date;
      }
      lastRecency = Math.max(lastRecency, e.recency);
    }
    scores.push({
      entityId: node.id,
      label: node.label,
      type: node.type,
      score: events.reduce((s, e) => s + e.contribution, 0),
      frequency: events.length,
      recency: lastRecency,
      gravity: events.reduce((s, e) => s + e.gravity, 0),
      maxGravity: events.reduce((s, e) => Math.max(s, e.gravity), 0),
      lastEventDate: lastDate,
      events,
    });
  }
  scores.sort(
    (a, b) => b.score - a.score || a.label.localeCompare(b.label) || a.entityId.localeCompare(b.entityId),
  );
  return { asOf: asOfMs === null ? null : new Date(asOfMs).toISOString(), recency: model, scores };
}
