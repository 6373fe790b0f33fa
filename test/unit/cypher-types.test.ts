// A new link type must reach the Neo4j side too: its id constraint in cypher/schema.cypher and its branch in
// the per-type lookup cypher/queries/link-by-id.cypher. This fails (without a Neo4j server) when one is
// forgotten, naming the type; docs/ARCHITECTURE.md lists the other places a link type goes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LINK_TYPES } from '../../server/domain/model.ts';

const cypher = (file: string): string =>
  readFileSync(new URL(`../../cypher/${file}`, import.meta.url), 'utf8');

describe('cypher/ covers every link type', () => {
  it('has an id uniqueness constraint per link type, and none for a type the domain does not have', () => {
    const constrained = [
      ...cypher('schema.cypher').matchAll(/FOR \(\)-\[l:(\w+)\]-\(\) REQUIRE l\.id IS UNIQUE/g),
    ].map((m) => m[1]);
    expect([...constrained].sort()).toEqual([...LINK_TYPES].sort());
  });

  it('finds a link by id under every link type', () => {
    const branches = [...cypher('queries/link-by-id.cypher').matchAll(/\[l:(\w+) \{id: \$id\}\]/g)].map(
      (m) => m[1],
    );
    expect([...branches].sort()).toEqual([...LINK_TYPES].sort());
  });
});
