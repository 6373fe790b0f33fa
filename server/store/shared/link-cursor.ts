// The cursor of a link list read by key (GraphStore.listLinks with `after`), checked the same way on both stores.
import type { LinkListOptions } from '../graph-store.ts';
import { parseId } from './ids.ts';
import { invalid } from './validate.ts';

/** The link number a cursor stands for (0 for none: numbers start at 1), or a 400 naming `after`. */
export function linkCursor(opts: LinkListOptions): number {
  if (opts.after === undefined) return 0;
  const n = parseId(opts.after, 'l');
  if (n === null)
    throw invalid(['after'], `after must be a link id such as l12, not ${JSON.stringify(opts.after)}`);
  if (opts.offset)
    throw invalid(['offset'], 'give after or offset, not both: after already says where the page starts');
  // An entity's links page with offset only, on both stores (each answers them from the entity's own links).
  if (opts.entityId !== undefined)
    throw invalid(['after'], "after pages the whole list of links; an entity's links page with offset");
  return n;
}
