// The labelled duplicate set: people, phones and vehicles as a force's records hold them, where some
// subjects were recorded more than once with the mistakes records really carry (typos, transliterations and
// short forms, swapped names, initials, a missing or mistyped date of birth, a mistyped phone number or
// mark, a partly read mark) and some different people share a name (namesakes: same name, different date of
// birth, nothing shared). The ground truth is each record's subject; bench/suites/45-dedupe.ts measures the
// resolver's proposals against it. Deterministic: the same seed gives the same set.
import type { ResolverRecord } from '../server/dedupe/types.ts';
import { createRng, type Rng } from './random.ts';
import { DUPE_FAMILY, DUPE_GIVEN } from './dupes-names.ts';
import variants from '../server/dedupe/name-variants.json' with { type: 'json' };

export interface DupeSetOptions {
  people: number;
  seed?: number;
  /** Share of people recorded twice (a few of them three times). */
  duplicateRate?: number;
  /** Share of people who are namesakes of someone else. */
  namesakeRate?: number;
}

export type DupeKind =
  | 'typo'
  | 'variant'
  | 'swapped'
  | 'missing-dob'
  | 'dob-typo'
  | 'initial'
  | 'phonetic'
  | 'phone-handset'
  | 'phone-typo'
  | 'mark-typo'
  | 'mark-partial';

export interface DupeSet {
  records: ResolverRecord[];
  /** Each record's subject: records with one subject are one real person, phone or vehicle. */
  subject: Map<string, string>;
  /** How each duplicate record was made (by record id). */
  kind: Map<string, DupeKind>;
  /** Namesake records (a different person given an existing person's name). */
  namesakes: string[];
}

const MAKES = [
  'Ford',
  'Vauxhall',
  'Volkswagen',
  'BMW',
  'Audi',
  'Toyota',
  'Nissan',
  'Peugeot',
  'Honda',
  'Kia',
];
const COLOURS = ['black', 'white', 'silver', 'grey', 'blue', 'red', 'green'];
const LETTERS = 'ABCDEFGHJKLMNOPRSTUVWXYZ';
const KINDS: DupeKind[] = ['typo', 'variant', 'swapped', 'missing-dob', 'dob-typo', 'initial', 'phonetic'];

/** Zipf-like draw: the first names of a list are the commonest, as real name frequencies. */
function zipf(rng: Rng, xs: readonly string[], s = 0.5): () => string {
  const w = xs.map((_, i) => 1 / (i + 1) ** s);
  const cum: number[] = [];
  let t = 0;
  for (const x of w) cum.push((t += x));
  return () => {
    const r = rng.next() * t;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return xs[lo];
  };
}

function shuffle<T>(rng: Rng, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function typo(rng: Rng, s: string): string {
  if (s.length < 3) return s + 'e';
  const i = rng.int(1, s.length - 2);
  const c = 'aeiournstl'[rng.int(0, 9)];
  switch (rng.int(0, 3)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1); // a letter dropped
    case 1:
      return s.slice(0, i) + c + s.slice(i); // one added
    case 2:
      return s.slice(0, i) + (s[i] === c ? 'y' : c) + s.slice(i + 1); // one wrong
    default:
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // two swapped
  }
}

/** A spelling that sounds the same (Smith, Smyth; Philips, Fillips). */
function phonetic(rng: Rng, s: string): string {
  const rules: [RegExp, string][] = [
    [/ph/i, 'f'],
    [/i/, 'y'],
    [/y/, 'i'],
    [/ck/, 'k'],
    [/([bdglmnprst])\1/, '$1'],
    [/([bdglmnprst])(?!\1)/, '$1$1'],
    [/ee/, 'ea'],
    [/ou/, 'ow'],
  ];
  for (let k = 0; k < 4; k++) {
    const [re, to] = rules[rng.int(0, rules.length - 1)];
    const out = s[0] + s.slice(1).replace(re, to);
    if (out !== s) return out;
  }
  return typo(rng, s);
}

const GROUP_OF = new Map<string, string[]>();
for (const g of variants.groups) for (const form of g) GROUP_OF.set(form, g);
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

function dobTypo(rng: Rng, dob: string): string {
  const [y, m, d] = dob.split('-').map(Number);
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (rng.int(0, 3)) {
    case 0:
      return `${y}-${pad(m)}-${pad(d === 28 ? 27 : d + 1)}`;
    case 1:
      return `${y}-${pad(m === 12 ? 11 : m + 1)}-${pad(d)}`;
    case 2:
      return `${y + (rng.chance(0.5) ? 1 : -1)}-${pad(m)}-${pad(d)}`;
    default:
      return d <= 12 && d !== m ? `${y}-${pad(d)}-${pad(m)}` : `${y}-${pad(m)}-${pad(d === 28 ? 27 : d + 1)}`;
  }
}

export function generateDupeSet(opts: DupeSetOptions): DupeSet {
  const rng = createRng(opts.seed ?? 19);
  const dupRate = opts.duplicateRate ?? 0.15;
  const namesakeRate = opts.namesakeRate ?? 0.05;
  // Shuffled so the commonest names are not the alphabetically first.
  const given = zipf(rng, shuffle(rng, DUPE_GIVEN));
  const family = zipf(rng, shuffle(rng, DUPE_FAMILY), 0.4);
  const records: ResolverRecord[] = [];
  const subject = new Map<string, string>();
  const kind = new Map<string, DupeKind>();
  const namesakes: string[] = [];
  const namesakeIds = new Set<string>();
  const linkedOf = new Map<string, ResolverRecord['linked']>();
  const byId = new Map<string, ResolverRecord>();
  let nPhone = 0;
  let nVehicle = 0;
  let nAddress = 0;
  let nPerson = 0;
  let nRecord = 0;

  const link = (
    a: ResolverRecord,
    b: ResolverRecord | { id: string; type: string; label: string },
    rel: string,
  ) => {
    a.linked.push({ id: b.id, type: b.type, label: b.label, relation: rel });
    if ('linked' in b) b.linked.push({ id: a.id, type: a.type, label: a.label, relation: rel });
  };
  const add = (r: ResolverRecord, subj: string) => {
    records.push(r);
    byId.set(r.id, r);
    subject.set(r.id, subj);
    return r;
  };
  const newPhone = (subj?: string): ResolverRecord => {
    const n = nPhone++;
    const national = `07${String(700_000_000 + ((n * 7_919 + 12_345) % 299_999_999)).padStart(9, '0')}`;
    const attributes: Record<string, unknown> = { number: `+44${national.slice(1)}` };
    if (rng.chance(0.8)) attributes['imei'] = String(35_000_000_000_000 + n * 37);
    if (rng.chance(0.5)) attributes['imsi'] = String(234_100_000_000_000 + n * 53);
    const id = `T${String(nRecord++).padStart(7, '0')}`;
    return add(
      { id, type: 'Phone', label: `${national.slice(0, 5)} ${national.slice(5)}`, attributes, linked: [] },
      subj ?? id,
    );
  };
  const newVehicle = (): ResolverRecord => {
    const n = nVehicle++;
    // A local force's marks: a few area codes, the age identifiers of twenty-odd years, three random letters.
    const area = ['MA', 'MB', 'MC', 'MD', 'ME', 'MF', 'MG', 'ML', 'DA', 'DB'][rng.int(0, 9)];
    const age = String(
      [
        51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 2, 3,
        4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
      ][rng.int(0, 46)],
    ).padStart(2, '0');
    const mark = `${area}${age} ${LETTERS[rng.int(0, 23)]}${LETTERS[rng.int(0, 23)]}${LETTERS[rng.int(0, 23)]}`;
    void n;
    const id = `V${String(nRecord++).padStart(7, '0')}`;
    return add(
      {
        id,
        type: 'Vehicle',
        label: mark,
        attributes: { vrm: mark.replace(' ', ''), make: rng.pick(MAKES), colour: rng.pick(COLOURS) },
        linked: [],
      },
      id,
    );
  };
  const newPerson = (
    g: string,
    f: string,
    attributes: Record<string, unknown>,
    subj?: string,
  ): ResolverRecord => {
    const id = `P${String(nRecord++).padStart(7, '0')}`;
    return add(
      { id, type: 'Person', label: g ? `${g} ${f}` : f, attributes, linked: [] },
      subj ?? `S${nPerson++}`,
    );
  };
  const dob = () =>
    `${rng.int(1950, 2008)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;

  // Subjects, in households (one family name and address, up to four people).
  const originals: ResolverRecord[] = [];
  while (originals.length < opts.people) {
    const f = family();
    const size = rng.chance(0.6) ? 1 : rng.int(2, 4);
    const address = rng.chance(0.6)
      ? {
          id: `A${nAddress}`,
          type: 'Location',
          label: `${1 + (nAddress % 200)} ${cap(['high', 'station', 'church', 'park', 'mill'][nAddress % 5])} Street, ${nAddress++}`,
        }
      : null;
    for (let k = 0; k < size && originals.length < opts.people; k++) {
      const namesake = originals.length > 0 && rng.chance(namesakeRate) ? rng.pick(originals) : null;
      const [g, fam] = namesake
        ? [namesake.attributes['given'] as string, namesake.attributes['family'] as string]
        : [given(), f];
      const p = newPerson(`${g}`, fam, {
        dob: dob(),
        externalRef: rng.chance(0.7) ? `PNC/${nRecord}` : undefined,
        given: g,
        family: fam,
      });
      if (namesake) {
        namesakes.push(p.id);
        namesakeIds.add(p.id);
      }
      const phones = rng.chance(0.2) ? rng.int(2, 3) : 1;
      for (let i = 0; i < phones; i++) link(p, newPhone(), 'USES');
      if (address && !namesake) link(p, address, 'RESIDES_AT');
      if (rng.chance(0.25)) link(p, newVehicle(), 'OWNS');
      originals.push(p);
    }
  }
  for (const p of originals) linkedOf.set(p.id, [...p.linked]);

  // Duplicate records of some subjects.
  for (const o of originals) {
    if (namesakeIds.has(o.id) || !rng.chance(dupRate)) continue;
    const copies = rng.chance(0.2) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const k = rng.pick(KINDS);
      let g = o.attributes['given'] as string;
      let f = o.attributes['family'] as string;
      let d: string | undefined = o.attributes['dob'] as string;
      let label: string | undefined;
      switch (k) {
        case 'typo':
          if (rng.chance(0.5)) g = typo(rng, g);
          else f = typo(rng, f);
          if (rng.chance(0.1)) d = undefined;
          break;
        case 'variant': {
          const group = GROUP_OF.get(g.toLowerCase());
          const other = group?.filter((x) => x !== g.toLowerCase());
          g = other?.length ? cap(rng.pick(other)) : typo(rng, g);
          break;
        }
        case 'swapped':
          label = `${f} ${g}`;
          break;
        case 'missing-dob':
          d = undefined;
          break;
        case 'dob-typo':
          d = dobTypo(rng, d);
          break;
        case 'initial':
          g = g[0];
          break;
        case 'phonetic':
          if (rng.chance(0.5)) g = phonetic(rng, g);
          else f = phonetic(rng, f);
          break;
      }
      const attributes: Record<string, unknown> = {};
      if (d) attributes['dob'] = d;
      const r = newPerson(g, f, attributes, subject.get(o.id));
      if (label) r.label = label;
      kind.set(r.id, k);
      // Another report of the same subject often carries the same phone or address.
      for (const l of linkedOf.get(o.id) ?? []) {
        const share = l.type === 'Phone' ? 0.5 : l.type === 'Location' ? 0.4 : 0.3;
        if (rng.chance(share)) link(r, byId.get(l.id) ?? l, l.relation);
      }
      if (rng.chance(0.3)) link(r, newPhone(), 'USES');
    }
  }

  // Duplicate phones (the same handset recorded under another number, or a number mistyped) and vehicles
  // (a mark mistyped or partly read).
  for (const p of records.filter((r) => r.type === 'Phone')) {
    if (!rng.chance(0.04)) continue;
    const users = p.linked.filter((l) => l.type === 'Person');
    const subj = subject.get(p.id)!;
    if (p.attributes['imei'] && rng.chance(0.5)) {
      const q = newPhone(subj);
      q.attributes['imei'] = p.attributes['imei'];
      kind.set(q.id, 'phone-handset');
      for (const u of users) if (rng.chance(0.5)) link(byId.get(u.id)!, q, 'USES');
    } else {
      const digits = String(p.attributes['number']).slice(3);
      const i = rng.int(3, digits.length - 1);
      const wrong =
        digits.slice(0, i) + String((Number(digits[i]) + rng.int(1, 9)) % 10) + digits.slice(i + 1);
      const national = `0${wrong}`;
      const id = `T${String(nRecord++).padStart(7, '0')}`;
      const q = add(
        {
          id,
          type: 'Phone',
          label: `${national.slice(0, 5)} ${national.slice(5)}`,
          attributes: { number: `+44${wrong}` },
          linked: [],
        },
        subj,
      );
      kind.set(q.id, 'phone-typo');
      for (const u of users) link(byId.get(u.id)!, q, 'USES');
    }
  }
  for (const v of records.filter((r) => r.type === 'Vehicle')) {
    if (!rng.chance(0.06)) continue;
    const mark = String(v.attributes['vrm']);
    const partial = rng.chance(0.4);
    const i = rng.int(0, mark.length - 1);
    const wrongMark = partial
      ? rng.chance(0.5)
        ? mark.slice(0, i) + '?' + mark.slice(i + 1)
        : mark.slice(0, mark.length - 1)
      : rng.chance(0.5)
        ? mark.slice(0, i) + LETTERS[(LETTERS.indexOf(mark[i]) + 1 + rng.int(0, 20)) % 24] + mark.slice(i + 1)
        : i < mark.length - 1
          ? mark.slice(0, i) + mark[i + 1] + mark[i] + mark.slice(i + 2)
          : mark.slice(0, i);
    if (wrongMark === mark) continue;
    const id = `V${String(nRecord++).padStart(7, '0')}`;
    const attributes: Record<string, unknown> = { vrm: wrongMark };
    if (rng.chance(0.8)) attributes['make'] = v.attributes['make'];
    if (rng.chance(0.6)) attributes['colour'] = v.attributes['colour'];
    const q = add({ id, type: 'Vehicle', label: wrongMark, attributes, linked: [] }, subject.get(v.id)!);
    kind.set(q.id, partial ? 'mark-partial' : 'mark-typo');
    for (const u of v.linked) if (rng.chance(0.5)) link(byId.get(u.id)!, q, 'OWNS');
  }
  // The resolver reads names from the label (as from the store); the generator's own fields go.
  for (const r of records) {
    delete r.attributes['given'];
    delete r.attributes['family'];
    if (r.attributes['externalRef'] === undefined) delete r.attributes['externalRef'];
  }
  return { records, subject, kind, namesakes };
}

/** Pairs of records of one subject (the true duplicates), as "a|b" with a < b. */
export function truePairs(set: DupeSet): Set<string> {
  const bySubject = new Map<string, string[]>();
  for (const [id, s] of set.subject) {
    const list = bySubject.get(s);
    if (list) list.push(id);
    else bySubject.set(s, [id]);
  }
  const pairs = new Set<string>();
  for (const ids of bySubject.values()) {
    ids.sort();
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) pairs.add(`${ids[i]}|${ids[j]}`);
  }
  return pairs;
}
