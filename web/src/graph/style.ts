// Visual vocabulary of the chart: one colour and one pictogram per entity type, a palette for communities,
// and the scales that turn metric values and link weights into sizes. Pure: used by the chart, the SVG
// export and the briefing legend alike, so all three always agree.
import type { EntityType, LinkType } from '@domain/model.ts';

// Colours come from Okabe & Ito's and Paul Tol's colour-blind-safe schemes; test/unit/palette.test.ts checks
// that every pair stays apart for normal, deuteranope and protanope vision. Entity types are also told apart
// by their pictogram, so their colours may repeat hues the link colours use.
export const TYPE_COLOURS: Record<EntityType, string> = {
  Person: '#0072B2',
  Organisation: '#AA4499',
  Vehicle: '#E69F00',
  Phone: '#009E73',
  Location: '#D55E00',
  Account: '#332288',
  Event: '#555555',
};

export const LINK_COLOURS: Record<LinkType, string> = {
  ASSOCIATE_OF: '#8A8A8A',
  RELATIVE_OF: '#AA4499',
  MEMBER_OF: '#332288',
  USES: '#56B4E9',
  OWNS: '#DDCC77',
  RESIDES_AT: '#882255',
  FREQUENTS: '#EE3377',
  CALLED: '#0072B2',
  SIGHTED_AT: '#E69F00',
  INVOLVED_IN: '#117733',
  OCCURRED_AT: '#999933',
  TRANSFERRED: '#1A1A1A',
};

/** How a link type reads in a legend or a link label ("called", "resides at"). */
export function linkTypeWords(t: LinkType): string {
  return t.toLowerCase().replace(/_/g, ' ');
}

/**
 * Categorical colours for communities, most distinct first (Okabe-Ito, then Tol's muted scheme). The
 * largest communities take them in order; past the palette, a dark ring around the disc doubles it.
 */
export const COMMUNITY_PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#332288',
  '#1A1A1A',
  '#882255',
  '#F0E442',
  '#117733',
  '#AA4499',
];
export const COMMUNITY_RING = '#1d2430';
/** Communities past this many (by size) share the grey "other" colour: no eye tells more apart. */
export const MAX_COMMUNITY_STYLES = COMMUNITY_PALETTE.length * 2;
export const OTHER_COMMUNITY = '#DDDDDD';

/** A palette colour by index (used where the index itself is the group: disruption fragments). */
export function paletteColour(i: number): string {
  const n = COMMUNITY_PALETTE.length;
  return COMMUNITY_PALETTE[((i % n) + n) % n];
}

export interface CommunityStyle {
  community: number;
  /** 0 for the largest community. */
  rank: number;
  size: number;
  fill: string;
  /** A dark ring round the disc (communities past the palette's length), or null. */
  ring: string | null;
}

/** Each community's colour, from its size rank (ties by id), so the biggest groups get the clearest colours. */
export function communityStyles(communities: Record<string, number>): Map<number, CommunityStyle> {
  const sizes = new Map<number, number>();
  for (const c of Object.values(communities)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const ordered = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const out = new Map<number, CommunityStyle>();
  ordered.forEach(([community, size], rank) => {
    const styled = rank < MAX_COMMUNITY_STYLES;
    out.set(community, {
      community,
      rank,
      size,
      fill: styled ? paletteColour(rank) : OTHER_COMMUNITY,
      ring: styled && rank >= COMMUNITY_PALETTE.length ? COMMUNITY_RING : null,
    });
  });
  return out;
}

let current: { of: Record<string, number>; styles: Map<number, CommunityStyle> } | null = null;

/** The styles of the communities the chart shows now (one computation per community run). */
export function currentCommunityStyles(communities: Record<string, number>): Map<number, CommunityStyle> {
  if (current?.of !== communities) current = { of: communities, styles: communityStyles(communities) };
  return current.styles;
}

/** A community's fill colour on the chart (the side panels use it too, so they match the chart). */
export function communityColour(c: number): string {
  return current?.styles.get(c)?.fill ?? paletteColour(c);
}

// 24x24 pictogram paths (white on the type colour). Drawn by hand so the app ships no icon font.
export const ICON_PATHS: Record<EntityType, string> = {
  Person: 'M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z',
  Organisation:
    'M4 21V5l8-3 8 3v16h-6v-5h-4v5H4zm3-13h2v2H7V8zm4 0h2v2h-2V8zm4 0h2v2h-2V8zM7 12h2v2H7v-2zm8 0h2v2h-2v-2z',
  Vehicle:
    'M5 11l1.5-4.5A2 2 0 0 1 8.4 5h7.2a2 2 0 0 1 1.9 1.5L19 11h1v6h-2v2h-3v-2H9v2H6v-2H4v-6h1zm2.2 0h9.6l-1-3H8.2l-1 3zM7 15a1 1 0 1 0 0-2 1 1 0 0 0 0 2zm10 0a1 1 0 1 0 0-2 1 1 0 0 0 0 2z',
  Phone:
    'M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm0 3v12h8V5H8zm4 13.2a1 1 0 1 0 0 2 1 1 0 0 0 0-2z',
  Location: 'M12 2a7 7 0 0 1 7 7c0 5-7 13-7 13S5 14 5 9a7 7 0 0 1 7-7zm0 4a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  Account: 'M3 6h18v12H3V6zm2 2v2h14V8H5zm0 5v3h6v-3H5zm8 0v1.5h4V13h-4z',
  Event: 'M6 3h2v2h8V3h2v2h2v16H4V5h2V3zm-.5 6v10h13V9h-13zM8 11h3v3H8v-3z',
};

const iconCache = new Map<string, string>();

/** An inline SVG data URL of the type's pictogram: white glyph on a disc of the given colour. */
export function iconUrl(
  type: EntityType,
  colour: string = TYPE_COLOURS[type],
  ring: string | null = null,
): string {
  const k = `${type}|${colour}|${ring ?? ''}`;
  let url = iconCache.get(k);
  if (!url) {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 24 24">` +
      `<circle cx="12" cy="12" r="12" fill="${ring ?? colour}"/>` +
      (ring ? `<circle cx="12" cy="12" r="9.6" fill="${colour}"/>` : '') +
      `<g transform="translate(4.2 4.2) scale(0.65)"><path fill="#fff" d="${ICON_PATHS[type]}"/></g></svg>`;
    url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    iconCache.set(k, url);
  }
  return url;
}

export const MIN_NODE_SIZE = 6;
export const MAX_NODE_SIZE = 22;
export const DEFAULT_NODE_SIZE = 9;

/**
 * Node sizes from metric values: square-root scale between MIN and MAX, so that area (what the eye
 * reads) grows roughly with the value. Nodes without a value get the minimum.
 */
export function sizeScale(
  values: ReadonlyMap<string, number>,
  opts: { min?: number; max?: number } = {},
): (id: string) => number {
  const min = opts.min ?? MIN_NODE_SIZE;
  const max = opts.max ?? MAX_NODE_SIZE;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values.values()) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return (id) => {
    const v = values.get(id);
    if (v === undefined || !Number.isFinite(v) || !(span > 0)) return v === undefined ? min : (min + max) / 2;
    return min + (max - min) * Math.sqrt((v - lo) / span);
  };
}

/** Link thickness from weight: logarithmic so a 500-call link does not swamp the chart. */
export function edgeThickness(weight: number): number {
  return Math.min(5, 0.8 + 0.6 * Math.log2(Math.max(1, weight)));
}
