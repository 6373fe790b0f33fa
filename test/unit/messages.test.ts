// The API's error shape (server/api-types/common.ts) turned into a person's words: each case is a reply the
// server really gives (the wording of routes/errors.ts, security/plugin.ts, import/errors.ts and the schemas).
import { describe, expect, it } from 'vitest';
import { fieldOf, fieldWords, userMessage } from '../../web/src/api/messages.ts';

const err = (code: string, message: string, path?: Array<string | number>) => ({
  error: { code, message, ...(path ? { path } : {}) },
});

describe('userMessage', () => {
  it('names the field a schema check concerns and says what to type', () => {
    const m = userMessage(
      400,
      err('invalid', 'body.name: Too small: expected string to have >=2 characters', ['body', 'name']),
    );
    expect(m).toEqual({ text: 'Name: use at least 2 characters.', field: 'name', code: 'invalid' });
  });

  it('says a missing value must be filled in, and keeps the count of further problems', () => {
    const m = userMessage(
      400,
      err('invalid', 'body.name: Invalid input: expected string, received undefined (and 2 more problems)', [
        'body',
        'name',
      ]),
    );
    expect(m.text).toBe('Name: fill this in (and 2 more problems).');
    expect(m.field).toBe('name');
  });

  it('strips a field named twice by a custom schema message', () => {
    const m = userMessage(
      400,
      err('invalid', 'body.reason: reason: say why (at least 5 characters)', ['body', 'reason']),
    );
    expect(m.text).toBe('Reason: say why (at least 5 characters).');
    expect(m.field).toBe('reason');
  });

  it('uses the screen label of a field inside a list', () => {
    const m = userMessage(
      400,
      err('invalid', 'body.links.3.to: unknown entity e99', ['body', 'links', 3, 'to']),
    );
    expect(m.field).toBe('to');
    expect(m.text).toBe('To: unknown entity e99.');
  });

  it('maps a route error with a path (weak password on change) to the new-password field', () => {
    const m = userMessage(400, err('weak_password', 'use at least 12 characters', ['body', 'next']));
    expect(m).toEqual({
      text: 'New password: use at least 12 characters.',
      field: 'next',
      code: 'weak_password',
    });
  });

  it('does not name the password twice in a policy refusal', () => {
    const m = userMessage(
      400,
      err(
        'weak_password',
        'password must be at least 12 characters (it has 5); password must use more than three different characters',
        ['body', 'next'],
      ),
    );
    expect(m.text).toBe(
      'New password: must be at least 12 characters (it has 5); password must use more than three different characters.',
    );
  });

  it('tells an importer which box to tick instead of "pass skipInvalid"', () => {
    const m = userMessage(
      400,
      err(
        'invalid_file',
        'row 3, column to: no such phone. Nothing was imported; fix the file or pass skipInvalid to import the good rows only',
      ),
    );
    expect(m.text).toMatch(/^Row 3, column to: no such phone\. Nothing was imported/);
    expect(m.text).not.toMatch(/skipInvalid/);
    expect(m.text).toContain('tick "Import the good rows and list the bad ones"');
    expect(m.field).toBeNull();
  });

  it('says who may do what instead of naming a permission', () => {
    const m = userMessage(403, err('forbidden', 'the analyst role may not do this (needs users:admin)'));
    expect(m.text).toBe('Your role (analyst) may not do this. Ask a supervisor or an administrator.');
    expect(m.text).not.toMatch(/users:admin/);
  });

  it('asks to sign in again when the session has gone, but keeps the sign-in refusal as it is', () => {
    expect(
      userMessage(401, err('unauthenticated', 'sign in first: no session, or the session has expired')).text,
    ).toBe('You are signed out (the session ended or expired). Sign in again.');
    expect(
      userMessage(
        401,
        err('bad_credentials', 'the name or the password is wrong, or the account is disabled'),
      ).text,
    ).toBe('The name or the password is wrong, or the account is disabled.');
  });

  it('replaces the CSRF header jargon with reload advice', () => {
    const m = userMessage(
      403,
      err('csrf', 'missing or wrong x-csrf-token header: send the value of the csrf cookie'),
    );
    expect(m.text).not.toMatch(/csrf|header/i);
    expect(m.text).toMatch(/Reload the page/);
  });

  it('adds what to do to not-found and to a stale version', () => {
    expect(userMessage(404, err('not_found', 'no report with id r12')).text).toBe(
      'No report with id r12. It may have been deleted or merged; refresh and try again.',
    );
    expect(
      userMessage(409, err('conflict', 'the target changed since you loaded it (version 3, now 4)')).text,
    ).toMatch(/reload it and try again\.$/);
    // A conflict that already says what to do is left alone.
    expect(
      userMessage(409, err('conflict', 'you cannot disable or demote your own account; ask another admin'))
        .text,
    ).toBe('You cannot disable or demote your own account; ask another admin.');
  });

  it('hides server faults behind a reference, and survives a reply that is not the API shape', () => {
    const m = userMessage(500, { error: { code: 'internal', message: 'boom', requestId: 'req-7' } });
    expect(m.text).toMatch(/reference req-7/);
    expect(m.text).not.toMatch(/boom/);
    expect(userMessage(502, '<html>bad gateway</html>').text).toMatch(/could not do this/);
    expect(userMessage(400, null).text).toBe('The server refused this (status 400). Try again.');
  });
});

describe('fields', () => {
  it('finds the last named segment, never the request part', () => {
    expect(fieldOf(['body', 'links', 3, 'to'])).toBe('to');
    expect(fieldOf(['querystring', 'since'])).toBe('since');
    expect(fieldOf(['body'])).toBeNull();
    expect(fieldOf(undefined)).toBeNull();
  });
  it('labels known fields as the screens do and splits the others into words', () => {
    expect(fieldWords('nextReview')).toBe('Next review date');
    expect(fieldWords('next')).toBe('New password');
    expect(fieldWords('minGrading')).toBe('Min grading');
    expect(fieldWords('time_window')).toBe('Time window');
  });
});
