// What every route plugin receives, and what a route needs from the request beyond its body: who is asking
// (set by the security plugin). Route plugins import their dependencies from here, never from server/app.ts,
// which registers them: that way the app depends on the routes and nothing depends back.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { WriteContext } from '../domain/model.ts';
import type { Stores } from '../store/stores.ts';

/** What every route plugin receives as its options (server/routes/index.ts hands them out). */
export interface RouteDeps {
  stores: Stores;
  config: Config;
}

/** The signed-in user as the security plugin sets it on `request.user`; absent while the API is open. */
export interface RequestUser {
  id: string;
  name: string;
  role: string;
}

export function requestUser(request: FastifyRequest): RequestUser | undefined {
  return (request as unknown as { user?: RequestUser }).user;
}

export function writeContext(request: FastifyRequest, importId?: string): WriteContext {
  return { actor: requestUser(request)?.name ?? 'system', ...(importId ? { importId } : {}) };
}
