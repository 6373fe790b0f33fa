// People's names for comparison: folded to plain lower-case letters, cut into given and family names, coded
// by sound (Double Metaphone) and looked up in the table of short forms and transliterations
// (name-variants.json). String measures are the libraries the bench picked (bench/suites/45-dedupe.ts):
// double-metaphone and fastest-levenshtein, Jaro-Winkler from talisman.
import { doubleMetaphone } from 'double-metaphone';
import { distance } from 'fastest-levenshtein';
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import variants from './name-variants.json' with { type: 'json' };

/** Each form to the groups it belongs to (a few forms, "jon", "pat", "sam", shorten two names). */
const GROUPS = new Map<string, number[]>();
variants.groups.forEach((group, g) => {
  for (const form of group) {
    const list = GROUPS.get(form);
    if (list) list.push(g);
    else GROUPS.set(form, [g]);
  }
});

/** Lower case, accents and punctuation gone ("O'Brien" is "obrien", "José" is "jose"). */
export function foldPart(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Names repeat across records, so each one is coded once. */
const CODES = new Map<string, [string, string]>();
export function soundCodes(folded: string): [string, string] {
  if (!folded) return ['', ''];
  let c = CODES.get(folded);
  if (!c) {
    c = doubleMetaphone(folded);
    if (CODES.size > 200_000) CODES.clear();
    CODES.set(folded, c);
  }
  return c;
}

export interface PersonName {
  /** First given name, folded ("" when none). */
  given: string;
  /** Family name, folded. */
  family: string;
  /** The whole name folded, given then family, for exact comparison. */
  full: string;
  givenCodes: [string, string];
  familyCodes: [string, string];
  /** Given name's variant groups (short forms, transliterations). */
  givenGroups: number[];
  /** Family name's variant groups (for a name written the other way round). */
  familyGroups: number[];
}

/**
 * Given and family names from the attributes when the record has them (givenName/forename,
 * familyName/surname), else from the label: "SMITH, John" is family first, otherwise the last word is the
 * family name.
 */
export function parseName(label: string, attributes: Record<string, unknown>): PersonName {
  const attr = (...keys: string[]) => {
    for (const k of keys) {
      const v = attributes[k];
      if (typeof v === 'string' && v.trim()) return v;
    }
    return undefined;
  };
  let given = attr('givenName', 'given_name', 'forename', 'firstName');
  let family = attr('familyName', 'family_name', 'surname', 'lastName');
  if (given === undefined || family === undefined) {
    const comma = label.indexOf(',');
    if (comma > 0) {
      family ??= label.slice(0, comma);
      given ??=
        label
          .slice(comma + 1)
          .trim()
          .split(/\s+/)[0] ?? '';
    } else {
      const words = label.trim().split(/\s+/);
      family ??= words.length > 1 ? words[words.length - 1] : words[0];
      given ??= words.length > 1 ? words[0] : '';
    }
  }
  const g = foldPart(given.trim().split(/\s+/)[0] ?? '');
  const f = foldPart(family);
  return {
    given: g,
    family: f,
    full: `${g} ${f}`,
    givenCodes: soundCodes(g),
    familyCodes: soundCodes(f),
    givenGroups: GROUPS.get(g) ?? [],
    familyGroups: GROUPS.get(f) ?? [],
  };
}

/** How well one part of a name agrees with another, best first. */
export type PartLevel = 'exact' | 'variant' | 'phonetic' | 'close' | 'initial' | 'missing' | 'differ';
export const PART_ORDER: readonly PartLevel[] = [
  'exact',
  'variant',
  'phonetic',
  'close',
  'initial',
  'missing',
  'differ',
];

function codesMeet(a: [string, string], b: [string, string]): boolean {
  return !!a[0] && (a[0] === b[0] || a[0] === b[1] || (!!a[1] && (a[1] === b[0] || a[1] === b[1])));
}

/** Jaro-Winkler at least 0.9, or one edit apart in a name of four letters or more. */
export function closeSpelling(a: string, b: string): boolean {
  if (Math.min(a.length, b.length) >= 4 && distance(a, b) <= 1) return true;
  return jaroWinkler(a, b) >= 0.9;
}

export function comparePart(
  a: string,
  b: string,
  codesA: [string, string],
  codesB: [string, string],
  groupsA: number[] = [],
  groupsB: number[] = [],
): PartLevel {
  if (!a || !b) return 'missing';
  if (a === b) return 'exact';
  if (groupsA.some((g) => groupsB.includes(g))) return 'variant';
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 'initial' : 'differ';
  if (codesMeet(codesA, codesB)) return 'phonetic';
  if (closeSpelling(a, b)) return 'close';
  return 'differ';
}

export function variantGroups(folded: string): number[] {
  return GROUPS.get(folded) ?? [];
}

/** The first form of a name's variant group: what "Bob" is short for, for the evidence. */
export function canonicalForm(folded: string): string | undefined {
  const g = GROUPS.get(folded);
  return g ? variants.groups[g[0]][0] : undefined;
}
