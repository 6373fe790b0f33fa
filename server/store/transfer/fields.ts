// The field lists of a transfer dump, written once: for every part (reports, entities, links, ...) each field
// of the dump, the SQLite column that holds it and how its value is read from and written to each store. The
// dump's types are derived from these tables, and the SQLite and Neo4j dumps and loads (sqlite.ts, neo4j.ts)
// convert rows through them, so a new column is added in one place.
import type { AuditEvent, EntityType, ImportRun, LinkType } from '../../domain/model.ts';

export type SqlValue = string | number | null;

/** One field of a dump part. Neo4j keeps every field under its dump name; SQLite under `col`. */
export interface Field<T> {
  col: string;
  fromSql(v: unknown): T;
  toSql(v: T): SqlValue;
  fromNeo(v: unknown): T;
  /** As a Neo4j load writes it. */
  toNeo(v: T): unknown;
}

type Fields = Record<string, Field<unknown>>;
/** The dump record a field table describes. */
export type RecordOf<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Numeric part of an id ('e12', '12') for ordering. */
export const idNum = (id: string): number => Number(/\d+$/.exec(id)?.[0] ?? NaN);

const same = <T>(v: unknown) => v as T;

const str = <T extends string = string>(col: string): Field<T> => ({
  col,
  fromSql: same<T>,
  toSql: (v) => v,
  fromNeo: same<T>,
  toNeo: (v) => v,
});
const maybeStr = (col: string): Field<string | null> => ({
  col,
  fromSql: (v) => (v as string | null) ?? null,
  toSql: (v) => v,
  fromNeo: (v) => (v as string | undefined) ?? null,
  toNeo: (v) => v,
});
const num = (col: string): Field<number> => ({
  col,
  fromSql: same<number>,
  toSql: (v) => v,
  fromNeo: same<number>,
  toNeo: (v) => v,
});
/** SQLite keeps booleans as 0 and 1. */
const flag = (col: string): Field<boolean> => ({
  col,
  fromSql: (v) => v === 1,
  toSql: (v) => (v ? 1 : 0),
  fromNeo: same<boolean>,
  toNeo: (v) => v,
});
/**
 * An id: SQLite keeps the number, the dump (and Neo4j) the id as the API shows it, with its prefix ('e12' for
 * an entity; plain '12' for annotations, charts, users and merges).
 */
const id = (col: string, prefix = ''): Field<string> => ({
  col,
  fromSql: (v) => `${prefix}${v as number}`,
  toSql: (v) => (prefix ? idNum(v) : Number(v)),
  fromNeo: same<string>,
  toNeo: (v) => v,
});
const maybeId = (col: string): Field<string | null> => ({
  col,
  fromSql: (v) => (v === null ? null : String(v)),
  toSql: (v) => (v === null ? null : Number(v)),
  fromNeo: (v) => (v as string | undefined) ?? null,
  toNeo: (v) => v,
});
/** JSON text in both stores. */
const json = <T>(col: string): Field<T> => ({
  col,
  fromSql: (v) => JSON.parse(v as string) as T,
  toSql: (v) => JSON.stringify(v),
  fromNeo: (v) => JSON.parse(v as string) as T,
  toNeo: (v) => JSON.stringify(v),
});
const maybeJson = <T>(col: string): Field<T | null> => ({
  col,
  fromSql: (v) => (v ? (JSON.parse(v as string) as T) : null),
  toSql: (v) => (v ? JSON.stringify(v) : null),
  fromNeo: (v) => (v ? (JSON.parse(v as string) as T) : null),
  toNeo: (v) => (v ? JSON.stringify(v) : null),
});
/** JSON text in SQLite, a list property in Neo4j. */
const list = (col: string): Field<string[]> => ({
  col,
  fromSql: (v) => JSON.parse(v as string) as string[],
  toSql: (v) => JSON.stringify(v),
  fromNeo: (v) => (v as string[] | undefined) ?? [],
  toNeo: (v) => v,
});

/**
 * The operation a record belongs to: SQLite keeps its number, Neo4j its id ('op3'); a Neo4j record written
 * before operations has none and belongs to GENERAL (op1), as the Neo4j store reads it.
 */
/**
 * A list that may be absent: JSON text or NULL in SQLite, a list property or none in Neo4j; absent in the
 * dump record too (undefined), as the domain's record leaves it out.
 */
const maybeList = (col: string): Field<string[] | undefined> => ({
  col,
  fromSql: (v) => (v === null || v === undefined ? undefined : (JSON.parse(v as string) as string[])),
  toSql: (v) => (v === undefined ? null : JSON.stringify(v)),
  fromNeo: (v) => (Array.isArray(v) ? (v as string[]) : undefined),
  toNeo: (v) => v ?? null,
});

/**
 * Operations a record names (a duplicate pair's evidence operations): JSON text of their numbers in SQLite,
 * a list of ids ('op3') in the dump and in Neo4j; absent in Neo4j (a pair from before it recorded them) reads
 * as none, which the Neo4j store backfills on start.
 */
const opList = (col: string): Field<string[]> => ({
  col,
  fromSql: (v) => (JSON.parse((v as string | null) ?? '[]') as number[]).map((n) => `op${n}`),
  toSql: (v) => JSON.stringify(v.map(idNum)),
  fromNeo: (v) => (Array.isArray(v) ? (v as string[]) : []),
  toNeo: (v) => v,
});

const opOf = (col: string): Field<string> => ({
  col,
  fromSql: (v) => `op${v as number}`,
  toSql: (v) => idNum(v),
  fromNeo: (v) => (v as string | undefined) ?? 'op1',
  toNeo: (v) => v,
});

export const REPORT_FIELDS = {
  id: id('id', 'r'),
  op: opOf('op_id'),
  ref: str('ref'),
  date: str('date'),
  author: str('author'),
  text: str('text'),
  source: num('source'),
  intel: str('intel'),
  handling: str('handling'),
  conditions: maybeStr('conditions'),
  reviewDate: maybeStr('review_date'),
  createdAt: str('created_at'),
};
/** Entities and links also carry their provenance (report ids and import ids), kept in SQLite's join tables. */
export const ENTITY_FIELDS = {
  id: id('id', 'e'),
  type: str<EntityType>('type'),
  key: str('key'),
  label: str('label'),
  /** Properties as the JSON text both stores keep. */
  props: str('properties'),
  reviewDate: maybeStr('review_date'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
};
export const LINK_FIELDS = {
  id: id('id', 'l'),
  type: str<LinkType>('type'),
  from: id('from_id', 'e'),
  to: id('to_id', 'e'),
  directed: flag('directed'),
  weight: num('weight'),
  firstSeen: maybeStr('first_seen'),
  lastSeen: maybeStr('last_seen'),
  props: str('properties'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
};
export const ALIAS_FIELDS = {
  type: str('type'),
  key: str('key'),
  entityId: id('entity_id', 'e'),
  mergeId: maybeId('merge_id'),
};
/** Merges also carry the snapshot unmerge needs (see DumpSnapshot). */
export const MERGE_FIELDS = {
  id: id('id'),
  keptId: id('kept_id', 'e'),
  mergedId: id('merged_id', 'e'),
  actor: str('actor'),
  at: str('at'),
  undone: flag('undone'),
};
export const ANNOTATION_FIELDS = {
  id: id('id'),
  targetKind: str('target_kind'),
  targetId: str('target_id'),
  text: str('text'),
  /** JSON text. */
  tags: str('tags'),
  targetFlag: flag('target_flag'),
  author: str('author'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
  op: opOf('op_id'),
};
export const CHART_FIELDS = {
  id: id('id'),
  name: str('name'),
  owner: str('owner'),
  /** JSON text. */
  state: str('state'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
  op: opOf('op_id'),
};
export const USER_FIELDS = {
  id: id('id'),
  name: str('name'),
  role: str('role'),
  passwordHash: str('password_hash'),
  disabled: flag('disabled'),
  createdAt: str('created_at'),
};
export const AUDIT_FIELDS = {
  seq: num('seq'),
  at: str('at'),
  actor: str('actor'),
  action: str('action'),
  route: maybeStr('route'),
  objectIds: list('object_ids'),
  outcome: str<AuditEvent['outcome']>('outcome'),
  justification: maybeStr('justification'),
  recipient: maybeStr('recipient'),
  details: maybeJson<Record<string, unknown>>('details'),
  prevHash: str('prev_hash'),
  hash: str('hash'),
  /** The operations a record was made in (JSON text in SQLite, a list in Neo4j); null: none, as before them. */
  operations: maybeList('op_ids'),
};
export const IMPORT_RUN_FIELDS = {
  seq: num('seq'),
  importId: str('import_id'),
  at: str('at'),
  actor: str('actor'),
  /** The operation the import wrote into (the domain's operationId; `op` in Neo4j as on other records). */
  op: opOf('op_id'),
  report: json<Record<string, unknown>>('report'),
};

/** Targets: the nested records (analysis, decision, review) stay the JSON text both stores keep. */
export const TARGET_FIELDS = {
  id: id('id', 't'),
  entityId: str('entity_id'),
  entityLabel: str('entity_label'),
  entityType: str('entity_type'),
  reason: str('reason'),
  analysis: str('analysis'),
  status: str('status'),
  proposedBy: str('proposed_by'),
  proposedAt: str('proposed_at'),
  decision: maybeStr('decision'),
  review: maybeStr('review'),
  version: num('version'),
  updatedAt: str('updated_at'),
  /** The operation the target was proposed in. */
  op: opOf('op_id'),
};
/** A target's append-only action log. */
export const TARGET_ACTION_FIELDS = {
  id: id('id', 'ta'),
  targetId: id('target_id', 't'),
  kind: str('kind'),
  date: str('date'),
  outcome: str('outcome'),
  actor: str('actor'),
  recordedAt: str('recorded_at'),
};
/** Each user's unsaved working chart, one per user and operation; the id is a UUID in both stores. */
export const DRAFT_FIELDS = {
  id: str('id'),
  owner: str('owner'),
  op: opOf('op_id'),
  name: str('name'),
  chartId: maybeStr('chart_id'),
  /** JSON text. */
  state: str('state'),
  revision: num('revision'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
};

const maybeNum = (col: string): Field<number | null> => ({
  col,
  fromSql: (v) => (v as number | null) ?? null,
  toSql: (v) => v,
  fromNeo: (v) => (v as number | undefined) ?? null,
  toNeo: (v) => v,
});
/** An optional id with a prefix: SQLite keeps the number, Neo4j the id ('r3'). */
const maybePrefixed = (col: string, prefix: string): Field<string | null> => ({
  col,
  fromSql: (v) => (v === null || v === undefined ? null : `${prefix}${v as number}`),
  toSql: (v) => (v === null ? null : idNum(v)),
  fromNeo: (v) => (v as string | undefined) ?? null,
  toNeo: (v) => v,
});
/**
 * Every call and ANPR read behind a CALLED or SIGHTED_AT link, as both stores keep it: kind 0 call, 1 sighting;
 * direction 0 none, 1 outgoing, 2 incoming; at in epoch milliseconds. Neo4j's identity key is derived at load.
 */
export const EVENT_FIELDS = {
  n: num('id'),
  linkId: id('link_id', 'l'),
  kind: num('kind'),
  at: num('at_ms'),
  duration: maybeNum('duration'),
  direction: num('direction'),
  place: maybeStr('place'),
  report: maybePrefixed('report_id', 'r'),
  importId: maybeStr('import_id'),
  op: opOf('op_id'),
};

/** Operations (issue 17): SQLite numbers them, Neo4j keeps the id ('op2') and its number `n`. */
export const OPERATION_FIELDS = {
  id: id('id', 'op'),
  ref: str('ref'),
  name: str('name'),
  owner: str('owner'),
  sensitivity: str('sensitivity'),
  state: str('state'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
};
/** Who may read and write a closed operation, and in which role. */
export const OPERATION_MEMBER_FIELDS = {
  opId: id('op_id', 'op'),
  user: str('user'),
  role: str('role'),
  addedBy: str('added_by'),
  addedAt: str('added_at'),
};
/** A subject two operations hold; `audited` once the desk has written it to the audit (so it is not again). */
export const NOTICE_FIELDS = {
  id: id('id', 'dn'),
  entityId: id('entity_id', 'e'),
  newOpId: id('new_op_id', 'op'),
  heldOpId: id('held_op_id', 'op'),
  state: str('state'),
  disclose: flag('disclose'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
  audited: flag('audited'),
};
/**
 * A step in a notice's log. SQLite numbers steps across all notices, Neo4j within each notice; the dump
 * carries each step's place in its notice's log (`step`, from 0), as for duplicate decisions.
 */
export const NOTICE_EVENT_FIELDS = {
  noticeId: id('notice_id', 'dn'),
  actor: str('actor'),
  at: str('at'),
  action: str('action'),
  note: maybeStr('note'),
};
/** A pair of likely duplicates in the review queue; the pair's entity ids are derived from an and bn. */
export const PROPOSAL_FIELDS = {
  id: str('id'),
  an: num('a_n'),
  bn: num('b_n'),
  type: str('type'),
  weight: num('weight'),
  probability: num('probability'),
  /** JSON text. */
  evidence: str('evidence'),
  fingerprint: str('fingerprint'),
  /** The operations its evidence could come from: only their readers see the pair. */
  ops: opList('ops'),
  state: str('state'),
  decidedBy: maybeStr('decided_by'),
  decidedAt: maybeStr('decided_at'),
  mergeId: maybeStr('merge_id'),
  keptId: maybeStr('kept_id'),
  createdAt: str('created_at'),
  updatedAt: str('updated_at'),
};
/**
 * A decision in a pair's append-only log. SQLite numbers decisions across all pairs, Neo4j within each pair;
 * the dump carries each decision's place in its pair's log (`step`, from 0), which both can rebuild.
 */
export const DECISION_FIELDS = {
  proposalId: str('proposal_id'),
  action: str('action'),
  actor: str('actor'),
  at: str('at'),
  fingerprint: str('fingerprint'),
  mergeId: maybeStr('merge_id'),
};

// The audit and import-run tables describe the domain's own records, field for field.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
// The dump record holds `operations` as undefined where the domain record leaves the key out.
const _auditMatches: Same<
  RecordOf<typeof AUDIT_FIELDS>,
  Omit<AuditEvent, 'operations'> & { operations: string[] | undefined }
> = true;
const _importRunMatches: Same<
  RecordOf<typeof IMPORT_RUN_FIELDS>,
  Omit<ImportRun, 'operationId'> & { op: string }
> = true;

/** Each table's fields as [dump name, field] pairs, listed once (the conversions below run per record). */
const entriesOf = new WeakMap<Fields, Array<[string, Field<unknown>]>>();
function entries(fields: Fields): Array<[string, Field<unknown>]> {
  let e = entriesOf.get(fields);
  if (!e) entriesOf.set(fields, (e = Object.entries(fields)));
  return e;
}

/** A SQLite row (columns by name) as a dump record. */
export function fromSqlite<F extends Fields>(fields: F, row: Record<string, unknown>): RecordOf<F> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of entries(fields)) out[k] = f.fromSql(row[f.col]);
  return out as RecordOf<F>;
}

/** A dump record as a SQLite row (columns by name). */
export function toSqlite<F extends Fields>(fields: F, x: RecordOf<F>): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [k, f] of entries(fields)) out[f.col] = f.toSql((x as Record<string, unknown>)[k]);
  return out;
}

/** A Neo4j row (fields by their dump names) as a dump record. */
export function fromNeo4j<F extends Fields>(fields: F, row: Record<string, unknown>): RecordOf<F> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of entries(fields)) out[k] = f.fromNeo(row[k]);
  return out as RecordOf<F>;
}

/** A dump record as a Neo4j load writes it. */
export function toNeo4j<F extends Fields>(fields: F, x: RecordOf<F>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, f] of entries(fields)) out[k] = f.toNeo((x as Record<string, unknown>)[k]);
  return out;
}
