// How the Neo4j store keeps things, and the one place its rows become domain objects.
//
// Model: (:Entity:<Type>) nodes with the entity's fields, properties as a JSON string (`props`) and a `search`
// text for the full-text index; one relationship per link, typed by the link type (what analysts expect to
// see in Bloom), carrying its fields, the ids of its reports and the codes of their gradings ('1A', '2C').
// Annotations, charts, users, audit records and import runs are nodes of their own, apart from the graph.
import type {
  Annotation,
  AuditEvent,
  Chart,
  Entity,
  EntityType,
  Grading,
  ImportRun,
  IntelAssessment,
  Link,
  LinkType,
  Properties,
  Report,
  Role,
  SourceEvaluation,
  User,
} from '../../domain/model.ts';
import { bestGrading } from '../../domain/grading.ts';
import type { Target, TargetAction, TargetStatus } from '../../domain/target.ts';
import type { MergeRecord } from '../graph-store.ts';
import { dateMs } from '../shared/values.ts';
import type { Row } from './executor.ts';

// --- stored shapes ---------------------------------------------------------------------------------

export interface EntityNode {
  id: string;
  n: number;
  type: EntityType;
  key: string;
  label: string;
  props: string;
  search: string;
  reviewDate?: string | null;
  createdAt: string;
  updatedAt: string;
  reports: string[];
  imports: string[];
  /** The operations it belongs to (ids), in the order it joined them. */
  ops: string[];
  /** What each operation wrote of its properties: JSON of {opId: properties}. */
  opProps: string;
}

export interface LinkRel {
  id: string;
  n: number;
  type: LinkType;
  from: string;
  to: string;
  directed: boolean;
  weight: number;
  firstSeen?: string | null;
  lastSeen?: string | null;
  firstMs?: number | null;
  lastMs?: number | null;
  props: string;
  grades: string[];
  reports: string[];
  imports: string[];
  /** The operations it belongs to (ids). */
  ops: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ReportNode {
  id: string;
  n: number;
  ref: string;
  date: string;
  author: string;
  text: string;
  source: number;
  intel: string;
  handling: string;
  conditions?: string | null;
  reviewDate?: string | null;
  grade: string;
  /** The one operation it belongs to. */
  op: string;
  createdAt: string;
}

/** An entity node as read, its lists present even where the database left them out. */
export function entityNode(e: EntityNode): EntityNode {
  return {
    ...e,
    reports: e.reports ?? [],
    imports: e.imports ?? [],
    ops: e.ops ?? [],
    opProps: e.opProps ?? '{}',
  };
}

/** A link as read, its lists present even where the database left them out. */
export function linkRel(l: LinkRel): LinkRel {
  return {
    ...l,
    grades: l.grades ?? [],
    reports: l.reports ?? [],
    imports: l.imports ?? [],
    ops: l.ops ?? [],
  };
}

/** Link fields as stored on the relationship (the ends and type are the relationship itself). */
export function relProps(l: LinkRel): Row {
  const { from: _f, to: _t, type: _ty, ...rest } = l;
  return rest as unknown as Row;
}

/** Date fields of a link, with a date alone covering its whole day. */
export function seen(first: string | null | undefined, last: string | null | undefined) {
  return {
    firstSeen: first ?? null,
    lastSeen: last ?? null,
    firstMs: first ? dateMs(first) : null,
    lastMs: last ? dateMs(last, true) : null,
  };
}

/** Numeric part of a public id ('e12' -> 12): undirected links keep their ends in this order, as in SQLite. */
export const num = (id: string): number => Number(id.slice(1));

export const gradeCode = (source: number, intel: string): string => `${source}${intel}`;

// --- mapping -----------------------------------------------------------------------------------------

export const parseProps = (s: string | undefined): Properties =>
  !s || s === '{}' ? {} : (JSON.parse(s) as Properties);

export function toEntity(r: EntityNode): Entity {
  return {
    id: r.id,
    type: r.type,
    label: r.label,
    key: r.key,
    properties: parseProps(r.props),
    reviewDate: r.reviewDate ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function gradingOf(codes: readonly string[] | undefined): Grading | null {
  let best: Grading | null = null;
  for (const c of codes ?? []) {
    best = bestGrading(best, { source: Number(c[0]) as SourceEvaluation, intel: c[1] as IntelAssessment });
  }
  return best;
}

export function toLink(r: LinkRel): Link {
  return {
    id: r.id,
    type: r.type,
    from: r.from,
    to: r.to,
    directed: r.directed,
    weight: r.weight,
    firstSeen: r.firstSeen ?? null,
    lastSeen: r.lastSeen ?? null,
    properties: parseProps(r.props),
    grading: gradingOf(r.grades),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toReport(r: ReportNode): Report {
  return {
    id: r.id,
    ref: r.ref,
    date: r.date,
    author: r.author,
    text: r.text,
    source: r.source as SourceEvaluation,
    intel: r.intel as IntelAssessment,
    handling: r.handling as Report['handling'],
    conditions: r.conditions ?? null,
    reviewDate: r.reviewDate ?? null,
    createdAt: r.createdAt,
  };
}

/** Reports in the order they were written. */
export function toReports(rows: ReportNode[]): Report[] {
  return rows.sort((a, b) => a.n - b.n).map(toReport);
}

export function toMergeRecord(m: Row): MergeRecord {
  return {
    id: m.id as string,
    keptId: m.keptId as string,
    mergedId: m.mergedId as string,
    actor: m.actor as string,
    at: m.at as string,
    undone: m.undone as boolean,
  };
}

export function toAnnotation(r: Row): Annotation {
  return {
    id: r.id as string,
    target: { kind: r.targetKind as Annotation['target']['kind'], id: r.targetId as string },
    text: r.text as string,
    tags: JSON.parse(r.tags as string) as string[],
    targetFlag: r.targetFlag as boolean,
    author: r.author as string,
    createdAt: r.createdAt as string,
    updatedAt: r.updatedAt as string,
  };
}

export function toChart(r: Row): Chart {
  return {
    id: r.id as string,
    name: r.name as string,
    owner: r.owner as string,
    state: JSON.parse(r.state as string) as Record<string, unknown>,
    createdAt: r.createdAt as string,
    updatedAt: r.updatedAt as string,
  };
}

export function toUser(r: Row): User {
  return {
    id: r.id as string,
    name: r.name as string,
    role: r.role as Role,
    passwordHash: r.passwordHash as string,
    disabled: r.disabled as boolean,
    createdAt: r.createdAt as string,
  };
}

export function auditRow(e: AuditEvent): Row {
  return { ...e, details: e.details ? JSON.stringify(e.details) : null };
}

export function toAuditEvent(r: Row): AuditEvent {
  return {
    seq: r.seq as number,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as string,
    route: (r.route as string | undefined) ?? null,
    objectIds: (r.objectIds as string[] | undefined) ?? [],
    outcome: r.outcome as AuditEvent['outcome'],
    justification: (r.justification as string | undefined) ?? null,
    recipient: (r.recipient as string | undefined) ?? null,
    details: r.details ? (JSON.parse(r.details as string) as Record<string, unknown>) : null,
    prevHash: r.prevHash as string,
    hash: r.hash as string,
    ...((r.operations as string[] | null | undefined)?.length
      ? { operations: r.operations as string[] }
      : {}),
  };
}

export function toImportRun(r: Row): ImportRun {
  return {
    seq: r.seq as number,
    importId: r.importId as string,
    at: r.at as string,
    actor: r.actor as string,
    // A run recorded before operations has none: GENERAL's.
    operationId: (r.op as string | null | undefined) ?? 'op1',
    report: JSON.parse(r.report as string) as Record<string, unknown>,
  };
}

const json = (s: unknown): unknown => (typeof s === 'string' ? JSON.parse(s) : null);

export function toTargetAction(r: Row): TargetAction {
  return {
    id: r.id as string,
    targetId: r.targetId as string,
    kind: r.kind as TargetAction['kind'],
    date: r.date as string,
    outcome: (r.outcome as string) ?? '',
    actor: r.actor as string,
    recordedAt: r.recordedAt as string,
  };
}

/** A (:Target) node and its actions; nested records (analysis, decision, review) are stored as JSON. */
export function toTarget(r: Row, actions: TargetAction[]): Target {
  return {
    id: r.id as string,
    // Targets from before operations have no op: GENERAL's.
    operationId: (r.op as string | null | undefined) ?? 'op1',
    entityId: r.entityId as string,
    entityLabel: r.entityLabel as string,
    entityType: r.entityType as Target['entityType'],
    reason: r.reason as string,
    analysis: json(r.analysis) as Target['analysis'],
    status: r.status as TargetStatus,
    proposedBy: r.proposedBy as string,
    proposedAt: r.proposedAt as string,
    decision: (json(r.decision) as Target['decision']) ?? null,
    review: (json(r.review) as Target['review']) ?? null,
    actions,
    version: r.version as number,
    updatedAt: r.updatedAt as string,
  };
}
