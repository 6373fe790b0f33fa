// Identifier normalisation: the same real thing found twice must produce the same natural key.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { stripUnsafe } from './text.ts';

/**
 * Trim, collapse inner white space and Unicode-normalise (NFC) a name, dropping the control and
 * bidirectional-override characters a label may not hold (text.ts): an imported name is cleaned of them,
 * a name typed into the API is refused with them.
 */
export function normaliseName(s: string): string {
  return stripUnsafe(s.normalize('NFC').replace(/\s+/g, ' ')).replace(/ {2,}/g, ' ').trim();
}

/** Phone numbers to E.164; UK national forms (07700 900123) are read as GB. Returns null if not a number. */
export function normalisePhone(raw: string, defaultCountry: 'GB' | string = 'GB'): string | null {
  const s = raw.trim();
  if (!s) return null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- libphonenumber's CountryCode union is not exported as a runtime list
  const parsed = parsePhoneNumberFromString(s.startsWith('00') ? '+' + s.slice(2) : s, defaultCountry as any);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

/**
 * How a number is shown (the key stays E.164): UK numbers in the national form analysts read and dial
 * (07700 900123), others in the international form (+33 6 12 34 56 78). Anything unparsable as given.
 */
export function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  // By calling code, not country: the metadata leaves some UK ranges (Ofcom's drama numbers) without one.
  return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational();
}

/** Vehicle registration marks: upper case, no spaces or punctuation. */
export function normaliseVrm(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

// DVLA's formats, each shown with its space: current (AB12 CDE), prefix (A123 BCD), suffix (ABC 123D),
// dateless and Northern Irish (ABZ 1234, 1234 AB). Anything else (a foreign plate) is shown as keyed.
const VRM_FORMS: RegExp[] = [
  /^([A-Z]{2}[0-9]{2})([A-Z]{3})$/,
  /^([A-Z][0-9]{1,3})([A-Z]{3})$/,
  /^([A-Z]{3})([0-9]{1,3}[A-Z])$/,
  /^([A-Z]{1,3})([0-9]{1,4})$/,
  /^([0-9]{1,4})([A-Z]{1,3})$/,
];

/** How a registration is shown (the key stays without spaces): UK marks as printed on the plate. */
export function displayVrm(vrm: string): string {
  for (const form of VRM_FORMS) {
    const m = form.exec(vrm);
    if (m) return `${m[1]} ${m[2]}`;
  }
  return vrm;
}

/** UK postcodes: upper case with a single space before the inward code (SW1A1AA -> SW1A 1AA). */
export function normalisePostcode(raw: string): string {
  const s = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (s.length < 5) return s;
  return `${s.slice(0, -3)} ${s.slice(-3)}`;
}

/** Account identifiers: digits and letters only, upper case (IBAN, sort code + number). */
export function normaliseAccount(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
