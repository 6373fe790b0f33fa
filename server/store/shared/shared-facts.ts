// The rules both backends keep when a change touches a fact several operations hold (issue 17): a delete
// removes only what the working operation holds of it; the force-wide parts of a fact (an entity's name and
// review date, a link's weight, dates and properties) change only when the writer reads every operation that
// holds it; a merge never folds one operation's record of a link into another's. Written once here, called by
// sqlite/graph-edit.ts, sqlite/merge.ts, neo4j/graph-edit.ts and neo4j/graph-merge.ts.
import type { WriteContext } from '../../domain/model.ts';
import { StoreError } from '../common.ts';

/**
 * Operations (ids) holding a fact that the writer does not read. Empty when the context names no readable
 * operations (the system's own writes read everything).
 */
export function unreadableHolders(ops: readonly string[], ctx: WriteContext): string[] {
  const readable = ctx.readableOperations;
  if (readable === undefined) return [];
  const mine = new Set(readable);
  return ops.filter((o) => !mine.has(o));
}

/**
 * A delete asked in an operation that does not hold the fact: nothing of that operation's to remove. The
 * same answer whoever else holds it, so it tells the writer nothing about operations they cannot read.
 */
export function notInOperation(kind: 'entity' | 'link', id: string, opId: string): StoreError {
  return new StoreError(
    'conflict',
    `${kind} ${id} is not in your working operation (${opId}), so there is nothing of that operation's to delete; ` +
      `work in an operation that holds it to delete it there`,
    ['id'],
  );
}

/** An edit of an entity's name or review date while an operation the editor cannot read holds it. */
export function sharedEntityEdit(id: string, field: 'label' | 'reviewDate'): StoreError {
  const what = field === 'label' ? 'name' : 'review date';
  return new StoreError(
    'conflict',
    `entity ${id} is also held by an operation you cannot read, and its ${what} is the same in every operation, ` +
      `so it is not changed from yours; record your operation's ${what} for it as a property ` +
      `(for example "alias"), or contact the deconfliction desk`,
    [field],
  );
}

/** An edit of a link's weight, dates or properties while an operation the editor cannot read holds it. */
export function sharedLinkEdit(id: string): StoreError {
  return new StoreError(
    'conflict',
    `link ${id} is also held by an operation you cannot read: its weight, dates and properties are the same ` +
      `in every operation, so they are not changed from yours; attach or detach your operation's reports, ` +
      `or contact the deconfliction desk`,
    ['id'],
  );
}

/** A merge of an entity some operation the merger cannot read holds: it would change that operation's record. */
export function sharedMerge(id: string, field: 'keepId' | 'dropId'): StoreError {
  return new StoreError(
    'conflict',
    `entity ${id} is also held by an operation you cannot read: merging it would change that operation's ` +
      `record; contact the deconfliction desk`,
    [field],
  );
}

/**
 * A merge would fold two links joining the same entities, held by different operations, into one: a link
 * keeps one weight, one pair of dates and one set of properties, so each operation's readers would read the
 * other's record of it.
 */
export function mergeWouldCombine(dropLink: string, keepLink: string): StoreError {
  return new StoreError(
    'conflict',
    `merging would combine link ${dropLink} into link ${keepLink}, which join the same entities but were ` +
      `recorded by different operations; one operation's record of it would show to the other's readers. ` +
      `Delete one of the two links in its operation first`,
    ['dropId'],
  );
}

/** Two operation lists hold the same operations. */
export function sameOperations(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((o) => sb.has(o));
}
