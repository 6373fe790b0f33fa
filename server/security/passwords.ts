// Password hashing and policy. scrypt from node:crypto (no native add-on to build), a 16-byte salt per
// user, and the cost parameters stored with each hash so they can be raised later without a migration:
// old hashes keep verifying with their own parameters and `needsRehash` says when to upgrade one.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { foldName } from '../domain/names.ts';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. 2^15 with r=8 is ~32 MiB and ~60-100 ms per hash on one core. */
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/**
 * OWASP's password storage guidance lists scrypt N=2^17, r=8, p=1 as a floor for new systems; 2^15 is
 * its lower, memory-constrained option. We use 2^15 by default because login runs on the request
 * thread pool of a small single server; `LINKCHART_SCRYPT_LOG2N` raises it (16-20) for a deployment.
 */
export const DEFAULT_SCRYPT: ScryptParams = {
  N: 2 ** Number(process.env.LINKCHART_SCRYPT_LOG2N ?? 15),
  r: 8,
  p: 1,
  keyLength: 32,
};

export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work an attacker can make scrypt do with a huge password. */
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // scrypt needs 128*N*r bytes; give it twice that so a raised N does not trip the default 32 MiB cap.
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, params.keyLength, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` with base64url salt and hash. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return null;
  // Refuse absurd parameters from a tampered row rather than letting them exhaust memory.
  if (N > 2 ** 20 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p, keyLength: key.length }, salt, key };
}

/** Constant-time comparison; false for a malformed hash rather than an exception. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.params.N < params.N || parsed.params.r < params.r;
}

let dummyHash: Promise<string> | null = null;
/**
 * Spends the same time as a real verification, so a login for a name that does not exist cannot be
 * told apart by its timing from one with a wrong password.
 */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('linkchart-timing-equaliser');
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await dummyHash);
}

// ---------------------------------------------------------------------------------------------
// Policy

let commonSet: Set<string> | null = null;
/** The shipped list (common-passwords.txt, 10,000 entries from zxcvbn, MIT). Loaded once, lazily. */
export function commonPasswords(): ReadonlySet<string> {
  if (!commonSet) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    commonSet = new Set(
      text
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l && !l.startsWith('#')),
    );
  }
  return commonSet;
}

/** Common words padded to length ("password1234", "!!dragon2024!!") are still common passwords. */
function commonCore(lower: string, list: ReadonlySet<string>): string | null {
  if (list.has(lower)) return lower;
  const core = lower.replace(/^[^a-z]+/, '').replace(/[^a-z]+$/, '');
  if (core.length >= 3 && list.has(core)) return core;
  // A common password repeated ("qwertyqwerty", "abc123abc123abc123").
  for (let len = 3; len <= lower.length / 2; len++) {
    if (lower.length % len !== 0) continue;
    const unit = lower.slice(0, len);
    if (unit.repeat(lower.length / len) === lower && (list.has(unit) || len <= 4)) return unit;
  }
  return null;
}

export interface PolicyOptions {
  /** The account name: a password containing it (in any case or Unicode form) is refused. */
  userName?: string;
  minLength?: number;
}

/**
 * Words specific to this service (ASVS 5.0 6.2.11): a password built on the product's own name is among the
 * first an attacker tries against it.
 */
export const CONTEXT_WORDS: readonly string[] = ['linkchart'];

/**
 * Problems with a proposed password, each a sentence naming the rule it breaks; empty when acceptable.
 * Following OWASP ASVS 5.0 V6.2 (password security): at least 12 characters (6.2.1 asks 8), up to 1024
 * (6.2.9 asks at least 64 be allowed), no composition rules (6.2.5), and refused when it is a commonly used
 * password (6.2.4), is all digits, contains the user name or a word specific to this service (6.2.11), or
 * uses three characters or fewer.
 */
export function passwordProblems(password: string, opts: PolicyOptions = {}): string[] {
  const min = opts.minLength ?? MIN_PASSWORD_LENGTH;
  const problems: string[] = [];
  // Count code points, not UTF-16 units, so an emoji is one character as the user sees it.
  const length = [...password].length;
  if (length < min) problems.push(`password must be at least ${min} characters (it has ${length})`);
  if (password.length > MAX_PASSWORD_LENGTH)
    problems.push(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  const lower = password.normalize('NFKC').toLowerCase();
  // A PIN or a date, however long: the first thing guessed, and a keyspace of 10 per character.
  if (/^[\p{Nd}\s]+$/u.test(lower)) problems.push('password must not be all digits');
  if (new Set(lower).size < 4) problems.push('password must use more than three different characters');
  const core = commonCore(lower, commonPasswords());
  if (core !== null) problems.push(`password is built on a commonly used password ("${core}")`);
  const folded = foldName(password);
  const name = opts.userName === undefined ? '' : foldName(opts.userName);
  if (name.length >= 3 && folded.includes(name)) problems.push('password must not contain the user name');
  const word = CONTEXT_WORDS.find((w) => folded.includes(w));
  if (word) problems.push(`password must not contain the name of this service ("${word}")`);
  return problems;
}

export class PasswordPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'PasswordPolicyError';
  }
}

export function assertPasswordAcceptable(password: string, opts: PolicyOptions = {}): void {
  const problems = passwordProblems(password, opts);
  if (problems.length) throw new PasswordPolicyError(problems);
}

/** 20 characters of base64url from 15 random bytes (120 bits): for generated demo and reset passwords. */
export function generatePassword(): string {
  for (;;) {
    const pw = randomBytes(15).toString('base64url');
    if (passwordProblems(pw).length === 0) return pw;
  }
}
