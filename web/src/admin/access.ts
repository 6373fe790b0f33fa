// What each role may do on the account and supervisors' screens, and the audit's action names in words.
// The server decides (server/security/permissions.ts); the web app cannot import that (it carries Fastify
// types), so this mirrors it and test/unit/admin-access.test.ts fails when they drift. The audit's actions
// come from the domain's list itself (@domain/audit-actions.ts): an action without words does not compile.
import type { AuditAction } from '@domain/audit-actions.ts';
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

/** Every action the audit records, as the audit screen lists them (typed: none may be left out). */
export const AUDIT_ACTION_WORDS: Record<AuditAction, string> = {
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
  'operation.create': 'Opened an operation',
  'operation.change': 'Changed an operation',
  'operation.member': 'Added a member or changed their role',
  'operation.member.remove': 'Removed a member from an operation',
  'deconfliction.read': 'Read deconfliction notices',
  'deconfliction.decide': 'Acted on a deconfliction notice',
  'deconfliction.notice': 'Deconfliction notice raised',
  'duplicates.run': 'Looked for duplicates',
  'duplicates.bulk': 'Decided duplicates in bulk',
  'duplicates.accept': 'Accepted a likely duplicate',
  'duplicates.reject': 'Rejected a likely duplicate',
  'duplicates.defer': 'Deferred a likely duplicate',
  'duplicates.undo': 'Undid a duplicate decision',
  'target.propose': 'Proposed a target',
  'target.decide': 'Approved or rejected a target',
  'target.action': 'Logged action on a target',
  'target.review': 'Reviewed an actioned target',
};

/** The words for a recorded action; an action from a newer server shows as its name. */
export function auditActionWords(action: string): string {
  return (AUDIT_ACTION_WORDS as Record<string, string>)[action] ?? action;
}
