// The store-neutral records of a transfer: one part per kind of record a store keeps (fields.ts says which
// field is which column or property), and what each part's records look like.
import type { AuditEvent, Properties } from '../../domain/model.ts';
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

/** An import run with the operation it wrote into. */
export type DumpImportRun = RecordOf<typeof IMPORT_RUN_FIELDS>;

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

export type DumpPart = (typeof DUMP_PARTS)[number];
/** The record type of one part. */
export type PartRecord<P extends DumpPart> = Dump[P][number];

/**
 * The order a load writes the parts in: operations before the records that name them, entities before the
 * links, aliases and merges that point at them, a target before its actions, a pair or notice before its log.
 */
export const LOAD_ORDER: readonly DumpPart[] = [
  'operations',
  'operationMembers',
  'users',
  'reports',
  'entities',
  'links',
  'merges',
  'aliases',
  'annotations',
  'charts',
  'drafts',
  'audit',
  'importRuns',
  'targets',
  'targetActions',
  'events',
  'duplicateProposals',
  'duplicateDecisions',
  'deconflictionNotices',
  'deconflictionEvents',
];
