// "Look for duplicates in what this import brought in": the resolver over the entities one import wrote or
// matched (paged from the store, bounded), compared with everything the importer's read scope holds.
import type { WriteContext } from '../domain/model.ts';
import type { ReadScope } from '../domain/operations.ts';
import type { Stores } from '../store/stores.ts';
import { duplicateRunsFor } from './queue-run.ts';
import { pagesByKey } from '../store/shared/list-key.ts';

/** Entities of one import read for a run, at most. */
export const MAX_IMPORT_ENTITIES = 100_000;
const PAGE = 1000;

export interface ImportDuplicates {
  /** Pairs the run proposed (new, brought up to date or reopened). */
  proposed: number;
  /** Pairs never proposed before. */
  created: number;
  /** Pairs now waiting for a decision (the whole queue). */
  waiting: number;
}

export async function duplicatesAfterImport(
  stores: Stores,
  importId: string,
  ctx: WriteContext,
  scope: ReadScope,
): Promise<ImportDuplicates> {
  const ids: string[] = [];
  const graph = stores.graph.scoped(scope);
  // By key (next): a page by offset read every entity before it, so the walk was quadratic in the import.
  for await (const page of pagesByKey((after) => graph.listEntities({ importId, limit: PAGE, after }))) {
    ids.push(...page.items.map((e) => e.id));
    if (ids.length >= MAX_IMPORT_ENTITIES) break;
  }
  if (ids.length === 0) return { proposed: 0, created: 0, waiting: 0 };
  const r = await duplicateRunsFor(stores).run({ entityIds: ids.slice(0, MAX_IMPORT_ENTITIES) }, ctx, scope);
  return { proposed: r.proposed - r.stillRejected, created: r.created, waiting: r.waiting };
}
