// The domain model, defined once and imported by server and web (web imports it as '@domain/model').
// Pure: no Node or browser APIs, so both sides can load it.
import { z } from 'zod';
import { unsafeLabelProblem, unsafeTextProblem } from './text.ts';

export const ENTITY_TYPES = [
  'Person',
  'Organisation',
  'Vehicle',
  'Phone',
  'Location',
  'Account',
  'Event',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const LINK_TYPES = [
  'ASSOCIATE_OF',
  'RELATIVE_OF',
  'MEMBER_OF',
  'USES',
  'OWNS',
  'RESIDES_AT',
  'FREQUENTS',
  'CALLED',
  'SIGHTED_AT',
  'INVOLVED_IN',
  'OCCURRED_AT',
  'TRANSFERRED',
] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface LinkRule {
  /** Entity types allowed at the `from` end. */
  from: readonly EntityType[];
  /** Entity types allowed at the `to` end. */
  to: readonly EntityType[];
  /** Directed links keep from/to; undirected ones are stored with the endpoints in a canonical order. */
  directed: boolean;
  description: string;
}

const ANY: readonly EntityType[] = ENTITY_TYPES;
const PARTY: readonly EntityType[] = ['Person', 'Organisation'];

/** Which entity types each link type may join. The store refuses anything else. */
export const LINK_RULES: Record<LinkType, LinkRule> = {
  ASSOCIATE_OF: { from: PARTY, to: PARTY, directed: false, description: 'known associates' },
  RELATIVE_OF: { from: ['Person'], to: ['Person'], directed: false, description: 'family tie' },
  MEMBER_OF: { from: PARTY, to: ['Organisation'], directed: true, description: 'member of a group' },
  USES: { from: PARTY, to: ['Phone', 'Vehicle', 'Account', 'Location'], directed: true, description: 'uses' },
  OWNS: {
    from: PARTY,
    to: ['Phone', 'Vehicle', 'Account', 'Location', 'Organisation'],
    directed: true,
    description: 'registered keeper / owner',
  },
  RESIDES_AT: { from: ['Person', 'Organisation'], to: ['Location'], directed: true, description: 'address' },
  FREQUENTS: { from: ['Person', 'Vehicle'], to: ['Location'], directed: true, description: 'seen often at' },
  CALLED: { from: ['Phone'], to: ['Phone'], directed: true, description: 'call data: calls or messages' },
  SIGHTED_AT: {
    from: ['Vehicle', 'Person'],
    to: ['Location'],
    directed: true,
    description: 'ANPR or sighting',
  },
  INVOLVED_IN: {
    from: ['Person', 'Organisation', 'Vehicle', 'Phone'],
    to: ['Event'],
    directed: true,
    description: 'took part in',
  },
  OCCURRED_AT: { from: ['Event'], to: ['Location'], directed: true, description: 'where an event happened' },
  TRANSFERRED: {
    from: ['Account', 'Person', 'Organisation'],
    to: ['Account', 'Person', 'Organisation'],
    directed: true,
    description: 'money transfer',
  },
};
void ANY;

// ---------------------------------------------------------------------------------------------
// 3x5x2 grading (UK College of Policing intelligence management).

export const SOURCE_EVALUATIONS = [1, 2, 3] as const;
export type SourceEvaluation = (typeof SOURCE_EVALUATIONS)[number];
export const INTEL_ASSESSMENTS = ['A', 'B', 'C', 'D', 'E'] as const;
export type IntelAssessment = (typeof INTEL_ASSESSMENTS)[number];
export const HANDLING_CODES = ['P', 'C'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const SOURCE_LABELS: Record<SourceEvaluation, string> = {
  1: 'Reliable',
  2: 'Untested',
  3: 'Not reliable',
};
export const INTEL_LABELS: Record<IntelAssessment, string> = {
  A: 'Known directly to the source',
  B: 'Known indirectly to the source but corroborated',
  C: 'Known indirectly to the source',
  D: 'Not known',
  E: 'Suspected to be false',
};
export const HANDLING_LABELS: Record<HandlingCode, string> = {
  P: 'Lawful sharing permitted',
  C: 'Lawful sharing permitted with conditions',
};

export interface Grading {
  source: SourceEvaluation;
  intel: IntelAssessment;
}

/** Minimum grading for a view: a fact passes if at least one report behind it is at least this good. */
export interface MinGrading {
  /** Worst source evaluation allowed (1 strictest, 3 allows all). */
  source: SourceEvaluation;
  /** Worst intelligence assessment allowed ('A' strictest, 'E' allows all). */
  intel: IntelAssessment;
}

// ---------------------------------------------------------------------------------------------
// Schemas with messages a person can act on.

/**
 * A label or name: one line, trimmed, 1 to `max` characters, without control characters (NUL included),
 * bidirectional overrides or isolates, or stray direction marks (text.ts); refused with a message that
 * names the field and the character.
 */
export function labelSchema(field: string, max: number, required = `${field} is required`) {
  return z
    .string()
    .trim()
    .min(1, required)
    .max(max)
    .superRefine((s, ctx) => {
      const problem = unsafeLabelProblem(s, field);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** Free text (a report, a note): up to `max` characters, any line breaks, no NUL. */
export function freeTextSchema(field: string, max: number) {
  return z
    .string()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = unsafeTextProblem(s, field);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

const isoDate = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    {
      message: 'must be an ISO 8601 date such as 2024-03-01 or 2024-03-01T14:05:00Z',
    },
  );

export const entityTypeSchema = z.enum(ENTITY_TYPES, {
  error: (iss) =>
    `unknown entity type ${JSON.stringify(iss.input)}; expected one of ${ENTITY_TYPES.join(', ')}`,
});
export const linkTypeSchema = z.enum(LINK_TYPES, {
  error: (iss) => `unknown link type ${JSON.stringify(iss.input)}; expected one of ${LINK_TYPES.join(', ')}`,
});

export const propertyValueSchema = z.union([
  z.string().max(10_000),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);
export type PropertyValue = z.infer<typeof propertyValueSchema>;
export const propertiesSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'property names are letters, digits and _'),
    propertyValueSchema,
  )
  .refine((p) => Object.keys(p).length <= 200, { message: 'at most 200 properties' });
export type Properties = z.infer<typeof propertiesSchema>;

export const gradingSchema = z.object({
  source: z.union([z.literal(1), z.literal(2), z.literal(3)], {
    error: (iss) =>
      `source evaluation ${JSON.stringify(iss.input)} is not 1, 2 or 3 (1 reliable, 2 untested, 3 not reliable)`,
  }),
  intel: z.enum(INTEL_ASSESSMENTS, {
    error: (iss) => `intelligence assessment ${JSON.stringify(iss.input)} is not one of A, B, C, D, E`,
  }),
});

export const reportInputSchema = z
  .object({
    ref: labelSchema('report reference', 200),
    date: isoDate,
    author: labelSchema('report author', 200),
    text: freeTextSchema('report text', 100_000).default(''),
    source: gradingSchema.shape.source,
    intel: gradingSchema.shape.intel,
    handling: z.enum(HANDLING_CODES, {
      error: (iss) => `handling code ${JSON.stringify(iss.input)} is not P or C`,
    }),
    conditions: freeTextSchema('handling conditions', 5_000)
      .transform((c) => c.trim())
      .optional(),
    reviewDate: isoDate.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.handling === 'C' && !r.conditions) {
      ctx.addIssue({
        code: 'custom',
        path: ['conditions'],
        message: `report ${r.ref}: handling code C requires its conditions to be stated`,
      });
    }
  });
export type ReportInput = z.input<typeof reportInputSchema>;

export interface Report {
  id: string;
  ref: string;
  date: string;
  author: string;
  text: string;
  source: SourceEvaluation;
  intel: IntelAssessment;
  handling: HandlingCode;
  conditions: string | null;
  reviewDate: string | null;
  createdAt: string;
}

/** Identify an entity either by id or by its natural key. */
export const entityRefSchema = z.union(
  [
    z.object({ id: z.string().min(1) }),
    z.object({ type: entityTypeSchema, key: z.string().min(1).max(500) }),
  ],
  // zod's own word for a union is "Invalid input", which does not say what to send.
  {
    error: 'an entity is named as {"id": "e12"} or by type and natural key, {"type": "Person", "key": "..."}',
  },
);
export type EntityRef = z.infer<typeof entityRefSchema>;

export const entityInputSchema = z.object({
  type: entityTypeSchema,
  label: labelSchema('label', 500),
  /** Natural key; derived from the identifiers by `naturalKey` when absent. */
  key: labelSchema('key', 500).optional(),
  properties: propertiesSchema.default({}),
  /** References (`ref`) of intelligence reports this entity rests on; each must exist or be in the same batch. */
  reports: z.array(z.string().min(1)).max(1000).default([]),
  reviewDate: isoDate.optional(),
});
export type EntityInput = z.input<typeof entityInputSchema>;

export const linkInputSchema = z.object({
  type: linkTypeSchema,
  from: entityRefSchema,
  to: entityRefSchema,
  /** A strength (calls, meetings), never a path cost. */
  weight: z.number().finite().positive('weight is a strength and must be above 0').default(1),
  firstSeen: isoDate.optional(),
  lastSeen: isoDate.optional(),
  properties: propertiesSchema.default({}),
  reports: z.array(z.string().min(1)).max(1000).default([]),
});
export type LinkInput = z.input<typeof linkInputSchema>;

export interface Entity {
  id: string;
  type: EntityType;
  label: string;
  key: string;
  properties: Properties;
  reviewDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Link {
  id: string;
  type: LinkType;
  from: string;
  to: string;
  directed: boolean;
  weight: number;
  firstSeen: string | null;
  lastSeen: string | null;
  properties: Properties;
  /** Best grading among the reports behind it; null when it rests on no report. */
  grading: Grading | null;
  createdAt: string;
  updatedAt: string;
}

export interface EntityDetail extends Entity {
  reports: Report[];
  /** Natural keys of entities merged into this one. */
  aliases: string[];
}
export interface LinkDetail extends Link {
  reports: Report[];
}

// ---------------------------------------------------------------------------------------------
// Views: the filtered graph analysis runs on.

export const viewFilterSchema = z.object({
  entityTypes: z.array(entityTypeSchema).optional(),
  linkTypes: z.array(linkTypeSchema).optional(),
  /** Keep links whose [firstSeen, lastSeen] overlaps [from, to]. Undated links (e.g. kinship) are always kept. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Keep links with at least one report at least this good. Links with no report are dropped when set. */
  minGrading: z.object({ source: gradingSchema.shape.source, intel: gradingSchema.shape.intel }).optional(),
  /**
   * The operations (ids) the view reads; absent: every operation the reader may read. The server narrows it
   * to the reader's readable operations, so a store reads exactly these.
   */
  operations: z.array(z.string().min(1).max(40)).max(500).optional(),
});
export type ViewFilter = z.infer<typeof viewFilterSchema>;

/** The compact graph a view hands to analysis and to the web chart. */
export interface Subgraph {
  dataVersion: number;
  nodes: Entity[];
  links: Link[];
  /** True when a limit cut the result short. */
  truncated: boolean;
}

export interface PathResult {
  /** Entity ids from start to end. */
  nodes: string[];
  /** Link ids along the path. */
  links: string[];
}

// ---------------------------------------------------------------------------------------------
// Annotations, charts, users, audit.

export const annotationInputSchema = z.object({
  target: z.object({ kind: z.enum(['entity', 'link', 'chart']), id: z.string().min(1) }),
  text: freeTextSchema('note text', 20_000).default(''),
  tags: z.array(labelSchema('tag', 60)).max(50).default([]),
  /** Flagged as a proposed disruption target. */
  target_flag: z.boolean().default(false),
});
export type AnnotationInput = z.input<typeof annotationInputSchema>;
export interface Annotation {
  id: string;
  target: { kind: 'entity' | 'link' | 'chart'; id: string };
  text: string;
  tags: string[];
  targetFlag: boolean;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export const chartInputSchema = z.object({
  name: labelSchema('chart name', 200),
  /** Opaque to the store: positions, styling, filters, as the web app writes them. */
  state: z.record(z.string(), z.unknown()),
});
export type ChartInput = z.input<typeof chartInputSchema>;
export interface Chart {
  id: string;
  name: string;
  owner: string;
  state: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/**
 * The chart a user is working on, kept by the server as it changes so a reload, a crash or another browser
 * brings it back. One per user (see server/store/workspace-store.ts for why); `chartId` names the saved chart
 * it was opened from, if any.
 */
export const draftInputSchema = z.object({
  name: labelSchema('chart name', 200),
  chartId: z.string().min(1).max(200).nullable().default(null),
  /** Opaque to the store, in the saved-chart format (web/src/state/chart-file.ts). */
  state: z.record(z.string(), z.unknown()),
});
export type DraftInput = z.input<typeof draftInputSchema>;
export interface Draft {
  id: string;
  owner: string;
  name: string;
  chartId: string | null;
  state: Record<string, unknown>;
  /** 1 when first kept, one more at each save: a window can tell another has saved since. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export const ROLES = ['viewer', 'analyst', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export interface User {
  id: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

export interface AuditInput {
  actor: string;
  action: string;
  route?: string;
  objectIds?: string[];
  outcome: 'ok' | 'denied' | 'error' | 'failed';
  justification?: string;
  recipient?: string;
  details?: Record<string, unknown>;
  /**
   * The request's working operations (ids): the one a change was made in, else those it read or named.
   * Absent when it had none (signing in, records from before operations).
   */
  operations?: string[];
}
export interface AuditEvent extends Required<
  Omit<AuditInput, 'justification' | 'recipient' | 'details' | 'route' | 'operations'>
> {
  /** Present only when the record carries operations: records without keep the hash they had. */
  operations?: string[];
  seq: number;
  /** UTC, milliseconds: 2026-01-02T03:04:05.678Z */
  at: string;
  route: string | null;
  justification: string | null;
  recipient: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** Who is writing, and from which import: every fact records the import it came from. */
export interface WriteContext {
  actor: string;
  importId?: string;
  /** The operation (id) the write is made in; absent: the GENERAL operation (DEFAULT_OPERATION_REF). */
  operationId?: string;
  /** Operations (ids) the writer may read; absent: all (the system). Shared facts' force-wide parts need all. */
  readableOperations?: readonly string[];
  /**
   * For an import: its report, built from the write's counts inside the write's transaction and kept with
   * it (an import run), so the data and the record of how it came in are committed together or not at all.
   */
  importRun?: (result: {
    reports: { created: number; updated: number; unchanged: number };
    entities: { created: number; updated: number; unchanged: number };
    links: { created: number; updated: number; unchanged: number };
    dataVersion: number;
  }) => Record<string, unknown>;
}

/** One run of an import: who ran it, when, and the pipeline's report of it (kept as the pipeline gave it). */
export interface ImportRun {
  /** Order of runs, from 1. */
  seq: number;
  importId: string;
  at: string;
  actor: string;
  /** The operation the import wrote into (its working operation); runs from before operations: GENERAL's. */
  operationId: string;
  report: Record<string, unknown>;
}
