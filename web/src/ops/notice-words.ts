// How a deconfliction notice reads on screen: the other side as the server redacted it for this reader.
// Pure (tested in test/web/operation.test.ts).
import type { NoticeDto, NoticeSide } from './api.ts';

/** The side of the notice that is not the reader's working operation. */
export function otherSide(n: NoticeDto, myOpId: string | null): NoticeSide | null {
  if (n.other !== undefined) return n.other ?? null;
  const sides = [n.newOp ?? null, n.heldOp ?? null];
  const notMine = sides.find((s) => s && s.operationId !== myOpId);
  return notMine ?? sides[1] ?? null;
}

/** The other side in words: its ref, name and owner when the reader may know them, else the server's words. */
export function describeSide(side: NoticeSide | null): string {
  if (!side) return 'Another operation';
  if (!side.ref) return side.message ?? 'A closed operation holds this; contact the deconfliction desk';
  const who = side.owner ? ` · owner ${side.owner}` : '';
  const closed = side.sensitivity === 'closed' ? ' (closed)' : '';
  return `OP ${side.ref}${side.name ? ` · ${side.name}` : ''}${closed}${who}`;
}

export const NOTICE_STATE_WORDS: Record<NoticeDto['state'], string> = {
  new: 'New',
  contacted: 'Contacted',
  resolved: 'Resolved',
};

/** The entity the notice is about, as a line. */
export function describeEntity(n: NoticeDto): string {
  if (!n.entity) return n.entityId ?? 'an entity';
  return `${n.entity.label} (${n.entity.type})`;
}
