// GEXF 1.2 (Gephi's own format; networkx read_gexf): typed attributes, positions in viz:position, the
// analysis record in the meta description.
import type { ExportData } from './collect.ts';
import { linkFields, nodeFields, type FieldType } from './fields.ts';
import { attrs, esc } from './xml.ts';

const GEXF_TYPE: Record<FieldType, string> = { string: 'string', double: 'double', boolean: 'boolean' };

export function toGexf(data: ExportData): string {
  // label, x and y are first-class in GEXF; the rest are attributes.
  const nf = nodeFields(data).filter((f) => !['label', 'x', 'y'].includes(f.name));
  const lf = linkFields(data).filter((f) => f.name !== 'weight');
  const directed = data.links.some((l) => l.directed);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">',
    `  <meta lastmodifieddate="${data.record.exportedAt.slice(0, 10)}">`,
    `    <creator>${esc(`${data.record.software.name} ${data.record.software.version}`)}</creator>`,
    `    <description>${esc(JSON.stringify(data.record))}</description>`,
    '  </meta>',
    `  <graph mode="static" defaultedgetype="${directed ? 'directed' : 'undirected'}">`,
    '    <attributes class="node" mode="static">',
    ...nf.map(
      (f, i) => `      <attribute${attrs({ id: `n${i}`, title: f.name, type: GEXF_TYPE[f.type] })}/>`,
    ),
    '    </attributes>',
    '    <attributes class="edge" mode="static">',
    ...lf.map(
      (f, i) => `      <attribute${attrs({ id: `e${i}`, title: f.name, type: GEXF_TYPE[f.type] })}/>`,
    ),
    '    </attributes>',
    '    <nodes>',
  ];
  for (const n of data.nodes) {
    out.push(`      <node${attrs({ id: n.id, label: n.label })}>`);
    out.push('        <attvalues>');
    nf.forEach((f, i) => {
      const v = f.get(n);
      if (v !== null && v !== '') out.push(`          <attvalue${attrs({ for: `n${i}`, value: v })}/>`);
    });
    out.push('        </attvalues>');
    if (n.x !== null && n.y !== null) out.push(`        <viz:position${attrs({ x: n.x, y: n.y, z: 0 })}/>`);
    out.push('      </node>');
  }
  out.push('    </nodes>', '    <edges>');
  for (const l of data.links) {
    out.push(
      `      <edge${attrs({ id: l.id, source: l.from, target: l.to, weight: l.weight, label: l.type })}>`,
    );
    out.push('        <attvalues>');
    lf.forEach((f, i) => {
      const v = f.get(l);
      if (v !== null && v !== '') out.push(`          <attvalue${attrs({ for: `e${i}`, value: v })}/>`);
    });
    out.push('        </attvalues>', '      </edge>');
  }
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}
