// Import requests, previews and reports. Imported by the web app as '@api/imports'.
import { z } from 'zod';
import { ENTITY_TYPES, HANDLING_CODES, LINK_TYPES } from '../domain/model.ts';

export const IMPORT_FORMATS = ['cdr', 'anpr', 'entities', 'links', 'edgelist', 'matrix', 'twomode'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The fields each format maps columns onto; required ones first. */
export const FORMAT_FIELDS: Record<ImportFormat, { required: string[]; optional: string[] }> = {
  // timeOfDay: a separate time column, for files that give the date and the time in two columns.
  cdr: { required: ['caller', 'callee', 'start'], optional: ['duration', 'timeOfDay'] },
  anpr: { required: ['vrm', 'place', 'time'], optional: ['lat', 'lon', 'timeOfDay'] },
  entities: { required: ['label'], optional: ['type', 'key'] },
  links: {
    required: ['from', 'to'],
    optional: ['type', 'fromType', 'toType', 'weight', 'firstSeen', 'lastSeen'],
  },
  edgelist: { required: [], optional: [] },
  matrix: { required: [], optional: [] },
  twomode: { required: [], optional: [] },
};

const gradingCode = z
  .string()
  .regex(/^[123][A-Ea-e]$/, 'grading is a source evaluation 1-3 and an assessment A-E, e.g. 2B')
  .transform((s) => s.toUpperCase());

/**
 * Import options. In HTTP they are query parameters (the file is the request body); `map` entries read
 * "column=field" (e.g. "A Number=caller"), repeated or comma-separated.
 */
export const importOptionsSchema = z.object({
  format: z.enum(IMPORT_FORMATS, {
    error: (iss) =>
      `unknown format ${JSON.stringify(iss.input)}; expected one of ${IMPORT_FORMATS.join(', ')}`,
  }),
  /** File name, for the report and the provenance text. */
  name: z.string().trim().max(300).optional(),
  map: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
      z
        .array(
          z
            .string()
            .max(300)
            .regex(/^[^=]+=[^=]+$/, 'a mapping reads column=field'),
        )
        .max(200),
    )
    .optional(),
  delimiter: z.enum([',', ';', '\t', '|', 'tab', 'space']).optional(),
  /** Whether the first row names the columns (default true; edge lists default to no header). */
  header: z.preprocess((v) => (v === 'false' ? false : v === 'true' ? true : v), z.boolean()).optional(),
  /** Entities and links formats: a fixed type when no column gives it. */
  entityType: z.enum(ENTITY_TYPES).optional(),
  linkType: z.enum(LINK_TYPES).optional(),
  fromType: z.enum(ENTITY_TYPES).optional(),
  toType: z.enum(ENTITY_TYPES).optional(),
  /**
   * Network files: identifiers are local to a file, so entities are keyed as namespace:label. Default: the
   * stem of the file name (name=, or the multipart part's); a network file with neither is refused.
   */
  namespace: z.string().trim().min(1).max(100).optional(),
  /**
   * Two-mode files: store the projection onto people (ASSOCIATE_OF weighted by shared events) INSTEAD of
   * the events and attendance links; never both, so a person-level view cannot count a meeting twice.
   */
  project: z.preprocess((v) => (v === 'false' ? false : v === 'true' ? true : v), z.boolean()).optional(),
  /** Provenance: the intelligence report every imported fact rests on. */
  report: z.string().trim().min(1).max(200).optional(),
  grading: gradingCode.optional(),
  handling: z.enum(HANDLING_CODES).optional(),
  conditions: z.string().trim().max(5000).optional(),
  reportDate: z.string().max(40).optional(),
  /** Import the good rows and list the bad ones, instead of refusing the whole file. */
  skipInvalid: z.preprocess((v) => (v === 'false' ? false : v === 'true' ? true : v), z.boolean()).optional(),
  /** Look for likely duplicates among what the import brought in; the report says how many it proposed. */
  findDuplicates: z
    .preprocess((v) => (v === 'false' ? false : v === 'true' ? true : v), z.boolean())
    .optional(),
});
export type ImportOptions = z.input<typeof importOptionsSchema>;
export type ParsedImportOptions = z.output<typeof importOptionsSchema>;

export const rowErrorSchema = z.object({
  row: z.number().int().optional(),
  column: z.string().optional(),
  message: z.string(),
});
export type RowError = z.infer<typeof rowErrorSchema>;

export const importPreviewSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  /** field -> column, as detected from the header (or as given). */
  mapping: z.record(z.string(), z.string()),
  /** Required fields no column maps to yet. */
  missing: z.array(z.string()),
  errors: z.array(rowErrorSchema),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

const counts = z.object({ created: z.number(), matched: z.number() });
export const importReportSchema = z.object({
  importId: z.string(),
  format: z.enum(IMPORT_FORMATS),
  name: z.string(),
  rowsRead: z.number(),
  rowsRejected: z.number(),
  entities: counts,
  links: counts,
  reports: counts,
  rejected: z.array(rowErrorSchema),
  /** Network files: what the reader did beyond reading rows (header line, self-loops and zero weights
   * dropped, pairs listed twice, directions folded, the two-mode form stored), in words. */
  notes: z.array(z.string()).optional(),
  mapping: z.record(z.string(), z.string()),
  dataVersion: z.number(),
  bytes: z.number(),
  ms: z.number(),
  /** Where the time went: reading, validating and aggregating the file; then the one store transaction. */
  timing: z.object({ readMs: z.number(), writeMs: z.number() }),
  /** With findDuplicates: the likely duplicates the import's records made (the review queue). */
  duplicates: z.object({ proposed: z.number(), created: z.number(), waiting: z.number() }).optional(),
  /** The operation the import wrote into (the request's working operation; on the import's answer). */
  operation: z
    .object({ id: z.string(), ref: z.string(), name: z.string(), sensitivity: z.enum(['open', 'closed']) })
    .optional(),
  /** When and by whom (on reports read back from the store). */
  at: z.string().optional(),
  actor: z.string().optional(),
});
export type ImportReport = z.infer<typeof importReportSchema>;
