// The map's API: GET /api/map/settings (the configured tile server, if any, and what postcode table is
// loaded) and POST /api/map/places (postcodes to positions from the postcode table, at draw time, so
// locations imported before or after a table was loaded are placed alike).
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../routes/context.ts';
import { errorResponses } from '../api-types/common.ts';
import { PostcodeTable } from './postcode-table.ts';

/** Most postcodes one request may ask for: a chart's worth (the interactive view cap is 5,000 nodes). */
export const MAX_PLACES_PER_REQUEST = 5_000;

export const mapSettingsSchema = z.object({
  tiles: z.object({ url: z.string(), name: z.string() }).nullable(),
  postcodes: z
    .object({ rows: z.number(), source: z.string(), layout: z.string(), loadedAt: z.string() })
    .nullable(),
});
export type MapSettings = z.infer<typeof mapSettingsSchema>;

export const placesBodySchema = z.object({
  postcodes: z.array(z.string().max(16)).max(MAX_PLACES_PER_REQUEST),
});
export const placesResponseSchema = z.object({
  /** False when no postcode table is loaded: nothing can be placed by postcode. */
  table: z.boolean(),
  places: z.array(z.object({ postcode: z.string(), lat: z.number(), lon: z.number() })),
});
export type PlacesResponse = z.infer<typeof placesResponseSchema>;

export function postcodesPath(config: RouteDeps['config']): string {
  return config.map?.postcodesPath ?? resolve(dirname(config.dbPath), 'postcodes.sqlite');
}

const mapRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { config }) => {
  const table = new PostcodeTable(postcodesPath(config));
  app.addHook('onClose', async () => table.close());

  app.get(
    '/map/settings',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['map'],
        summary:
          "The map's basemap choices (the force's tile server, when configured) and the postcode table",
        response: { 200: mapSettingsSchema },
      },
    },
    async () => {
      const tiles = config.map?.tiles;
      return { tiles: tiles ? { url: tiles.url, name: tiles.name } : null, postcodes: table.info() };
    },
  );

  app.post(
    '/map/places',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['map'],
        summary: 'Positions of postcodes from the loaded postcode table (unknown postcodes are left out)',
        body: placesBodySchema,
        response: { 200: placesResponseSchema, 400: errorResponses[400] },
      },
    },
    async (request) => {
      const info = table.info();
      return { table: info !== null, places: info ? table.lookup(request.body.postcodes) : [] };
    },
  );
};

export default mapRoutes;
