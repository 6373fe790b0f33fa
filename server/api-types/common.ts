// Shapes every API route shares: the one error shape and pagination. Imported by the web app as '@api/common'.
import { z } from 'zod';

export const apiErrorSchema = z.object({
  error: z.object({
    /** Stable, machine-readable: invalid, not_found, conflict, unavailable, too_large, limit, invalid_file, ... */
    code: z.string(),
    /** A sentence a person can act on. */
    message: z.string(),
    /** Where in the request: e.g. ['body', 'links', 3, 'to']. */
    path: z.array(z.union([z.string(), z.number()])).optional(),
    /** For imports: the 1-based file row (the header is row 1) and column name. */
    row: z.number().int().optional(),
    column: z.string().optional(),
    /** For imports: further row errors, when there is more than one. */
    details: z
      .array(
        z.object({ row: z.number().int().optional(), column: z.string().optional(), message: z.string() }),
      )
      .optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Error responses every route can give; spread into a route's `response`. */
export const errorResponses = {
  400: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
  413: apiErrorSchema,
  503: apiErrorSchema,
} as const;

export const MAX_PAGE = 1000;
export const pageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE, `limit is at most ${MAX_PAGE}; page through with after (each page's next) or offset`)
    .default(100),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;
/**
 * A list read by key (server/store/shared/list-key.ts): `after` is the id of the last row a caller has (each
 * page's `next`), and the page costs the same however deep it is; `offset` reaches only the first pages.
 */
export const keyedPageQuerySchema = pageQuerySchema.extend({ after: z.string().min(1).max(40).optional() });

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    /** Lists read by key (entities, links, reports, notes, ...): the `after` of the next page, null at the end. */
    next: z.string().nullable().optional(),
    /** True when `total` is only a lower bound (a need-to-know scope on a large Neo4j store): at least that many. */
    totalAtLeast: z.boolean().optional(),
  });
}

export const idParamsSchema = z.object({ id: z.string().min(1).max(200) });
export const okSchema = z.object({ ok: z.literal(true) });
