// Dates in call records and ANPR reads come as ISO 8601 or as UK day-first forms; both become ISO UTC.
// A time without a zone is taken as UTC (exports from carriers and ANPR systems are in UTC or local
// time without a marker; the import cannot know which, so it keeps the clock reading as given).
import { RowProblem } from './errors.ts';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const UK = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= dim;
}
const p2 = (n: number) => (n < 10 ? '0' + n : String(n));

const validDays = new Map<string, boolean>();
const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/** "2024-03-01 14:05:00" or "2024-03-01T14:05:00", the form carriers export most: no regex, days cached. */
function fastIso(s: string): string | null | undefined {
  if (s.length !== 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return undefined;
  if (s[10] !== ' ' && s[10] !== 'T') return undefined;
  const day = s.slice(0, 10);
  let ok = validDays.get(day);
  if (ok === undefined) {
    ok = /^\d{4}-\d{2}-\d{2}$/.test(day) && valid(Number(day.slice(0, 4)), d2(day, 5), d2(day, 8), 0, 0, 0);
    if (validDays.size < 100_000) validDays.set(day, ok);
  }
  if (!ok) return null;
  const h = d2(s, 11);
  const mi = d2(s, 14);
  const se = d2(s, 17);
  if (!(h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && se >= 0 && se <= 59)) return undefined;
  return `${day}T${s.slice(11)}Z`;
}

/** ISO UTC string (YYYY-MM-DDTHH:MM:SSZ) or null when the text is not a real date. */
export function parseWhen(raw: string): string | null {
  const fast = fastIso(raw);
  if (fast !== undefined) return fast;
  const s = raw.trim();
  let m = ISO.exec(s);
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    if (!valid(y, mo, d, h, mi, se)) return null;
    if (!m[8] || m[8] === 'Z') return `${m[1]}-${m[2]}-${m[3]}T${p2(h)}:${p2(mi)}:${p2(se)}Z`;
    const t = Date.parse(s.replace(' ', 'T'));
    return Number.isNaN(t) ? null : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  m = UK.exec(s);
  if (m) {
    const [d, mo, y, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    if (!valid(y, mo, d, h, mi, se)) return null;
    return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(se)}Z`;
  }
  return null;
}

/**
 * A row's date and time: from one column, or from a date column and a time-of-day column ("9:05" reads as
 * 09:05). Throws a RowProblem naming the column at fault: the time column when the date reads on its own.
 */
export function rowWhen(
  date: string,
  clock: string | undefined,
  columns: { date: string | undefined; clock: string | undefined },
): string {
  if (clock === undefined) {
    const t = parseWhen(date);
    if (t) return t;
    throw new RowProblem(
      columns.date,
      `${JSON.stringify(date)} is not a date and time (use 2024-03-01T14:05:00Z, 2024-03-01 14:05 or 01/03/2024 14:05)`,
    );
  }
  const c = clock.trim();
  const t = parseWhen(`${date.trim()} ${/^\d:/.test(c) ? '0' + c : c}`);
  if (t) return t;
  throw new RowProblem(
    parseWhen(date) ? columns.clock : columns.date,
    `${JSON.stringify(date)} with the time ${JSON.stringify(clock)} is not a date and time (a date such as 2024-03-01 or 01/03/2024, and a time such as 14:05 or 14:05:30)`,
  );
}
