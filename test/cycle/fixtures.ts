// Small hand-built subgraphs for the cycle's unit tests.
import type { Entity, EntityType, Link, LinkType, Properties, Subgraph } from '../../server/domain/model.ts';

const T0 = '2024-01-01T00:00:00.000Z';

export function entity(id: string, type: EntityType, properties: Properties = {}, label = id): Entity {
  return {
    id,
    type,
    label,
    key: id.toLowerCase(),
    properties,
    reviewDate: null,
    createdAt: T0,
    updatedAt: T0,
  };
}

let linkSeq = 0;
export function link(
  from: string,
  to: string,
  type: LinkType = 'ASSOCIATE_OF',
  seen: { firstSeen?: string; lastSeen?: string; id?: string } = {},
): Link {
  return {
    id: seen.id ?? `L${++linkSeq}`,
    type,
    from,
    to,
    directed: false,
    weight: 1,
    firstSeen: seen.firstSeen ?? null,
    lastSeen: seen.lastSeen ?? null,
    properties: {},
    grading: null,
    createdAt: T0,
    updatedAt: T0,
  };
}

export function subgraph(nodes: Entity[], links: Link[], dataVersion = 1): Subgraph {
  return { dataVersion, nodes, links, truncated: false };
}

/** People p0..p(n-1) joined by ASSOCIATE_OF edges given as index pairs. */
export function people(n: number, edges: [number, number][], prefix = 'p'): Subgraph {
  const nodes = Array.from({ length: n }, (_, i) => entity(`${prefix}${i}`, 'Person'));
  return subgraph(
    nodes,
    edges.map(([a, b]) => link(`${prefix}${a}`, `${prefix}${b}`)),
  );
}
