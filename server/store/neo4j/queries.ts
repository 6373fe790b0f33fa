// The named Cypher queries the Neo4j store runs: one file per query in cypher/queries/<name>.cypher, read once.
// Every value in them is a parameter; labels and relationship types are either written in the file or
// passed as parameters checked against the domain's allow-lists (ENTITY_TYPES, LINK_TYPES) before the call.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const CYPHER_DIR = fileURLToPath(new URL('../../../cypher/', import.meta.url));
const QUERY_DIR = join(CYPHER_DIR, 'queries');

let cache: Map<string, string> | null = null;

function load(): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of readdirSync(QUERY_DIR)) {
    if (!f.endsWith('.cypher')) continue;
    // Leading // comments document the query; the server never needs them.
    const text = readFileSync(join(QUERY_DIR, f), 'utf8')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('//'))
      .join('\n')
      .trim();
    m.set(f.slice(0, -'.cypher'.length), text);
  }
  return m;
}

/** All named queries, by name. */
export function queries(): ReadonlyMap<string, string> {
  cache ??= load();
  return cache;
}

/** The text of a named query; an unknown name is a programming error. */
export function cypher(name: string): string {
  const q = queries().get(name);
  if (q === undefined) throw new Error(`no Cypher query named ${name} in cypher/queries`);
  return q;
}

/** The schema statements (constraints, indexes, the full-text index), in order. */
export function schemaStatements(): string[] {
  const text = readFileSync(join(CYPHER_DIR, 'schema.cypher'), 'utf8')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('//'))
    .join('\n');
  return text
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
