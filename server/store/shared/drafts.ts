// What both backends' drafts share: the refusal of a save based on a revision the draft has moved past.
import { StoreError } from '../common.ts';

/** The conflict a save based on an older revision meets: another window saved since. */
export function draftMoved(
  old: { revision: number; updatedAt?: string } | undefined,
  base: number,
): StoreError {
  return new StoreError(
    'conflict',
    old
      ? `the draft was saved elsewhere since (revision ${old.revision}${old.updatedAt ? ` at ${old.updatedAt}` : ''}, not ${base})`
      : `the draft was discarded elsewhere since (revision ${base} is gone)`,
    ['baseRevision'],
  );
}
