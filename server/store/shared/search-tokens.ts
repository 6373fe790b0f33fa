// Search text cut into the words both full-text indexes (SQLite FTS5 unicode61, Neo4j's Lucene) make of it,
// and the sound-alike keys that let a search forgive spelling: each word of a label is indexed with its
// Double Metaphone codes and its consonant skeleton (plain and sorted), written as made-up words
// ("xphsm0", "xsksmt") in the entity's search text, so "Smth", "Smyth" and "Smiht" meet "Smith" through the
// same index as every other search, never a scan.
import { doubleMetaphone } from 'double-metaphone';

/** At most 32 words, NFC; punctuation and operators are only separators. */
export function ftsTokens(query: string): string[] {
  return query
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 32);
}

/** Lower case, accents gone, letters only ("O'Brien" is "obrien"); "" for a word with digits. */
function foldWord(w: string): string {
  if (/\d/.test(w)) return '';
  return w
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** First letter, then the consonants without h, w and y, repeats collapsed: Smith, Smyth and Smth are "smt". */
export function skeleton(folded: string): string {
  let out = folded[0] ?? '';
  for (let i = 1; i < folded.length; i++) {
    const ch = folded[i];
    if ('aeiouhwy'.includes(ch) || ch === out[out.length - 1]) continue;
    out += ch;
  }
  return out;
}

/** Sound-alike keys of one word (three letters or more): its codes, skeleton and sorted skeleton. */
export function fuzzyKeys(word: string): string[] {
  const f = foldWord(word);
  if (f.length < 3) return [];
  const [a, b] = doubleMetaphone(f);
  const sk = skeleton(f);
  const keys = new Set<string>();
  if (a) keys.add(`xph${a.toLowerCase()}`);
  if (b) keys.add(`xph${b.toLowerCase()}`);
  if (sk.length >= 2) {
    keys.add(`xsk${sk}`);
    keys.add(`xso${sk[0]}${[...sk.slice(1)].sort().join('')}`);
  }
  return [...keys];
}

/** The sound-alike keys of a label's words, for the stored search text (at most 16 words). */
export function fuzzyText(label: string): string {
  const keys = new Set<string>();
  for (const w of ftsTokens(label).slice(0, 16)) for (const k of fuzzyKeys(w)) keys.add(k);
  return [...keys].join(' ');
}

/**
 * A search's words as sets of alternatives for the forgiving pass: a word of three letters or more by its
 * sound-alike keys, a shorter word or one with digits as itself. Null when no word has keys (the exact pass
 * already said all there is).
 */
export function fuzzyQuery(query: string): string[][] | null {
  const words = ftsTokens(query);
  let any = false;
  const out = words.map((w) => {
    const keys = fuzzyKeys(w);
    if (keys.length) any = true;
    return keys.length ? keys : [w];
  });
  return any ? out : null;
}

/**
 * Exact hits first, then the similar ones not already found, to `limit`; similar hits score below every
 * exact one (each pass keeps its own order).
 */
export function exactThenSimilar<E extends { id: string }>(
  exact: { entity: E; score: number }[],
  similar: { entity: E; score: number }[],
  limit: number,
): { entity: E; score: number; match: 'exact' | 'similar' }[] {
  const out: { entity: E; score: number; match: 'exact' | 'similar' }[] = exact
    .slice(0, limit)
    .map((h) => ({ ...h, match: 'exact' }));
  const seen = new Set(out.map((h) => h.entity.id));
  let floor = Math.min(0, ...out.map((h) => h.score));
  for (const h of similar) {
    if (out.length >= limit) break;
    if (seen.has(h.entity.id)) continue;
    seen.add(h.entity.id);
    floor -= 1;
    out.push({ entity: h.entity, score: floor, match: 'similar' });
  }
  return out;
}
