// Who sees "New operation…": the web app's rule (state/operation.ts) against the server's permission
// (server/security/permissions.ts operations:create), for every role, so the button is never shown to a
// role the server refuses nor hidden from one it lets through.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../server/domain/model.ts';
import { ROLE_PERMISSIONS } from '../../server/security/permissions.ts';
import { mayCreateOperation } from '../../web/src/state/operation.ts';

describe('new operation button', () => {
  it('is shown to exactly the roles the server lets open an operation', () => {
    for (const role of ROLES)
      expect(mayCreateOperation(role), role).toBe(ROLE_PERMISSIONS[role].has('operations:create'));
    expect(mayCreateOperation(undefined)).toBe(false);
    expect(mayCreateOperation('nobody')).toBe(false);
  });
});
