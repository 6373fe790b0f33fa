// Blocking: only records that share a key are compared, so the work grows with the records, not their
// square. A key is a way two records of one subject could still agree when their spelling does not:
// people by the sound of their names (either order, short forms folded to the full name), by name initial,
// by date of birth and by a phone, vehicle or address they share; phones by handset, SIM, user and a number
// one digit out (each third of it left out in turn); vehicles by their mark with any one character left out (so one mistyped, missing or extra
// character still meets) and by its sorted characters (two swapped).
import { canonicalForm, soundCodes } from './names.ts';
import type { Prepared } from './prepare.ts';

/**
 * A key that starts with this marks its record as a probe: within that key's block only pairs with at
 * least one probe are compared (an initial against full names, never full names against each other).
 */
export const PROBE = '>';

/** Marks with each one character left out, and the mark itself. */
export function deletionKeys(s: string): string[] {
  const keys = [s];
  for (let i = 0; i < s.length; i++) keys.push(s.slice(0, i) + s.slice(i + 1));
  return keys;
}

function personKeys(p: Prepared, keys: string[]): void {
  const n = p.name!;
  const canon = canonicalForm(n.given) ?? n.given;
  const g = canon ? (canon === n.given ? n.givenCodes[0] : soundCodes(canon)[0]) : '';
  const f = n.familyCodes[0];
  // Sound of both names in sorted order: the same key whichever way round they were written.
  if (g && f) keys.push(`n:${g < f ? `${g}|${f}` : `${f}|${g}`}`);
  // Initials: "J Smith" meets every Smith whose given name starts with J; the resolver compares only the
  // pairs with an initial in them (probeKey), so the block's size does not square.
  if (f && n.given) keys.push(`${n.given.length === 1 ? PROBE : ''}i:${f}|${n.given[0]}`);
  if (f && !n.given) keys.push(`${PROBE}f:${f}`);
  if (p.dob) keys.push(`d:${p.dob.raw}`);
  for (const [id, l] of p.linked) if (l.type !== 'Person') keys.push(`l:${id}`);
}

function phoneKeys(p: Prepared, keys: string[]): void {
  if (p.imei) keys.push(`e:${p.imei}`);
  if (p.imsi) keys.push(`s:${p.imsi}`);
  for (const [id, l] of p.linked) if (l.type === 'Person') keys.push(`l:${id}`);
  // A number with one digit wrong agrees with the right one in two of its three thirds: one key per third
  // left out. (Two neighbouring digits swapped within a third meet the same way.)
  if (p.digits && p.digits.length >= 9) {
    const d = p.digits;
    const a = Math.floor(d.length / 3);
    const b = Math.floor((2 * d.length) / 3);
    keys.push(`#1:${d.slice(a)}`, `#2:${d.slice(0, a)}.${d.slice(b)}`, `#3:${d.slice(0, b)}`);
  }
}

function vehicleKeys(p: Prepared, keys: string[]): void {
  if (!p.mark) return;
  const known = p.mark.replace(/\?/g, '');
  for (const k of deletionKeys(p.mark)) keys.push(`m:${k}`);
  // A partial mark ("AB12 C?E") meets the full one where the unknown character is left out.
  if (known !== p.mark) for (const k of deletionKeys(known)) keys.push(`m:${k}`);
  keys.push(`o:${[...p.mark].sort().join('')}`);
}

/** Every blocking key of a record, prefixed by its type so types never meet. */
export function blockingKeys(p: Prepared): string[] {
  const keys: string[] = [];
  if (p.record.type === 'Person') personKeys(p, keys);
  else if (p.record.type === 'Phone') phoneKeys(p, keys);
  else if (p.record.type === 'Vehicle') vehicleKeys(p, keys);
  return keys.map((k) =>
    k.startsWith(PROBE) ? `${PROBE}${p.record.type}|${k.slice(1)}` : `${p.record.type}|${k}`,
  );
}
