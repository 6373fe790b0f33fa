// A store-neutral copy of everything a store holds, for `npm run transfer`: ids, provenance, merge records
// (with what unmerge needs), annotations, charts, drafts, targets with their action logs, the calls and reads
// behind links, the duplicate review queue, users and the audit chain, exactly as stored; and the operations
// (issue 17): each operation with its members, which operations each entity and link belongs to (with what each
// wrote of an entity's properties), the operation of each report, call, annotation, chart, draft and import run, and the
// deconfliction notices with their logs.
import { createHash } from 'node:crypto';
import type { AuditEvent, Properties } from '../../domain/model.ts';
import { DEFAULT_OPERATION_REF } from '../../domain/operations.ts';
import type {
  ALIAS_FIELDS,
  ANNOTATION_FIELDS,
  CHART_FIELDS,
  DECISION_FIELDS,
  DRAFT_FIELDS,
  ENTITY_FIELDS,
  EVENT_FIELDS,
  IMPORT_RUN_FIELDS,
  LINK_FIELDS,
  MERGE_FIELDS,
  NOTICE_EVENT_FIELDS,
  NOTICE_FIELDS,
  OPERATION_FIELDS,
  OPERATION_MEMBER_FIELDS,
  PROPOSAL_FIELDS,
  RecordOf,
  REPORT_FIELDS,
  TARGET_ACTION_FIELDS,
  TARGET_FIELDS,
  USER_FIELDS,
} from './fields.ts';

export { idNum } from './fields.ts';

/** The reports and imports an entity or link rests on. */
export interface Provenance {
  reports: string[];
  imports: string[];
}

/**
 * The operations a fact belongs to, in the order it joined them (the order a scoped read merges their
 * properties in), and for an entity what each operation wrote of its properties (operations that wrote none
 * are left out: both stores read a missing copy as an empty one).
 */
export interface Memberships {
  ops: string[];
}
export interface EntityMemberships extends Memberships {
  opProps: Record<string, Properties>;
}

export type DumpReport = RecordOf<typeof REPORT_FIELDS>;
export type DumpEntity = RecordOf<typeof ENTITY_FIELDS> & Provenance & EntityMemberships;
export type DumpAlias = RecordOf<typeof ALIAS_FIELDS>;
export type DumpLink = RecordOf<typeof LINK_FIELDS> & Provenance & Memberships;
export interface DumpSnapshot {
  keep: DumpEntity;
  drop: DumpEntity & { aliases: { type: string; key: string }[] };
  links: DumpLink[];
  annotations: string[];
}
export type DumpMerge = RecordOf<typeof MERGE_FIELDS> & { snapshot: DumpSnapshot };
export type DumpAnnotation = RecordOf<typeof ANNOTATION_FIELDS>;
export type DumpChart = RecordOf<typeof CHART_FIELDS>;
/** An import run with the operation it wrote into. */
export type DumpImportRun = RecordOf<typeof IMPORT_RUN_FIELDS>;
export type DumpUser = RecordOf<typeof USER_FIELDS>;
export type DumpTarget = RecordOf<typeof TARGET_FIELDS>;
export type DumpTargetAction = RecordOf<typeof TARGET_ACTION_FIELDS>;
export type DumpDraft = RecordOf<typeof DRAFT_FIELDS>;
export type DumpEvent = RecordOf<typeof EVENT_FIELDS>;
export type DumpProposal = RecordOf<typeof PROPOSAL_FIELDS>;
export type DumpDecision = RecordOf<typeof DECISION_FIELDS> & { step: number };
export type DumpOperation = RecordOf<typeof OPERATION_FIELDS>;
export type DumpMember = RecordOf<typeof OPERATION_MEMBER_FIELDS>;
export type DumpNotice = RecordOf<typeof NOTICE_FIELDS>;
export type DumpNoticeEvent = RecordOf<typeof NOTICE_EVENT_FIELDS> & { step: number };

export interface Dump {
  dataVersion: number;
  reports: DumpReport[];
  entities: DumpEntity[];
  aliases: DumpAlias[];
  links: DumpLink[];
  merges: DumpMerge[];
  annotations: DumpAnnotation[];
  charts: DumpChart[];
  users: DumpUser[];
  audit: AuditEvent[];
  importRuns: DumpImportRun[];
  targets: DumpTarget[];
  targetActions: DumpTargetAction[];
  drafts: DumpDraft[];
  events: DumpEvent[];
  duplicateProposals: DumpProposal[];
  duplicateDecisions: DumpDecision[];
  operations: DumpOperation[];
  operationMembers: DumpMember[];
  deconflictionNotices: DumpNotice[];
  deconflictionEvents: DumpNoticeEvent[];
}

export const DUMP_PARTS = [
  'reports',
  'entities',
  'aliases',
  'links',
  'merges',
  'annotations',
  'charts',
  'users',
  'audit',
  'importRuns',
  'targets',
  'targetActions',
  'drafts',
  'events',
  'duplicateProposals',
  'duplicateDecisions',
  'operations',
  'operationMembers',
  'deconflictionNotices',
  'deconflictionEvents',
] as const;

/**
 * Whether the store holds nothing of its own: a new store already holds the GENERAL operation its schema
 * makes (with no members), which a load replaces with the source's.
 */
export function isEmptyDump(d: Dump): boolean {
  return DUMP_PARTS.every((k) =>
    k === 'operations' ? d.operations.every((o) => o.ref === DEFAULT_OPERATION_REF) : d[k].length === 0,
  );
}

function sortedCopy<T>(xs: T[], key: (x: T) => string): T[] {
  return [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** JSON with sorted keys and sorted lists, so two stores holding the same data give the same text. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A digest of the dump's content (order of rows and of report/import lists ignored). */
export function dumpDigest(d: Dump): string {
  const norm = {
    reports: sortedCopy(d.reports, (r) => r.id),
    entities: sortedCopy(
      d.entities.map((e) => ({ ...e, reports: [...e.reports].sort(), imports: [...e.imports].sort() })),
      (e) => e.id,
    ),
    aliases: sortedCopy(d.aliases, (a) => `${a.type}\u0000${a.key}`),
    links: sortedCopy(
      d.links.map((l) => ({ ...l, reports: [...l.reports].sort(), imports: [...l.imports].sort() })),
      (l) => l.id,
    ),
    merges: sortedCopy(
      d.merges.map((m) => ({ ...m, snapshot: undefined })),
      (m) => m.id,
    ),
    annotations: sortedCopy(d.annotations, (a) => a.id),
    charts: sortedCopy(d.charts, (c) => c.id),
    users: sortedCopy(d.users, (u) => u.id),
    audit: d.audit,
    importRuns: d.importRuns,
    targets: sortedCopy(d.targets, (t) => t.id),
    targetActions: sortedCopy(d.targetActions, (a) => a.id),
    drafts: sortedCopy(d.drafts, (x) => x.id),
    events: [...d.events].sort((a, b) => a.n - b.n),
    duplicateProposals: sortedCopy(d.duplicateProposals, (x) => x.id),
    duplicateDecisions: sortedCopy(
      d.duplicateDecisions,
      (x) => `${x.proposalId}\u0000${String(x.step).padStart(9, '0')}`,
    ),
    operations: sortedCopy(d.operations, (x) => x.id),
    operationMembers: sortedCopy(d.operationMembers, (x) => `${x.opId}\u0000${x.user}`),
    deconflictionNotices: sortedCopy(d.deconflictionNotices, (x) => x.id),
    deconflictionEvents: sortedCopy(
      d.deconflictionEvents,
      (x) => `${x.noticeId}\u0000${String(x.step).padStart(9, '0')}`,
    ),
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(norm)))
    .digest('hex');
}

export function dumpCounts(d: Dump): Record<(typeof DUMP_PARTS)[number], number> {
  return Object.fromEntries(DUMP_PARTS.map((k) => [k, d[k].length])) as Record<
    (typeof DUMP_PARTS)[number],
    number
  >;
}
