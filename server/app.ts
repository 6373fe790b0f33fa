// buildApp: the Fastify instance behind `npm start`, the tests and the benchmarks. Routes live in
// server/routes/ (registered by server/routes/index.ts); this file wires validation, the error shape,
// the OpenAPI document, access rules, request ids and the server log, the JSON body parser (with its depth
// limit) and the static web app.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join, normalize, sep } from 'node:path';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type RouteOptions,
} from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Stores } from './store/stores.ts';
import { serializerCompiler } from './api-types/serializer.ts';
import { PERMISSIONS, type Permission } from './security/permissions.ts';
import {
  DEFAULT_LIMITS,
  SOFTWARE_VERSION,
  loadConfig,
  loginThrottleOptions,
  type Config,
  type Limits,
} from './config.ts';
import { LoginThrottle } from './security/sessions.ts';
import { ApiError, errorHandler } from './routes/errors.ts';
import { registerRoutes } from './routes/index.ts';
import type { RouteDeps } from './routes/context.ts';
import { securityHeaders, securityPlugin, type SecurityOptions } from './security/plugin.ts';
import { readAfterCookiePlugin } from './security/read-after-cookie.ts';

export const DOCS_PREFIX = '/api/docs';

export interface BuildAppOptions {
  stores: Stores;
  /** Defaults to the environment (loadConfig()). */
  config?: Config;
  /** Overrides of individual limits (tests use small ones). */
  limits?: Partial<Limits>;
  /**
   * Fastify logger (pino, JSON lines on stdout). Default: on at LOG_LEVEL (default 'warn': every 5xx with
   * its error and request id, nothing per request); LOG_LEVEL=silent turns it off.
   */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Deepest nesting of objects and arrays a JSON body may have (default LINKCHART_MAX_JSON_DEPTH or 64). */
  maxJsonDepth?: number;
  /**
   * Plugins registered after the access guard and before the routes, e.g. the security plugin
   * (sessions, roles, audit) so its hooks apply to every route.
   */
  plugins?: FastifyPluginAsync[];
  /** Sessions, roles, CSRF, headers, audit (server/security/plugin.ts); always on. Tests pass a clock or sessions here. */
  security?: Omit<SecurityOptions, 'stores'>;
}

/**
 * Every route must declare who may call it. Refusing at registration makes a forgotten rule fail at start-up
 * and in every test, rather than leaving an open route. Routes of the documentation UI are public.
 */
function accessGuard(route: RouteOptions): void {
  const config = (route.config ?? {}) as { access?: Permission };
  if (!config.access && (route.url === DOCS_PREFIX || route.url.startsWith(DOCS_PREFIX + '/'))) {
    route.config = { ...config, access: 'public' } as RouteOptions['config'];
    return;
  }
  if (!config.access || !(PERMISSIONS as readonly string[]).includes(config.access)) {
    throw new Error(
      `route ${String(route.method)} ${route.url} declares no access rule; add config: { access: <Permission> } ` +
        `(one of ${PERMISSIONS.join(', ')})`,
    );
  }
}

export { DEFAULT_MAX_JSON_DEPTH } from './config.ts';

/**
 * Whether JSON text nests objects and arrays deeper than `max`, found in one pass without parsing (so a
 * body nested 5,000 deep is refused before anything recurses over it). Strings are skipped whole.
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip to the closing quote: the next quote not escaped by an odd run of backslashes.
      for (let from = i + 1; ;) {
        const q = text.indexOf('"', from);
        if (q < 0) return false; // unterminated: the parser says so
        let b = q - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        if ((q - 1 - b) % 2 === 0) {
          i = q;
          break;
        }
        from = q + 1;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function defaultLogger(env: NodeJS.ProcessEnv = process.env): { level: string } {
  return { level: env.LOG_LEVEL?.trim() || 'warn' };
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const base = opts.config ?? loadConfig();
  const config: Config = { ...base, limits: { ...DEFAULT_LIMITS, ...base.limits, ...opts.limits } };
  const maxJsonDepth = opts.maxJsonDepth ?? config.limits.maxJsonDepth;
  const secure = opts.security?.secure ?? process.env.LINKCHART_TLS === '1';
  const apiHeaders = securityHeaders(secure, true);
  const rawHeaders = Object.entries(apiHeaders)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const app = Fastify({
    logger: opts.logger ?? defaultLogger(),
    // A random id per request (not a counter that restarts at 1): the log line of a 5xx and the response
    // that tells the caller about it (header x-request-id, error.requestId) carry the same one.
    genReqId: () => randomUUID(),
    bodyLimit: config.limits.bodyBytes,
    // Plain-text search queries and ids never need more; longer URLs are refused with 414.
    routerOptions: { maxParamLength: 500 },
    // Errors raised before a route is chosen get the same JSON shape as every other error.
    frameworkErrors: (err, request, reply: FastifyReply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      // Answered before any route (and its hooks) is chosen: the security headers are set here.
      void reply.headers(apiHeaders).header('x-request-id', String(request.id));
      void reply.code(tooLong ? 414 : 400).send({
        error: {
          code: tooLong ? 'too_large' : 'invalid',
          message: tooLong
            ? 'an id in the URL is longer than 500 characters; no such object exists'
            : 'the URL is malformed',
        },
      });
    },
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) return;
      const status =
        err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const message =
        status === 431
          ? 'the request line and headers are larger than the server accepts; send long input in a JSON body'
          : status === 408
            ? 'the request took too long to arrive'
            : 'the request is not valid HTTP';
      const body = JSON.stringify({ error: { code: status === 431 ? 'too_large' : 'invalid', message } });
      // Written to the socket directly (no request was made of it), so the security headers are added here.
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `${rawHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON bodies as Fastify parses them (prototype poisoning refused), after a depth check: a chart state
  // nested 5,000 deep used to overflow the stack further on, an unlogged 500, instead of the caller's 400.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = raw as string;
    if (jsonDeeperThan(body, maxJsonDepth))
      return done(
        new ApiError(
          400,
          'too_deep',
          `the request body nests objects and arrays more than ${maxJsonDepth} deep; send flatter JSON`,
        ),
        undefined,
      );
    parseJson(request, body, done);
  });
  app.addHook('onRoute', accessGuard);
  const given = opts.security ?? {};
  // Before the security plugin: the session read follows the user's last write too (read-after-cookie.ts).
  if (opts.stores.readAfter)
    await app.register(readAfterCookiePlugin, {
      signer: opts.stores.readAfter,
      waitMs: config.limits.readAfterWaitMs,
      secure: given.secure ?? secure,
    });
  await app.register(securityPlugin, {
    tileOrigin: config.map?.tiles?.origin,
    auditExportIds: config.limits.auditExportIds,
    ...given,
    // The configured limits (LINKCHART_LOGIN_*, LINKCHART_AUDIT_ANON_*), unless the caller brings its own.
    throttle:
      given.throttle ??
      new LoginThrottle({ ...loginThrottleOptions(config.limits), keep: opts.stores.sessions }),
    anonymousAudit:
      given.anonymousAudit === false
        ? false
        : {
            windowMs: config.limits.auditAnonWindowMs,
            sampleFirst: config.limits.auditAnonSample,
            ...given.anonymousAudit,
          },
    stores: opts.stores,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Linkchart API',
        description:
          'Link-analysis workbench: entities, links and intelligence reports with provenance and 3x5x2 grading; ' +
          'search, expansion, paths, merges, annotations, charts, imports and exports. Errors have one shape: ' +
          '{ error: { code, message, path?, row?, column? } }.',
        version: SOFTWARE_VERSION,
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX });

  for (const plugin of opts.plugins ?? []) await app.register(plugin);

  const deps: RouteDeps = { stores: opts.stores, config };
  await app.register(registerRoutes, { prefix: '/api', ...deps });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await registerWebApp(app, config);
  return app;
}

/** Serves web/dist when it exists, with index.html for every client-side route; JSON 404 under /api. */
async function registerWebApp(app: FastifyInstance, config: Config): Promise<void> {
  const root = config.webDist;
  const hasWeb = existsSync(join(root, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root, serve: false });
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    config: { access: 'public' },
    schema: { hide: true },
    handler: async (request, reply) => {
      const path = request.url.split('?')[0];
      if (path === '/api' || path.startsWith('/api/') || !hasWeb) {
        return reply.code(404).send({
          error: {
            code: 'not_found',
            message: hasWeb
              ? `no route ${request.method} ${path}; the API is described at /api/openapi.json`
              : `no route ${request.method} ${path}; the web app is not built (npm run build:web). The API is described at ${DOCS_PREFIX}`,
          },
        });
      }
      const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
      const file = join(root, rel);
      if (rel && file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
        return reply.sendFile(rel);
      }
      return reply.type('text/html').sendFile('index.html');
    },
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    });
  });
}
