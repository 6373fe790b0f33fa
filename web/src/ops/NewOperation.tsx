// Opening a new operation (supervisors and admins, as the server allows): its reference, its name and
// whether it is closed to its members or open to the force. The server's refusal of a field (a reference
// already taken, or not of letters and digits) is shown beside that field. Once opened, the app works in
// it at once: the analyst who opened it owns it and adds its members next. Offered from the operation menu
// (a dialog) and from the operation picker (the same form in place of the list).
import { useState } from 'react';
import { FieldError, useFormError } from '../admin/form-error.tsx';
import { ApiError } from '../api/client.ts';
import { fieldWords } from '../api/messages.ts';
import { Modal, closeDialog } from '../components/Modal.tsx';
import type { OperationSensitivity } from '../state/operation.ts';
import { opsApi } from './api.ts';
import { workInNewOperation } from './working.ts';

/**
 * The server's refusal as said beside its field: without the field's name in front, which elsewhere
 * reads "Report reference: …" (a report's ref), wrong and needless next to this form's Reference.
 */
function besideField(e: unknown): unknown {
  if (!(e instanceof ApiError) || !e.field) return e;
  const prefix = `${fieldWords(e.field)}: `;
  if (!e.message.startsWith(prefix)) return e;
  const text = e.message.slice(prefix.length);
  return new ApiError(e.status, text.charAt(0).toUpperCase() + text.slice(1), e.body, {
    field: e.field,
    code: e.code,
  });
}

/** The reference's shape, as the server checks it (domain/operations.ts operationRefSchema). */
const REF_HINT = '2 to 40 letters, digits, - or _, starting with a letter or digit (e.g. KESTREL)';

export function NewOperationForm(props: { onCancel: () => void; cancelLabel?: string }) {
  const [ref, setRef] = useState('');
  const [name, setName] = useState('');
  const [sensitivity, setSensitivity] = useState<OperationSensitivity>('closed');
  const [busy, setBusy] = useState(false);
  const err = useFormError();

  const submit = async (): Promise<void> => {
    err.clear();
    // Checked here only for being there: the server says what else is wrong, beside the field.
    if (!ref.trim()) return err.show(new Error('Give the operation a reference, e.g. KESTREL'), 'ref');
    if (!name.trim()) return err.show(new Error('Give the operation a name'), 'name');
    setBusy(true);
    try {
      const op = await opsApi.create({ ref: ref.trim(), name: name.trim(), sensitivity });
      await workInNewOperation(op.id);
    } catch (e) {
      err.show(besideField(e));
      setBusy(false);
    }
  };

  return (
    <form
      className="new-operation"
      data-testid="new-operation"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="form">
        <label htmlFor="new-op-ref">Reference</label>
        <div>
          <input
            id="new-op-ref"
            data-testid="new-op-ref"
            autoComplete="off"
            maxLength={40}
            placeholder="e.g. NIGHTJAR"
            aria-invalid={err.on('ref') || undefined}
            value={ref}
            // References are upper case on the server: show them so as they are typed.
            onChange={(e) => setRef(e.target.value.toUpperCase())}
          />
          <div className="small muted">{REF_HINT}</div>
          <FieldError error={err.error} fields={['ref']} testId="new-op-ref-error" />
        </div>
        <label htmlFor="new-op-name">Name</label>
        <div>
          <input
            id="new-op-name"
            data-testid="new-op-name"
            autoComplete="off"
            maxLength={200}
            placeholder="what it is about, e.g. supplier cell"
            aria-invalid={err.on('name') || undefined}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <FieldError error={err.error} fields={['name']} testId="new-op-name-error" />
        </div>
        <span className="label">Who may read it</span>
        <div className="sensitivity" role="radiogroup" aria-label="Who may read it">
          <label>
            <input
              type="radio"
              name="new-op-sensitivity"
              data-testid="new-op-closed"
              checked={sensitivity === 'closed'}
              onChange={() => setSensitivity('closed')}
            />{' '}
            <b>Closed</b>: read by its members only, whom you add.
          </label>
          <label>
            <input
              type="radio"
              name="new-op-sensitivity"
              data-testid="new-op-open"
              checked={sensitivity === 'open'}
              onChange={() => setSensitivity('open')}
            />{' '}
            <b>Open</b> to the whole force: everyone may read it; its members run it.
          </label>
          <FieldError error={err.error} fields={['sensitivity']} />
        </div>
      </div>
      <FieldError error={err.error} testId="new-op-error" />
      <p className="small muted">
        You will own it and work in it at once; add its members from the operation menu.
      </p>
      <div className="buttons">
        <button type="button" data-testid="new-op-cancel" onClick={props.onCancel} disabled={busy}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
        <button className="primary" type="submit" data-testid="new-op-save" disabled={busy}>
          {busy ? 'Opening…' : 'Open the operation'}
        </button>
      </div>
    </form>
  );
}

/** The form as a dialog, from the operation menu. */
export function NewOperationDialog() {
  return (
    <Modal title="New operation" testId="new-operation-dialog">
      <NewOperationForm onCancel={closeDialog} />
    </Modal>
  );
}
