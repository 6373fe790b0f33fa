// A view filter checked once, the same way for both backends, before either turns it into a query.
import type { ViewFilter } from '../../domain/model.ts';
import { viewFilterSchema } from '../../domain/model.ts';
import { StoreError } from '../common.ts';
import { dateMs } from './values.ts';

/** Validates a view filter; a StoreError names the field that is wrong. */
export function checkFilter(
  filter: ViewFilter | undefined,
  at: (string | number)[] = ['filter'],
): ViewFilter {
  if (!filter) return {};
  const r = viewFilterSchema.safeParse(filter);
  if (!r.success) {
    const iss = r.error.issues[0];
    const path = [...at, ...iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    throw new StoreError('invalid', `${path.join('.')}: ${iss.message}`, path);
  }
  const f = r.data;
  if (f.from && f.to && dateMs(f.from) > dateMs(f.to, true)) {
    throw new StoreError(
      'invalid',
      `${at.join('.')}: the time window starts (${f.from}) after it ends (${f.to})`,
      [...at, 'from'],
    );
  }
  return f;
}

/** True when the filter restricts links (not only entity types). */
export function filtersLinks(f: ViewFilter): boolean {
  return Boolean(f.linkTypes || f.from || f.to || f.minGrading);
}
