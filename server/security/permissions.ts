// The access vocabulary. Every route declares exactly one permission in its Fastify route config
// (`config: { access: 'entities:read' }`); the security plugin denies any route that declares none.
import type {} from 'fastify';
import type { Role } from '../domain/model.ts';
import type { Operation, OperationRole } from '../domain/operations.ts';

export const PERMISSIONS = [
  'public', // health, login, OpenAPI document: no session needed
  'session', // any signed-in user: whoami, logout, change own password
  'graph:read', // entities, links, reports (viewers see them without source-identifying fields)
  'graph:write', // create, update, delete, merge
  'analysis:run', // views, metrics, disruption lab, explanations
  'import:run',
  'export:run',
  'annotations:write',
  'charts:write',
  'targets:propose',
  'targets:decide', // supervisor approves or rejects
  'audit:read',
  'retention:review',
  'users:manage', // supervisors: the accounts of analysts and viewers (list, create, disable, reset)
  'users:admin', // admins: every account, supervisors' and admins' too (checked inside the users routes)
  'operations:read', // the operations one may read, and their members (need-to-know: routes/context.ts)
  'operations:create', // supervisors open an operation (they become its owner)
  // change an operation and its members: checked inside the routes against the role IN the operation
  // (owner or supervisor member) or the global admin role (mayManageOperation below)
  'operations:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = [
  'public',
  'session',
  'graph:read',
  'analysis:run',
  'operations:read',
  'operations:manage',
];
const ANALYST: Permission[] = [
  ...VIEWER,
  'graph:write',
  'import:run',
  'export:run',
  'annotations:write',
  'charts:write',
  'targets:propose',
];
const SUPERVISOR: Permission[] = [
  ...ANALYST,
  'targets:decide',
  'operations:create',
  'audit:read',
  'retention:review',
  'users:manage',
];
const ADMIN: Permission[] = [...SUPERVISOR, 'users:admin'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  analyst: new Set(ANALYST),
  supervisor: new Set(SUPERVISOR),
  admin: new Set(ADMIN),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Permission;
  }
}

/**
 * Who may change an operation and its members: its owner and supervisor members, and admins (who need not
 * be members: an admin may add themselves to a closed operation, and that is audited like any change).
 * A global supervisor who is not a member manages nothing in it: need-to-know holds for them too.
 */
export function mayManageOperation(role: Role, opRole: OperationRole | undefined): boolean {
  return role === 'admin' || opRole === 'owner' || opRole === 'supervisor';
}

/** Making someone an owner, or handing the operation over, is for its owners and admins only. */
export function mayGrantOwnership(role: Role, opRole: OperationRole | undefined): boolean {
  return role === 'admin' || opRole === 'owner';
}

const WRITING_ROLES: ReadonlySet<OperationRole> = new Set<OperationRole>(['owner', 'supervisor', 'analyst']);

/**
 * Who may write facts into an operation: while it is active, its owner, supervisor and analyst members,
 * and, in an open operation, anyone whose global role writes (analysts and above). A closed operation
 * refuses even admins who are not members.
 */
export function mayWriteInOperation(
  op: Pick<Operation, 'state' | 'sensitivity'>,
  opRole: OperationRole | undefined,
  role: Role | undefined,
): boolean {
  if (op.state !== 'active') return false;
  if (opRole !== undefined && WRITING_ROLES.has(opRole)) return true;
  return op.sensitivity === 'open' && role !== undefined && ROLE_PERMISSIONS[role].has('graph:write');
}
