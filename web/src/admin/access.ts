// What each role may do on the account and supervisors' screens, and the audit's action names in words.
// The server decides (server/security/permissions.ts, audit.ts); the web app cannot import those (they
// carry Fastify types), so this mirrors them and test/unit/admin-access.test.ts fails when they drift.
import type { Role } from '@domain/model.ts';

/** The permissions behind the screens here, per role (a subset of the server's ROLE_PERMISSIONS). */
export const SCREEN_PERMISSIONS = ['audit:read', 'retention:review', 'users:manage', 'users:admin'] as const;
export type ScreenPermission = (typeof SCREEN_PERMISSIONS)[number];

export const ROLE_SCREENS: Record<Role, ReadonlySet<ScreenPermission>> = {
  viewer: new Set(),
  analyst: new Set(),
  supervisor: new Set(['audit:read', 'retention:review', 'users:manage']),
  admin: new Set(['audit:read', 'retention:review', 'users:manage', 'users:admin']),
};

/**
 * The roles whose accounts `role` may create and change: supervisors manage analysts and viewers, admins
 * everyone (server/routes/users.ts).
 */
export function manageableRoles(role: string | undefined): readonly Role[] {
  if (may(role, 'users:admin')) return ['viewer', 'analyst', 'supervisor', 'admin'];
  if (may(role, 'users:manage')) return ['viewer', 'analyst'];
  return [];
}

export function may(role: string | undefined, what: ScreenPermission): boolean {
  return !!role && (ROLE_SCREENS[role as Role]?.has(what) ?? false);
}

/** Every action the audit records, as the audit screen lists them. */
export const AUDIT_ACTION_WORDS: Record<string, string> = {
  login: 'Signed in',
  logout: 'Signed out',
  'password.change': 'Changed own password',
  read: 'Read',
  search: 'Searched',
  expand: 'Expanded the chart',
  analysis: 'Ran an analysis',
  import: 'Imported',
  export: 'Exported',
  change: 'Changed',
  delete: 'Deleted',
  'audit.read': 'Read the audit',
  'audit.export': 'Exported the audit',
  'retention.read': 'Read the retention queue',
  'retention.retain': 'Retained a report',
  'retention.dispose': 'Disposed of a report',
  'users.read': 'Listed users',
  'users.change': 'Changed a user',
  'anonymous.failures': 'Failed sign-ins (unknown names)',
  'audit.keyed': 'Audit key set',
  'audit.triggers': 'Audit protection installed',
};
