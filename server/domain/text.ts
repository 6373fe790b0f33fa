// Characters a label or a name must not hold. A control character (NUL above all) breaks files and tools
// downstream and hides in a chart; a bidirectional override or isolate makes text display other than it
// reads ("Trojan Source": a label that shows as `John Smith` while its characters say otherwise), so two
// entities can look alike on a chart and in a briefing. Labels and names refuse them with a 400 naming the
// field (`unsafeLabelProblem`, used by the schemas in model.ts); `stripUnsafe` removes them where text is
// normalised rather than checked (normaliseName: imports, and every label the stores write).
// Pure: shared with the web app.

/**
 * C0 controls, DEL and C1 controls (Unicode general category Cc), except tab, line feed and carriage
 * return: white space a client may well send, which the store folds into one space (normaliseName).
 */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
/** Explicit embeddings and overrides (U+202A-202E) and isolates (U+2066-2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** The Unicode line and paragraph separators: shown as nothing by most displays, and trouble in scripts. */
const LINE_BREAK = /[\u2028\u2029]/u;
/** The implicit directional marks (LRM, RLM, ALM): at home in right-to-left text, nowhere else. */
const DIRECTION_MARK = /[\u200E\u200F\u061C]/u;
/** Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko ... and their presentation forms). */
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFE\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/** Any of the above: one scan that lets the common case (none) through at once. */
const ANY = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029\u200E\u200F\u061C]/u;

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `text` cannot be a label or name (a sentence starting with `field`), or null when it can. Control
 * characters other than tab, LF and CR, bidirectional embeddings, overrides and isolates, and the Unicode
 * line and paragraph separators are refused anywhere;
 * the directional marks LRM, RLM and ALM only in text with no right-to-left letters, where they do nothing
 * but reorder what is shown.
 */
export function unsafeLabelProblem(text: string, field: string): string | null {
  if (!ANY.test(text)) return null;
  let at = 0;
  for (const ch of text) {
    at++;
    let what: string | null = null;
    if (CONTROL.test(ch)) what = ch === '\u0000' ? 'a NUL character' : 'a control character';
    else if (BIDI_CONTROL.test(ch)) what = 'a bidirectional override character';
    else if (LINE_BREAK.test(ch)) what = 'a line or paragraph separator';
    else if (DIRECTION_MARK.test(ch) && !RTL.test(text)) what = 'a direction mark outside right-to-left text';
    if (what) return `${field} must not contain ${what} (${codePoint(ch)} at character ${at})`;
  }
  return null;
}

/** Why free text (a report, a note) cannot be stored, or null: only NUL, which no text holds on purpose. */
export function unsafeTextProblem(text: string, field: string): string | null {
  const i = text.indexOf('\u0000');
  return i < 0
    ? null
    : `${field} must not contain a NUL character (U+0000 at character ${[...text.slice(0, i)].length + 1})`;
}

/**
 * `text` without the characters `unsafeLabelProblem` refuses (for normalising imported names); tab, line
 * feed and carriage return are dropped too, so call it after white space has been folded into spaces.
 */
export function stripUnsafe(text: string): string {
  if (!ANY.test(text)) return text;
  const rtl = RTL.test(text);
  let out = '';
  for (const ch of text) {
    if (/\p{Cc}/u.test(ch) || BIDI_CONTROL.test(ch) || LINE_BREAK.test(ch)) continue;
    if (!rtl && DIRECTION_MARK.test(ch)) continue;
    out += ch;
  }
  return out;
}
