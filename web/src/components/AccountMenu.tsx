// The signed-in user's menu at the right of the top bar: change my password, the supervisors' screens the
// role may use (users, audit trail, retention review), and sign out.
import { logout, messageOf, setWorkingOperation } from '../api/client.ts';
import { may } from '../admin/access.ts';
import { draftSettled } from '../charts.ts';
import { chart } from '../graph/controller.ts';
import { INITIAL_STATE, type AccountScreen } from '../state/app.ts';
import { appStore, useApp } from '../state/hooks.ts';
import { Menu, type MenuItem } from './Menu.tsx';

const open = (screen: AccountScreen) => () =>
  appStore.set((s) => ({ ...s, dialog: { kind: 'account', screen } }));

/**
 * Ends the session on the server, then empties the chart and the app state so the next person to sign in
 * at this browser sees nothing of this user's work (their saved charts stay on the server).
 */
export async function signOut(): Promise<void> {
  // The last edits (saved as the draft a moment after each change) are kept before the session ends.
  await draftSettled().catch(() => undefined);
  try {
    await logout();
  } catch (e) {
    // Already signed out on the server (expired, or ended elsewhere): sign out here all the same.
    appStore.set((s) => ({ ...s, error: messageOf(e) }));
  }
  chart.clear();
  setWorkingOperation(null);
  appStore.set(() => ({ ...INITIAL_STATE, notice: 'You are signed out.' }));
}

export function AccountMenu() {
  const user = useApp((s) => s.user);
  if (!user) return null;
  const items: Array<MenuItem | 'sep'> = [{ label: 'Change my password…', onClick: open('password') }];
  const supervision: MenuItem[] = [];
  if (may(user.role, 'users:manage')) supervision.push({ label: 'Users…', onClick: open('users') });
  if (may(user.role, 'audit:read')) supervision.push({ label: 'Audit trail…', onClick: open('audit') });
  if (may(user.role, 'retention:review'))
    supervision.push({ label: 'Retention review…', onClick: open('retention') });
  if (supervision.length) items.push('sep', ...supervision);
  items.push('sep', { label: 'Sign out', onClick: () => void signOut() });
  return (
    <div className="account-menu">
      <Menu
        testId="account-menu"
        title={`Signed in as ${user.name} (${user.role})`}
        label={
          <>
            {user.name} <small className="role">{user.role}</small>
          </>
        }
        items={items}
      />
    </div>
  );
}
