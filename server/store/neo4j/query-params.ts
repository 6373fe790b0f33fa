// Caller input turned into query parameters: a view filter for the queries that filter links, and search text
// as a Lucene query that can mean nothing but the words typed.
import type { MinGrading, ViewFilter } from '../../domain/model.ts';
import { intelRank } from '../../domain/grading.ts';
import { normalisePhone } from '../../domain/normalise.ts';
import { ftsTokens, fuzzyQuery } from '../shared/search-tokens.ts';
import { dateMs } from '../shared/values.ts';
import type { Row } from './executor.ts';
import { gradeCode } from './rows.ts';

/** Grading codes at least as good as `min`: a link passes if it carries any of them. */
export function allowedCodes(min: MinGrading): string[] {
  const out: string[] = [];
  for (let s = 1; s <= min.source; s++) {
    for (let i = 0; i <= intelRank(min.intel); i++) out.push(gradeCode(s, 'ABCDE'[i]));
  }
  return out;
}

/** Parameters of a view filter for the queries that filter links (see cypher/queries/neighbours.cypher). */
export function filterParams(f: ViewFilter): Row {
  const windowed = Boolean(f.from || f.to);
  return {
    linkTypes: f.linkTypes ?? null,
    windowed,
    fromMs: f.from ? dateMs(f.from) : null,
    toMs: f.to ? dateMs(f.to, true) : null,
    grades: f.minGrading ? allowedCodes(f.minGrading) : null,
  };
}

/**
 * User text as a Lucene query that can only ever mean "these words": the text is cut into letter/digit
 * tokens (the same as the SQLite store), each required, quoted (so AND, OR, NOT are words), and the last
 * one a lower-cased prefix. Tokens hold no Lucene syntax, and anything special is escaped regardless.
 */
export function luceneQuery(query: string): string | null {
  const tokens = ftsTokens(query);
  if (tokens.length === 0) return null;
  const esc = (t: string) => t.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, '\\$&');
  const parts = tokens.map((t, i) =>
    i === tokens.length - 1 ? `+("${esc(t)}" OR ${esc(t.toLowerCase())}*)` : `+"${esc(t)}"`,
  );
  let q = parts.join(' ');
  const digits = query.replace(/[\s()-]/g, '');
  if (/^\+?\d{6,}$/.test(digits)) {
    const e164 = normalisePhone(digits);
    if (e164) q = `(${q}) OR "${e164.slice(1)}"`;
  }
  return q;
}

/** The forgiving pass as a Lucene query: every word by any of its sound-alike keys (made-up words, no syntax). */
export function luceneFuzzyQuery(query: string): string | null {
  const words = fuzzyQuery(query);
  if (!words) return null;
  const esc = (t: string) => t.replace(/[+\-&|!(){}[\]^"~*?:\\/]/g, '\\$&');
  return words.map((alts) => `+(${alts.map((a) => `"${esc(a)}"`).join(' OR ')})`).join(' ');
}
