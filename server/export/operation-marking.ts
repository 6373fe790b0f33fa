// The operation marking every export, briefing page and CSV/JSON analysis record carries: which operations
// the facts in it were read from, and whether each is closed (need-to-know) or open to the force.
import type { Operation } from '../domain/operations.ts';

/** `OP <REF> · <name> · OPEN|CLOSED` */
export function operationMarking(op: Pick<Operation, 'ref' | 'name' | 'sensitivity'>): string {
  return `OP ${op.ref} · ${op.name} · ${op.sensitivity === 'closed' ? 'CLOSED' : 'OPEN'}`;
}

/** The markings of the operations in scope: closed ones first (they bind the reader most), then by ref. */
export function operationMarkings(
  ops: ReadonlyArray<Pick<Operation, 'ref' | 'name' | 'sensitivity'>>,
): string[] {
  return [...ops]
    .sort((a, b) =>
      a.sensitivity === b.sensitivity ? a.ref.localeCompare(b.ref) : a.sensitivity === 'closed' ? -1 : 1,
    )
    .map(operationMarking);
}
