// Generic entities and links CSV: columns mapped to types, labels and properties. Unmapped columns become
// properties (names reduced to letters, digits and _). A Person or Event in a namespaced import is keyed
// as namespace:label, so files whose identifiers are local (numbers, code names) do not collide.
import {
  ENTITY_TYPES,
  LINK_RULES,
  LINK_TYPES,
  type EntityInput,
  type EntityType,
  type LinkInput,
  type LinkType,
  type Properties,
} from '../../domain/model.ts';
import { naturalKey } from '../../domain/keys.ts';
import { normaliseName } from '../../domain/normalise.ts';
import { parseWhen } from '../dates.ts';
import { RowProblem } from '../errors.ts';
import { parseMapPairs, proposeMapping, resolveColumns } from '../mapping.ts';
import type { FormatContext, RowFormat } from './types.ts';

export function propertyName(column: string): string {
  const s = column
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
  return /^[A-Za-z_]/.test(s) ? s : `c_${s}`.slice(0, 100);
}

/** The entity a label stands for in an import, keyed the same way by every format. */
export function importedEntity(
  type: EntityType,
  label: string,
  properties: Properties,
  namespace: string | undefined,
  reports: string[],
): EntityInput {
  const name = normaliseName(label);
  const props: Properties = { ...properties };
  if (namespace && type === 'Person' && props.externalRef === undefined)
    props.externalRef = `${namespace}:${name}`;
  if (namespace && type === 'Event' && props.reference === undefined)
    props.reference = `${namespace}:${name}`;
  return { type, label: name, key: naturalKey(type, name, props), properties: props, reports };
}

function pickType<T extends string>(
  raw: string | undefined,
  fixed: T | undefined,
  all: readonly T[],
  column: string | undefined,
  what: string,
): T {
  if (raw !== undefined && raw.trim() !== '') {
    const t = raw.trim();
    const hit = all.find((x) => x.toLowerCase() === t.toLowerCase());
    if (!hit)
      throw new RowProblem(column, `unknown ${what} ${JSON.stringify(t)}; expected one of ${all.join(', ')}`);
    return hit;
  }
  if (fixed) return fixed;
  throw new RowProblem(column, `no ${what}: give a type column or a fixed type option`);
}

export function entitiesFormat({ columns, options, reports }: FormatContext): RowFormat {
  const mapping = proposeMapping('entities', columns, parseMapPairs(options.map));
  if (!options.entityType && !mapping.type) {
    throw new RowProblem(
      undefined,
      'say which type the entities are: a type column (map=COLUMN=type) or entityType=Person etc.',
    );
  }
  const col = resolveColumns('entities', columns, mapping);
  const special = new Set(['label', 'type', 'key']);
  // Mapped extra fields keep their field name; unmapped columns keep their own name.
  const used = new Set(
    Object.entries(mapping)
      .filter(([f]) => special.has(f))
      .map(([, c]) => c),
  );
  const propCols: Array<[number, string]> = [];
  for (const [field, c] of Object.entries(mapping))
    if (!special.has(field)) propCols.push([columns.indexOf(c), propertyName(field)]);
  columns.forEach((c, i) => {
    if (!used.has(c) && !Object.values(mapping).includes(c)) propCols.push([i, propertyName(c)]);
  });
  const out = new Map<string, EntityInput>();

  return {
    mapping,
    add(cells) {
      const label = normaliseName(cells[col.label] ?? '');
      if (!label) throw new RowProblem(mapping.label, 'the label is empty');
      if (label.length > 500) throw new RowProblem(mapping.label, 'the label is longer than 500 characters');
      const type = pickType(
        col.type !== undefined ? cells[col.type] : undefined,
        options.entityType,
        ENTITY_TYPES,
        mapping.type,
        'entity type',
      );
      const properties: Properties = {};
      for (const [i, name] of propCols) {
        const v = (cells[i] ?? '').trim();
        if (v !== '') properties[name] = v.slice(0, 10_000);
      }
      const e = importedEntity(type, label, properties, options.namespace, reports);
      if (col.key !== undefined && (cells[col.key] ?? '').trim()) e.key = cells[col.key].trim();
      const k = `${type}\u0000${e.key}`;
      const prev = out.get(k);
      out.set(k, prev ? { ...prev, properties: { ...prev.properties, ...e.properties } } : e);
    },
    finish() {
      return { entities: [...out.keys()].sort().map((k) => out.get(k)!), links: [] };
    },
  };
}

interface LinkAgg {
  input: LinkInput;
}

export function linksFormat({ columns, options, reports }: FormatContext): RowFormat {
  const mapping = proposeMapping('links', columns, parseMapPairs(options.map));
  const col = resolveColumns('links', columns, mapping);
  const entities = new Map<string, EntityInput>();
  const links = new Map<string, LinkAgg>();

  const date = (cells: string[], field: 'firstSeen' | 'lastSeen'): string | undefined => {
    if (col[field] === undefined) return undefined;
    const raw = (cells[col[field]] ?? '').trim();
    if (raw === '') return undefined;
    const t = parseWhen(raw);
    if (!t)
      throw new RowProblem(
        mapping[field],
        `${JSON.stringify(raw)} is not a date (use 2024-03-01 or 01/03/2024)`,
      );
    return t;
  };
  const end = (cells: string[], field: 'from' | 'to', type: EntityType): EntityInput => {
    const raw = normaliseName(cells[col[field]] ?? '');
    if (!raw) throw new RowProblem(mapping[field], `the ${field} end is empty`);
    const e = importedEntity(type, raw, {}, options.namespace, reports);
    const k = `${type}\u0000${e.key}`;
    if (!entities.has(k)) entities.set(k, e);
    return e;
  };

  return {
    mapping,
    add(cells) {
      const type = pickType<LinkType>(
        col.type !== undefined ? cells[col.type] : undefined,
        options.linkType,
        LINK_TYPES,
        mapping.type,
        'link type',
      );
      const rule = LINK_RULES[type];
      const fromType = pickType<EntityType>(
        col.fromType !== undefined ? cells[col.fromType] : undefined,
        options.fromType ?? (rule.from.length === 1 ? rule.from[0] : undefined),
        ENTITY_TYPES,
        mapping.fromType,
        'from type',
      );
      const toType = pickType<EntityType>(
        col.toType !== undefined ? cells[col.toType] : undefined,
        options.toType ?? (rule.to.length === 1 ? rule.to[0] : undefined),
        ENTITY_TYPES,
        mapping.toType,
        'to type',
      );
      if (!rule.from.includes(fromType) || !rule.to.includes(toType)) {
        throw new RowProblem(
          mapping.type,
          `a ${type} link joins ${rule.from.join('/')} to ${rule.to.join('/')}, not ${fromType} to ${toType}`,
        );
      }
      let weight = 1;
      if (col.weight !== undefined) {
        const raw = (cells[col.weight] ?? '').trim();
        if (raw !== '') {
          weight = Number(raw);
          if (!Number.isFinite(weight) || weight <= 0)
            throw new RowProblem(mapping.weight, `${JSON.stringify(raw)} is not a weight above 0`);
        }
      }
      const firstSeen = date(cells, 'firstSeen');
      const lastSeen = date(cells, 'lastSeen') ?? firstSeen;
      const a = end(cells, 'from', fromType);
      const b = end(cells, 'to', toType);
      if (a.type === b.type && a.key === b.key)
        throw new RowProblem(mapping.to, 'a link from an entity to itself');
      let ka = `${a.type}\u0000${a.key}`;
      let kb = `${b.type}\u0000${b.key}`;
      if (!rule.directed && kb < ka) [ka, kb] = [kb, ka];
      const k = `${type}\u0001${ka}\u0001${kb}`;
      const prev = links.get(k);
      if (!prev) {
        links.set(k, {
          input: {
            type,
            from: { type: a.type, key: a.key! },
            to: { type: b.type, key: b.key! },
            weight,
            ...(firstSeen ? { firstSeen } : {}),
            ...(lastSeen ? { lastSeen } : {}),
            properties: {},
            reports,
          },
        });
      } else {
        // Rows for the same pair add their weights and widen the dates.
        const p = prev.input;
        p.weight = (p.weight ?? 1) + weight;
        if (firstSeen && (!p.firstSeen || firstSeen < p.firstSeen)) p.firstSeen = firstSeen;
        if (lastSeen && (!p.lastSeen || lastSeen > p.lastSeen)) p.lastSeen = lastSeen;
      }
    },
    finish() {
      return {
        entities: [...entities.keys()].sort().map((k) => entities.get(k)!),
        links: [...links.keys()].sort().map((k) => links.get(k)!.input),
      };
    },
  };
}
