// Response serialisation. Every response goes through its zod schema (fastify-type-provider-zod's
// serializer): fields the schema does not name are dropped and a response that breaks its schema is a
// 500, not a leak. For the subgraph, which every expansion, path and view returns and which the web app
// asks for on each click, zod's encode cost three times the JSON itself; those schemas are compiled
// with fast-json-stringify instead, which also writes only the fields the schema names and refuses a
// missing required field or a wrong type, though not a value outside an enum (the store only writes
// valid types). A test (test/api/serializer.test.ts) checks the two give the same bytes on real subgraphs.
import fastJsonStringify from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { subgraphSchema } from './graph.ts';

type Serialize = (data: unknown) => string;

/** Schemas of plain data (no transforms, no defaults on output) that are worth compiling. */
export const COMPILED_SCHEMAS: ReadonlySet<z.ZodType> = new Set<z.ZodType>([subgraphSchema]);

/** fast-json-stringify for a zod schema, from its JSON Schema as the API documents it. */
export function compileSerializer(schema: z.ZodType): Serialize {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' });
  return fastJsonStringify(allowExtraFields(json) as Parameters<typeof fastJsonStringify>[0]) as Serialize;
}

/**
 * zod's output JSON Schema closes its objects (additionalProperties: false). fast-json-stringify writes
 * only the named fields either way, but checks a union's branches against the closed object and throws
 * on an extra field where zod drops it; opening the objects makes it drop them too.
 */
function allowExtraFields(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowExtraFields);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = allowExtraFields(v);
  }
  return out;
}

const compiled = new Map<z.ZodType, Serialize>();

/** The app's serializer compiler: compiled for COMPILED_SCHEMAS, zod's for every other schema. */
export const serializerCompiler: typeof zodSerializerCompiler = (route) => {
  const schema = route.schema as z.ZodType;
  if (!COMPILED_SCHEMAS.has(schema)) return zodSerializerCompiler(route);
  let f = compiled.get(schema);
  if (!f) compiled.set(schema, (f = compileSerializer(schema)));
  return f;
};
