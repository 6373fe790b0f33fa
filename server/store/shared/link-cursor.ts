// The cursor of a link list read by key (GraphStore.listLinks with `after`), checked the same way on both stores.
import type { LinkListOptions } from '../graph-store.ts';
import { parseId } from './ids.ts';
import { invalid } from './validate.ts';

/**
 * How far `offset` may reach into the whole list of links (kept for callers that page by offset): each
 * page by offset reads every link before it, so past this a caller pages with `after` (the `next` of the
 * page before), which reads one page's worth whatever its position. The bound is where a page stays under
 * 50 ms on a 1M-link Neo4j even for a reader whose need-to-know leaves an operation out (each link before
 * the page is then tested against the scope): 10,000 took 54 ms there (bench 22-neo4j-reads).
 */
export const MAX_LINK_OFFSET = 5_000;

/** The link number a cursor stands for (0 for none: numbers start at 1), or a 400 naming `after`. */
export function linkCursor(opts: LinkListOptions): number {
  if (opts.after === undefined) {
    if (opts.entityId === undefined && (opts.offset ?? 0) > MAX_LINK_OFFSET)
      throw invalid(
        ['offset'],
        `offset reaches at most ${MAX_LINK_OFFSET.toLocaleString('en-GB')} links into the list; to read further, ` +
          'give after=<the last link id you have> (each page says it as next)',
      );
    return 0;
  }
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
