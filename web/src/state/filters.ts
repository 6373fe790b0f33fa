// Chart filters: which entity and link types show, the minimum grading, and the time window. Pure producers
// plus the predicates the chart controller applies in sigma's reducers.
import {
  ENTITY_TYPES,
  INTEL_ASSESSMENTS,
  LINK_TYPES,
  type EntityType,
  type Grading,
  type LinkType,
  type MinGrading,
  type ViewFilter,
} from '@domain/model.ts';
import { passesMinGrading } from '@domain/grading.ts';

export interface FilterState {
  /** Types switched off (so a new type appears by default). */
  hiddenEntityTypes: EntityType[];
  hiddenLinkTypes: LinkType[];
  minGrading: MinGrading | null;
  /** Time window in epoch ms; null shows everything. */
  time: TimeWindow | null;
}

export interface TimeWindow {
  from: number;
  to: number;
}

/** Names a window, so a link's figures re-derived for one window are never read for another. */
export const windowKey = (w: TimeWindow): string => `${w.from}..${w.to}`;

export const DEFAULT_FILTERS: FilterState = {
  hiddenEntityTypes: [],
  hiddenLinkTypes: [],
  minGrading: null,
  time: null,
};

function toggle<T>(list: readonly T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

export function toggleEntityType(f: FilterState, t: EntityType): FilterState {
  return { ...f, hiddenEntityTypes: toggle(f.hiddenEntityTypes, t) };
}
export function toggleLinkType(f: FilterState, t: LinkType): FilterState {
  return { ...f, hiddenLinkTypes: toggle(f.hiddenLinkTypes, t) };
}
export function setMinGrading(f: FilterState, g: MinGrading | null): FilterState {
  return { ...f, minGrading: g };
}
export function setTimeWindow(f: FilterState, w: { from: number; to: number } | null): FilterState {
  if (w && w.from > w.to) w = { from: w.to, to: w.from };
  return { ...f, time: w };
}

/** One playback step: slide the window's end forward by `step` ms, keeping its start; wraps at the end. */
export function playbackStep(
  f: FilterState,
  bounds: { min: number; max: number },
  step: number,
): FilterState {
  const cur = f.time ?? { from: bounds.min, to: bounds.min };
  const to = cur.to + step;
  if (to > bounds.max + step / 2) return { ...f, time: { from: bounds.min, to: bounds.min } };
  return { ...f, time: { from: cur.from, to: Math.min(to, bounds.max) } };
}

export interface EdgeFacts {
  ltype: LinkType;
  grading: Grading | null;
  firstSeen: string | null;
  lastSeen: string | null;
  /**
   * Set on CALLED and SIGHTED_AT links while a window is on, once the server has counted the window
   * (timeline/window-links.ts): whether the link is in it, by its calls or reads (or, with none kept, by
   * its dates), for the window `windowKey` names.
   */
  windowKey?: string;
  inWindow?: boolean;
}

function ms(d: string | null): number | null {
  if (!d) return null;
  const v = Date.parse(d);
  return Number.isNaN(v) ? null : v;
}

/**
 * Whether a link passes the type, grading and time filters. Time: a link the server counted for this window
 * is in it when it has calls or reads inside; any other link when its first-to-last dates overlap the
 * window. Undated links (kinship) always pass time.
 */
export function edgePasses(e: EdgeFacts, f: FilterState): boolean {
  if (f.hiddenLinkTypes.includes(e.ltype)) return false;
  if (f.minGrading && !passesMinGrading(e.grading, f.minGrading)) return false;
  if (f.time && e.windowKey === windowKey(f.time) && e.inWindow !== undefined) return e.inWindow;
  if (f.time) {
    const a = ms(e.firstSeen) ?? ms(e.lastSeen);
    const b = ms(e.lastSeen) ?? a;
    if (a !== null && b !== null && (b < f.time.from || a > f.time.to)) return false;
  }
  return true;
}

export function nodePasses(etype: EntityType, f: FilterState): boolean {
  return !f.hiddenEntityTypes.includes(etype);
}

/** The earliest and latest dates among the links, for the time slider; null when no link is dated. */
export function timeBounds(edges: Iterable<EdgeFacts>): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const e of edges) {
    for (const d of [ms(e.firstSeen), ms(e.lastSeen)]) {
      if (d === null) continue;
      if (d < min) min = d;
      if (d > max) max = d;
    }
  }
  return min <= max ? { min, max } : null;
}

/** The same filters as the server's view filter, for analysis runs and the briefing's analysis record. */
export function toViewFilter(f: FilterState): ViewFilter {
  const v: ViewFilter = {};
  if (f.hiddenEntityTypes.length)
    v.entityTypes = ENTITY_TYPES.filter((t) => !f.hiddenEntityTypes.includes(t));
  if (f.hiddenLinkTypes.length) v.linkTypes = LINK_TYPES.filter((t) => !f.hiddenLinkTypes.includes(t));
  if (f.minGrading) v.minGrading = f.minGrading;
  if (f.time) {
    v.from = new Date(f.time.from).toISOString();
    v.to = new Date(f.time.to).toISOString();
  }
  return v;
}

export function describeFilters(f: FilterState): string {
  const parts: string[] = [];
  if (f.hiddenEntityTypes.length) parts.push(`hidden entity types: ${f.hiddenEntityTypes.join(', ')}`);
  if (f.hiddenLinkTypes.length) parts.push(`hidden link types: ${f.hiddenLinkTypes.join(', ')}`);
  if (f.minGrading) parts.push(`minimum grading ${f.minGrading.source}${f.minGrading.intel}`);
  if (f.time)
    parts.push(
      `links seen ${new Date(f.time.from).toISOString().slice(0, 10)} to ${new Date(f.time.to).toISOString().slice(0, 10)}`,
    );
  return parts.length ? parts.join('; ') : 'no filters';
}

export { INTEL_ASSESSMENTS };
