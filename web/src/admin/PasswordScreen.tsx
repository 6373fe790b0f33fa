// Change my own password: the current one, the new one twice. The server checks the policy and ends my
// other sessions; this browser stays signed in.
import { useState } from 'react';
import { changePassword } from '../api/client.ts';
import { FieldError, useFormError } from './form-error.tsx';

export function PasswordScreen(props: { onDone: (notice: string) => void; onCancel: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useFormError();
  const submit = async (): Promise<void> => {
    err.clear();
    if (next !== again)
      return err.show(new Error('The two new passwords differ; type the same one twice.'), 'again');
    setBusy(true);
    try {
      await changePassword(current, next);
      props.onDone('Your password is changed. Your other sessions have been signed out.');
    } catch (e) {
      err.show(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      data-testid="password-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="small muted">
        Use at least 12 characters; a few unrelated words make a good one. Your other sessions end when it
        changes.
      </p>
      <div className="form">
        <label htmlFor="pw-current">Current password</label>
        <input
          id="pw-current"
          type="password"
          autoComplete="current-password"
          autoFocus
          data-testid="password-current"
          aria-invalid={err.on('current') || undefined}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <FieldError error={err.error} fields={['current']} />
        <label htmlFor="pw-next">New password</label>
        <input
          id="pw-next"
          type="password"
          autoComplete="new-password"
          data-testid="password-next"
          aria-invalid={err.on('next') || undefined}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
        <FieldError error={err.error} fields={['next']} testId="password-next-error" />
        <label htmlFor="pw-again">New password again</label>
        <input
          id="pw-again"
          type="password"
          autoComplete="new-password"
          data-testid="password-again"
          aria-invalid={err.on('again') || undefined}
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
        <FieldError error={err.error} fields={['again']} />
      </div>
      <FieldError error={err.error} testId="password-error" />
      <div className="buttons">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          className="primary"
          type="submit"
          data-testid="password-save"
          disabled={busy || !current || !next || !again}
        >
          Change password
        </button>
      </div>
    </form>
  );
}
