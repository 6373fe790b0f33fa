// The members of the working operation, for its owner and supervisors and for admins: add a user with a
// role in the operation (found by typing part of their name: the server lists the users one may add,
// names only, GET /api/operations/:id/candidates), change a role, remove a member. A closed operation is
// read by its members only, so this is who may see it. Every change is audited by the server.
import { useCallback, useEffect, useRef, useState } from 'react';
import { foldName } from '@domain/names.ts';
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
            if (!who) return setErr('Type part of the name of the person to add, then choose them');
            void act(async () => {
              await opsApi.setMember(op.id, who, role);
              setName('');
            });
          }}
        >
          <label htmlFor="member-name">Add</label>
          <UserPicker opId={op.id} value={name} onChange={setName} />
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

/**
 * A user name field that offers the users the server lets this manager add (names holding what is typed,
 * members left out, at most 20): pick one with the mouse or the arrow keys and Enter.
 */
function UserPicker(props: { opId: string; value: string; onChange: (name: string) => void }) {
  const { opId, value, onChange } = props;
  const [hits, setHits] = useState<string[]>([]);
  /** What the hits answer: Enter picks only from the answer to what is typed now, never a stale one. */
  const [hitsFor, setHitsFor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [err, setErr] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    if (!open) return;
    const mine = ++seq.current;
    const t = setTimeout(() => {
      opsApi.candidates(opId, value.trim()).then(
        (r) => {
          if (mine !== seq.current) return;
          setHits(r.items.map((c) => c.name));
          setHitsFor(value.trim());
          setMore(r.more);
          setActive(0);
          setErr(null);
        },
        (e: unknown) => mine === seq.current && setErr(messageOf(e)),
      );
    }, 150);
    return () => clearTimeout(t);
  }, [opId, value, open]);

  const pick = (name: string): void => {
    onChange(name);
    setOpen(false);
  };
  // The exact name once picked (any case or width typed counts as it).
  const picked = hits.some((h) => foldName(h) === foldName(value));
  return (
    <div className="user-picker" data-testid="member-picker">
      <input
        id="member-name"
        data-testid="member-name"
        placeholder="type part of their name"
        autoComplete="off"
        role="combobox"
        aria-expanded={open}
        aria-controls="member-hits"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && open && hitsFor === value.trim() && hits[active] && !picked)
            pick(hits[active]);
          else if (e.key === 'Escape' && open) setOpen(false);
          else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      {open && !picked && (
        <div
          className="suggestions"
          id="member-hits"
          role="listbox"
          data-testid="member-hits"
          data-for={hitsFor ?? undefined}
        >
          {hits.map((h, i) => (
            <div
              key={h}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              data-testid="member-hit"
              data-user={h}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(h);
              }}
            >
              <span>{h}</span>
            </div>
          ))}
          {hits.length === 0 && !err && (
            <div className="muted more">
              {value.trim() ? `No one else is named like “${value.trim()}”` : 'Everyone is a member already'}
            </div>
          )}
          {more && <div className="muted more">More match: type more of the name</div>}
          {err && <div className="muted more">{err}</div>}
        </div>
      )}
    </div>
  );
}
