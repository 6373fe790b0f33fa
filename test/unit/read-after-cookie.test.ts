// The read-after cookie's signature and bounds (server/security/read-after-cookie.ts): only a value a
// server of the tier signed lately, within the size bounds, yields bookmarks; anything else yields none.
import { describe, expect, it } from 'vitest';
import { AuditKey } from '../../server/security/audit-chain.ts';
import {
  MAX_BOOKMARKS,
  MAX_COOKIE_CHARS,
  READ_AFTER_MAX_AGE_S,
  signBookmarks,
  verifyBookmarks,
} from '../../server/security/read-after-cookie.ts';

const key = new AuditKey('read-after-cookie-test-key-0123456789abcdef', 'test');
const signer = { mac: (d: string) => key.mac(`linkchart bookmark ${d}`) };
const other = new AuditKey('another-key-entirely-0123456789abcdefghij', 'test');
const forger = { mac: (d: string) => other.mac(`linkchart bookmark ${d}`) };
const BM = ['FB:kcwQPjXA67omRtOfE4DIrzwvD8kBEZA='];

describe('read-after cookie', () => {
  it('gives back what a server signed', () => {
    expect(verifyBookmarks(signer, signBookmarks(signer, BM))).toEqual(BM);
  });

  it('ignores a value signed under another key, changed, unsigned or malformed', () => {
    const good = signBookmarks(signer, BM);
    const [v, payload, mac] = good.split('.');
    const changed = Buffer.from(JSON.stringify({ b: ['FB:x'], t: Date.now() })).toString('base64url');
    for (const bad of [
      signBookmarks(forger, BM),
      `${v}.${changed}.${mac}`,
      `${v}.${payload}`,
      `${v}.${payload}.${mac}.extra`,
      `v0.${payload}.${mac}`,
      `${v}.${payload}.${mac!.slice(0, -1)}`,
      '',
      undefined,
      'not a cookie',
    ])
      expect(verifyBookmarks(signer, bad)).toEqual([]);
  });

  it('ignores a value past its life or dated ahead', () => {
    const old = Date.now() - (READ_AFTER_MAX_AGE_S + 1) * 1000;
    expect(verifyBookmarks(signer, signBookmarks(signer, BM, old))).toEqual([]);
    expect(verifyBookmarks(signer, signBookmarks(signer, BM, Date.now() + 3_600_000))).toEqual([]);
  });

  it('ignores too many, too long or empty bookmarks, and an oversized value unread', () => {
    const many = Array.from({ length: MAX_BOOKMARKS + 1 }, (_, i) => `FB:${i}`);
    expect(verifyBookmarks(signer, signBookmarks(signer, many))).toEqual([]);
    expect(verifyBookmarks(signer, signBookmarks(signer, ['FB:' + 'a'.repeat(600)]))).toEqual([]);
    expect(verifyBookmarks(signer, signBookmarks(signer, []))).toEqual([]);
    expect(verifyBookmarks(signer, signBookmarks(signer, ['']))).toEqual([]);
    const huge = signBookmarks(signer, BM) + 'x'.repeat(MAX_COOKIE_CHARS);
    expect(verifyBookmarks(signer, huge)).toEqual([]);
  });
});
