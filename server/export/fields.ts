// The attribute columns every graph export writes, in one order, so GraphML, GEXF and CSV agree.
import type { ExportData, ExportLink, ExportNode } from './collect.ts';

export type FieldType = 'string' | 'double' | 'boolean';
export interface Field<T> {
  name: string;
  type: FieldType;
  get(item: T): string | number | boolean | null;
}

function propFields<T extends { properties: Record<string, unknown> }>(items: T[]): Field<T>[] {
  const names = new Set<string>();
  for (const i of items) for (const k of Object.keys(i.properties)) names.add(k);
  return [...names].sort().map((k) => {
    const all = items.map((i) => i.properties[k]).filter((v) => v !== null && v !== undefined);
    const type: FieldType = all.every((v) => typeof v === 'number')
      ? 'double'
      : all.every((v) => typeof v === 'boolean')
        ? 'boolean'
        : 'string';
    return {
      name: `p_${k}`,
      type,
      get: (i: T) => {
        const v = i.properties[k];
        if (v === null || v === undefined) return null;
        return type === 'string' ? String(v) : (v as number | boolean);
      },
    };
  });
}

export function nodeFields(data: ExportData): Field<ExportNode>[] {
  const f: Field<ExportNode>[] = [
    { name: 'label', type: 'string', get: (n) => n.label },
    { name: 'type', type: 'string', get: (n) => n.type },
    { name: 'key', type: 'string', get: (n) => n.key },
    { name: 'grading', type: 'string', get: (n) => n.grade },
    { name: 'handling', type: 'string', get: (n) => n.handling },
    { name: 'conditions', type: 'string', get: (n) => n.conditions },
    { name: 'reports', type: 'string', get: (n) => n.reports.join(' ') },
    { name: 'reviewDate', type: 'string', get: (n) => n.reviewDate },
  ];
  if (data.nodes.some((n) => n.x !== null)) {
    f.push({ name: 'x', type: 'double', get: (n) => n.x }, { name: 'y', type: 'double', get: (n) => n.y });
  }
  if (data.metric) f.push({ name: data.metric, type: 'double', get: (n) => n.score });
  return [...f, ...propFields(data.nodes)];
}

export function linkFields(data: ExportData): Field<ExportLink>[] {
  return [
    { name: 'type', type: 'string', get: (l) => l.type },
    { name: 'weight', type: 'double', get: (l) => l.weight },
    { name: 'directed', type: 'boolean', get: (l) => l.directed },
    { name: 'firstSeen', type: 'string', get: (l) => l.firstSeen },
    { name: 'lastSeen', type: 'string', get: (l) => l.lastSeen },
    { name: 'grading', type: 'string', get: (l) => l.grade },
    { name: 'handling', type: 'string', get: (l) => l.handling },
    { name: 'conditions', type: 'string', get: (l) => l.conditions },
    { name: 'reports', type: 'string', get: (l) => l.reports.join(' ') },
    ...propFields(data.links),
  ];
}
