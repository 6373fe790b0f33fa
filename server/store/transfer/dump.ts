// A store-neutral copy of everything a store holds, for `npm run transfer`: ids, provenance, merge records
// (with what unmerge needs), annotations, charts, drafts, targets with their action logs, the calls and reads
// behind links, the duplicate review queue, users and the audit chain, exactly as stored.
import { createHash } from 'node:crypto';
import type { AuditEvent, ImportRun } from '../../domain/model.ts';
import type {
  ALIAS_FIELDS,
  ANNOTATION_FIELDS,
  CHART_FIELDS,
  DECISION_FIELDS,
  DRAFT_FIELDS,
  ENTITY_FIELDS,
  EVENT_FIELDS,
  LINK_FIELDS,
  MERGE_FIELDS,
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

export type DumpReport = RecordOf<typeof REPORT_FIELDS>;
export type DumpEntity = RecordOf<typeof ENTITY_FIELDS> & Provenance;
export type DumpAlias = RecordOf<typeof ALIAS_FIELDS>;
export type DumpLink = RecordOf<typeof LINK_FIELDS> & Provenance;
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
  importRuns: ImportRun[];
  targets: DumpTarget[];
  targetActions: DumpTargetAction[];
  drafts: DumpDraft[];
  events: DumpEvent[];
  duplicateProposals: DumpProposal[];
  duplicateDecisions: DumpDecision[];
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
] as const;

export function isEmptyDump(d: Dump): boolean {
  return DUMP_PARTS.every((k) => d[k].length === 0);
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
