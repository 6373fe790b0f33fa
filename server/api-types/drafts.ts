// Request and response shapes of the drafts API (server/routes/drafts.ts), shared with the web app.
import { z } from 'zod';
import { draftInputSchema } from '../domain/model.ts';

export const draftSchema = z.object({
  id: z.string(),
  owner: z.string(),
  name: z.string(),
  chartId: z.string().nullable(),
  state: z.record(z.string(), z.unknown()),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DraftDto = z.infer<typeof draftSchema>;

/** PUT /api/drafts/current: the chart as it is now, and the revision this window last saw (0: none). */
export const draftSaveSchema = draftInputSchema
  .extend({ baseRevision: z.number().int().min(0).optional() })
  .strict();
export type DraftSave = z.input<typeof draftSaveSchema>;

/** GET /api/drafts/current: the caller's draft, or null when they have none. */
export const currentDraftSchema = z.object({ draft: draftSchema.nullable() });
