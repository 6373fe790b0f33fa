// The compiled serializer must write exactly what zod's would: same fields, same bytes. Checked on every
// 1- and 2-hop neighbourhood of the demo network in a real SQLite store, and on hand-made subgraphs
// with the awkward values (escapes, unicode, lone surrogates, every property type, fields the schema
// does not name).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  compileSerializer,
  serializerCompiler,
  COMPILED_SCHEMAS,
} from '../../server/api-types/serializer.ts';
import { subgraphSchema, entitySchema } from '../../server/api-types/graph.ts';
import { openSqliteStores, type SqliteStores } from '../../server/store/sqlite/stores.ts';
import { loadSeed } from '../../seed/load.ts';

const viaZod = (data: unknown): string => JSON.stringify(z.encode(subgraphSchema, data as never));
const compiled = compileSerializer(subgraphSchema);

const dir = mkdtempSync(join(tmpdir(), 'linkchart-serializer-'));
let stores: SqliteStores;
beforeAll(async () => {
  stores = await openSqliteStores(join(dir, 's.db'));
  await loadSeed(stores, { size: 'demo', truthFile: null });
}, 120_000);
afterAll(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const node = (over: Record<string, unknown> = {}) => ({
  id: 'e1',
  type: 'Person',
  label: 'A',
  key: 'a',
  properties: {},
  reviewDate: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
  ...over,
});
const link = (over: Record<string, unknown> = {}) => ({
  id: 'l1',
  type: 'CALLED',
  from: 'e1',
  to: 'e2',
  directed: true,
  weight: 1,
  firstSeen: null,
  lastSeen: null,
  properties: {},
  grading: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
  ...over,
});

describe('compiled subgraph serializer', () => {
  it('is what the app uses for subgraph responses, and zod for the rest', () => {
    const route = (schema: z.ZodType) =>
      serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' } as never);
    expect(COMPILED_SCHEMAS.has(subgraphSchema)).toBe(true);
    const sub = { dataVersion: 1, nodes: [node()], links: [], truncated: false };
    expect(route(subgraphSchema)(sub)).toBe(viaZod(sub));
    // Not compiled: zod's serializer refuses what breaks the schema.
    expect(() => route(entitySchema)({ ...node(), type: 'Dragon' })).toThrow();
  });

  it('writes the same bytes as zod for every 1- and 2-hop neighbourhood of the demo network', async () => {
    const all = await stores.graph.listEntities({ limit: 10_000 });
    expect(all.items.length).toBeGreaterThan(500);
    let checked = 0;
    for (const e of all.items) {
      for (const hops of [1, 2]) {
        const sub = await stores.graph.neighbourhood([e.id], { hops, limit: 5000 });
        const expected = viaZod(sub);
        expect(compiled(sub), `${e.id} hops ${hops}`).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBe(all.items.length * 2);
  });

  it('writes the same bytes as zod on awkward values, and drops fields the schema does not name', () => {
    const strange = [
      'quote " backslash \\ slash /',
      'tab\tnewline\ncr\rnul\u0000bell\u0007',
      'unicode é ß 中文 🚓',
      'lone surrogates \ud800 and \udfff',
      '\u2028\u2029',
      '</script><script>alert(1)</script>',
      '',
    ];
    const sub = {
      dataVersion: 42,
      nodes: strange.map((s, i) =>
        node({
          id: `e${i}`,
          label: s,
          key: s,
          properties: {
            s,
            n: i - 3.5,
            big: 2 ** 53 + i,
            tiny: 1e-300,
            neg0: -0,
            yes: true,
            no: false,
            none: null,
          },
          reviewDate: i % 2 ? '2025-01-01' : null,
          passwordHash: 'must not appear',
        }),
      ),
      links: [
        link({
          grading: { source: 2, intel: 'B', extra: 'x' },
          weight: 0.1 + 0.2,
          secret: 'must not appear',
        }),
        link({ id: 'l2', directed: false, firstSeen: '2024-01-01', lastSeen: '2024-02-01' }),
      ],
      truncated: true,
      internal: 'must not appear',
    };
    const out = compiled(sub);
    expect(out).toBe(viaZod(sub));
    expect(out).not.toMatch(/must not appear/);
    expect(JSON.parse(out).links[0].grading).toEqual({ source: 2, intel: 'B' });
  });

  it('refuses a subgraph missing a required field, as zod does', () => {
    const bad = { dataVersion: 1, nodes: [node({ label: undefined })], links: [], truncated: false };
    expect(() => viaZod(bad)).toThrow();
    expect(() => compiled(bad)).toThrow();
  });
});
