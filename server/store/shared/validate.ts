// Input validation for the stores: zod schemas from the domain, turned into StoreErrors that say where.
// Both backends check their input with these same functions, so the same bad input gets the same error.
import { z } from 'zod';
import { StoreError } from '../common.ts';
import {
  targetActionInputSchema,
  targetRecordSchema,
  TRANSITIONS,
  type TargetActionInput,
  type TargetRecord,
  type TargetStatus,
} from '../../domain/target.ts';
import type { EntityRef, EntityType, LinkType, Properties } from '../../domain/model.ts';
import {
  ENTITY_TYPES,
  LINK_TYPES,
  entityInputSchema,
  labelSchema,
  linkInputSchema,
  propertiesSchema,
  reportInputSchema,
} from '../../domain/model.ts';
import { unsafeLabelProblem } from '../../domain/text.ts';
import type { NeighbourhoodOptions } from '../graph-store.ts';
import { checkFilter } from './view-filter.ts';

type PathItem = string | number;

/** Parses `value`; on failure throws StoreError('invalid') naming the path, e.g. links[3].to: ... */
export function parseOr<S extends z.ZodType>(schema: S, value: unknown, at: PathItem[]): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const iss = r.error.issues[0];
  const path = [...at, ...iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  throw new StoreError('invalid', `${formatPath(path)}: ${iss.message}`, path);
}

export function formatPath(path: PathItem[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || 'input';
}

export function invalid(path: PathItem[], message: string): StoreError {
  return new StoreError('invalid', `${formatPath(path)}: ${message}`, path);
}

const DEFAULT_NEIGHBOURHOOD_LIMIT = 2000;

/** A neighbourhood's options, checked the same on both backends: hops, filter, node limit, link cap, types brought in. */
export function neighbourhoodOptions(opts: NeighbourhoodOptions) {
  const hops = opts.hops;
  if (!Number.isInteger(hops) || hops < 1 || hops > 4) throw invalid(['hops'], 'hops must be 1, 2, 3 or 4');
  const filter = checkFilter(opts.filter);
  const limit = opts.limit ?? DEFAULT_NEIGHBOURHOOD_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw invalid(['limit'], 'limit must be a whole number above 0');
  const maxLinks = opts.maxLinks ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(maxLinks) || maxLinks < 0)
    throw invalid(['maxLinks'], 'maxLinks must be a whole number from 0');
  let types: string[] | undefined = opts.entityTypes ?? filter.entityTypes;
  if (opts.entityTypes && filter.entityTypes)
    types = opts.entityTypes.filter((t) => filter.entityTypes!.includes(t));
  return { hops, filter, limit, types, maxLinks };
}

/** A neighbourhood past the caller's NeighbourhoodOptions.maxLinks: both backends stop the walk with this. */
export function tooManyLinks(maxLinks: number): StoreError {
  return new StoreError('too_large', `the neighbourhood holds more than ${maxLinks} links (maxLinks)`, [
    'maxLinks',
  ]);
}

/** A target record, parsed; refused as 'target <field>: <why>'. */
export function parseTargetRecord(input: TargetRecord): z.output<typeof targetRecordSchema> {
  const parsed = targetRecordSchema.safeParse(input);
  if (!parsed.success) throw namedInvalid(parsed.error, 'target');
  return parsed.data;
}

/** A target action, parsed; refused as 'action <field>: <why>'. */
export function parseTargetAction(input: TargetActionInput): z.output<typeof targetActionInputSchema> {
  const parsed = targetActionInputSchema.safeParse(input);
  if (!parsed.success) throw namedInvalid(parsed.error, 'action');
  return parsed.data;
}

function namedInvalid(e: { issues: { path: PropertyKey[]; message: string }[] }, prefix: string): StoreError {
  const first = e.issues[0];
  const path = first.path.filter((p): p is string | number => typeof p !== 'symbol');
  return new StoreError(
    'invalid',
    `${prefix}${path.length ? ` ${path.join('.')}` : ''}: ${first.message}`,
    path,
  );
}

/** Actions are logged on a target only once it is approved (or actioned already): else a conflict. */
export function checkActionable(id: string, status: string): void {
  if (!TRANSITIONS.action.includes(status as TargetStatus)) {
    throw new StoreError(
      'conflict',
      `target ${id} is ${status}: actions can be logged only once it is approved`,
      ['status'],
    );
  }
}

const isoDate = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    { message: 'must be an ISO 8601 date such as 2024-03-01 or 2024-03-01T14:05:00Z' },
  );
const refs = z.array(z.string().min(1)).max(1000);

export const entityPatchSchema = z.object({
  label: labelSchema('label', 500).optional(),
  properties: propertiesSchema.optional(),
  reviewDate: isoDate.nullable().optional(),
  addReports: refs.optional(),
  removeReports: refs.optional(),
});

export const linkPatchSchema = z.object({
  weight: z.number().finite().positive('weight is a strength and must be above 0').optional(),
  firstSeen: isoDate.nullable().optional(),
  lastSeen: isoDate.nullable().optional(),
  properties: propertiesSchema.optional(),
  addReports: refs.optional(),
  removeReports: refs.optional(),
});

export const userInputSchema = z.object({
  name: z.string().trim().min(1, 'user name is required').max(100),
  role: z.enum(['viewer', 'analyst', 'supervisor', 'admin'], {
    error: (iss) => `role ${JSON.stringify(iss.input)} is not viewer, analyst, supervisor or admin`,
  }),
  passwordHash: z.string().min(1, 'password hash is required'),
});

export const auditInputSchema = z.object({
  actor: z.string().min(1, 'audit actor is required').max(200),
  action: z.string().min(1, 'audit action is required').max(200),
  route: z.string().max(2000).optional(),
  objectIds: z.array(z.string()).max(10_000).optional(),
  outcome: z.enum(['ok', 'denied', 'error', 'failed']),
  justification: z.string().max(10_000).optional(),
  recipient: z.string().max(1000).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  operations: z.array(z.string().min(1).max(64)).max(1000).optional(),
});

export const listOptionsSchema = z.object({
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

// ---------------------------------------------------------------------------------------------------------
// Fast paths for bulk writes. Validating every row of a large import with zod costs more than writing it, so
// rows in the plain, common shape are checked here by hand against the same rules; anything else (including
// every invalid row) goes through the zod schema, which stays the one source of error messages. A fast check
// only ever accepts what the schema accepts, and gives the same output.

const LINK_TYPE_SET = new Set<string>(LINK_TYPES);
const ENTITY_TYPE_SET = new Set<string>(ENTITY_TYPES);
const PROP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const goodDates = new Set<string>();

function fastDate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  if (goodDates.has(v)) return true;
  if (!ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) return false;
  if (goodDates.size > 50_000) goodDates.clear();
  goodDates.add(v);
  return true;
}

function fastProps(v: unknown): Properties | null {
  if (v === undefined) return {};
  if (
    typeof v !== 'object' ||
    v === null ||
    Array.isArray(v) ||
    Object.getPrototypeOf(v) !== Object.prototype
  )
    return null;
  let n = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) return null;
    if (++n > 200 || k.length > 100 || !PROP_NAME.test(k)) return null;
    const x = (v as Record<string, unknown>)[k];
    if (x === null || typeof x === 'boolean') continue;
    if (typeof x === 'number' ? !Number.isFinite(x) : typeof x !== 'string' || x.length > 10_000) return null;
  }
  return { ...(v as Properties) };
}

function fastRefs(v: unknown): string[] | null {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 1000) return null;
  for (const r of v) if (typeof r !== 'string' || r.length < 1) return null;
  return [...(v as string[])];
}

function fastEntityRef(v: unknown): EntityRef | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (r.id !== undefined) return typeof r.id === 'string' && r.id.length >= 1 ? { id: r.id } : null;
  if (typeof r.type !== 'string' || !ENTITY_TYPE_SET.has(r.type)) return null;
  if (typeof r.key !== 'string' || r.key.length < 1 || r.key.length > 500) return null;
  return { type: r.type as EntityType, key: r.key };
}

export type LinkParsed = z.output<typeof linkInputSchema>;
export type EntityParsed = z.output<typeof entityInputSchema>;
export type ReportParsed = z.output<typeof reportInputSchema>;

/** The parsed link if `v` is a plain valid link, else null (then parse it with the schema). */
export function fastLink(v: unknown): LinkParsed | null {
  if (typeof v !== 'object' || v === null) return null;
  const l = v as Record<string, unknown>;
  if (typeof l.type !== 'string' || !LINK_TYPE_SET.has(l.type)) return null;
  const from = fastEntityRef(l.from);
  const to = fastEntityRef(l.to);
  if (!from || !to) return null;
  const weight = l.weight === undefined ? 1 : l.weight;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) return null;
  if (l.firstSeen !== undefined && !fastDate(l.firstSeen)) return null;
  if (l.lastSeen !== undefined && !fastDate(l.lastSeen)) return null;
  const properties = fastProps(l.properties);
  const reports = fastRefs(l.reports);
  if (!properties || !reports) return null;
  const out: LinkParsed = { type: l.type as LinkType, from, to, weight, properties, reports };
  if (l.firstSeen !== undefined) out.firstSeen = l.firstSeen as string;
  if (l.lastSeen !== undefined) out.lastSeen = l.lastSeen as string;
  return out;
}

/** The parsed entity if `v` is a plain valid entity, else null (then parse it with the schema). */
export function fastEntity(v: unknown): EntityParsed | null {
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Record<string, unknown>;
  if (typeof e.type !== 'string' || !ENTITY_TYPE_SET.has(e.type)) return null;
  if (typeof e.label !== 'string') return null;
  const label = e.label.trim();
  if (label.length < 1 || label.length > 500 || unsafeLabelProblem(label, 'label') !== null) return null;
  let key: string | undefined;
  if (e.key !== undefined) {
    if (typeof e.key !== 'string') return null;
    key = e.key.trim();
    if (key.length < 1 || key.length > 500 || unsafeLabelProblem(key, 'key') !== null) return null;
  }
  if (e.reviewDate !== undefined && !fastDate(e.reviewDate)) return null;
  const properties = fastProps(e.properties);
  const reports = fastRefs(e.reports);
  if (!properties || !reports) return null;
  const out: EntityParsed = { type: e.type as EntityType, label, properties, reports };
  if (key !== undefined) out.key = key;
  if (e.reviewDate !== undefined) out.reviewDate = e.reviewDate as string;
  return out;
}
