// The highest number of each kind among the records a load has written, so the target numbers new records
// after the copied ones (including the ids of entities merged away and of the links a merge snapshot keeps).
import { GENESIS_HASH } from '../../security/audit-chain.ts';
import { idNum } from './fields.ts';
import type { Dump, DumpPart, PartRecord } from './parts.ts';
import type { Highest } from './stream.ts';

export function noHighest(): Highest {
  return {
    entity: 0,
    link: 0,
    report: 0,
    merge: 0,
    annotation: 0,
    chart: 0,
    user: 0,
    audit: 0,
    auditHash: GENESIS_HASH,
    event: 0,
    operation: 0,
    target: 0,
    targetAction: 0,
    deconfliction: 0,
  };
}

const top = (h: number, ids: Iterable<string>): number => {
  let m = h;
  for (const id of ids) m = Math.max(m, idNum(id));
  return m;
};

/** `h` moved on by a batch of one part. */
export function seeHighest<P extends DumpPart>(h: Highest, part: P, rows: readonly PartRecord<P>[]): void {
  const ids = () => (rows as readonly { id: string }[]).map((x) => x.id);
  switch (part) {
    case 'entities':
      h.entity = top(h.entity, ids());
      break;
    case 'links':
      h.link = top(h.link, ids());
      break;
    case 'reports':
      h.report = top(h.report, ids());
      break;
    case 'merges':
      for (const m of rows as readonly Dump['merges'][number][]) {
        h.merge = top(h.merge, [m.id]);
        h.entity = top(h.entity, [m.mergedId]);
        h.link = top(
          h.link,
          m.snapshot.links.map((l) => l.id),
        );
      }
      break;
    case 'annotations':
      h.annotation = top(h.annotation, ids());
      break;
    case 'charts':
      h.chart = top(h.chart, ids());
      break;
    case 'users':
      h.user = top(h.user, ids());
      break;
    case 'audit':
      for (const a of rows as readonly Dump['audit'][number][])
        if (a.seq >= h.audit) {
          h.audit = a.seq;
          h.auditHash = a.hash;
        }
      break;
    case 'events':
      for (const e of rows as readonly Dump['events'][number][]) h.event = Math.max(h.event, e.n);
      break;
    case 'operations':
      h.operation = top(h.operation, ids());
      break;
    case 'targets':
      h.target = top(h.target, ids());
      break;
    case 'targetActions':
      h.targetAction = top(h.targetAction, ids());
      break;
    case 'deconflictionNotices':
      h.deconfliction = top(h.deconfliction, ids());
      break;
    default:
      break;
  }
}
