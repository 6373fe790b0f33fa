// The canonical form the audit hash covers must never change: a record hashed by an earlier version has
// to verify under this one. Pinned here byte for byte, with the hash of a fixed record.
import { describe, expect, it } from 'vitest';
import {
  auditHash,
  canonicalJson,
  GENESIS_HASH,
  verifyAuditChain,
} from '../../server/security/audit-chain.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined fields, keeps array order and nulls', () => {
    const v = { z: { y: 2, b: [3, undefined, { d: 'é"\\', c: null }] }, a: 1, u: undefined, m: [] };
    expect(canonicalJson(v)).toBe('{"a":1,"m":[],"z":{"b":[3,null,{"c":null,"d":"é\\"\\\\"}],"y":2}}');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    // Key order is by UTF-16 code unit, as JavaScript compares strings.
    expect(canonicalJson({ b: 1, B: 2, _: 3, ä: 4 })).toBe('{"B":2,"_":3,"b":1,"ä":4}');
  });

  it('gives the hash an earlier version gave the same record', () => {
    const body = {
      seq: 1,
      at: '2024-01-01T00:00:00.000Z',
      actor: 'ana',
      action: 'read',
      route: 'GET /api/entities/:id',
      objectIds: ['e1'],
      outcome: 'ok' as const,
      justification: null,
      recipient: null,
      details: { status: 200, method: 'GET' },
      prevHash: GENESIS_HASH,
    };
    const hash = auditHash(body);
    expect(hash).toBe('b4d63f94b820a4849e9ab9d81fa814ac46d89046c6c64078667e9c4941155847');
    expect(verifyAuditChain([{ ...body, hash }])).toBeNull();
  });
});
