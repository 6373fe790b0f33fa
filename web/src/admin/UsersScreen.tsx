// Users, as the server allows: supervisors create, disable or enable and reset the accounts of analysts and
// viewers; administrators everyone's. A generated password is shown once, here, to pass on.
import { useEffect, useState } from 'react';
import type { Role } from '@domain/model.ts';
import { manageableRoles } from './access.ts';
import { adminApi, type Page, type PublicUser } from './api.ts';
import { FieldError, useFormError } from './form-error.tsx';
import { Pager, useKeyTrail } from './Pager.tsx';

const ROLE_WORDS: Record<Role, string> = {
  viewer: 'Viewer: reads, no sources',
  analyst: 'Analyst: reads, draws, imports',
  supervisor: 'Supervisor: also decides targets, audit, retention',
  admin: 'Administrator: also manages users',
};
const PAGE = 100;

export function UsersScreen(props: { me: string; role: string | undefined }) {
  const roles = manageableRoles(props.role);
  const [page, setPage] = useState<Page<PublicUser> | null>(null);
  const [notice, setNotice] = useState<{ text: string; password?: string } | null>(null);
  const list = useFormError();
  const pages = useKeyTrail((after, trail) => {
    adminApi.users(after, PAGE).then((p) => {
      if (pages.arrived(trail, p.items.length)) setPage(p);
    }, list.show);
  });
  const load = pages.reload;
  useEffect(() => pages.first(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const change = async (
    u: PublicUser,
    what: { role?: Role; disabled?: boolean },
    done: string,
  ): Promise<void> => {
    list.clear();
    try {
      await adminApi.updateUser(u.id, what);
      setNotice({ text: done });
      load();
    } catch (e) {
      list.show(e);
    }
  };
  const reset = async (u: PublicUser): Promise<void> => {
    list.clear();
    try {
      const r = await adminApi.resetPassword(u.id);
      setNotice({
        text: `${u.name}'s password is reset and their sessions are ended. Give them this password (shown once):`,
        password: r.generatedPassword,
      });
    } catch (e) {
      list.show(e);
    }
  };

  return (
    <div className="admin-screen" data-testid="users-screen">
      <CreateUser
        roles={roles}
        onCreated={(r) => {
          setNotice({
            text: r.generatedPassword
              ? `Created ${r.user.name} (${r.user.role}). Give them this password (shown once):`
              : `Created ${r.user.name} (${r.user.role}).`,
            password: r.generatedPassword,
          });
          load();
        }}
      />
      {notice && (
        <div className="admin-notice" data-testid="users-notice" role="status">
          {notice.text}
          {notice.password && <code data-testid="generated-password">{notice.password}</code>}
          <button type="button" className="small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <FieldError error={list.error} testId="users-error" />
      <FieldError error={list.error} fields={['role', 'disabled', 'password']} testId="users-error" />
      {page && (
        <table className="grid admin-table" data-testid="users-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Status</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((u) => {
              const self = u.name.toLowerCase() === props.me.toLowerCase();
              // An account above the caller's reach (a supervisor's or an admin's, for a supervisor).
              const above = !roles.includes(u.role);
              const aboveWhy = `Only an administrator changes a ${u.role}'s account`;
              return (
                <tr
                  key={u.id}
                  data-testid="user-row"
                  data-name={u.name}
                  className={u.disabled ? 'muted' : ''}
                >
                  <td>
                    {u.name}
                    {self && <span className="muted"> (you)</span>}
                  </td>
                  <td>
                    <select
                      aria-label={`Role of ${u.name}`}
                      data-testid="user-role"
                      value={u.role}
                      disabled={self || above}
                      title={
                        self
                          ? 'You cannot change your own role; ask another administrator'
                          : above
                            ? aboveWhy
                            : undefined
                      }
                      onChange={(e) =>
                        void change(
                          u,
                          { role: e.target.value as Role },
                          `${u.name} is now ${e.target.value}.`,
                        )
                      }
                    >
                      {(above ? [u.role] : roles).map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-testid="user-status">{u.disabled ? 'Disabled' : 'Active'}</td>
                  <td>{u.createdAt.slice(0, 10)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="small"
                      data-testid="user-toggle"
                      disabled={self || above}
                      title={
                        self
                          ? 'You cannot disable your own account'
                          : above
                            ? aboveWhy
                            : u.disabled
                              ? 'Let them sign in again'
                              : 'Stop them signing in and end their sessions now'
                      }
                      onClick={() =>
                        void change(
                          u,
                          { disabled: !u.disabled },
                          u.disabled
                            ? `${u.name} can sign in again.`
                            : `${u.name} is disabled: signed out everywhere and cannot sign in.`,
                        )
                      }
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button
                      type="button"
                      className="small"
                      data-testid="user-reset"
                      disabled={above}
                      title={
                        above
                          ? self
                            ? 'Change your own password from the account menu'
                            : aboveWhy
                          : 'Set a new generated password and end their sessions'
                      }
                      onClick={() => void reset(u)}
                    >
                      Reset password
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {page && <Pager trail={pages} page={page} pageSize={PAGE} />}
    </div>
  );
}

function CreateUser(props: {
  roles: readonly Role[];
  onCreated: (r: Awaited<ReturnType<typeof adminApi.createUser>>) => void;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useFormError();
  return (
    <form
      className="admin-create"
      data-testid="user-create"
      onSubmit={(e) => {
        e.preventDefault();
        err.clear();
        setBusy(true);
        adminApi
          .createUser({ name: name.trim(), role, ...(password ? { password } : {}) })
          .then(
            (r) => {
              setName('');
              setPassword('');
              props.onCreated(r);
            },
            (e: unknown) => err.show(e),
          )
          .finally(() => setBusy(false));
      }}
    >
      <fieldset>
        <legend>New user</legend>
        <div className="form">
          <label htmlFor="new-user-name">Name</label>
          <input
            id="new-user-name"
            data-testid="new-user-name"
            autoComplete="off"
            aria-invalid={err.on('name') || undefined}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <FieldError error={err.error} fields={['name']} testId="new-user-name-error" />
          <label htmlFor="new-user-role">Role</label>
          <select
            id="new-user-role"
            data-testid="new-user-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {props.roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
          <FieldError error={err.error} fields={['role']} />
          <label htmlFor="new-user-password">Password</label>
          <input
            id="new-user-password"
            type="password"
            autoComplete="new-password"
            data-testid="new-user-password"
            placeholder="leave empty to generate one"
            aria-invalid={err.on('password') || undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FieldError error={err.error} fields={['password']} testId="new-user-password-error" />
        </div>
        <FieldError error={err.error} />
        <div className="row end">
          <button
            className="primary"
            type="submit"
            data-testid="new-user-save"
            disabled={busy || !name.trim()}
          >
            Create user
          </button>
        </div>
      </fieldset>
    </form>
  );
}
