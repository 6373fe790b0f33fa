// GET /api/health. Imported by the web app as '@api/health'.
import { z } from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  store: z.object({ kind: z.enum(['sqlite', 'neo4j']), dataVersion: z.number() }),
  counts: z.object({
    entities: z.number(),
    links: z.number(),
    reports: z.number(),
    annotations: z.number(),
    charts: z.number(),
    entitiesByType: z.record(z.string(), z.number()),
    linksByType: z.record(z.string(), z.number()),
  }),
  limits: z.object({
    bodyBytes: z.number(),
    uploadBytes: z.number(),
    maxExpansionNodes: z.number(),
    maxAnalysisLinks: z.number(),
    /** Most links an interactive view or expansion carries; larger views go through the analysis jobs. */
    maxViewLinks: z.number(),
    maxViewQueue: z.number(),
    maxImportRowChars: z.number(),
    maxImportColumns: z.number(),
    maxNetworkFileBytes: z.number(),
    maxProjectionPairs: z.number(),
  }),
});
export type Health = z.infer<typeof healthSchema>;

/** What anyone may know: up or not. */
export const publicHealthSchema = z.object({ status: z.enum(['ok', 'degraded']) });

/** The answer: everything for a signed-in user, the status alone otherwise. */
export const healthResponseSchema = z.union([healthSchema, publicHealthSchema]);
export type HealthResponse = z.infer<typeof healthResponseSchema>;
