// PLACEHOLDER (written by ops-sqlite for the call site; the deconflict helper replaces this file): records a
// deconfliction notice for each entity of `entityIds` that operation `operationId` has just joined and that
// another operation already holds. Called by the store's writes inside their transaction.
import type Database from 'better-sqlite3';

/**
 * `operationId` and `entityIds` are row ids (operations.id, entities.id); `at` the write's time (ISO).
 * Returns the notices written (none yet).
 */
export function recordSharedSubjects(
  _db: Database.Database,
  _operationId: number,
  _entityIds: readonly number[],
  _at: string,
): string[] {
  return [];
}
