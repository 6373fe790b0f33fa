// Import failures carry the file row and column so a person can find and fix the cell.
import { ApiError } from '../routes/errors.ts';
import type { RowError } from '../api-types/imports.ts';

export class ImportError extends ApiError {
  override name = 'ImportError';
  constructor(
    status: number,
    code: string,
    message: string,
    where: { row?: number; column?: string; details?: RowError[] } = {},
  ) {
    super(status, code, message, where);
  }
}

/** A problem with one row; collected, then reported together. */
export class RowProblem extends Error {
  constructor(
    readonly column: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export function describeRowErrors(errors: RowError[], total: number): string {
  const first = errors[0];
  const at = [
    first.row !== undefined ? `row ${first.row}` : '',
    first.column ? `column ${JSON.stringify(first.column)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const more = total > 1 ? ` (${total - 1} more row error${total > 2 ? 's' : ''} listed in details)` : '';
  return `${at ? at + ': ' : ''}${first.message}${more}. Nothing was imported; fix the file or pass skipInvalid to import the good rows only`;
}
