// Placeholder for the deconflict helper's file (ops-neo4j wrote it so the write path has its hook): when a
// write adds operation `operationId` to entities that belong to another operation too, a notice per pair is
// written in the same transaction. This placeholder notes nothing.
import type { Tx } from './executor.ts';

export async function recordSharedSubjects(
  _tx: Tx,
  _operationId: string,
  _entityIds: string[],
  _at: string,
): Promise<string[]> {
  return [];
}
