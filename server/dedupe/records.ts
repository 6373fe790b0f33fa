// The resolver's records read from a store through the GraphStore's own paged reads: people, phones and
// vehicles with what each is linked to (phones and vehicles a person uses or owns, addresses; for a phone or
// vehicle, its users). Bounded: past `maxRecords` entities it refuses rather than reading a whole large store.
import type { Entity, EntityType, Link } from '../domain/model.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { StoreError } from '../store/common.ts';
import type { ResolverRecord } from './types.ts';
import { pagesByKey } from '../store/shared/list-key.ts';

/** Entity types the resolver compares. */
export const RESOLVED_TYPES: readonly EntityType[] = ['Person', 'Phone', 'Vehicle'];
/** Types whose labels a record's links carry (the things shared between two records). */
const LINKED_TYPES: readonly EntityType[] = ['Person', 'Phone', 'Vehicle', 'Location'];
/** Link types that tie a subject to its phones, vehicles and addresses. */
const TIE_TYPES = ['USES', 'OWNS', 'RESIDES_AT'] as const;
const PAGE = 10_000;
export const MAX_RESOLVER_RECORDS = 1_000_000;
/** Links read per entity when a scope names entities. */
const MAX_LINKS_PER_ENTITY = 1_000;

export interface ResolverScope {
  /** Only these entities (e.g. what one import brought in); their linked things are read too. */
  entityIds?: string[];
  /** Refuse past this many entities (default MAX_RESOLVER_RECORDS). */
  maxRecords?: number;
}

export async function loadResolverRecords(
  store: GraphStore,
  scope: ResolverScope = {},
): Promise<ResolverRecord[]> {
  const max = scope.maxRecords ?? MAX_RESOLVER_RECORDS;
  return scope.entityIds ? loadScoped(store, scope.entityIds, max) : loadAll(store, max);
}

async function loadAll(store: GraphStore, max: number): Promise<ResolverRecord[]> {
  const byId = new Map<string, Entity>();
  for (const type of LINKED_TYPES) {
    // Entities and links are read by key (next): each page costs one page's worth wherever it lies, where an
    // offset read every entity before it (shared/list-key.ts).
    for await (const page of pagesByKey((after) => store.listEntities({ type, limit: PAGE, after }))) {
      for (const e of page.items) byId.set(e.id, e);
      if (byId.size > max) tooMany(max);
    }
  }
  const links: Link[] = [];
  for (const type of TIE_TYPES) {
    for await (const page of pagesByKey((after) => store.listLinks({ type, limit: PAGE, after })))
      links.push(...page.items);
  }
  const wanted = [...byId.values()].filter((e) => RESOLVED_TYPES.includes(e.type));
  return toRecords(wanted, links, byId);
}

async function loadScoped(store: GraphStore, ids: string[], max: number): Promise<ResolverRecord[]> {
  if (ids.length > max) tooMany(max);
  const entities = (await store.getEntities(ids)).filter((e) => RESOLVED_TYPES.includes(e.type));
  const links: Link[] = [];
  for (const e of entities) {
    const page = await store.listLinks({ entityId: e.id, limit: MAX_LINKS_PER_ENTITY });
    links.push(...page.items.filter((l) => (TIE_TYPES as readonly string[]).includes(l.type)));
  }
  const others = new Set<string>();
  for (const l of links) others.add(l.from).add(l.to);
  const byId = new Map<string, Entity>();
  for (const e of await store.getEntities([...others])) byId.set(e.id, e);
  for (const e of entities) byId.set(e.id, e);
  return toRecords(entities, links, byId);
}

function tooMany(max: number): never {
  throw new StoreError(
    'too_large',
    `more than ${max.toLocaleString('en-GB')} people, phones, vehicles and addresses to compare; ` +
      'run duplicate finding on one import at a time',
  );
}

function toRecords(entities: Entity[], links: Link[], byId: Map<string, Entity>): ResolverRecord[] {
  const linked = new Map<string, ResolverRecord['linked']>();
  const add = (at: string, other: string, relation: string) => {
    const o = byId.get(other);
    if (!o || !LINKED_TYPES.includes(o.type)) return;
    const list = linked.get(at);
    const item = { id: o.id, type: o.type, label: o.label, relation };
    if (list) list.push(item);
    else linked.set(at, [item]);
  };
  for (const l of links) {
    add(l.from, l.to, l.type);
    add(l.to, l.from, l.type);
  }
  return entities.map((e) => ({
    id: e.id,
    type: e.type,
    label: e.label,
    attributes: { ...e.properties },
    linked: linked.get(e.id) ?? [],
  }));
}
