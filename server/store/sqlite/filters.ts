// A view filter as a SQL condition over the links table (alias `l`), with its parameters.
import type { ViewFilter } from '../../domain/model.ts';
import { dateMs } from '../shared/values.ts';
import { allowedGradeMask } from './rows.ts';
import { eventWindowMs } from '../shared/events.ts';
import { opVisible, type SqlScope } from './scope.ts';

export interface SqlCondition {
  sql: string;
  params: (string | number)[];
}

/**
 * Link conditions of a view. Time window: a CALLED or SIGHTED_AT link with its calls or reads kept passes if
 * one of them is in [from, to]; any other link if [firstSeen, lastSeen] overlaps [from, to], bounds
 * inclusive, a missing seen date being open-ended on its side; links with no date at all always pass.
 * Grading: a link passes if any report behind it is at least the minimum (its grading bit mask meets the
 * allowed mask); a link with no report fails.
 */
export function linkCondition(f: ViewFilter, s: SqlScope | null = null): SqlCondition {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (f.linkTypes) {
    if (f.linkTypes.length === 0) parts.push('0');
    else {
      parts.push(`l.type IN (${f.linkTypes.map(() => '?').join(',')})`);
      params.push(...f.linkTypes);
    }
  }
  if (f.from || f.to) {
    // A link with calls or reads kept passes when one of them falls in the window (events.ts then counts
    // only those); any other link when its span overlaps the window.
    // Under a scope, only the calls and reads it sees count (scope.ts).
    const w = eventWindowMs(f);
    const span = spanCondition(f);
    const seen = s ? ` AND ${opVisible('ev.op_id', s)}` : '';
    parts.push(
      `(CASE WHEN l.type IN ('CALLED', 'SIGHTED_AT') AND EXISTS (SELECT 1 FROM events ev WHERE ev.link_id = l.id)
        THEN EXISTS (SELECT 1 FROM events ev WHERE ev.link_id = l.id AND ev.at_ms >= ? AND ev.at_ms <= ?${seen})
        ELSE ${span.sql} END)`,
    );
    params.push(w.fromMs, w.toMs, ...span.params);
  }
  if (f.minGrading) {
    parts.push('(l.grades & ?) <> 0');
    params.push(allowedGradeMask(f.minGrading));
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Today's rule for a link without events: its [firstSeen, lastSeen] overlaps the window; undated passes. */
function spanCondition(f: ViewFilter): SqlCondition {
  const conds: string[] = [];
  const params: number[] = [];
  if (f.to) {
    conds.push('(l.first_ms IS NULL OR l.first_ms <= ?)');
    params.push(dateMs(f.to, true));
  }
  if (f.from) {
    conds.push('(l.last_ms IS NULL OR l.last_ms >= ?)');
    params.push(dateMs(f.from));
  }
  return { sql: `((l.first_ms IS NULL AND l.last_ms IS NULL) OR (${conds.join(' AND ')}))`, params };
}

/** `<col> IN (...)` for entity types, or '1' when unrestricted. */
export function typeCondition(col: string, types: readonly string[] | undefined): SqlCondition {
  if (!types) return { sql: '1', params: [] };
  if (types.length === 0) return { sql: '0', params: [] };
  return { sql: `${col} IN (${types.map(() => '?').join(',')})`, params: [...types] };
}
