// One JSON error shape for every failure: { error: { code, message, path?, row?, column?, details? } }.
// Never a stack trace: every 5xx is logged with its error and request id (the response carries the id:
// header x-request-id, and error.requestId) and reported as a plain 500 (or the 503 a store gives).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { serverErrorLogged } from '../security/plugin.ts';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { StoreError } from '../store/common.ts';
import type { ApiErrorBody } from '../api-types/common.ts';
import { ApiError } from '../api-types/errors.ts';

// Routes throw ApiError; it is defined beside the API's shapes and re-exported here for them.
export { ApiError };

const STORE_STATUS: Record<StoreError['code'], number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  busy: 503,
  too_large: 413,
};

/** Fastify's own error codes that we phrase for a person. */
const FASTIFY_MESSAGES: Record<string, (e: FastifyError) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    'the request body is larger than the server accepts; send less data per request',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => `${e.message}; send JSON (content-type: application/json)`,
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the request body is empty; send a JSON object',
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'the request body is not valid JSON',
};

export function toErrorBody(
  err: unknown,
  log?: FastifyRequest['log'],
): { status: number; body: ApiErrorBody } {
  if (err instanceof ApiError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...err.extra } } };
  }
  if (err instanceof StoreError) {
    return {
      status: STORE_STATUS[err.code] ?? 400,
      body: {
        error: { code: err.code, message: err.message, ...(err.path.length ? { path: err.path } : {}) },
      },
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as unknown as { validationContext?: string }).validationContext ?? 'body';
    const issues = err.validation;
    const first = issues[0];
    const segs = first.instancePath.split('/').filter(Boolean);
    const path = [where, ...segs.map((s) => (/^\d+$/.test(s) ? Number(s) : s))];
    const field = path.join('.');
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    return {
      status: 400,
      body: {
        error: {
          code: 'invalid',
          message: `${field}: ${first.message}${more}`,
          path,
          ...(issues.length > 1
            ? {
                details: issues.slice(0, 20).map((i) => ({
                  message: `${[where, ...i.instancePath.split('/').filter(Boolean)].join('.')}: ${i.message}`,
                })),
              }
            : {}),
        },
      },
    };
  }
  const fe = err as Partial<FastifyError> | null;
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const phrase = fe.code ? FASTIFY_MESSAGES[fe.code] : undefined;
    const code =
      fe.statusCode === 413 ? 'too_large' : fe.statusCode === 415 ? 'unsupported_media_type' : 'invalid';
    return {
      status: fe.statusCode,
      body: {
        error: { code, message: phrase ? phrase(fe as FastifyError) : String(fe.message ?? 'bad request') },
      },
    };
  }
  log?.error({ err }, 'unexpected error');
  return {
    status: 500,
    body: {
      error: { code: 'internal', message: 'the server failed to handle this request; it has been logged' },
    },
  };
}

export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(err);
  if (status >= 500) {
    request.log.error(
      { err, statusCode: status, method: request.method, route: request.routeOptions.url ?? null },
      status === 500 ? 'unexpected error' : 'server error',
    );
    serverErrorLogged.add(request);
  }
  void reply.code(status).type('application/json; charset=utf-8').send(body);
}
