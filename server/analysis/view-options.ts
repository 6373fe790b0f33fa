// What a view is asked for (filter, projection, weighting) and what it is: shared by view.ts, which builds
// one from a subgraph, and view-builder.ts, which builds one from streamed rows.
import { z } from 'zod';
import type { EntityType } from '../domain/model.ts';
import { viewFilterSchema } from '../domain/model.ts';
import type { CSR } from './csr.ts';

export const viewOptionsSchema = z.object({
  filter: viewFilterSchema.default({}),
  projection: z
    .object({
      foldPhones: z.boolean().default(false),
      personVia: z.array(z.enum(['Event', 'Vehicle', 'Location'])).default([]),
      maxSharers: z.number().int().min(2).max(10_000).default(200),
    })
    .default({ foldPhones: false, personVia: [], maxSharers: 200 }),
  grading: z.enum(['ignore', 'weight']).default('ignore'),
  halfLifeDays: z.number().positive().max(36_500).optional(),
  /** The date recency is measured from; default: the latest date in the view. */
  asOf: z.string().optional(),
  /** Keep link direction (CALLED, TRANSFERRED...). Default false: analysts mostly ask "connected at all". */
  directed: z.boolean().default(false),
});
export type ViewOptions = z.input<typeof viewOptionsSchema>;
export type ParsedViewOptions = z.output<typeof viewOptionsSchema>;

export interface View {
  csr: CSR;
  labels: string[];
  types: EntityType[];
  dataVersion: number;
  options: ParsedViewOptions;
  /** Nodes folded or projected away, by reason. */
  notes: string[];
}
