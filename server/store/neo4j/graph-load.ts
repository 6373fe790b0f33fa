// Single facts read inside a transaction, for the graph's edits, merges and reads: a missing one is not_found.
import { StoreError } from '../common.ts';
import { parseId } from '../shared/ids.ts';
import type { Tx } from './executor.ts';
import { entityNode, linkRel, type EntityNode, type LinkRel, type ReportNode } from './rows.ts';

export async function loadEntity(
  tx: Tx,
  id: string,
  path: (string | number)[] = ['id'],
): Promise<EntityNode> {
  const r = parseId(id, 'e') === null ? undefined : await tx.one('entity-by-id', { id });
  if (!r) throw new StoreError('not_found', `entity ${JSON.stringify(id)} does not exist`, path);
  return entityNode(r.e as EntityNode);
}

export async function loadLink(tx: Tx, id: string): Promise<LinkRel> {
  const r = parseId(id, 'l') === null ? undefined : await tx.one('link-by-id', { id, ops: null });
  if (!r) throw new StoreError('not_found', `link ${JSON.stringify(id)} does not exist`, ['id']);
  return linkRel(r.l as LinkRel);
}

/** A report by id ('r12') or by ref, if the scope sees it (null: any); null if there is none. */
export async function findReport(
  tx: Tx,
  idOrRef: string,
  ops: string[] | null = null,
): Promise<ReportNode | null> {
  const r = await tx.one('report-by-id-or-ref', {
    id: parseId(idOrRef, 'r') === null ? null : idOrRef,
    ref: idOrRef,
    ops,
  });
  return (r?.r as ReportNode | null) ?? null;
}

export async function loadReport(tx: Tx, idOrRef: string): Promise<ReportNode> {
  const rep = await findReport(tx, idOrRef);
  if (!rep) throw new StoreError('not_found', `report ${JSON.stringify(idOrRef)} does not exist`, ['id']);
  return rep;
}

/** Grading codes of the reports that still exist among `reportIds`. */
export async function gradesOf(tx: Tx, reportIds: string[]): Promise<string[]> {
  if (reportIds.length === 0) return [];
  const rows = await tx.run('report-grades', { ids: reportIds, ops: null });
  return [...new Set(rows.map((r) => r.grade as string))];
}
