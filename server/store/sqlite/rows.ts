// Row <-> domain mapping for the SQLite store: public ids, dates for the time window, grading bit masks.
import type {
  Entity,
  EntityType,
  Grading,
  IntelAssessment,
  Link,
  LinkType,
  MinGrading,
  Properties,
  Report,
  SourceEvaluation,
} from '../../domain/model.ts';
import { INTEL_ASSESSMENTS } from '../../domain/model.ts';
import { bestGrading, intelRank } from '../../domain/grading.ts';

// Public ids carry a kind prefix so an id of one kind passed where another is expected is simply unknown.
export const entityId = (n: number): string => `e${n}`;
export const linkId = (n: number): string => `l${n}`;
export const reportId = (n: number): string => `r${n}`;

/** Row id from a public id with the given prefix, or null if it is not one. */
export function parseId(id: string, prefix: string): number | null {
  if (typeof id !== 'string' || !id.startsWith(prefix)) return null;
  const s = id.slice(prefix.length);
  if (!/^[1-9]\d{0,15}$/.test(s)) return null;
  return Number(s);
}

/** Plain integer ids for annotations, charts, users, merges. */
export function parsePlainId(id: string): number | null {
  return typeof id === 'string' && /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Epoch ms of an ISO date. A date without a time means its whole day: its start, or with `end` its last
 * millisecond, so window bounds and seen dates given as days are inclusive. A time without a zone is UTC.
 */
export function dateMs(s: string, end = false): number {
  if (DATE_ONLY.test(s)) return Date.parse(`${s}T00:00:00Z`) + (end ? DAY_MS - 1 : 0);
  const t = s.replace(' ', 'T');
  return Date.parse(HAS_ZONE.test(t) ? t : `${t}Z`);
}

export function gradeBit(source: SourceEvaluation, intel: IntelAssessment): number {
  return 1 << ((source - 1) * 5 + intelRank(intel));
}

/** Bits of every grading at least as good as `min`: a link passes if it has any of them. */
export function allowedGradeMask(min: MinGrading): number {
  let mask = 0;
  for (let s = 1; s <= min.source; s++) {
    for (let i = 0; i <= intelRank(min.intel); i++) mask |= 1 << ((s - 1) * 5 + i);
  }
  return mask;
}

const bestCache = new Map<number, Grading | null>();
/** Best grading among the bits of a mask (a fact is as strong as the best report behind it). */
export function gradingFromMask(mask: number): Grading | null {
  const hit = bestCache.get(mask);
  if (hit !== undefined) return hit;
  let best: Grading | null = null;
  for (let b = 0; b < 15; b++) {
    if (!(mask & (1 << b))) continue;
    const g: Grading = {
      source: (Math.floor(b / 5) + 1) as SourceEvaluation,
      intel: INTEL_ASSESSMENTS[b % 5],
    };
    best = bestGrading(best, g);
  }
  bestCache.set(mask, best);
  return best;
}

export function parseProps(s: string): Properties {
  return s === '{}' ? {} : (JSON.parse(s) as Properties);
}

/** String property values, for full-text search. */
export function searchText(p: Properties): string {
  let out = '';
  for (const v of Object.values(p)) if (typeof v === 'string') out += (out ? ' ' : '') + v;
  return out;
}

export interface EntityRow {
  id: number;
  type: string;
  key: string;
  label: string;
  properties: string;
  review_date: string | null;
  created_at: string;
  updated_at: string;
}
export const ENTITY_COLS =
  'e.id, e.type, e.key, e.label, e.properties, e.review_date, e.created_at, e.updated_at';

export function toEntity(r: EntityRow): Entity {
  return {
    id: entityId(r.id),
    type: r.type as EntityType,
    label: r.label,
    key: r.key,
    properties: parseProps(r.properties),
    reviewDate: r.review_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface LinkRow {
  id: number;
  type: string;
  from_id: number;
  to_id: number;
  directed: number;
  weight: number;
  first_seen: string | null;
  last_seen: string | null;
  properties: string;
  grades: number;
  created_at: string;
  updated_at: string;
}
export const LINK_COLS =
  'l.id, l.type, l.from_id, l.to_id, l.directed, l.weight, l.first_seen, l.last_seen, l.properties, l.grades, l.created_at, l.updated_at';

export function toLink(r: LinkRow): Link {
  return {
    id: linkId(r.id),
    type: r.type as LinkType,
    from: entityId(r.from_id),
    to: entityId(r.to_id),
    directed: r.directed === 1,
    weight: r.weight,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    properties: parseProps(r.properties),
    grading: gradingFromMask(r.grades),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ReportRow {
  id: number;
  ref: string;
  date: string;
  author: string;
  text: string;
  source: number;
  intel: string;
  handling: string;
  conditions: string | null;
  review_date: string | null;
  created_at: string;
}
export const REPORT_COLS =
  'r.id, r.ref, r.date, r.author, r.text, r.source, r.intel, r.handling, r.conditions, r.review_date, r.created_at';

export function toReport(r: ReportRow): Report {
  return {
    id: reportId(r.id),
    ref: r.ref,
    date: r.date,
    author: r.author,
    text: r.text,
    source: r.source as SourceEvaluation,
    intel: r.intel as IntelAssessment,
    handling: r.handling as Report['handling'],
    conditions: r.conditions,
    reviewDate: r.review_date,
    createdAt: r.created_at,
  };
}

// Row arrays (statement.raw()) in LINK_COLS / ENTITY_COLS order: whole-graph reads build a million objects,
// and arrays skip building an intermediate row object for each.
type Cell = string | number | null;
export function toLinkRaw(r: Cell[]): Link {
  return {
    id: linkId(r[0] as number),
    type: r[1] as LinkType,
    from: entityId(r[2] as number),
    to: entityId(r[3] as number),
    directed: r[4] === 1,
    weight: r[5] as number,
    firstSeen: r[6] as string | null,
    lastSeen: r[7] as string | null,
    properties: parseProps(r[8] as string),
    grading: gradingFromMask(r[9] as number),
    createdAt: r[10] as string,
    updatedAt: r[11] as string,
  };
}
export function toEntityRaw(r: Cell[]): Entity {
  return {
    id: entityId(r[0] as number),
    type: r[1] as EntityType,
    label: r[3] as string,
    key: r[2] as string,
    properties: parseProps(r[4] as string),
    reviewDate: r[5] as string | null,
    createdAt: r[6] as string,
    updatedAt: r[7] as string,
  };
}
