// User search text to an FTS5 MATCH expression. The text is plain words, never query syntax: it is cut into
// the same tokens the unicode61 tokenizer makes and each is quoted, so quotes, operators (AND, OR, NEAR)
// and punctuation in the input are only ever searched for as words.
import { normalisePhone } from '../../domain/normalise.ts';
import { ftsTokens, fuzzyQuery } from '../shared/search-tokens.ts';

/** The MATCH expression, or null when the text holds nothing searchable. The last word matches as a prefix. */
export function ftsMatch(query: string): string | null {
  const tokens = ftsTokens(query);
  if (tokens.length === 0) return null;
  const quoted = tokens.map((t, i) => `"${t}"${i === tokens.length - 1 ? '*' : ''}`).join(' ');
  // A phone number typed in national form (07700 900123) is stored in E.164 (+447700900123).
  const digits = query.replace(/[\s()-]/g, '');
  if (/^\+?\d{6,}$/.test(digits)) {
    const e164 = normalisePhone(digits);
    if (e164) return `(${quoted}) OR "${e164.slice(1)}"`;
  }
  return quoted;
}

/** The forgiving pass: every word by any of its sound-alike keys (indexed in search_text), or null. */
export function ftsFuzzyMatch(query: string): string | null {
  const words = fuzzyQuery(query);
  if (!words) return null;
  return words.map((alts) => `(${alts.map((a) => `"${a}"`).join(' OR ')})`).join(' AND ');
}
