// The cursor of a link list read by key (GraphStore.listLinks with `after`), checked the same way on both stores:
// the links' ListKey (list-key.ts), and one rule of their own for an entity's links.
import type { LinkListOptions } from '../graph-store.ts';
import { LINK_KEY, MAX_LIST_OFFSET, listCursor } from './list-key.ts';
import { invalid } from './validate.ts';

/** How far `offset` may reach into the whole list of links: the bound of every list read by key. */
export const MAX_LINK_OFFSET = MAX_LIST_OFFSET;

/** The link number a cursor stands for (0 for none: numbers start at 1), or a 400 naming what was wrong. */
export function linkCursor(opts: LinkListOptions): number {
  if (opts.entityId === undefined) return listCursor(opts, LINK_KEY) ?? 0;
  // An entity's links page with offset only, on both stores (each answers them from the entity's own links,
  // so their offset is not bounded by the whole list's).
  if (opts.after === undefined) return 0;
  listCursor(opts, LINK_KEY);
  throw invalid(['after'], "after pages the whole list of links; an entity's links page with offset");
}
