// A form's error, shown beside the field the server named (ApiError.field) or under the form.
import { useState } from 'react';
import { ApiError, messageOf } from '../api/client.ts';

export interface FormError {
  text: string;
  field: string | null;
}

export function useFormError() {
  const [error, setError] = useState<FormError | null>(null);
  return {
    error,
    clear: () => setError(null),
    /** Show what a request threw; `field` for a check made here, before any request. */
    show: (e: unknown, field: string | null = null) =>
      setError({ text: messageOf(e), field: e instanceof ApiError ? e.field : field }),
    /** Whether the error concerns one of these fields (so the field is marked). */
    on: (...fields: string[]) => !!error?.field && fields.includes(error.field),
  };
}

/** The error's text, when it concerns one of `fields` (beside the field) or none (`fields` empty: the rest). */
export function FieldError(props: { error: FormError | null; fields?: string[]; testId?: string }) {
  const { error, fields } = props;
  if (!error) return null;
  const mine = fields ? !!error.field && fields.includes(error.field) : !error.field;
  if (!mine) return null;
  return (
    <div className={fields ? 'field-error' : 'toast error'} role="alert" data-testid={props.testId}>
      {error.text}
    </div>
  );
}
