// The OpenAPI document is structurally valid, and every route in it, called with missing, wrong-typed and
// oversized fields, answers 4xx (or 2xx where the input happens to be acceptable), never 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './server-harness.ts';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
  enum?: unknown[];
};
type Operation = {
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: Schema; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

let h: Harness;
let doc: Doc;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

beforeAll(async () => {
  h = await startHarness();
  await h.call('POST', '/api/entities', { type: 'Person', label: 'Walker' });
  doc = (await (await fetch(h.url + '/api/openapi.json')).json()) as Doc;
});
afterAll(async () => h.close());

function resolve(s: Schema | undefined): Schema {
  let cur = s ?? {};
  for (let i = 0; cur.$ref && i < 10; i++) {
    const name = cur.$ref.split('/').pop()!;
    cur = doc.components?.schemas?.[name] ?? {};
  }
  return cur;
}
function typeOf(s: Schema): string {
  const r = resolve(s);
  if (Array.isArray(r.type)) return r.type.find((t) => t !== 'null') ?? 'string';
  if (r.type) return r.type;
  const alt = r.anyOf ?? r.oneOf ?? r.allOf;
  return alt?.length ? typeOf(alt[0]) : 'string';
}
function wrong(s: Schema): unknown {
  switch (typeOf(s)) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'not-a-number';
    case 'boolean':
      return 'maybe';
    case 'array':
      return 'not-an-array';
    default:
      return 7;
  }
}
function oversized(s: Schema): unknown {
  switch (typeOf(s)) {
    case 'string':
      return 'x'.repeat(200_000);
    case 'number':
    case 'integer':
      return 1e308;
    case 'array':
      return Array.from({ length: 20_000 }, () => 'x'.repeat(20));
    case 'object':
      return Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, 'v'.repeat(50)]));
    default:
      return 'x'.repeat(200_000);
  }
}
function bodyProps(op: Operation): Record<string, Schema> {
  const s = resolve(op.requestBody?.content?.['application/json']?.schema);
  const props = { ...(s.properties ?? {}) };
  for (const part of s.allOf ?? s.anyOf ?? []) Object.assign(props, resolve(part).properties ?? {});
  return props;
}

describe('OpenAPI document', () => {
  it('is structurally valid: openapi 3.x, info, every operation has responses and every $ref resolves', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    const paths = Object.entries(doc.paths);
    expect(paths.length).toBeGreaterThan(20);
    for (const [p, ops] of paths) {
      expect(p.startsWith('/')).toBe(true);
      for (const [m, op] of Object.entries(ops)) {
        if (!METHODS.includes(m)) continue;
        expect(Object.keys(op.responses ?? {}).length, `${m} ${p}`).toBeGreaterThan(0);
      }
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) {
      const name = r.slice(8, -1).split('/').pop()!;
      expect(doc.components?.schemas?.[name], r).toBeDefined();
    }
  });
});

describe('every route, with bad input, answers below 500', () => {
  it('missing, wrong-typed and oversized fields', async () => {
    const failures: string[] = [];
    let calls = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!METHODS.includes(method)) continue;
        const params = op.parameters ?? [];
        const url = (pathValue: string, query: Record<string, string>) => {
          const p = path.replace(/\{[^}]+\}/g, encodeURIComponent(pathValue));
          const q = new URLSearchParams(query).toString();
          return q ? `${p}?${q}` : p;
        };
        const queryOf = (f: (s: Schema) => unknown) =>
          Object.fromEntries(
            params.filter((x) => x.in === 'query').map((x) => [x.name, String(f(x.schema ?? {}))]),
          );
        const props = bodyProps(op);
        const hasJsonBody = Boolean(op.requestBody?.content?.['application/json']);
        const isFileBody =
          (!hasJsonBody && Boolean(op.requestBody)) || (path.startsWith('/api/imports') && method === 'post');
        const bodyOf = (f: (s: Schema) => unknown) =>
          Object.fromEntries(Object.entries(props).map(([k, s]) => [k, f(s)]));
        const cases: Array<[string, string, unknown, Record<string, string>?]> = [
          ['missing', url('x', {}), hasJsonBody ? {} : undefined],
          ['wrong-typed', url('not-an-id', queryOf(wrong)), hasJsonBody ? bodyOf(wrong) : undefined],
          [
            'oversized',
            url(
              'y'.repeat(600),
              queryOf(() => 'z'.repeat(5000)),
            ),
            hasJsonBody ? bodyOf(oversized) : undefined,
          ],
          [
            'not-json',
            url('x', {}),
            method === 'get' || method === 'delete' ? undefined : '{"unterminated',
            { 'content-type': 'application/json' },
          ],
        ];
        if (isFileBody) {
          cases.push([
            'binary-file',
            url('x', { format: 'cdr' }),
            Buffer.from([0, 1, 2, 3, 255]),
            { 'content-type': 'application/octet-stream' },
          ]);
          cases.push([
            'wrong-format',
            url('x', { format: 12 as unknown as string }),
            'a,b\n1,2\n',
            { 'content-type': 'text/csv' },
          ]);
          // Uploads also come as multipart/form-data (curl -F, browsers): broken forms of it too.
          const b = 'walkboundary';
          const form = (parts: string[], end = `--${b}--\r\n`) =>
            parts.map((p) => `--${b}\r\n${p}\r\n`).join('') + end;
          const filePart = (content: string | Buffer) =>
            `Content-Disposition: form-data; name="file"; filename="f.csv"\r\nContent-Type: text/csv\r\n\r\n${content}`;
          const multipart = `multipart/form-data; boundary=${b}`;
          cases.push(
            [
              'multipart-no-boundary',
              url('x', { format: 'cdr' }),
              'a,b\n1,2\n',
              { 'content-type': 'multipart/form-data' },
            ],
            [
              'multipart-truncated',
              url('x', { format: 'cdr' }),
              form([filePart('caller,callee\n1,2')], ''),
              { 'content-type': multipart },
            ],
            [
              'multipart-no-file',
              url('x', { format: 'cdr' }),
              form([`Content-Disposition: form-data; name="note"\r\n\r\n${'n'.repeat(200_000)}`]),
              { 'content-type': multipart },
            ],
            [
              'multipart-binary-file',
              url('x', { format: 'cdr' }),
              Buffer.concat([
                Buffer.from(form([filePart('')], '').slice(0, -2)),
                Buffer.from([0, 1, 2, 255, 254, 0]),
                Buffer.from(`\r\n--${b}--\r\n`),
              ]),
              { 'content-type': multipart },
            ],
            [
              'multipart-two-files',
              url('x', { format: 'cdr' }),
              form([filePart('a,b\n1,2'), filePart('a,b\n3,4')]),
              { 'content-type': multipart },
            ],
            [
              'multipart-wrong-typed-format',
              url('x', { format: 12 as unknown as string, mapping: '{' }),
              form([filePart('a,b\n1,2')]),
              { 'content-type': multipart },
            ],
          );
        }
        for (const [kind, u, body, headers] of cases) {
          const res = await h.call(method.toUpperCase(), u, body, headers);
          calls++;
          if (res.status >= 500)
            failures.push(
              `${kind} ${method.toUpperCase()} ${path} -> ${res.status} ${res.text.slice(0, 200)}`,
            );
          if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) {
            const e = res.json as { error?: { code?: unknown; message?: unknown } };
            if (typeof e?.error?.code !== 'string' || typeof e.error.message !== 'string') {
              failures.push(
                `${kind} ${method.toUpperCase()} ${path}: error body not in the one shape: ${res.text.slice(0, 200)}`,
              );
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(80);
    expect(failures).toEqual([]);
  }, 120_000);
});
