// The transfer's digest writes each record's canonical text in one pass (digest.ts): it must be exactly the
// JSON of the record with every object's keys sorted, as the digest was first defined, or two stores holding
// the same records would disagree, and a resume marker written before would not add up. Checked against that
// definition on records of the usual shape and on awkward ones (keys JavaScript orders by number, nested
// objects, undefined, NaN, unsorted provenance), and the sum is the same whatever order the records come in.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordText, StreamDigest } from '../../server/store/transfer/digest.ts';
import { DUMP_PARTS, type DumpPart } from '../../server/store/transfer/parts.ts';

/** The digest as first written: sorted copies, JSON.stringify, a BigInt sum per record. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
function definedText(part: DumpPart, x: Record<string, unknown>): string {
  const y =
    part === 'entities' || part === 'links'
      ? {
          ...x,
          reports: [...(x.reports as string[])].sort(),
          imports: [...(x.imports as string[])].sort(),
        }
      : part === 'merges'
        ? { ...x, snapshot: undefined }
        : x;
  return JSON.stringify(canonical(y));
}
function definedDigest(records: Array<[DumpPart, Record<string, unknown>]>): string {
  const sums = new Map<DumpPart, bigint>();
  const counts = new Map<DumpPart, number>();
  for (const [p, x] of records) {
    const h = createHash('sha256').update(definedText(p, x)).digest('hex');
    sums.set(p, ((sums.get(p) ?? 0n) + BigInt(`0x${h}`)) % (1n << 256n));
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const h = createHash('sha256');
  for (const p of DUMP_PARTS)
    h.update(`${p}\u0000${counts.get(p) ?? 0}\u0000${(sums.get(p) ?? 0n).toString(16)}\n`);
  return h.digest('hex');
}

const link = (i: number): Record<string, unknown> => ({
  id: `l${i}`,
  type: 'CALLED',
  from: `e${i}`,
  to: `e${i + 1}`,
  directed: true,
  weight: i / 3,
  firstSeen: i % 2 ? null : '2024-01-01',
  lastSeen: '2024-05-26',
  props: '{"a":"x\\ny"}',
  createdAt: '2026-12-07T09:42:00.484Z',
  updatedAt: '2026-12-07T09:42:00.484Z',
  reports: i % 3 ? ['r9', 'r10'] : [],
  imports: ['bench'],
  ops: ['op1', 'op3'],
});
const entity = (i: number): Record<string, unknown> => ({
  id: `e${i}`,
  type: 'Person',
  key: `k"${i}`,
  label: `Ann ${i} \u2028 é`,
  props: '{}',
  reviewDate: null,
  createdAt: 'x',
  updatedAt: 'y',
  reports: [],
  imports: ['b', 'a'],
  ops: ['op1'],
  opProps: i % 2 ? {} : { op1: { z: 1, a: [1, { c: 2, b: undefined }] } },
});
const awkward: Array<[DumpPart, Record<string, unknown>]> = [
  ['audit', { seq: 1, details: { '10': 'a', '2': 'b', x: 1, '01': 3 }, operations: undefined, at: 'z' }],
  ['importRuns', { seq: 2, report: { n: NaN, m: Infinity, list: [undefined, null, -0] } }],
  ['merges', { id: '1', snapshot: { keep: { a: 1 } }, undone: false }],
  ['charts', { id: '3', state: '{"zoom":1}', b: { '1': { '0': [] } } }],
];

describe('transfer digest', () => {
  it('writes each record as the sorted JSON the digest is defined on', () => {
    const records: Array<[DumpPart, Record<string, unknown>]> = [
      ...Array.from({ length: 30 }, (_, i) => ['links', link(i)] as [DumpPart, Record<string, unknown>]),
      ...Array.from({ length: 30 }, (_, i) => ['entities', entity(i)] as [DumpPart, Record<string, unknown>]),
      ...awkward,
    ];
    for (const [p, x] of records)
      expect(recordText(p, x), `${p} ${JSON.stringify(x)}`).toBe(definedText(p, x));
    const d = new StreamDigest();
    for (const [p, x] of records) d.add(p, [x] as never[]);
    expect(d.digest()).toBe(definedDigest(records));
  });

  it('gives the same digest in any order, in slices merged, and from a resume tally', () => {
    const records = Array.from({ length: 50 }, (_, i) => link(i));
    const whole = new StreamDigest();
    whole.add('links', records as never[]);
    const reversed = new StreamDigest();
    reversed.add('links', [...records].reverse() as never[]);
    const a = new StreamDigest();
    a.add('links', records.slice(0, 20) as never[]);
    const b = new StreamDigest();
    b.add('links', records.slice(20) as never[]);
    a.merge(b);
    const resumed = new StreamDigest(whole.tally());
    expect(reversed.digest()).toBe(whole.digest());
    expect(a.digest()).toBe(whole.digest());
    expect(resumed.digest()).toBe(whole.digest());
    const changed = new StreamDigest();
    changed.add('links', [...records.slice(1), { ...records[0], weight: 2 }] as never[]);
    expect(changed.digest()).not.toBe(whole.digest());
  });
});
