// Each record made ready for comparison once (folded names, sound codes, date parts, identifiers, what it
// shares), so a pair's comparison is only lookups and a few string measures.
import type { ResolverRecord } from './types.ts';
import { parseName, type PersonName } from './names.ts';

export interface DateParts {
  raw: string;
  y: number;
  m: number;
  d: number;
}

export interface Prepared {
  record: ResolverRecord;
  name?: PersonName;
  dob?: DateParts;
  reference?: string;
  imei?: string;
  imsi?: string;
  /** A phone's number as digits (national form, no leading 0 or 44). */
  digits?: string;
  /** A vehicle's mark: upper case letters and digits, "?" for a character not read. */
  mark?: string;
  make?: string;
  colour?: string;
  /** Linked things by id: their type and label (what two records can share). */
  linked: Map<string, { type: string; label: string }>;
}

function str(a: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = a[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

export function parseDate(s: string | undefined): DateParts | undefined {
  const m = s ? /^(\d{4})-(\d{2})-(\d{2})/.exec(s) : null;
  if (!m) return undefined;
  return { raw: m[0], y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

/** "+44 7700 900123", "07700900123" and "7700 900123" are one number. */
export function phoneDigits(s: string): string {
  let d = s.replace(/\D/g, '');
  if (d.startsWith('44')) d = d.slice(2);
  return d.replace(/^0+/, '');
}

/** A registration mark, upper case, spaces gone; characters not read ("?", "*", "_") become "?". */
export function foldMark(s: string): string {
  return s
    .toUpperCase()
    .replace(/[?*_]/g, '?')
    .replace(/[^A-Z0-9?]/g, '');
}

const lower = (s: string | undefined) => s?.toLowerCase();

export function prepare(r: ResolverRecord): Prepared {
  const a = r.attributes;
  const linked = new Map<string, { type: string; label: string }>();
  for (const l of r.linked) linked.set(l.id, { type: l.type, label: l.label });
  const p: Prepared = { record: r, linked };
  if (r.type === 'Person') {
    p.name = parseName(r.label, a);
    p.dob = parseDate(str(a, 'dob', 'dateOfBirth', 'date_of_birth'));
    p.reference = str(a, 'externalRef', 'reference', 'pnc')?.toUpperCase();
  } else if (r.type === 'Phone') {
    p.imei = str(a, 'imei')?.replace(/\D/g, '').slice(0, 14) || undefined;
    p.imsi = str(a, 'imsi')?.replace(/\D/g, '') || undefined;
    p.digits = phoneDigits(str(a, 'number') ?? r.label) || undefined;
  } else if (r.type === 'Vehicle') {
    p.mark = foldMark(str(a, 'vrm') ?? r.label) || undefined;
    p.make = lower(str(a, 'make'));
    p.colour = lower(str(a, 'colour', 'color'));
  }
  return p;
}

/** The inputs compared, in a stable form: a proposal's fingerprint hashes both records' (made only for proposals). */
export function comparedInputs(p: Prepared): string {
  return JSON.stringify([
    p.record.type,
    p.name?.full ?? null,
    p.dob?.raw ?? null,
    p.reference ?? null,
    p.imei ?? null,
    p.imsi ?? null,
    p.digits ?? null,
    p.mark ?? null,
    p.make ?? null,
    p.colour ?? null,
    [...p.linked.keys()].sort(),
  ]);
}
