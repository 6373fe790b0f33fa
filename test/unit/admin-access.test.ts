// The web app's copy of who may use which supervisors' screen, and of the audit's action names, must say
// what the server enforces (server/security/permissions.ts, audit.ts): a screen shown to a role the
// server refuses, or an audit action missing from the filter, fails here.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { ROLE_PERMISSIONS } from '../../server/security/permissions.ts';
import { AUDIT_ACTIONS } from '../../server/security/audit.ts';
import { AUDIT_ACTION_WORDS, ROLE_SCREENS, SCREEN_PERMISSIONS, may } from '../../web/src/admin/access.ts';

describe('admin screens mirror the server', () => {
  it('shows each screen to exactly the roles the server lets through', () => {
    for (const role of ROLES)
      for (const p of SCREEN_PERMISSIONS) {
        expect(ROLE_SCREENS[role].has(p), `${role} ${p}`).toBe(ROLE_PERMISSIONS[role].has(p));
        expect(may(role, p)).toBe(ROLE_PERMISSIONS[role].has(p));
      }
    expect(may(undefined, 'audit:read')).toBe(false);
    expect(may('nobody', 'audit:read')).toBe(false);
  });
  it('names every audit action in words', () => {
    expect(Object.keys(AUDIT_ACTION_WORDS).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });
});
