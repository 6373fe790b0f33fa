// What every part of the store contract shares: how a test gets a fresh Stores, and the small builders of
// reports, people, phones and a network it writes. Store-agnostic: ids are opaque strings, and each test builds
// its own data on a fresh store.
import { afterEach, beforeEach, expect } from 'vitest';
import type { EntityInput, ReportInput } from '../../server/domain/model.ts';
import { StoreError } from '../../server/store/common.ts';
import type { GraphStore, WriteBatch } from '../../server/store/graph-store.ts';
import type { Stores } from '../../server/store/stores.ts';

export interface ContractHooks<S extends Stores = Stores> {
  /** Tries to change an audit record behind the store's back; must throw if the store keeps audit append-only. */
  tamperAudit?: (stores: S, seq: number) => Promise<void>;
}

/** How a backend's test file hands its stores to the contract. */
export interface ContractSetup<S extends Stores = Stores> {
  /** A new Stores on an empty database; the contract calls init() on it. */
  create: () => Promise<S>;
  /** Runs before close() after each test (e.g. to remove the files). */
  destroy?: (stores: S) => Promise<void>;
  hooks?: ContractHooks<S>;
}

/**
 * Gives each test of the calling describe() a fresh, initialised Stores and closes it afterwards. What it returns
 * stands for the Stores of the test running at the time, so test bodies read `stores.graph.writeBatch(...)`.
 */
export function freshStores<S extends Stores>(setup: ContractSetup<S>): S {
  let current: S | null = null;
  beforeEach(async () => {
    current = await setup.create();
    await current.init();
  });
  afterEach(async () => {
    const s = current;
    current = null;
    if (!s) return;
    if (setup.destroy) await setup.destroy(s);
    await s.close();
  });
  return new Proxy({} as S, {
    get(_, key) {
      if (!current) throw new Error('the contract stores are only open inside a test');
      const v: unknown = Reflect.get(current, key, current);
      return typeof v === 'function' ? v.bind(current) : v;
    },
  });
}

export const ctx = { actor: 'contract', importId: 'imp-contract' };

export const report = (
  ref: string,
  source: 1 | 2 | 3,
  intel: 'A' | 'B' | 'C' | 'D' | 'E',
  extra: Partial<ReportInput> = {},
) =>
  ({
    ref,
    date: '2024-01-01',
    author: 'DC Test',
    text: `report ${ref}`,
    source,
    intel,
    handling: 'P',
    ...extra,
  }) as ReportInput;
export const person = (name: string, extra: Partial<EntityInput> = {}): EntityInput => ({
  type: 'Person',
  label: name,
  ...extra,
});
export const phone = (num: string, extra: Partial<EntityInput> = {}): EntityInput => ({
  type: 'Phone',
  label: num,
  properties: { number: num },
  ...extra,
});
export const P = (key: string) => ({ type: 'Person' as const, key });
export const T = (key: string) => ({ type: 'Phone' as const, key });

/** Expects `p` to reject with a StoreError of `code`, and returns it. */
export async function storeError(p: Promise<unknown>, code: StoreError['code']): Promise<StoreError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a StoreError').toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  return err as StoreError;
}

/** A small network: three people, their phones and calls, with reports of different gradings. */
export const network = (): WriteBatch => ({
  reports: [report('R-1A', 1, 'A'), report('R-2B', 2, 'B'), report('R-3E', 3, 'E')],
  entities: [
    person('Alice Archer', { reports: ['R-1A'] }),
    person('Bob Baker', { reports: ['R-2B'] }),
    person('Carol Cole', { reports: ['R-3E'] }),
    phone('07700 900001'),
    phone('07700 900002'),
    phone('07700 900003'),
  ],
  links: [
    { type: 'USES', from: P('alice archer'), to: T('+447700900001'), reports: ['R-1A'] },
    { type: 'USES', from: P('bob baker'), to: T('+447700900002'), reports: ['R-2B'] },
    { type: 'USES', from: P('carol cole'), to: T('+447700900003'), reports: ['R-3E'] },
    {
      type: 'CALLED',
      from: T('+447700900001'),
      to: T('+447700900002'),
      weight: 12,
      firstSeen: '2024-01-01',
      lastSeen: '2024-01-31',
      reports: ['R-2B'],
    },
    {
      type: 'CALLED',
      from: T('+447700900002'),
      to: T('+447700900003'),
      weight: 3,
      firstSeen: '2024-03-01',
      lastSeen: '2024-03-15',
      reports: ['R-3E'],
    },
  ],
});

/** Writes the network; returns the ids of its entities by label. */
export async function loadNetwork(graph: GraphStore): Promise<Record<string, string>> {
  const r = await graph.writeBatch(network(), ctx);
  const b = network();
  const ids: Record<string, string> = {};
  b.entities!.forEach((e, i) => (ids[e.label] = r.entityIds[i]));
  return ids;
}
