// GET /api/operations/:id/candidates?q=  the users a manager of the operation may add to it, by name.
// Listing users is a supervisor's (users:manage), but an operation's owner may be an analyst who has to
// find a colleague's exact sign-in name: this answers them with names only (no role, no account state),
// at most 20, enabled users who are not members yet, and only to those who may change the operation's
// members (its owner and supervisor members, admins). Audited as a listing of users, in the operation.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../api-types/common.ts';
import { ApiError } from '../api-types/errors.ts';
import {
  CANDIDATE_LIMIT,
  candidateListSchema,
  candidateQuerySchema,
  type CandidateList,
} from '../api-types/operation-candidates.ts';
import { operationParamsSchema } from '../api-types/operations.ts';
import { foldName } from '../domain/names.ts';
import { mayManageOperation } from '../security/permissions.ts';
import { accessOf, globalRole, operationNotFound, type RouteDeps } from './context.ts';
import { pagesByKey } from '../store/shared/list-key.ts';

/**
 * Most accounts one request reads, in pages of PAGE: a force's whole roll is a few thousand; past this
 * the answer says so (more: true) rather than reading without end.
 */
const MAX_SCANNED = 20_000;
const PAGE = 500;

const candidates: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores }) => {
  app.get(
    '/operations/:id/candidates',
    {
      config: { access: 'operations:manage', audit: 'users.read' },
      schema: {
        tags: ['operations'],
        summary:
          'Users you may add to an operation you manage: names holding q (any case), at most 20, members left out',
        params: operationParamsSchema,
        querystring: candidateQuerySchema,
        response: { 200: candidateListSchema, ...errorResponses },
      },
    },
    async (req): Promise<CandidateList> => {
      const op = await stores.operations.get(req.params.id);
      const { readable, roles } = await accessOf(req);
      const role = globalRole(req) ?? 'viewer';
      // An operation the caller may not read is one that does not exist (admins reach every one).
      if (!op || (!readable.has(op.id) && role !== 'admin'))
        throw operationNotFound(req.params.id, ['params', 'id']);
      req.audit.objectIds.push(op.id);
      req.audit.operations = [op.id];
      Object.assign(req.audit.details, { operation: op.ref, q: req.query.q });
      if (!mayManageOperation(role, roles.get(op.id)))
        throw new ApiError(
          403,
          'forbidden',
          `only the owner (${op.owner}) and supervisors of operation ${op.ref}, or an administrator, may add its members`,
        );
      const members = new Set((await stores.operations.listMembers(op.id)).map((m) => foldName(m.user)));
      const q = foldName(req.query.q);
      const found: Array<{ name: string; starts: boolean }> = [];
      let scanned = 0;
      let unread = false;
      for await (const page of pagesByKey((after) => stores.security.listUsers({ limit: PAGE, after }))) {
        scanned += page.items.length;
        for (const u of page.items) {
          const key = foldName(u.name);
          if (u.disabled || members.has(key)) continue;
          const at = key.indexOf(q);
          if (at >= 0) found.push({ name: u.name, starts: at === 0 });
        }
        if (scanned >= MAX_SCANNED) {
          unread = page.next !== null && page.next !== undefined;
          break;
        }
      }
      found.sort((a, b) => Number(b.starts) - Number(a.starts) || a.name.localeCompare(b.name, 'en-GB'));
      req.audit.details.listed = Math.min(found.length, CANDIDATE_LIMIT);
      return {
        items: found.slice(0, CANDIDATE_LIMIT).map((c) => ({ name: c.name })),
        more: found.length > CANDIDATE_LIMIT || unread,
      };
    },
  );
};

export default candidates;
