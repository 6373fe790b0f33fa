import { describe, expect, it } from 'vitest';
import {
  commonPasswords,
  generatePassword,
  hashPassword,
  needsRehash,
  passwordProblems,
  verifyPassword,
} from '../../server/security/passwords.ts';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one, with a fresh salt each time', async () => {
    const a = await hashPassword('Correct-Horse-Battery-9');
    const b = await hashPassword('Correct-Horse-Battery-9');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('Correct-Horse-Battery-9', a)).toBe(true);
    expect(await verifyPassword('Correct-Horse-Battery-8', a)).toBe(false);
    expect(await verifyPassword('Correct-Horse-Battery-9', b)).toBe(true);
  });

  it('rejects malformed or absurd stored hashes without throwing', async () => {
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(
      await verifyPassword(
        'x',
        'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ).toBe(false);
  });

  it('asks for a rehash when the stored cost is below the current one', async () => {
    const weak = await hashPassword('Correct-Horse-Battery-9', { N: 1024, r: 8, p: 1, keyLength: 32 });
    expect(needsRehash(weak)).toBe(true);
    expect(await verifyPassword('Correct-Horse-Battery-9', weak)).toBe(true);
    expect(needsRehash(await hashPassword('Correct-Horse-Battery-9'))).toBe(false);
  });
});

describe('password policy', () => {
  it('ships a list of 10,000 common passwords', () => {
    expect(commonPasswords().size).toBeGreaterThan(9_900);
    expect(commonPasswords().has('password')).toBe(true);
  });

  it.each([
    ['short1!', /at least 12/],
    ['password1234', /commonly used/],
    ['!!dragon2024!!', /commonly used/],
    ['qwertyqwerty', /commonly used/],
    ['aaaaaaaaaaaaaaaa', /different characters/],
    ['baseball12345678', /commonly used/],
  ])('refuses %j', (pw, why) => {
    expect(passwordProblems(pw).join('; ')).toMatch(why);
  });

  it('refuses a password containing the user name', () => {
    expect(passwordProblems('jsmith-Summer-Rain-7', { userName: 'jsmith' })).toContain(
      'password must not contain the user name',
    );
  });

  it('refuses the user name in any case or Unicode form (ASVS 5.0 6.2.11)', () => {
    for (const pw of ['Summer-JSMITH-Rain-7', 'Summer-ＪＳｍｉｔｈ-Rain-7'])
      expect(passwordProblems(pw, { userName: 'JSmith' })).toEqual([
        'password must not contain the user name',
      ]);
    expect(passwordProblems('Summer-Rain-Falls-7', { userName: 'JSmith' })).toEqual([]);
  });

  it('refuses all-digit passwords, however long, saying so', () => {
    expect(passwordProblems('918273645500123')).toEqual(['password must not be all digits']);
    expect(passwordProblems('9182 7364 5500 123')).toEqual(['password must not be all digits']);
    expect(passwordProblems('９１８２７３６４５５００１２３')).toEqual(['password must not be all digits']);
    expect(passwordProblems('918273645500123a')).toEqual([]);
  });

  it("refuses the service's own name", () => {
    expect(passwordProblems('My-LinkChart-Pass-7')).toEqual([
      'password must not contain the name of this service ("linkchart")',
    ]);
  });

  it('names each rule broken, one sentence each', () => {
    expect(passwordProblems('1111')).toEqual([
      'password must be at least 12 characters (it has 4)',
      'password must not be all digits',
      'password must use more than three different characters',
    ]);
    expect(passwordProblems('password', { userName: 'Pass' })).toEqual([
      'password must be at least 12 characters (it has 8)',
      'password is built on a commonly used password ("password")',
      'password must not contain the user name',
    ]);
  });

  it('accepts long passphrases and generated passwords', () => {
    expect(passwordProblems('Correct-Horse-Battery-9')).toEqual([]);
    expect(passwordProblems('the moss grows on the north side')).toEqual([]);
    for (let i = 0; i < 20; i++) {
      const g = generatePassword();
      expect(g).toHaveLength(20);
      expect(passwordProblems(g)).toEqual([]);
    }
  });
});
