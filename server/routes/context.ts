// What a route needs from the request beyond its body: who is asking (set by the security plugin).
import type { FastifyRequest } from 'fastify';
import type { WriteContext } from '../domain/model.ts';

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
