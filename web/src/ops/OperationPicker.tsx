// The picker of the operations the user may read: shown at sign-in when there is no operation to open in
// (none remembered and not a member of exactly one, or the remembered one is no longer open to them), and
// from the operation menu. A closed operation is listed only to its members (the server decides).
import { useState } from 'react';
import { useApp, appStore } from '../state/hooks.ts';
import { cancelPicker, mayCreateOperation } from '../state/operation.ts';
import { NewOperationForm } from './NewOperation.tsx';
import { switchOperation } from './working.ts';
import './operations.css';

const ROLE_WORDS: Record<string, string> = {
  owner: 'owner',
  supervisor: 'supervisor',
  analyst: 'analyst',
  viewer: 'viewer',
};

export function OperationPicker() {
  const { readable, current, picking, reason } = useApp((s) => s.operation);
  const role = useApp((s) => s.user?.role);
  const [creating, setCreating] = useState(false);
  if (!picking) return null;
  const cancel = (): void => {
    setCreating(false);
    appStore.set((s) => ({ ...s, operation: cancelPicker(s.operation) }));
  };
  if (creating)
    return (
      <div className="dialog-backdrop op-picker-backdrop">
        <div className="dialog op-picker" role="dialog" aria-label="New operation" data-testid="op-picker">
          <h2>New operation</h2>
          <NewOperationForm onCancel={() => setCreating(false)} cancelLabel="Back to the list" />
        </div>
      </div>
    );
  return (
    <div className="dialog-backdrop op-picker-backdrop">
      <div
        className="dialog wide op-picker"
        role="dialog"
        aria-label="Choose an operation"
        data-testid="op-picker"
      >
        <h2>Choose the operation to work in</h2>
        <p className="small muted">
          Everything you see and do (charts, your draft, search, imports, the Cycle pages) is in the operation
          you choose. A closed operation is for its members only; an open one is open to the whole force.
        </p>
        {reason && (
          <div className="toast error" data-testid="op-picker-reason">
            {reason}
          </div>
        )}
        {readable === null ? (
          <p className="muted">Listing your operations…</p>
        ) : readable.length === 0 ? (
          <p data-testid="op-picker-empty">
            No operation is open to you. Ask a supervisor to add you to one.
          </p>
        ) : (
          <table className="op-table">
            <thead>
              <tr>
                <th>Operation</th>
                <th>Name</th>
                <th>Marking</th>
                <th>Owner</th>
                <th>Your role</th>
              </tr>
            </thead>
            <tbody>
              {readable.map((o) => (
                <tr
                  key={o.id}
                  className={`clickable${o.id === current?.id ? ' current' : ''}`}
                  data-testid="op-row"
                  data-ref={o.ref}
                  onClick={() => void switchOperation(o.id)}
                >
                  <td>
                    <b>{o.ref}</b>
                  </td>
                  <td>{o.name}</td>
                  <td>
                    <span className={`op-chip ${o.sensitivity}`}>
                      {o.sensitivity === 'closed' ? 'Closed · members only' : 'Open to the force'}
                    </span>
                    {o.state === 'closed' && <span className="muted small"> (finished)</span>}
                  </td>
                  <td>{o.owner}</td>
                  <td>{o.myRole ? ROLE_WORDS[o.myRole] : <span className="muted">not a member</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(current || mayCreateOperation(role)) && (
          <div className="buttons">
            {mayCreateOperation(role) && (
              <button data-testid="op-picker-new" onClick={() => setCreating(true)}>
                New operation…
              </button>
            )}
            {current && (
              <button data-testid="op-picker-cancel" onClick={cancel}>
                Stay in {current.ref}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
