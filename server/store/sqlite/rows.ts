// Row <-> domain mapping for every SQLite store: public ids, dates for the time window, grading bit masks,
// and each table's row as the domain object it holds. The one place a column name meets a field name.
import type {
  Annotation,
  AuditEvent,
  Chart,
  Entity,
  EntityType,
  Grading,
  IntelAssessment,
  Link,
  LinkType,
  MinGrading,
  Report,
  ImportRun,
  Role,
  SourceEvaluation,
  User,
} from '../../domain/model.ts';
import type { ActionKind, Target, TargetAction, TargetStatus } from '../../domain/target.ts';
import type { MergeRecord } from '../graph-store.ts';
import { INTEL_ASSESSMENTS } from '../../domain/model.ts';
import { bestGrading, intelRank } from '../../domain/grading.ts';
import { entityId, linkId, reportId, targetId } from '../shared/ids.ts';
import { parseProps } from '../shared/values.ts';

export function gradeBit(source: SourceEvaluation, intel: IntelAssessment): number {
  return 1 << ((source - 1) * 5 + intelRank(intel));
}

/** Bits of every grading at least as good as `min`: a link passes if it has any of them. */
export function allowedGradeMask(min: MinGrading): number {
  let mask = 0;
  for (let s = 1; s <= min.source; s++) {
    for (let i = 0; i <= intelRank(min.intel); i++) mask |= 1 << ((s - 1) * 5 + i);
  }
  return mask;
}

const bestCache = new Map<number, Grading | null>();
/** Best grading among the bits of a mask (a fact is as strong as the best report behind it). */
export function gradingFromMask(mask: number): Grading | null {
  const hit = bestCache.get(mask);
  if (hit !== undefined) return hit;
  let best: Grading | null = null;
  for (let b = 0; b < 15; b++) {
    if (!(mask & (1 << b))) continue;
    const g: Grading = {
      source: (Math.floor(b / 5) + 1) as SourceEvaluation,
      intel: INTEL_ASSESSMENTS[b % 5],
    };
    best = bestGrading(best, g);
  }
  bestCache.set(mask, best);
  return best;
}

export interface EntityRow {
  id: number;
  type: string;
  key: string;
  label: string;
  properties: string;
  review_date: string | null;
  created_at: string;
  updated_at: string;
}
export const ENTITY_COLS =
  'e.id, e.type, e.key, e.label, e.properties, e.review_date, e.created_at, e.updated_at';

export function toEntity(r: EntityRow): Entity {
  return {
    id: entityId(r.id),
    type: r.type as EntityType,
    label: r.label,
    key: r.key,
    properties: parseProps(r.properties),
    reviewDate: r.review_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface LinkRow {
  id: number;
  type: string;
  from_id: number;
  to_id: number;
  directed: number;
  weight: number;
  first_seen: string | null;
  last_seen: string | null;
  properties: string;
  grades: number;
  created_at: string;
  updated_at: string;
}
export const LINK_COLS =
  'l.id, l.type, l.from_id, l.to_id, l.directed, l.weight, l.first_seen, l.last_seen, l.properties, l.grades, l.created_at, l.updated_at';

export function toLink(r: LinkRow): Link {
  return {
    id: linkId(r.id),
    type: r.type as LinkType,
    from: entityId(r.from_id),
    to: entityId(r.to_id),
    directed: r.directed === 1,
    weight: r.weight,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    properties: parseProps(r.properties),
    grading: gradingFromMask(r.grades),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ReportRow {
  id: number;
  ref: string;
  date: string;
  author: string;
  text: string;
  source: number;
  intel: string;
  handling: string;
  conditions: string | null;
  review_date: string | null;
  created_at: string;
}
export const REPORT_COLS =
  'r.id, r.ref, r.date, r.author, r.text, r.source, r.intel, r.handling, r.conditions, r.review_date, r.created_at';

export function toReport(r: ReportRow): Report {
  return {
    id: reportId(r.id),
    ref: r.ref,
    date: r.date,
    author: r.author,
    text: r.text,
    source: r.source as SourceEvaluation,
    intel: r.intel as IntelAssessment,
    handling: r.handling as Report['handling'],
    conditions: r.conditions,
    reviewDate: r.review_date,
    createdAt: r.created_at,
  };
}

// Row arrays (statement.raw()) in LINK_COLS / ENTITY_COLS order: whole-graph reads build a million objects,
// and arrays skip building an intermediate row object for each.
type Cell = string | number | null;
export function toLinkRaw(r: Cell[]): Link {
  return {
    id: linkId(r[0] as number),
    type: r[1] as LinkType,
    from: entityId(r[2] as number),
    to: entityId(r[3] as number),
    directed: r[4] === 1,
    weight: r[5] as number,
    firstSeen: r[6] as string | null,
    lastSeen: r[7] as string | null,
    properties: parseProps(r[8] as string),
    grading: gradingFromMask(r[9] as number),
    createdAt: r[10] as string,
    updatedAt: r[11] as string,
  };
}
export function toEntityRaw(r: Cell[]): Entity {
  return {
    id: entityId(r[0] as number),
    type: r[1] as EntityType,
    label: r[3] as string,
    key: r[2] as string,
    properties: parseProps(r[4] as string),
    reviewDate: r[5] as string | null,
    createdAt: r[6] as string,
    updatedAt: r[7] as string,
  };
}

export interface MergeRow {
  id: number;
  kept_id: number;
  merged_id: number;
  actor: string;
  at: string;
  undone: number;
}
export const MERGE_COLS = 'id, kept_id, merged_id, actor, at, undone';

export function toMerge(r: MergeRow): MergeRecord {
  return {
    id: String(r.id),
    keptId: entityId(r.kept_id),
    mergedId: entityId(r.merged_id),
    actor: r.actor,
    at: r.at,
    undone: r.undone === 1,
  };
}

export interface AnnotationRow {
  id: number;
  target_kind: string;
  target_id: string;
  text: string;
  tags: string;
  target_flag: number;
  author: string;
  created_at: string;
  updated_at: string;
}

export function toAnnotation(r: AnnotationRow): Annotation {
  return {
    id: String(r.id),
    target: { kind: r.target_kind as Annotation['target']['kind'], id: r.target_id },
    text: r.text,
    tags: JSON.parse(r.tags) as string[],
    targetFlag: r.target_flag === 1,
    author: r.author,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ChartRow {
  id: number;
  name: string;
  owner: string;
  state: string;
  created_at: string;
  updated_at: string;
}

export function toChart(r: ChartRow): Chart {
  return {
    id: String(r.id),
    name: r.name,
    owner: r.owner,
    state: JSON.parse(r.state) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
}

export function toUser(r: UserRow): User {
  return {
    id: String(r.id),
    name: r.name,
    role: r.role,
    passwordHash: r.password_hash,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
  };
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  route: string | null;
  object_ids: string;
  outcome: AuditEvent['outcome'];
  justification: string | null;
  recipient: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
  /** JSON list of op ids; null (or absent, before migration 12) when the record carries none. */
  op_ids?: string | null;
}

export function toAuditEvent(r: AuditRow): AuditEvent {
  const ops = r.op_ids ? (JSON.parse(r.op_ids) as string[]) : null;
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    route: r.route,
    objectIds: JSON.parse(r.object_ids) as string[],
    outcome: r.outcome,
    justification: r.justification,
    recipient: r.recipient,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    prevHash: r.prev_hash,
    hash: r.hash,
    ...(ops?.length ? { operations: ops } : {}),
  };
}

export interface ImportRunRow {
  seq: number;
  import_id: string;
  at: string;
  actor: string;
  op_id: number;
  report: string;
}

export function toImportRun(r: ImportRunRow): ImportRun {
  return {
    seq: r.seq,
    importId: r.import_id,
    at: r.at,
    actor: r.actor,
    operationId: `op${r.op_id}`,
    report: JSON.parse(r.report) as Record<string, unknown>,
  };
}

export interface TargetRow {
  id: number;
  entity_id: string;
  entity_label: string;
  entity_type: string;
  reason: string;
  analysis: string;
  status: string;
  proposed_by: string;
  proposed_at: string;
  decision: string | null;
  review: string | null;
  version: number;
  updated_at: string;
  op_id: number;
}

export function toTarget(r: TargetRow, actions: TargetAction[]): Target {
  return {
    id: targetId(r.id),
    operationId: `op${r.op_id}`,
    entityId: r.entity_id,
    entityLabel: r.entity_label,
    entityType: r.entity_type as Target['entityType'],
    reason: r.reason,
    analysis: JSON.parse(r.analysis) as Target['analysis'],
    status: r.status as TargetStatus,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    decision: r.decision ? (JSON.parse(r.decision) as Target['decision']) : null,
    review: r.review ? (JSON.parse(r.review) as Target['review']) : null,
    actions,
    version: r.version,
    updatedAt: r.updated_at,
  };
}

export interface TargetActionRow {
  id: number;
  target_id: number;
  kind: string;
  date: string;
  outcome: string;
  actor: string;
  recorded_at: string;
}

export function toTargetAction(r: TargetActionRow): TargetAction {
  return {
    id: `ta${r.id}`,
    targetId: targetId(r.target_id),
    kind: r.kind as ActionKind,
    date: r.date,
    outcome: r.outcome,
    actor: r.actor,
    recordedAt: r.recorded_at,
  };
}
