// The account menu's dialog: my password, and for supervisors and administrators the users, audit and
// retention screens, as tabs. A tab shows only when the role may use it (admin/access.ts mirrors the server).
import { appStore, useApp } from '../state/hooks.ts';
import type { AccountScreen } from '../state/app.ts';
import { Modal, closeDialog } from '../components/Modal.tsx';
import { may } from './access.ts';
import { AuditScreen } from './AuditScreen.tsx';
import { PasswordScreen } from './PasswordScreen.tsx';
import { RetentionScreen } from './RetentionScreen.tsx';
import { UsersScreen } from './UsersScreen.tsx';

const TABS: Array<{
  screen: Exclude<AccountScreen, 'password'>;
  label: string;
  needs: Parameters<typeof may>[1];
}> = [
  { screen: 'users', label: 'Users', needs: 'users:manage' },
  { screen: 'audit', label: 'Audit trail', needs: 'audit:read' },
  { screen: 'retention', label: 'Retention review', needs: 'retention:review' },
];

const open = (screen: AccountScreen): void =>
  appStore.set((s) => ({ ...s, dialog: { kind: 'account', screen } }));

export function AccountDialog({ screen }: { screen: AccountScreen }) {
  const user = useApp((s) => s.user);
  if (screen === 'password')
    return (
      <Modal title="Change my password" testId="password-dialog">
        <PasswordScreen
          onCancel={closeDialog}
          onDone={(notice) => appStore.set((s) => ({ ...s, dialog: null, notice }))}
        />
      </Modal>
    );
  const tabs = TABS.filter((t) => may(user?.role, t.needs));
  const current = tabs.find((t) => t.screen === screen);
  return (
    <Modal title="Supervision" testId="admin-dialog" wide>
      <div className="tabs admin-tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.screen}
            type="button"
            role="tab"
            aria-selected={t.screen === screen}
            className={t.screen === screen ? 'active' : ''}
            data-testid={`admin-tab-${t.screen}`}
            onClick={() => open(t.screen)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {!current && (
        <p data-testid="admin-refused">
          Your role ({user?.role ?? 'signed out'}) may not use this screen. Ask a supervisor or an
          administrator.
        </p>
      )}
      {current?.screen === 'users' && <UsersScreen me={user?.name ?? ''} role={user?.role} />}
      {current?.screen === 'audit' && <AuditScreen />}
      {current?.screen === 'retention' && <RetentionScreen />}
      <div className="buttons">
        <button type="button" data-testid="admin-close" onClick={closeDialog}>
          Close
        </button>
      </div>
    </Modal>
  );
}
