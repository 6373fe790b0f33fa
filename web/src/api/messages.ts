// The API's errors in an analyst's words. The server answers every failure in one shape
// ({ error: { code, message, path? } }, server/api-types/common.ts) written for a programmer calling it:
// "body.name: Too small: expected string to have >=2 characters", "pass skipInvalid", "needs users:admin".
// This turns that into what a person at the workbench should do, and names the form field it concerns so
// a form can show the message beside that field. Pure: no fetch, no DOM, so it is tested on its own.
import type { ApiErrorBody } from '@api/common.ts';

export interface UserMessage {
  /** One or two sentences: what went wrong and what to do. */
  text: string;
  /** The request field the error is about (`name`, `password`, `reason`…), or null when it is not one. */
  field: string | null;
  /** The server's code (invalid, forbidden, not_found…), or null when it gave none. */
  code: string | null;
}

/** Field names in requests, as the screens label them. Unlisted names are split into words. */
const FIELD_WORDS: Record<string, string> = {
  name: 'Name',
  password: 'Password',
  current: 'Current password',
  next: 'New password',
  role: 'Role',
  disabled: 'Disabled',
  reason: 'Reason',
  nextReview: 'Next review date',
  before: 'Due before',
  label: 'Label',
  type: 'Type',
  entityId: 'Entity',
  entityIds: 'Entities',
  targets: 'Targets',
  seeds: 'Starting entities',
  from: 'From',
  to: 'To',
  weight: 'Weight',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  ref: 'Report reference',
  conditions: 'Conditions',
  justification: 'Justification',
  recipient: 'Recipient',
  title: 'Title',
  author: 'Author',
  actor: 'User',
  action: 'Action',
  objectId: 'Object',
  since: 'From',
  until: 'Until',
  q: 'Search words',
  limit: 'Page size',
  offset: 'Page',
  hops: 'Hops',
  summary: 'Summary',
  outcome: 'Outcome',
  date: 'Date',
  kind: 'Kind',
  properties: 'Properties',
};

/** Where the server puts a request part first in a path; never a field the person typed into. */
const REQUEST_PARTS = new Set(['body', 'query', 'querystring', 'params', 'headers']);

/** The last named segment of an error path: ['body', 'links', 3, 'to'] is `to`. */
export function fieldOf(path: ReadonlyArray<string | number> | undefined): string | null {
  if (!path) return null;
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string' && !REQUEST_PARTS.has(seg)) return seg;
  }
  return null;
}

/** How a screen names a request field: `nextReview` reads "Next review date", `fooBar` "Foo bar". */
export function fieldWords(field: string): string {
  const known = FIELD_WORDS[field];
  if (known) return known;
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A schema check's wording (zod's), said as what to type instead. */
const CHECK_PHRASES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^Too small: expected string to have >=?1 characters?$/i, () => 'fill this in'],
  [/^Too small: expected string to have >=?(\d+) characters?$/i, (m) => `use at least ${m[1]} characters`],
  [/^Too big: expected string to have <=?(\d+) characters?$/i, (m) => `use at most ${m[1]} characters`],
  [/^Too small: expected array to have >=?1 items?$/i, () => 'choose at least one'],
  [/^Too small: expected array to have >=?(\d+) items?$/i, (m) => `choose at least ${m[1]}`],
  [/^Too big: expected array to have <=?(\d+) items?$/i, (m) => `choose at most ${m[1]}`],
  [/^Too small: expected number to be >=?(\S+)$/i, (m) => `must be at least ${m[1]}`],
  [/^Too big: expected number to be <=?(\S+)$/i, (m) => `must be at most ${m[1]}`],
  [/^Invalid input: expected \w+, received undefined$/i, () => 'fill this in'],
  [/^Invalid input: expected (number|int)/i, () => 'must be a number'],
  [/^Invalid input: expected boolean/i, () => 'must be yes or no'],
  [/^Invalid input: expected string/i, () => 'must be text'],
  [/^Invalid option: expected one of/i, () => 'choose one of the options offered'],
  [/^Invalid (ISO )?(date|datetime)/i, () => 'must be a date such as 2026-03-01'],
  [/^Required$/i, () => 'fill this in'],
];

/** API words the server uses for programmers, replaced by what the screen calls the same thing. */
const JARGON: Array<[RegExp, string]> = [
  [
    /\bor pass skipInvalid to import the good rows only\b/g,
    'or tick "Import the good rows and list the bad ones" to import the rest',
  ],
  [/\bpass skipInvalid\b/g, 'tick "Import the good rows and list the bad ones"'],
  [/\s*\(needs [a-z]+:[a-z]+\)/g, ''],
];

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

function rephraseCheck(message: string): string {
  // The server appends "(and 2 more problems)" when a request had several; keep that tail as it is.
  const tail = /\s*\(and \d+ more problems?\)$/.exec(message);
  const core = tail ? message.slice(0, tail.index) : message;
  for (const [re, say] of CHECK_PHRASES) {
    const m = re.exec(core);
    if (m) return say(m) + (tail ? tail[0] : '');
  }
  return message;
}

/** Everything after a leading "body.name: " or "name: " naming the field the message is about. */
function withoutFieldPrefix(
  message: string,
  path: ReadonlyArray<string | number> | undefined,
  field: string,
) {
  const prefixes = [path?.join('.'), path?.filter((p) => !REQUEST_PARTS.has(String(p))).join('.'), field];
  // A schema's own message may name the field again ("body.reason: reason: say why"): strip each layer.
  for (let again = true; again;) {
    again = false;
    for (const p of prefixes)
      if (p && message.startsWith(`${p}: `)) {
        message = message.slice(p.length + 2);
        again = true;
      }
  }
  return message;
}

function problemOf(body: unknown): ApiErrorBody['error'] | null {
  const e = (body as { error?: unknown } | null | undefined)?.error;
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string')
    return e as ApiErrorBody['error'];
  return null;
}

/**
 * What to tell the person for an API failure: `status` is the HTTP status, `body` the parsed reply (the
 * API's error shape, or anything else a proxy may have sent).
 */
export function userMessage(status: number, body: unknown): UserMessage {
  const p = problemOf(body);
  const code = p?.code ?? null;
  const path = p?.path;
  const field = fieldOf(path);
  const requestId = (p as { requestId?: unknown } | null)?.requestId;

  if (status === 401 && code !== 'bad_credentials')
    return { text: 'You are signed out (the session ended or expired). Sign in again.', field: null, code };
  if (code === 'operation_not_found')
    return {
      text: 'The operation you are working in is no longer open to you. Choose the operation to work in.',
      field: null,
      code,
    };
  if (code === 'operation_write_denied')
    return {
      text: 'Your role in this operation does not allow changes in it. Ask its owner to make you an analyst in it.',
      field: null,
      code,
    };
  if (code === 'csrf')
    return {
      text: 'This page is out of step with your session. Reload the page and try again.',
      field: null,
      code,
    };
  if (code === 'cross_origin')
    return { text: 'The change was refused because it did not come from this page.', field: null, code };
  if (code === 'forbidden' || (status === 403 && !p)) {
    const role = p && /the (\w+) role may not/.exec(p.message)?.[1];
    return {
      text: `${role ? `Your role (${role})` : 'Your role'} may not do this. Ask a supervisor or an administrator.`,
      field: null,
      code,
    };
  }
  if (status >= 500 && status !== 503)
    return {
      text: `The server could not do this; the fault has been logged${typeof requestId === 'string' ? ` (reference ${requestId})` : ''}. Try again, and tell your administrator if it happens again.`,
      field: null,
      code,
    };
  if (status === 503)
    return {
      text: sentence(
        p?.message
          ? `${p.message}. Try again in a moment`
          : 'The database is not available just now. Try again in a moment',
      ),
      field: null,
      code,
    };
  if (!p) return { text: `The server refused this (status ${status}). Try again.`, field: null, code };

  let text = p.message;
  for (const [re, by] of JARGON) text = text.replace(re, by);
  if (field) {
    let said = rephraseCheck(withoutFieldPrefix(text, path, field));
    // "New password: password must be…" names the field twice; the label already says which password.
    if (/password$/i.test(fieldWords(field))) said = said.replace(/^password (must|is)\b/i, '$1');
    text = `${fieldWords(field)}: ${said}`;
  }
  if (status === 404) text = `${sentence(text)} It may have been deleted or merged; refresh and try again.`;
  if (status === 409 && /version|changed|stale/i.test(text) && !/reload|refresh/i.test(text))
    text = `${sentence(text)} Someone else changed it meanwhile; reload it and try again.`;
  return { text: sentence(text), field, code };
}

/** When the server cannot be reached at all. */
export const UNREACHABLE = 'Cannot reach the Linkchart server. Check the network connection and try again.';
