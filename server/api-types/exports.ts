// Export requests and the analysis record every export carries. Imported by the web app as '@api/exports'.
import { z } from 'zod';
import { viewFilterSchema } from '../domain/model.ts';

export const EXPORT_FORMATS = ['graphml', 'gexf', 'csv', 'json', 'anx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportAnalysisSchema = z.object({
  /** e.g. 'betweenness', 'pagerank', 'louvain'. */
  metric: z.string().trim().min(1).max(100).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** Random seeds (community detection, sampling) so the run can be repeated. */
  seeds: z
    .array(z.union([z.string().max(200), z.number()]))
    .max(100)
    .optional(),
  /** Per-entity scores to carry as a node attribute named after the metric. */
  values: z.record(z.string(), z.number()).optional(),
});

export const exportRequestSchema = z.object({
  format: z.enum(EXPORT_FORMATS, {
    error: (iss) =>
      `unknown export format ${JSON.stringify(iss.input)}; expected one of ${EXPORT_FORMATS.join(', ')}`,
  }),
  /** Export this saved chart (its entities, positions and filter)... */
  chartId: z.string().min(1).max(200).optional(),
  /** ...or these entities and the links among them... */
  entityIds: z.array(z.string().min(1).max(200)).max(100_000).optional(),
  /**
   * Chart positions of those entities, so i2 and Gephi open the chart as it was laid out (a saved chart
   * brings its own).
   */
  positions: z
    .record(z.string().min(1).max(200), z.object({ x: z.number().finite(), y: z.number().finite() }))
    .optional(),
  /** ...or the view (filtered graph); the filter also narrows a chart or an entity list. */
  view: viewFilterSchema.optional(),
  analysis: exportAnalysisSchema.optional(),
  /**
   * Required when the export includes handling-code C intelligence (else 428 with each report's conditions):
   * the exporter confirms the conditions and says why and to whom the material goes (audited).
   */
  handling: z
    .object({
      confirmConditions: z.boolean(),
      justification: z.string().max(2000),
      recipient: z.string().max(500),
    })
    .partial()
    .optional(),
  /** CSV only: which of the two tables (the CLI writes both). */
  part: z.enum(['nodes', 'links']).optional(),
});
export type ExportRequest = z.input<typeof exportRequestSchema>;

export interface AnalysisRecord {
  software: { name: string; version: string };
  exportedAt: string;
  exportedBy: string;
  dataVersion: number;
  source: {
    kind: 'view' | 'chart' | 'entities';
    chartId?: string;
    chartName?: string;
    filter: Record<string, unknown>;
  };
  analysis: { metric: string | null; parameters: Record<string, unknown>; seeds: (string | number)[] };
  counts: { nodes: number; links: number };
  /**
   * The operations the file's facts were read from, each `OP <REF> · <name> · OPEN|CLOSED`
   * (server/export/operation-marking.ts); empty for an export of the whole store by the system.
   */
  operations: string[];
  /** Items resting on a report with handling code C: share only under the stated conditions. */
  handling: { conditional: number; note: string };
}
