// One pair compared field by field: each field's agreement level adds its Fellegi-Sunter weight
// (weights.ts) and, where it says something, a line of evidence in the analyst's words.
import { distance } from 'fastest-levenshtein';
import type { DateParts, Prepared } from './prepare.ts';
import { canonicalForm, comparePart, PART_ORDER, type PartLevel, type PersonName } from './names.ts';
import {
  DOB_LEVELS,
  log2ratio,
  NAME_LEVELS,
  PHONE_LEVELS,
  REFERENCE_LEVELS,
  SHARED_LEVELS,
  SWAPPED_PENALTY,
  VEHICLE_LEVELS,
  type Level,
} from './weights.ts';

/** How often values occur among the records compared (term frequencies). */
export interface Frequencies {
  /** Records of each type. */
  total: Map<string, number>;
  /** Person records per folded full name (given and family in sorted order, so swaps count as one). */
  names: Map<string, number>;
  /** Person records per date of birth. */
  dobs: Map<string, number>;
}

export interface Comparison {
  weight: number;
  evidence: string[];
}

const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** The name key counted in Frequencies.names. */
export function nameKey(n: PersonName): string {
  return n.given < n.family ? `${n.given} ${n.family}` : `${n.family} ${n.given}`;
}

/**
 * u from the frequency of the value when it is commoner than the level's own u. Counted over at least
 * 10,000 records: in a handful of records every name is "common", which says nothing.
 */
function tf(level: Level, count: number | undefined, total: number | undefined): number {
  const u = count && total ? Math.max(level.u, count / Math.max(total, 10_000)) : level.u;
  return Math.log2(level.m / u);
}

interface NameMatch {
  given: PartLevel;
  family: PartLevel;
  swapped: boolean;
}

const rank = (l: PartLevel) => PART_ORDER.indexOf(l);

function nameMatch(x: PersonName, y: PersonName): NameMatch {
  const straight = {
    given: comparePart(x.given, y.given, x.givenCodes, y.givenCodes, x.givenGroups, y.givenGroups),
    family: comparePart(x.family, y.family, x.familyCodes, y.familyCodes),
    swapped: false,
  };
  if (straight.given === 'exact' && straight.family === 'exact') return straight;
  const swapped = {
    given: comparePart(x.given, y.family, x.givenCodes, y.familyCodes, x.givenGroups, y.familyGroups),
    family: comparePart(x.family, y.given, x.familyCodes, y.givenCodes, x.familyGroups, y.givenGroups),
    swapped: true,
  };
  const score = (m: NameMatch) =>
    Math.max(rank(m.given), rank(m.family)) * 10 + rank(m.given) + rank(m.family);
  return score(swapped) < score(straight) ? swapped : straight;
}

function partWords(level: PartLevel, a: string, b: string): string | null {
  const A = cap(a);
  const B = cap(b);
  switch (level) {
    case 'variant': {
      const c = canonicalForm(a) ?? canonicalForm(b) ?? a;
      return `${A} and ${B} are forms of one name (${cap(c)})`;
    }
    case 'phonetic':
      return `${A} and ${B} sound alike`;
    case 'close':
      return distance(a, b) === 1 ? `${A} and ${B} differ by one letter` : `${A} and ${B} are spelt alike`;
    case 'initial':
      return a.length === 1 ? `${A} is the initial of ${B}` : `${B} is the initial of ${A}`;
    default:
      return null;
  }
}

function compareName(x: PersonName, y: PersonName, f: Frequencies, out: Comparison): void {
  const m = nameMatch(x, y);
  const worst = PART_ORDER[Math.max(rank(m.given), rank(m.family))];
  const [yg, yf] = m.swapped ? [y.family, y.given] : [y.given, y.family];
  if (m.family === 'differ' || m.given === 'differ' || (m.family === 'missing' && m.given === 'missing')) {
    out.weight += log2ratio(NAME_LEVELS.differ);
    out.evidence.push('names differ');
    return;
  }
  let w: number;
  if (worst === 'exact') {
    w = tf(NAME_LEVELS.exact, f.names.get(nameKey(x)), f.total.get('Person'));
    out.evidence.push(m.swapped ? 'same names' : 'same name');
  } else if (m.given === 'missing' || m.family === 'missing' || worst === 'initial') {
    w = log2ratio(NAME_LEVELS.initial);
    if (m.given === 'missing' || m.family === 'missing') out.evidence.push('only one name on one record');
  } else {
    w = log2ratio(NAME_LEVELS[worst as 'variant' | 'phonetic' | 'close']);
  }
  for (const [level, a, b] of [
    [m.given, x.given, yg],
    [m.family, x.family, yf],
  ] as const) {
    const words = partWords(level, a, b);
    if (words) out.evidence.push(words);
  }
  if (m.swapped) {
    w -= SWAPPED_PENALTY;
    out.evidence.push('given and family names swapped');
  }
  out.weight += w;
}

function compareDob(x: DateParts | undefined, y: DateParts | undefined, f: Frequencies, out: Comparison) {
  if (!x || !y) {
    if (x || y) out.evidence.push('date of birth missing on one record');
    return;
  }
  if (x.raw === y.raw) {
    out.weight += tf(DOB_LEVELS.exact, f.dobs.get(x.raw), f.total.get('Person'));
    out.evidence.push(`same date of birth (${x.raw})`);
    return;
  }
  const same = (x.y === y.y ? 1 : 0) + (x.m === y.m ? 1 : 0) + (x.d === y.d ? 1 : 0);
  const transposed = x.y === y.y && x.m === y.d && x.d === y.m;
  if (same === 2 || transposed) {
    out.weight += log2ratio(DOB_LEVELS.onePart);
    out.evidence.push(
      transposed
        ? `dates of birth with day and month swapped (${x.raw}, ${y.raw})`
        : `dates of birth differ in one part (${x.raw}, ${y.raw})`,
    );
    return;
  }
  out.weight += log2ratio(DOB_LEVELS.differ);
  out.evidence.push(`different dates of birth (${x.raw}, ${y.raw})`);
}

const SHARE_WORDS: Record<string, (label: string) => string> = {
  Phone: (l) => `both use ${l}`,
  Vehicle: (l) => `both linked to vehicle ${l}`,
  Location: (l) => `both linked to ${l}`,
  Person: (l) => `both used by ${l}`,
};

/** Shared linked things: at most one of each type counts (two shared phones are not twice the proof). */
function compareShared(x: Prepared, y: Prepared, out: Comparison, types: readonly string[]): void {
  const [small, big] = x.linked.size <= y.linked.size ? [x, y] : [y, x];
  const counted = new Set<string>();
  for (const [id, l] of small.linked) {
    if (!types.includes(l.type) || !big.linked.has(id)) continue;
    if (!counted.has(l.type)) {
      counted.add(l.type);
      out.weight += log2ratio(SHARED_LEVELS[l.type as keyof typeof SHARED_LEVELS]);
    }
    out.evidence.push(SHARE_WORDS[l.type](l.label));
  }
}

export function comparePeople(x: Prepared, y: Prepared, f: Frequencies): Comparison {
  const out: Comparison = { weight: 0, evidence: [] };
  compareName(x.name!, y.name!, f, out);
  compareDob(x.dob, y.dob, f, out);
  if (x.reference && y.reference) {
    if (x.reference === y.reference) {
      out.weight += log2ratio(REFERENCE_LEVELS.same);
      out.evidence.push(`same reference (${x.reference})`);
    } else {
      out.weight += log2ratio(REFERENCE_LEVELS.differ);
      out.evidence.push(`different references (${x.reference}, ${y.reference})`);
    }
  }
  compareShared(x, y, out, ['Phone', 'Vehicle', 'Location']);
  return out;
}

function identifier(
  a: string | undefined,
  b: string | undefined,
  same: Level,
  differ: Level,
  words: (v: string) => string,
  out: Comparison,
): void {
  if (!a || !b) return;
  if (a === b) {
    out.weight += log2ratio(same);
    out.evidence.push(words(a));
  } else out.weight += log2ratio(differ);
}

export function comparePhones(x: Prepared, y: Prepared): Comparison {
  const out: Comparison = { weight: 0, evidence: [] };
  const L = PHONE_LEVELS;
  identifier(x.imei, y.imei, L.imeiSame, L.imeiDiffer, (v) => `same handset (IMEI ${v})`, out);
  identifier(x.imsi, y.imsi, L.imsiSame, L.imsiDiffer, (v) => `same SIM (IMSI ${v})`, out);
  if (x.digits && y.digits && x.digits !== y.digits && x.digits.length >= 9) {
    const d = distance(x.digits, y.digits);
    if (d === 1 || (d === 2 && transposition(x.digits, y.digits))) {
      out.weight += log2ratio(L.numberClose);
      out.evidence.push(
        d === 1
          ? `numbers differ by one digit (${x.record.label}, ${y.record.label})`
          : `numbers with two digits swapped (${x.record.label}, ${y.record.label})`,
      );
    }
  }
  compareShared(x, y, out, ['Person']);
  return out;
}

/** b is a with two neighbouring characters swapped. */
export function transposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Characters a witness or a camera confuses. */
const LOOKALIKE: Record<string, string> = { O: '0', I: '1', S: '5', B: '8', Z: '2', G: '6', Q: '0', D: '0' };
const lookalike = (s: string) => s.replace(/[OISBZGQD]/g, (c) => LOOKALIKE[c]);

/** How two marks agree: one character apart, partly read, or not at all. */
export function markLevel(a: string, b: string): 'close' | 'partial' | null {
  if (a === b) return null;
  const wild = a.includes('?') || b.includes('?');
  if (wild && a.length === b.length && [...a].every((c, i) => c === '?' || b[i] === '?' || c === b[i])) {
    return 'partial';
  }
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length >= 4 && s.length < l.length && !wild && (l.startsWith(s) || l.endsWith(s))) return 'partial';
  if (distance(a, b) === 1 || transposition(a, b) || lookalike(a) === lookalike(b)) return 'close';
  return null;
}

export function compareVehicles(x: Prepared, y: Prepared): Comparison {
  const out: Comparison = { weight: 0, evidence: [] };
  const L = VEHICLE_LEVELS;
  const level = x.mark && y.mark ? markLevel(x.mark, y.mark) : null;
  if (level === 'close') {
    out.weight += log2ratio(L.markClose);
    out.evidence.push(`marks differ by one character (${x.record.label}, ${y.record.label})`);
  } else if (level === 'partial') {
    out.weight += log2ratio(L.markPartial);
    out.evidence.push(`one mark is part of the other (${x.record.label}, ${y.record.label})`);
  } else return out;
  identifier(x.make, y.make, L.makeSame, L.makeDiffer, (v) => `same make (${cap(v)})`, out);
  if (x.make && y.make && x.make !== y.make) out.evidence.push(`different makes (${x.make}, ${y.make})`);
  identifier(x.colour, y.colour, L.colourSame, L.colourDiffer, (v) => `same colour (${v})`, out);
  if (x.colour && y.colour && x.colour !== y.colour) {
    out.evidence.push(`different colours (${x.colour}, ${y.colour})`);
  }
  compareShared(x, y, out, ['Person']);
  return out;
}
