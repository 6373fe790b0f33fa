// The members of the working operation, for its owner and supervisors and for admins: add a user with a
// role in the operation, change a role, remove a member. A closed operation is read by its members only,
// so this is who may see it. Every change is audited by the server.
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/client.ts';
import { Modal, closeDialog } from '../components/Modal.tsx';
import { useApp } from '../state/hooks.ts';
import { OPERATION_ROLES, mayManageMembers, type OperationRole } from '../state/operation.ts';
import { opsApi, type OperationMemberDto } from './api.ts';
import { relistOperations } from './working.ts';

export function MembersScreen() {
  const op = useApp((s) => s.operation.current);
  const me = useApp((s) => s.user);
  const [items, setItems] = useState<OperationMemberDto[] | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<OperationRole>('analyst');
  const [busy, setBusy] = useState(false);
  const opId = op?.id ?? null;

  const load = useCallback(async () => {
    if (!opId) return;
    try {
      setItems(await opsApi.members(opId));
    } catch (e) {
      setErr(messageOf(e));
      setItems([]);
    }
  }, [opId]);
  useEffect(() => void load(), [load]);

  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setErr(null);
    try {
      await fn();
      await load();
      // My own role may have changed, or I may have left: the operations are listed again.
      await relistOperations();
    } catch (e) {
      setErr(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (!op) return null;
  const may = mayManageMembers(op, me?.role);
  return (
    <Modal title={`Members of OP ${op.ref} · ${op.name}`} testId="members-screen" wide>
      <p className="small muted">
        {op.sensitivity === 'closed'
          ? 'A closed operation is read by its members only: adding someone lets them see all of it.'
          : 'An open operation is read by the whole force; its members are those who run it and write in it.'}
      </p>
      {!may && (
        <p data-testid="members-refused">
          Only the operation&rsquo;s owner and supervisors, and administrators, may change its members.
        </p>
      )}
      {err && <div className="toast error">{err}</div>}
      {items === null ? (
        <p className="muted">Reading the members…</p>
      ) : (
        <table className="op-table" data-testid="members">
          <thead>
            <tr>
              <th>User</th>
              <th>Role in the operation</th>
              <th>Added by</th>
              <th>Added</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.user} data-testid="member-row" data-user={m.user}>
                <td>{m.user}</td>
                <td>
                  <select
                    aria-label={`Role of ${m.user}`}
                    disabled={!may || busy}
                    value={m.role}
                    onChange={(e) =>
                      void act(() => opsApi.setMember(op.id, m.user, e.target.value as OperationRole))
                    }
                  >
                    {OPERATION_ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{m.addedBy}</td>
                <td>{m.addedAt.slice(0, 10)}</td>
                <td>
                  <button
                    data-testid="member-remove"
                    disabled={!may || busy}
                    onClick={() => {
                      if (window.confirm(`Remove ${m.user} from operation ${op.ref}?`))
                        void act(() => opsApi.removeMember(op.id, m.user));
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {may && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const who = name.trim();
            if (!who) return setErr('Give the user name of the person to add');
            void act(async () => {
              await opsApi.setMember(op.id, who, role);
              setName('');
            });
          }}
        >
          <label>Add</label>
          <input
            data-testid="member-name"
            placeholder="user name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <select
            data-testid="member-role"
            value={role}
            onChange={(e) => setRole(e.target.value as OperationRole)}
          >
            {OPERATION_ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button className="primary" type="submit" data-testid="member-add" disabled={busy}>
            Add member
          </button>
        </form>
      )}
      <div className="buttons">
        <button data-testid="members-close" onClick={closeDialog}>
          Close
        </button>
      </div>
    </Modal>
  );
}
