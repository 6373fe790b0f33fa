// Request and response shapes of the graph routes (entities, links, reports, search, expansion, paths,
// merges, annotations, charts). Imported by the web app as '@api/graph'.
import { z } from 'zod';
import {
  labelSchema,
  ENTITY_TYPES,
  HANDLING_CODES,
  INTEL_ASSESSMENTS,
  entityTypeSchema,
  linkTypeSchema,
  propertiesSchema,
  propertyValueSchema,
  viewFilterSchema,
} from '../domain/model.ts';

export const propertiesOutSchema = z.record(z.string(), propertyValueSchema);

export const gradingOutSchema = z.object({
  source: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  intel: z.enum(INTEL_ASSESSMENTS),
});

export const reportSchema = z.object({
  id: z.string(),
  ref: z.string(),
  date: z.string(),
  author: z.string(),
  text: z.string(),
  source: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  intel: z.enum(INTEL_ASSESSMENTS),
  handling: z.enum(HANDLING_CODES),
  conditions: z.string().nullable(),
  reviewDate: z.string().nullable(),
  createdAt: z.string(),
});

export const entitySchema = z.object({
  id: z.string(),
  type: z.enum(ENTITY_TYPES),
  label: z.string(),
  key: z.string(),
  properties: propertiesOutSchema,
  reviewDate: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const entityDetailSchema = entitySchema.extend({
  reports: z.array(reportSchema),
  aliases: z.array(z.string()),
});

export const linkSchema = z.object({
  id: z.string(),
  type: linkTypeSchema,
  from: z.string(),
  to: z.string(),
  directed: z.boolean(),
  weight: z.number(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  properties: propertiesOutSchema,
  grading: gradingOutSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const linkDetailSchema = linkSchema.extend({ reports: z.array(reportSchema) });

export const subgraphSchema = z.object({
  dataVersion: z.number(),
  nodes: z.array(entitySchema),
  links: z.array(linkSchema),
  truncated: z.boolean(),
});

const countsSchema = z.object({ created: z.number(), updated: z.number(), unchanged: z.number() });
export const writeResultSchema = z.object({
  reports: countsSchema,
  entities: countsSchema,
  links: countsSchema,
  entityIds: z.array(z.string()),
  linkIds: z.array(z.string()),
  reportIds: z.array(z.string()),
  dataVersion: z.number(),
});

// --- requests ---

const isoOrNull = z.string().max(40).nullable();

export const entityPatchSchema = z
  .object({
    label: labelSchema('label', 500, 'label cannot be empty').optional(),
    properties: propertiesSchema.optional(),
    reviewDate: isoOrNull.optional(),
    addReports: z.array(z.string().min(1).max(200)).max(1000).optional(),
    removeReports: z.array(z.string().min(1).max(200)).max(1000).optional(),
  })
  .strict();

export const linkPatchSchema = z
  .object({
    weight: z.number().finite().positive('weight is a strength and must be above 0').optional(),
    firstSeen: isoOrNull.optional(),
    lastSeen: isoOrNull.optional(),
    properties: propertiesSchema.optional(),
    addReports: z.array(z.string().min(1).max(200)).max(1000).optional(),
    removeReports: z.array(z.string().min(1).max(200)).max(1000).optional(),
  })
  .strict();

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(50));

export const entityListQuerySchema = z.object({
  type: entityTypeSchema.optional(),
  /** The entities one import wrote or matched (its id is in the import's report). */
  importId: z.string().min(1).max(200).optional(),
});
export const linkListQuerySchema = z.object({
  type: linkTypeSchema.optional(),
  entityId: z.string().min(1).max(200).optional(),
  /** A link id (a page's `next`): the links after it, read by key, as fast deep in the list as at its start. */
  after: z.string().min(1).max(40).optional(),
});
export const reportListQuerySchema = z.object({ dueBefore: z.string().max(40).optional() });

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'q (the text to search for) is required').max(200),
  types: csv(entityTypeSchema).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const searchResultSchema = z.object({
  items: z.array(
    z.object({
      entity: entitySchema,
      score: z.number(),
      /** 'exact': the words as typed; 'similar': sounds or is spelt like them ("Smth" for Smith). */
      match: z.enum(['exact', 'similar']),
    }),
  ),
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
});

export const neighbourhoodBodySchema = z.object({
  seeds: z.array(z.string().min(1).max(200)).min(1, 'give at least one seed entity id').max(1000),
  hops: z.number().int().min(1).max(4, 'hops is 1 to 4').default(1),
  filter: viewFilterSchema.optional(),
  entityTypes: z.array(entityTypeSchema).max(20).optional(),
  /** Most nodes to return; capped by the server's expansion limit. */
  limit: z.number().int().min(1).optional(),
});
export const neighbourhoodQuerySchema = z.object({
  hops: z.coerce.number().int().min(1).max(4, 'hops is 1 to 4').default(1),
  limit: z.coerce.number().int().min(1).optional(),
});

export const pathsBodySchema = z.object({
  from: z.string().min(1).max(200),
  to: z.string().min(1).max(200),
  filter: viewFilterSchema.optional(),
  maxHops: z.number().int().min(1).max(10).default(6),
  limit: z.number().int().min(1).max(100).default(10),
});
export const pathsResultSchema = z.object({
  paths: z.array(z.object({ nodes: z.array(z.string()), links: z.array(z.string()) })),
  /** The entities and links on the paths, so a client can draw them. */
  subgraph: subgraphSchema,
});

export const viewBodySchema = z.object({
  filter: viewFilterSchema.default({}),
  limit: z.number().int().min(1).optional(),
});

export const mergeBodySchema = z.object({
  keepId: z.string().min(1).max(200),
  dropId: z.string().min(1).max(200),
});
export const mergeRecordSchema = z.object({
  id: z.string(),
  keptId: z.string(),
  mergedId: z.string(),
  actor: z.string(),
  at: z.string(),
  undone: z.boolean(),
});

export const annotationSchema = z.object({
  id: z.string(),
  target: z.object({ kind: z.enum(['entity', 'link', 'chart']), id: z.string() }),
  text: z.string(),
  tags: z.array(z.string()),
  targetFlag: z.boolean(),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const annotationListQuerySchema = z.object({
  kind: z.enum(['entity', 'link', 'chart']).optional(),
  targetId: z.string().min(1).max(200).optional(),
});

export const chartSchema = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  state: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * What the server reads from a saved chart's otherwise opaque state (for exports): the entity ids on the
 * chart, their positions, and the view filter it was drawn from. The web app writes these names.
 */
export const chartStateSchema = z
  .object({
    nodes: z.array(z.string()).optional(),
    positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })).optional(),
    filter: viewFilterSchema.optional(),
  })
  .passthrough();
export type ChartState = z.infer<typeof chartStateSchema>;
