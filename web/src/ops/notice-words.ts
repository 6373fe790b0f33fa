// How a deconfliction notice reads on screen: the other side as the server redacted it for this reader
// (server/security/deconfliction-view.ts decides; this only words it). Pure: tested in test/web.
import type { NoticeDto } from './api.ts';

type Side = NoticeDto['held'];

/** The side that is not the reader's: for a supervisor outside both, both sides. */
export function otherSides(n: NoticeDto): Array<{ role: 'held' | 'incoming'; side: Side }> {
  if (n.yourSide === 'held') return [{ role: 'incoming', side: n.incoming }];
  if (n.yourSide === 'incoming') return [{ role: 'held', side: n.held }];
  return [
    { role: 'held', side: n.held },
    { role: 'incoming', side: n.incoming },
  ];
}

/** One side in words: its ref, name and owner when the reader may know them, else only "a closed one". */
export function describeSide(role: 'held' | 'incoming', side: Side): string {
  const verb = role === 'held' ? 'holds this' : 'has brought this in';
  if (!side.operation) return `A closed operation ${verb}; contact the deconfliction desk`;
  const o = side.operation;
  return `OP ${o.ref} · ${o.name} (${o.sensitivity === 'closed' ? 'closed' : 'open'}, owner ${o.owner}) ${verb}`;
}

export const NOTICE_STATE_WORDS: Record<NoticeDto['state'], string> = {
  new: 'New',
  contacted: 'Contacted',
  resolved: 'Resolved',
};

/** The subject of the notice, as a line (the force-wide index entry: label and type, never a property). */
export function describeEntity(n: NoticeDto): string {
  return n.entity ? `${n.entity.label} (${n.entity.type})` : 'a subject since removed';
}
