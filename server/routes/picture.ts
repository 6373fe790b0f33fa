// POST /api/exports/picture: the clearance for a chart picture (PNG or SVG). The browser draws the picture
// itself (sigma renders with WebGL), so it first sends what the picture shows: the entities and links drawn.
// The server asks the one disclosure check (server/security/handling.ts) whether C-coded intelligence lies
// behind them: 428 with each report's conditions until the exporter confirms them, and otherwise the
// handling statement and conditions the picture must print under its protective marking. The audit record
// names the format, the marking and every id drawn, as for the PDF and data exports.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../api-types/common.ts';
import { assessDisclosure, authoriseDisclosure } from '../security/handling.ts';
import { graphFor, type RouteDeps } from './context.ts';

/** A chart picture shows at most this many entities and links (the interactive chart's own scale). */
const MAX_IDS = 20_000;

const idList = (what: string) =>
  z
    .array(z.string().min(1).max(200))
    .max(MAX_IDS, `a picture can be cleared for at most ${MAX_IDS.toLocaleString('en-GB')} ${what}`)
    .default([]);

export const pictureBodySchema = z.object({
  format: z.enum(['png', 'svg'], { error: 'format: a picture is a png or an svg' }),
  marking: z.string().trim().min(1, 'marking: choose a protective marking').max(60),
  chartName: z.string().max(200).optional(),
  entityIds: idList('entities'),
  linkIds: idList('links'),
  /** Required when C-coded intelligence lies behind the picture (else 428 with each report's conditions). */
  handling: z
    .object({
      confirmConditions: z.literal(true),
      justification: z.string().max(2000),
      recipient: z.string().max(500),
    })
    .optional(),
});

export const pictureClearanceSchema = z.object({
  marking: z.string(),
  cCoded: z.boolean(),
  /** The sentence the picture prints about handling code C. */
  statement: z.string(),
  conditions: z.array(z.object({ ref: z.string(), conditions: z.string() })),
});
export type PictureClearance = z.infer<typeof pictureClearanceSchema>;

const picture: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  app.post(
    '/exports/picture',
    {
      config: { access: 'export:run' },
      schema: {
        tags: ['exports'],
        summary: 'Clear a chart picture (PNG or SVG) for export: its handling statement and conditions',
        body: pictureBodySchema,
        response: { 200: pictureClearanceSchema, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const disclosure = await assessDisclosure(
        await graphFor(req, { stores }),
        { entities: b.entityIds, links: b.linkIds },
        'picture',
      );
      const conditions = authoriseDisclosure(req, disclosure, {
        format: `chart-${b.format}`,
        source: {
          kind: 'picture',
          marking: b.marking,
          ...(b.chartName ? { chartName: b.chartName } : {}),
        },
      });
      return { marking: b.marking, cCoded: disclosure.cCoded, statement: disclosure.statement, conditions };
    },
  );
};
export default picture;
