// The access vocabulary. Every route declares exactly one permission in its Fastify route config
// (`config: { access: 'entities:read' }`); the security plugin denies any route that declares none.
import type {} from 'fastify';
import type { Role } from '../domain/model.ts';

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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ['public', 'session', 'graph:read', 'analysis:run'];
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
