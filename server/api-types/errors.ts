// The error a route (or anything a route calls) throws on purpose, in the API's one error shape. It lives
// beside the shapes rather than in server/routes so that request parsers here and the import, export and
// security code can throw it without depending on the routes; server/routes/errors.ts turns it into a reply.
import type { ApiErrorBody } from './common.ts';

/** An error a route throws on purpose; the message goes to the client as it is. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Omit<ApiErrorBody['error'], 'code' | 'message'> = {},
  ) {
    super(message);
  }
}
