// Where a page of a list starts, checked the same way on both stores. A page by offset reads every row before
// it, so a list that grows with the data (entities, reports, notes, targets, ...) is read deep by key: `after`
// is the id of the last row a caller has (each page's `next`), and the page reads one page's worth along the
// list's index wherever it lies. Offsets stay for the first pages (a screen's "page 3"), bounded.
import type { ListOptions, Page } from '../common.ts';
import { parseId, parsePlainId } from './ids.ts';
import { invalid } from './validate.ts';

/**
 * How far `offset` may reach into a list read by key. Past it a caller pages with `after`, which costs one
 * page's worth wherever the page is; the audit has the same bound (audit-cursor.ts). It is where a page of
 * links stays under 50 ms on a 1M-link Neo4j even for a reader whose need-to-know leaves an operation out
 * (each link before the page is then tested against the scope): 10,000 took 54 ms there (bench 22-neo4j-reads).
 */
export const MAX_LIST_OFFSET = 5_000;

/** How one list is keyed: the public id of its rows and the order of their numbers along the list. */
export interface ListKey {
  /** What a row is, for messages: "entities". */
  readonly rows: string;
  /** An id of this list, for messages: "e12". */
  readonly example: string;
  parse(id: string): number | null;
  format(n: number): string;
  /** Newest first: the list runs down the numbers, and `after` reads the smaller ones. */
  readonly desc: boolean;
}

const plain = (rows: string, desc = false): ListKey => ({
  rows,
  example: '12',
  parse: parsePlainId,
  format: String,
  desc,
});

/** A list whose ids are a kind prefix and the row's number (ids.ts): e12, l12, r12, t12, dn12. */
const prefixed = (rows: string, prefix: string, desc = false): ListKey => ({
  rows,
  example: `${prefix}12`,
  parse: (id) => parseId(id, prefix),
  format: (n) => `${prefix}${n}`,
  desc,
});

export const ENTITY_KEY = prefixed('entities', 'e');
export const LINK_KEY = prefixed('links', 'l');
export const REPORT_KEY = prefixed('reports', 'r');
export const TARGET_KEY = prefixed('targets', 't', true);
export const NOTICE_KEY = prefixed('notices', 'dn');
export const CHART_KEY = plain('charts');
export const USER_KEY = plain('users');
export const ANNOTATION_KEY = plain('notes');
export const MERGE_KEY = plain('merges', true);
/** Import runs, newest first, keyed by their sequence number. */
export const IMPORT_RUN_KEY = plain('import runs', true);

/**
 * The number a page starts after (exclusive; null: from the start of the list), or a 400 naming what was
 * wrong: an `after` that is not an id of this list, `after` with an offset, or an offset past the bound.
 */
export function listCursor(opts: ListOptions, key: ListKey): number | null {
  if (opts.after === undefined) {
    if ((opts.offset ?? 0) > MAX_LIST_OFFSET)
      throw invalid(
        ['offset'],
        `offset reaches at most ${MAX_LIST_OFFSET.toLocaleString('en-GB')} ${key.rows} into the list; to read ` +
          `further, give after=<the last id you have> (each page says it as next)`,
      );
    return null;
  }
  const n = typeof opts.after === 'string' ? key.parse(opts.after) : null;
  if (n === null)
    throw invalid(
      ['after'],
      `after must be an id of the ${key.rows} such as ${key.example}, not ${JSON.stringify(opts.after)}`,
    );
  if (opts.offset)
    throw invalid(['offset'], 'give after or offset, not both: after already says where the page starts');
  return n;
}

/** The bound a keyed query compares with when there is no cursor: below every number, or above them all. */
export function cursorBound(after: number | null, key: ListKey): number {
  return after ?? (key.desc ? Number.MAX_SAFE_INTEGER : 0);
}

/**
 * Every page of a list read by key, from the first: `read` is given the `after` of each page (undefined for the
 * first) and the walk ends at the page whose `next` is null. For the server's walks over whole lists.
 */
export async function* pagesByKey<T>(
  read: (after: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<Page<T>> {
  for (let after: string | undefined; ;) {
    const page = await read(after);
    yield page;
    if (!page.next) return;
    after = page.next;
  }
}
